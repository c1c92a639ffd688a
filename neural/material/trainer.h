// Training of a neural material (DESIGN.md §4) on the CPU, no Vulkan: the
// procedure of Zeltner et al. in two phases over online reference samples.
//
//   ENCODER phase (first encoderFraction of the iterations): the latent of a
//     sample is encoder(encoderInputsFrom(reference point at its uv, read at
//     its level's texel footprint)); Adam on frames + decoder + encoder.
//   BAKE (once, at the switch): every texel of every latent level gets
//     encoder(reference parameters at the texel centre with the level's
//     footprint); the encoder is dropped.
//   LATENT phase: the latents come from the pyramid (bilinear); Adam on
//     latents + frames + decoder.
// Each phase has its own cosine learning-rate schedule.
//
// Sample pool: drawing a reference sample (filtered targets, importance
// sampling, encoder inputs) costs more than a training step on it, so each
// step draws only batch / sampleReuse NEW samples into a window of the
// poolBatches * batch newest ones and trains on `batch` samples picked from
// the window (a hash of seed, iteration and row). The window after n steps
// holds samples [n F, n F + P) of the seed's stream (F new per step, P pool
// size), so a resumed run rebuilds it exactly. The sampler network
// (input [latent, wo], latent detached) is trained in both phases by the
// weighted negative log-likelihood of TrainingSample::sampledWi (weight
// sampleWeight) when BakeOptions::trainSampler is set.
//
// Deterministic: batch i is samples [i * batch, (i + 1) * batch) of the
// stream of `seed`, and every reduction runs in fixed-size chunks summed in
// order, so the result does not depend on the thread count; a checkpoint
// holds everything a run depends on (parameters, Adam moments, iteration,
// options), so interrupt + resume equals an uninterrupted run bit for bit.
#pragma once

#include "neural/formats/nmat.h"
#include "neural/material/material_set.h"
#include "neural/material/neural_model.h"
#include "neural/material/training_samples.h"
#include "neural/nn/adam.h"
#include "neural/nn/thread_pool.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nerva::material {

struct BakeOptions {
    uint64_t iterations = 4000;
    uint32_t batch = 4096;
    uint32_t latentResolution = 256;
    std::string decoder = "2x32";
    float encoderFraction = 0.5f; // share of the iterations in the encoder phase
    float lrNetworks = 1e-2f;
    float lrLatents = 1e-2f;
    float lrSampler = 1e-3f;
    float lrMinFraction = 0.05f; // each schedule ends at lrMax * lrMinFraction
    uint32_t warmup = 50;        // warm-up steps at the start of each phase
    bool trainSampler = true;
    // Floor of the reference's GGX alphas in the training targets (see
    // TrainingSampleOptions::minLobeAlpha); 0 trains on the exact reference.
    // The default, alpha 0.02 (roughness 0.14), is the sharpest lobe the 2x32
    // decoder learned in a preview budget: car_paint (coat alpha <= 0.01)
    // reaches held-out relative L1 0.087 with it and 1.14 without.
    float minLobeAlpha = 0.02f;
    // eps of the log-space L1 BRDF loss, |log(eps + y) - log(eps + t)|: below
    // eps errors count as absolute, above as relative (nn::l1LogLoss).
    float lossEpsilon = 0.05f;
    // The frames' learning rate relative to the decoder's.
    float framesLrScale = 1.0f;
    // Average uses of each reference sample (1: every step draws a whole new
    // batch) and the pool's size in batches (see the class comment).
    uint32_t sampleReuse = 4;
    uint32_t poolBatches = 8;
    uint64_t seed = 1;
    unsigned threads = 0; // 0: the hardware's (not part of the result)

    // About a minute on 2 cores / about ten minutes.
    static BakeOptions preview();
    static BakeOptions final();

    // Everything that changes the result (not `threads`).
    nlohmann::json toJson() const;
    static BakeOptions fromJson(const nlohmann::json& j); // throws nerva::Error
};

enum class TrainPhase : uint32_t { Encoder = 0, Latent = 1 };
const char* trainPhaseName(TrainPhase p); // "encoder" | "latent"

struct TrainProgress {
    uint64_t iteration = 0; // steps done
    uint64_t total = 0;
    TrainPhase phase = TrainPhase::Encoder;
    double loss = 0.0;    // the last step's BRDF loss
    double lossEma = 0.0; // exponential moving average (0.98)
    double samplerLoss = 0.0;
    float lr = 0.0f;               // the networks' learning rate of the last step
    double samplesPerSecond = 0.0; // over this process's steps
};

// BRDF-space error of the neural material against the reference on held-out
// samples: f cos (rgb), PSNR with peak 1 (10 log10(1 / MSE)) and relative L1
// (sum |neural - ref| / sum |ref|). samplerGain measures the neural sampler:
// with wi drawn from the reference's f cos (its sampler, weighted by
// f cos / pdf), E[log q(wi) - log q_cos(wi)] = KL(f cos || q_cos) -
// KL(f cos || q) in nats: how much closer to the normalised f cos the
// sampler's pdf q is than cosine-weighted sampling (> 0: better).
struct BrdfLevelError {
    uint32_t level = 0;
    size_t samples = 0;
    double psnr = 0.0;
    double relativeL1 = 0.0;
    double samplerGain = 0.0;
};
struct BrdfReport {
    std::vector<BrdfLevelError> levels;
    BrdfLevelError overall; // all levels together (level field unused)
    nlohmann::json toJson() const;
    std::string format() const; // a small table, ends with a newline
};

class Trainer {
  public:
    // `set` must outlive the trainer. Throws nerva::Error on bad options.
    Trainer(const LayeredMaterialSet& set, uint32_t material, BakeOptions options);
    ~Trainer();

    // One iteration (bakes the latents first when the latent phase starts);
    // returns the BRDF loss. Throws when done().
    double step();
    bool done() const { return iteration_ >= opt_.iterations; }
    TrainProgress progress() const;
    const BakeOptions& options() const { return opt_; }
    const NeuralMaterialModel& model() const { return model_; }
    uint64_t encoderIterations() const { return encoderIters_; }
    // The lr of each group at iteration `it` ({networks, latents}).
    std::array<float, 2> learningRates(uint64_t it) const;

    // Writes the whole training state (temp file + rename). nerva::Error on
    // failure, nothing left behind.
    void saveCheckpoint(const std::string& path) const;
    // Restores it; nerva::Error when unreadable, corrupt or made with other
    // options (threads excepted).
    void loadCheckpoint(const std::string& path);

    // The held-out error: `samplesPerLevel` samples of every level from the
    // stream of `seed` (use a seed other than the training one). In the
    // encoder phase, the latents the bake would give now.
    BrdfReport evaluate(uint64_t seed, size_t samplesPerLevel) const;

    // The asset: latent levels, the frames / decoder / sampler networks and
    // the training settings; `metrics` is stored as given. The latents are
    // those of the bake when called during the encoder phase.
    formats::NmatAsset toNmat(const std::string& name, const std::string& sourceName,
                              const std::string& sourceHash, const nlohmann::json& metrics) const;

    // The seed of the held-out stream the CLI reports on.
    static uint64_t heldOutSeed(uint64_t trainingSeed) {
        return ~trainingSeed * 0x9E3779B97F4A7C15ull;
    }

  private:
    struct Scratch;
    void bakeLatents(NeuralMaterialModel& m) const;
    double samplerStep(const TrainingSample* s, const float* latents, size_t n);
    void encoderInputsFor(const TrainingSample* s, size_t n, float* out) const;
    // New samples per step, pool size (samples).
    size_t freshPerStep() const;
    size_t poolSize() const;
    // Draws samples [first, first + count) of the stream into their pool
    // slots (index mod poolSize), with their encoder inputs when `encoder`.
    void fillPool(uint64_t first, size_t count, bool encoder);
    // The pool as it is after `iteration` steps (construction and resume).
    void rebuildPool();

    const LayeredMaterialSet& set_;
    uint32_t material_;
    BakeOptions opt_;
    NeuralMaterialModel model_;
    ReferenceSampler sampler_;
    std::unique_ptr<nn::ThreadPool> pool_;
    unsigned threads_ = 1;
    std::vector<nn::Adam> adam_; // one per ParamGroup
    uint64_t encoderIters_ = 0;
    uint64_t iteration_ = 0;
    bool baked_ = false;
    double lossEma_ = 0.0, lastLoss_ = 0.0, lastSamplerLoss_ = 0.0;
    float lastLr_ = 0.0f;
    double seconds_ = 0.0; // this process's step time
    uint64_t stepsTimed_ = 0;
    std::unique_ptr<Scratch> scratch_;
};

} // namespace nerva::material
