#include "neural/material/latent_pyramid.h"

#include "neural/core/error.h"
#include "neural/nn/pcg32.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace nerva::material {
namespace {

// Repeat wrapping of an integer coordinate into [0, n) (wrapTexel).
int wrap(int i, int n) {
    const int m = i % n;
    return m < 0 ? m + n : m;
}

// mix(x, y, a) as GLSL and glm compute it.
template <class T> T mixT(T x, T y, T a) {
    return x * (T(1) - a) + y * a;
}

} // namespace

float BilinearTaps::weight(int k) const {
    const float wx = (k & 1) ? fx : 1.0f - fx;
    const float wy = (k & 2) ? fy : 1.0f - fy;
    return wx * wy;
}

LatentPyramid::LatentPyramid(uint32_t resolution, uint32_t channels, uint32_t levels)
    : resolution_(resolution), channels_(channels) {
    if (resolution == 0 || channels == 0)
        throw Error("LatentPyramid: resolution and channels must be positive (got " +
                    std::to_string(resolution) + ", " + std::to_string(channels) + ")");
    uint32_t n = resolution;
    for (;;) {
        sizes_.push_back(n);
        offsets_.push_back(floatCount_);
        floatCount_ += size_t(n) * n * channels;
        if (n == 1 || (levels != 0 && sizes_.size() == levels)) break;
        n = std::max((n + 1) / 2, 1u);
    }
    if (levels != 0 && sizes_.size() != levels)
        throw Error("LatentPyramid: " + std::to_string(levels) + " levels asked, a " +
                    std::to_string(resolution) + " pyramid has " + std::to_string(sizes_.size()));
}

BilinearTaps LatentPyramid::taps(glm::vec2 uv, uint32_t level) const {
    level = std::min(level, levelCount() - 1);
    const int n = int(sizes_[level]);
    // texelBilinear: st = uv * size - 1/2, in float.
    const float sx = uv.x * float(n) - 0.5f;
    const float sy = uv.y * float(n) - 0.5f;
    const float f0x = std::floor(sx);
    const float f0y = std::floor(sy);
    BilinearTaps t;
    t.fx = sx - f0x;
    t.fy = sy - f0y;
    const int x0 = wrap(int(f0x), n);
    const int y0 = wrap(int(f0y), n);
    const int x1 = wrap(x0 + 1, n);
    const int y1 = wrap(y0 + 1, n);
    const size_t base = offsets_[level];
    const size_t c = channels_;
    t.offset[0] = base + (size_t(y0) * n + x0) * c;
    t.offset[1] = base + (size_t(y0) * n + x1) * c;
    t.offset[2] = base + (size_t(y1) * n + x0) * c;
    t.offset[3] = base + (size_t(y1) * n + x1) * c;
    return t;
}

template <class T> void LatentPyramid::lookup(const T* data, const BilinearTaps& t, T* out) const {
    const T fx = T(t.fx), fy = T(t.fy);
    const T *a = data + t.offset[0], *b = data + t.offset[1];
    const T *c = data + t.offset[2], *d = data + t.offset[3];
    for (uint32_t k = 0; k < channels_; ++k)
        out[k] = mixT(mixT(a[k], b[k], fx), mixT(c[k], d[k], fx), fy);
}

template <class T>
void LatentPyramid::lookup(const T* data, glm::vec2 uv, uint32_t level, T* out) const {
    lookup(data, taps(uv, level), out);
}

template <class T>
void LatentPyramid::scatter(T* grad, const BilinearTaps& t, const T* dOut) const {
    // Weights in T from the same fx, fy as lookup, so the adjoint is exact
    // to T's rounding.
    const T fx = T(t.fx), fy = T(t.fy);
    for (int j = 0; j < 4; ++j) {
        const T w = ((j & 1) ? fx : T(1) - fx) * ((j & 2) ? fy : T(1) - fy);
        T* g = grad + t.offset[j];
        for (uint32_t k = 0; k < channels_; ++k)
            g[k] += w * dOut[k];
    }
}

template <class T>
void LatentPyramid::scatter(T* grad, glm::vec2 uv, uint32_t level, const T* dOut) const {
    scatter(grad, taps(uv, level), dOut);
}

void LatentPyramid::initialise(std::span<float> data, uint64_t seed, float amplitude) const {
    if (data.size() != floatCount_)
        throw Error("LatentPyramid::initialise: " + std::to_string(data.size()) +
                    " floats given, " + std::to_string(floatCount_) + " expected");
    nn::Pcg32 rng(seed, 0x6c6174656e7473ULL); // own stream: "latents"
    for (float& v : data)
        v = amplitude == 0.0f ? 0.0f : rng.uniform(-amplitude, amplitude);
}

uint32_t stochasticLatentLevel(float lod, float u, uint32_t levels) {
    const float top = float(levels > 0 ? levels - 1 : 0);
    const float l = std::clamp(std::isfinite(lod) ? lod : 0.0f, 0.0f, top);
    const float f = std::floor(l);
    const uint32_t level = uint32_t(f);
    return (u < l - f && level + 1 < levels) ? level + 1 : level;
}

#define NERVA_LATENT_INSTANTIATE(T)                                                                \
    template void LatentPyramid::lookup<T>(const T*, const BilinearTaps&, T*) const;               \
    template void LatentPyramid::lookup<T>(const T*, glm::vec2, uint32_t, T*) const;               \
    template void LatentPyramid::scatter<T>(T*, const BilinearTaps&, const T*) const;              \
    template void LatentPyramid::scatter<T>(T*, glm::vec2, uint32_t, const T*) const;
NERVA_LATENT_INSTANTIATE(float)
NERVA_LATENT_INSTANTIATE(double)
#undef NERVA_LATENT_INSTANTIATE

} // namespace nerva::material
