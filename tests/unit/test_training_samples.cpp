// Online training samples of a neural material from its reference
// (neural/material/training_samples.h), on a library material.
#include "neural/material/training_samples.h"
#include "shaders/shared/layered/layered_bsdf.h"
#include "shaders/shared/layered/layered_fetch.h"
#include "tests/support/layered_library.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace nerva::material {
namespace {

const test::LayeredLibrary& library() {
    static const test::LayeredLibrary lib = test::loadLayeredLibrary();
    return lib;
}

// The reference point a sample's target was read at (first tap), with its
// lobes widened like the sampler's, and the reference's f cos there.
struct ReferenceAt {
    shared::LayeredPoint point;
    shared::vec3 fcos;
};
ReferenceAt referenceAt(const TrainingSample& t, uint32_t material, float minAlpha = 0.0f) {
    const shared::LayeredView v = library().set.view();
    shared::LayeredUv tc = shared::layeredUvFinest(shared::vec2(t.uv.x, t.uv.y));
    tc.footprint0 = tc.footprint1 = t.footprint;
    ReferenceAt r;
    r.point = shared::layeredFetch(v, material, tc);
    widenLobes(r.point, minAlpha);
    r.fcos = shared::layeredEval(r.point, v.tables, shared::vec3(t.wo.x, t.wo.y, t.wo.z),
                                 shared::vec3(t.wi.x, t.wi.y, t.wi.z));
    return r;
}

TEST(TrainingSamples, LevelCount) {
    EXPECT_EQ(latentLevelCount(1), 1u);
    EXPECT_EQ(latentLevelCount(512), 10u);
    EXPECT_EQ(latentLevelCount(5), 4u); // 5 3 2 1
}

TEST(TrainingSamples, DeterministicForAnyThreadCount) {
    const ReferenceSampler s(library().set, 0, {});
    std::vector<TrainingSample> a(500), b(500), c(200);
    s.generate(42, 1000, a.size(), a.data(), 1);
    s.generate(42, 1000, b.size(), b.data(), 3);
    s.generate(42, 1300, c.size(), c.data(), 2); // a window of the same stream
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(TrainingSample)), 0);
    EXPECT_EQ(std::memcmp(a.data() + 300, c.data(), c.size() * sizeof(TrainingSample)), 0);
    std::vector<TrainingSample> d(500);
    s.generate(43, 1000, d.size(), d.data(), 1);
    EXPECT_NE(std::memcmp(a.data(), d.data(), a.size() * sizeof(TrainingSample)), 0);
}

TEST(TrainingSamples, DistributionsAndTargets) {
    TrainingSampleOptions o;
    o.latentResolution = 256;
    o.levels = 9;
    o.fineBias = 0.4f;
    const ReferenceSampler s(library().set, 1, o);
    const size_t n = 20000;
    std::vector<TrainingSample> v(n);
    s.generate(7, 0, n, v.data(), 2);
    std::vector<int> levels(o.levels, 0);
    double meanCos = 0.0, meanU = 0.0;
    int sampled = 0;
    for (const TrainingSample& t : v) {
        ASSERT_LT(t.level, o.levels);
        ++levels[t.level];
        EXPECT_FLOAT_EQ(t.footprint, 1.0f / float(256 >> t.level));
        meanCos += t.wo.z;
        meanU += t.uv.x;
        ASSERT_GT(t.wo.z, 0.0f);
        ASSERT_GT(t.wi.z, 0.0f);
        ASSERT_TRUE(std::isfinite(t.fcos.x + t.fcos.y + t.fcos.z));
        ASSERT_GE(std::min({t.fcos.x, t.fcos.y, t.fcos.z}), 0.0f);
        sampled += t.sampleWeight > 0.0f ? 1 : 0;
    }
    // Levels follow their probabilities (binomial, 5 sigma).
    for (uint32_t l = 0; l < o.levels; ++l) {
        const double p = s.levelProbabilities()[l];
        EXPECT_NEAR(levels[l], p * n, 5.0 * std::sqrt(n * p * (1 - p)) + 1) << "level " << l;
    }
    EXPECT_NEAR(s.levelProbabilities()[1] / s.levelProbabilities()[0], 0.6, 1e-5);
    EXPECT_NEAR(meanCos / n, 0.5, 0.01); // cos(theta_o) uniform
    EXPECT_NEAR(meanU / n, 0.5, 0.01);
    EXPECT_GT(sampled, int(n * 9 / 10));
}

// With one tap the target is exactly the reference at the sample's point and
// footprint.
TEST(TrainingSamples, OneTapTargetIsTheReference) {
    TrainingSampleOptions o;
    o.filterTaps = 1;
    const ReferenceSampler s(library().set, 2, o);
    for (uint64_t i = 0; i < 200; ++i) {
        const TrainingSample t = s.sample(5, i);
        const shared::vec3 f = referenceAt(t, 2).fcos;
        EXPECT_EQ(f.x, t.fcos.x);
        EXPECT_EQ(f.z, t.fcos.z);
    }
}

} // namespace
} // namespace nerva::material

namespace nerva::material {
namespace {

// minLobeAlpha widens every GGX lobe of the targets and nothing else.
TEST(TrainingSamples, MinLobeAlphaWidensTheTargets) {
    TrainingSampleOptions o;
    o.filterTaps = 1;
    o.minLobeAlpha = 0.3f;
    const ReferenceSampler s(library().set, 1, o);
    for (uint64_t i = 0; i < 100; ++i) {
        const TrainingSample t = s.sample(9, i);
        const ReferenceAt r = referenceAt(t, 1, o.minLobeAlpha);
        const shared::LayeredPoint& p = r.point;
        EXPECT_GE(std::min(p.coatAlpha.x, p.coatAlpha.y), 0.3f);
        EXPECT_GE(std::min(p.specularAlpha.x, p.conductorAlpha.y), 0.3f);
        EXPECT_NEAR(p.coatRoughness * p.coatRoughness, std::max(p.coatAlpha.x, 0.3f), 1e-5f);
        EXPECT_EQ(r.fcos.x, t.fcos.x);
    }
}

} // namespace
} // namespace nerva::material
