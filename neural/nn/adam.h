// Adam (Kingma & Ba) over a span of the flat parameter array, with optional
// decoupled weight decay (AdamW, Loshchilov & Hutter), and the cosine
// learning-rate schedule with linear warm-up used for training.
//
// Parameter groups: one Adam per range of the flat array (e.g. the latent
// textures and the networks), each stepped with its own learning rate.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace nerva::nn {

struct AdamOptions {
    float beta1 = 0.9f;
    float beta2 = 0.99f;
    float epsilon = 1e-8f;
    // Decoupled: p <- p - lr * weightDecay * p before the Adam update.
    float weightDecay = 0.0f;
};

class Adam {
  public:
    // `count` parameters: the length of the span every step() gets.
    explicit Adam(size_t count, AdamOptions options = {});

    // One update of params from grad (dL/dparams) with learning rate lr:
    //   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2,
    //   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),  t = steps().
    void step(std::span<float> params, std::span<const float> grad, float lr);

    size_t steps() const { return steps_; }
    const AdamOptions& options() const { return options_; }

    // State for checkpoints: the moments and the step count.
    std::span<float> firstMoment() { return m_; }
    std::span<float> secondMoment() { return v_; }
    void setSteps(size_t steps) { steps_ = steps; }
    // Forget the moments and the step count.
    void reset();

  private:
    AdamOptions options_;
    std::vector<float> m_, v_;
    size_t steps_ = 0;
};

// lr(t) for step t = 0, 1, ...:
//   t < warmupSteps:  lrMax * (t + 1) / warmupSteps (linear warm-up),
//   otherwise, u = (t - warmupSteps) / (totalSteps - warmupSteps) clamped
//   to [0, 1]:  lrMin + 0.5 (lrMax - lrMin)(1 + cos(pi u)),
// so lr = lrMax when the warm-up ends and lrMin from totalSteps on.
struct CosineSchedule {
    float lrMax = 1e-3f;
    float lrMin = 0.0f;
    size_t warmupSteps = 0;
    size_t totalSteps = 1;

    float operator()(size_t step) const;
};

} // namespace nerva::nn
