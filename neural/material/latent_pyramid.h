// The latent texture pyramid of a neural material: `channels` floats per
// texel (8: stored later as two RGBA16F textures), every level down to 1x1.
// Each level is trained to encode the BRDF *filtered* over its texel
// footprint (DESIGN.md §4), so a coarse level is NOT a downsample of level 0.
//
// This class is the layout only; the floats live in the caller's array (the
// model's flat parameter vector), so Adam and the .nmat writer see them.
//
// Layout (floats): level 0 (finest, resolution x resolution) first, then
// each next level, size halved rounding up (5 -> 3 -> 2 -> 1, as
// nextTexelLevelSize in shaders/shared/layered/texel_sampling.h); within a
// level rows of texels (row y = v * size), texel-major, channels fastest:
//   data[offset(level) + (y * size + x) * channels + c].
//
// Lookup: bilinear within one level, texel centres at (i + 1/2) / size,
// REPEAT wrapping, with the float arithmetic of texelBilinear so the GPU
// version gives the same values.
#pragma once

#include <glm/glm.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nerva::material {

// The four texels of a bilinear lookup: where their channels start in the
// level-0-first array and their weights (a, b, c, d) = (x0y0, x1y0, x0y1,
// x1y1); the value is mix(mix(a, b, fx), mix(c, d, fx), fy).
struct BilinearTaps {
    size_t offset[4];
    float fx, fy;
    // The weights of the four texels, (1-fx)(1-fy), fx(1-fy), (1-fx)fy, fx fy.
    float weight(int k) const;
};

class LatentPyramid {
  public:
    LatentPyramid() = default;
    // levels = 0: the full chain down to 1x1.
    LatentPyramid(uint32_t resolution, uint32_t channels, uint32_t levels = 0);

    uint32_t resolution() const { return resolution_; }
    uint32_t channels() const { return channels_; }
    uint32_t levelCount() const { return uint32_t(sizes_.size()); }
    uint32_t levelSize(uint32_t level) const { return sizes_[level]; }
    size_t levelOffset(uint32_t level) const { return offsets_[level]; } // floats
    size_t floatCount() const { return floatCount_; }

    // The taps at (uv, level); level is clamped to the chain.
    BilinearTaps taps(glm::vec2 uv, uint32_t level) const;

    // out[c] = bilinear value of channel c at (uv, level).
    template <class T> void lookup(const T* data, glm::vec2 uv, uint32_t level, T* out) const;
    template <class T> void lookup(const T* data, const BilinearTaps& t, T* out) const;

    // The adjoint of lookup: grad[texel c] += weight * dOut[c] for the four
    // taps (the same layout as the data).
    template <class T> void scatter(T* grad, glm::vec2 uv, uint32_t level, const T* dOut) const;
    template <class T> void scatter(T* grad, const BilinearTaps& t, const T* dOut) const;

    // Deterministic initialisation: uniform noise in +-amplitude from `seed`
    // (PCG32; amplitude 0 gives zeros). data.size() must be floatCount().
    void initialise(std::span<float> data, uint64_t seed, float amplitude) const;

  private:
    uint32_t resolution_ = 0;
    uint32_t channels_ = 0;
    std::vector<uint32_t> sizes_;
    std::vector<size_t> offsets_;
    size_t floatCount_ = 0;
};

// The renderer's stochastic level choice between the two levels around a
// fractional level of detail: lod is clamped to [0, levels - 1]; with
// frac = lod - floor(lod), returns floor(lod) + 1 when u < frac, else
// floor(lod) (so E[level] = lod). u is uniform in [0, 1).
uint32_t stochasticLatentLevel(float lod, float u, uint32_t levels);

} // namespace nerva::material
