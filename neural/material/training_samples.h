// Training data for a neural material, drawn online from its reference
// layered material (the C++ build of shaders/shared/layered).
//
// One sample: a texel position uv (uniform over the material), a latent level
// (drawn with a bias toward fine levels), an outgoing direction wo (uniform
// in cos(theta), so grazing views are as common as steep ones) and an
// incoming direction wi (half uniform over the hemisphere, half from the
// reference's own importance sampling, so narrow highlights are seen), with
//   target = the reference's f cos(theta_i) at (uv, wo, wi), *filtered* over
//            the footprint of one latent texel of that level: the mean of
//            `filterTaps` points jittered over the texel, each read at the
//            texel's footprint (so textures come from their mips and flakes
//            blend to their aggregate) — coarse levels learn the filtered
//            BRDF, not a downsample of level 0;
//   a sampler target: a direction drawn by the reference's sampler at the
//            first tap, with weight luminance(f cos / pdf) (the sampler
//            network is trained by weighted maximum likelihood, i.e. KL from
//            f cos to its pdf up to a constant).
// Deterministic: sample i depends only on (seed, i), whatever the threads.
#pragma once

#include "neural/material/material_set.h"
#include "shaders/shared/layered/layered_point.h"

#include <glm/glm.hpp>

#include <cstdint>
#include <vector>

namespace nerva::material {

struct TrainingSample {
    glm::vec2 uv;
    uint32_t level;
    float footprint; // uv units: the texel size of `level`
    glm::vec3 wo;
    glm::vec3 wi;
    glm::vec3 fcos; // filtered reference
    glm::vec3 sampledWi;
    float sampleWeight; // luminance(f cos / pdf) of sampledWi; 0 = no sample
};

struct TrainingSampleOptions {
    uint32_t latentResolution = 512; // texels across level 0
    uint32_t levels = 10;            // latent levels in use (level 0 finest)
    float fineBias = 0.5f;           // p(level) ~ (1 - fineBias)^level
    uint32_t filterTaps = 4;         // reference points averaged per target
    float importanceFraction = 0.5f; // share of wi from the reference's sampler
    // Every GGX lobe of the reference is widened to at least this alpha
    // (0 = the reference as it is). A small decoder cannot represent a
    // near-mirror lobe (alpha ~1e-3 peaks at f cos ~1e4): trained on such
    // targets it smears huge values around the peak. With a floor the neural
    // material learns the reference prefiltered to the angular resolution it
    // can hold.
    float minLobeAlpha = 0.0f;
};

// Widens the GGX lobes of `p` to alpha >= minAlpha (the albedo-table
// roughness with them). Exposed for tests and for evaluation against the same
// prefiltered reference.
void widenLobes(shared::LayeredPoint& p, float minAlpha);

// Number of levels of a full pyramid with `resolution` texels across level 0.
uint32_t latentLevelCount(uint32_t resolution);

class ReferenceSampler {
  public:
    // `set` must outlive the sampler and stay unchanged.
    ReferenceSampler(const LayeredMaterialSet& set, uint32_t material, TrainingSampleOptions o);

    // Samples first .. first + count - 1 of the stream for `seed`, on
    // `threads` threads (0 = the hardware's).
    void generate(uint64_t seed, uint64_t first, size_t count, TrainingSample* out,
                  unsigned threads = 1) const;
    TrainingSample sample(uint64_t seed, uint64_t index) const;

    // Probability of drawing each level.
    const std::vector<float>& levelProbabilities() const { return levelPdf_; }
    const TrainingSampleOptions& options() const { return opt_; }

  private:
    const LayeredMaterialSet& set_;
    uint32_t material_;
    TrainingSampleOptions opt_;
    std::vector<float> levelPdf_, levelCdf_;
};

} // namespace nerva::material
