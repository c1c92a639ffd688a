#include "neural/nn/adam.h"

#include "neural/core/error.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace nerva::nn {

Adam::Adam(size_t count, AdamOptions options) : options_(options), m_(count), v_(count) {}

void Adam::reset() {
    std::fill(m_.begin(), m_.end(), 0.0f);
    std::fill(v_.begin(), v_.end(), 0.0f);
    steps_ = 0;
}

void Adam::step(std::span<float> params, std::span<const float> grad, float lr) {
    const size_t n = m_.size();
    if (params.size() != n || grad.size() != n)
        throw Error("nn::Adam::step: " + std::to_string(params.size()) + " parameters and " +
                    std::to_string(grad.size()) + " gradients for an optimiser of " +
                    std::to_string(n));
    ++steps_;
    const float b1 = options_.beta1, b2 = options_.beta2, eps = options_.epsilon;
    // Bias corrections in double: b^t underflows gracefully to 0 for large t.
    const double t = double(steps_);
    const float c1 = float(1.0 / (1.0 - std::pow(double(b1), t)));
    const float c2 = float(1.0 / (1.0 - std::pow(double(b2), t)));
    const float decay = 1.0f - lr * options_.weightDecay;
    float* __restrict p = params.data();
    const float* __restrict g = grad.data();
    float* __restrict m = m_.data();
    float* __restrict v = v_.data();
    for (size_t k = 0; k < n; ++k) {
        m[k] = b1 * m[k] + (1.0f - b1) * g[k];
        v[k] = b2 * v[k] + (1.0f - b2) * g[k] * g[k];
        p[k] = p[k] * decay - lr * (m[k] * c1) / (std::sqrt(v[k] * c2) + eps);
    }
}

float CosineSchedule::operator()(size_t step) const {
    if (step < warmupSteps) return lrMax * float(step + 1) / float(warmupSteps);
    const size_t decaySteps = totalSteps > warmupSteps ? totalSteps - warmupSteps : 0;
    const double u =
        decaySteps == 0 ? 1.0 : std::min(1.0, double(step - warmupSteps) / double(decaySteps));
    return float(double(lrMin) +
                 0.5 * double(lrMax - lrMin) * (1.0 + std::cos(std::numbers::pi * u)));
}

} // namespace nerva::nn
