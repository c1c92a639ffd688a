// PCG32 (O'Neill's pcg32: 64-bit LCG state, XSH-RR 32-bit output) and the few
// distributions the trainer needs, written out here because the std::
// distributions differ between standard libraries: the same seed must give
// the same initial weights and training batches everywhere.
#pragma once

#include <cstdint>

namespace nerva::nn {

class Pcg32 {
  public:
    explicit Pcg32(uint64_t seed, uint64_t stream = 0x14057b7ef767814fULL) {
        inc_ = (stream << 1u) | 1u;
        state_ = 0;
        next();
        state_ += seed;
        next();
    }

    uint32_t next() {
        const uint64_t old = state_;
        state_ = old * 6364136223846793005ULL + inc_;
        const auto xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
        const auto rot = static_cast<uint32_t>(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
    }

    // Uniform in [0, 1): the top 24 bits, exactly representable as float.
    float uniform() { return static_cast<float>(next() >> 8u) * (1.0f / 16777216.0f); }

    // Uniform in [lo, hi).
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

  private:
    uint64_t state_ = 0;
    uint64_t inc_ = 1;
};

} // namespace nerva::nn
