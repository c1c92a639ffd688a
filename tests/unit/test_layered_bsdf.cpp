// The reference layered material (C++ build of shaders/shared/layered) on
// constant-parameter materials like the library's and at parameter extremes:
// sample/eval/pdf agree, eval is reciprocal, the directional albedo stays
// <= 1 + 1%, non-absorbing stacks pass the white furnace, and the sampler
// matches its pdf (chi-squared).
#include "shaders/shared/rng.h"
#include "tests/support/direction_chi2.h"
#include "tests/support/layered_cases.h"
#include "tests/support/layered_library.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace nerva::test {
namespace {

using shared::LayeredPoint;
using shared::LobeSample;
using shared::vec3;

shared::vec3 randomDirection(uint& rng) {
    const float z = shared::rngNext(rng);
    return layeredDirection(std::max(z, 0.02f), shared::kTwoPi * shared::rngNext(rng));
}

// uvs that put the flake cells in every state: with and without a flake,
// flakes tilted various ways.
const shared::vec2 kUvs[] = {{0.37f, 0.61f}, {0.1234f, 0.5678f}, {0.9f, 0.05f}, {0.5f, 0.5f}};

float maxRelDiff(vec3 a, vec3 b) {
    float m = 0.0f;
    for (int c = 0; c < 3; ++c)
        m = std::max(m, std::abs(a[c] - b[c]) / std::max({std::abs(a[c]), std::abs(b[c]), 1e-6f}));
    return m;
}

TEST(LayeredBsdf, SampleWeightIsEvalOverPdf) {
    for (const LayeredCase& c : layeredCases())
        for (shared::vec2 uv : kUvs) {
            SCOPED_TRACE(c.name);
            const LayeredPoint p = c.point(uv);
            const shared::AlbedoTables t = c.view().tables;
            uint rng = 7u;
            int valid = 0;
            for (int i = 0; i < 2000; ++i) {
                const vec3 wo = randomDirection(rng);
                const vec3 u(shared::rngNext(rng), shared::rngNext(rng), shared::rngNext(rng));
                const LobeSample s = shared::layeredSample(p, t, wo, u);
                if (!(s.pdf > 0.0f)) continue;
                ++valid;
                const float pdf = shared::layeredPdf(p, t, wo, s.wi);
                const vec3 f = shared::layeredEval(p, t, wo, s.wi);
                ASSERT_NEAR(pdf, s.pdf, 1e-4f * s.pdf);
                ASSERT_LE(maxRelDiff(s.weight, f / pdf), 1e-4f) << "wo " << wo.z;
                ASSERT_TRUE(std::isfinite(s.weight.x + s.weight.y + s.weight.z));
            }
            EXPECT_GT(valid, 1000);
        }
}

TEST(LayeredBsdf, EvalIsReciprocal) {
    for (const LayeredCase& c : layeredCases())
        for (shared::vec2 uv : kUvs) {
            SCOPED_TRACE(c.name);
            const LayeredPoint p = c.point(uv);
            const shared::AlbedoTables t = c.view().tables;
            uint rng = 11u;
            for (int i = 0; i < 2000; ++i) {
                const vec3 a = randomDirection(rng), b = randomDirection(rng);
                const vec3 fab = shared::layeredEval(p, t, a, b) / b.z;
                const vec3 fba = shared::layeredEval(p, t, b, a) / a.z;
                ASSERT_LE(maxRelDiff(fab, fba), 1e-3f) << "a.z " << a.z << " b.z " << b.z;
            }
        }
}

// Directional albedo at wo: the mean sample weight over n stratified samples.
vec3 albedo(const LayeredPoint& p, shared::AlbedoTables t, vec3 wo, int n) {
    vec3 sum(0.0f);
    uint rng = 1234u;
    const int side = int(std::sqrt(double(n)));
    for (int i = 0; i < side; ++i)
        for (int j = 0; j < side; ++j) {
            const vec3 u(shared::rngNext(rng), (float(i) + shared::rngNext(rng)) / float(side),
                         (float(j) + shared::rngNext(rng)) / float(side));
            sum += shared::layeredSample(p, t, wo, u).weight;
        }
    return sum / float(side * side);
}

TEST(LayeredBsdf, DirectionalAlbedoAtMostOneAndFurnace) {
    const float cosines[] = {1.0f, 0.8f, 0.5f, 0.3f, 0.15f, 0.05f};
    for (const LayeredCase& c : layeredCases()) {
        SCOPED_TRACE(c.name);
        float worst = 0.0f, furnaceLow = 2.0f;
        for (shared::vec2 uv : kUvs) {
            const LayeredPoint p = c.point(uv);
            for (float mu : cosines) {
                const vec3 a = albedo(p, c.view().tables, layeredDirection(mu, 0.3f), 40000);
                const float m = std::max({a.x, a.y, a.z});
                worst = std::max(worst, m);
                furnaceLow = std::min(furnaceLow, std::min({a.x, a.y, a.z}));
                EXPECT_LE(m, 1.01f) << "cos " << mu << " uv " << uv.x;
                if (c.whiteFurnace) {
                    EXPECT_GE(std::min({a.x, a.y, a.z}), 0.97f) << "cos " << mu;
                }
            }
        }
        std::printf("[layered albedo] %-62s max %.4f min %.4f\n", c.name.c_str(), worst,
                    furnaceLow);
    }
}

TEST(LayeredBsdf, SamplerMatchesPdf) {
    std::vector<LayeredCase> cases;
    for (LayeredCase& c : layeredCases())
        if (!c.peaked) cases.push_back(c);
    // The narrow cases again with every lobe widened to roughness >= 0.2.
    for (LayeredCase c : layeredCases())
        if (c.peaked) {
            using namespace shared;
            c.name += ", widened";
            for (uint32_t s : {kParamSpecularRoughness, kParamConductorRoughness,
                               kParamFlakeRoughness, kParamCoatRoughness, kParamSheenRoughness})
                c.record.params[s].value.x = std::max(c.record.params[s].value.x, 0.2f);
            cases.push_back(c);
        }
    const float cosines[] = {0.9f, 0.45f, 0.12f};
    const double alpha = sidakAlpha(0.01, int(cases.size() * std::size(cosines)));
    const int n = 100000;
    const DirectionBinning binning{20, 40};
    int index = 0;
    for (const LayeredCase& c : cases) {
        const LayeredPoint p = c.point(kUvs[1]);
        const shared::AlbedoTables t = c.view().tables;
        for (float mu : cosines) {
            SCOPED_TRACE(c.name);
            const vec3 wo = layeredDirection(mu, 0.7f);
            DirectionHistogram histogram(binning);
            for (int i = 0; i < n; ++i) {
                uint rng = shared::rngSeed(20261129u, uint(index), uint(i));
                const vec3 u(shared::rngNext(rng), shared::rngNext(rng), shared::rngNext(rng));
                const LobeSample s = shared::layeredSample(p, t, wo, u);
                if (s.pdf > 0.0f)
                    histogram.add(s.wi.x, s.wi.y, s.wi.z);
                else
                    histogram.addInvalid();
            }
            const std::vector<double> probs = binProbabilities(
                binning,
                [&](double x, double y, double z) {
                    return double(shared::layeredPdf(p, t, wo, vec3(float(x), float(y), float(z))));
                },
                double(n));
            const Chi2Result r = directionChi2Test(histogram, probs);
            std::printf("[layered chi2] %-62s cos %.2f chi2 %8.2f dof %4d p %.4f\n", c.name.c_str(),
                        mu, r.statistic, r.dof, r.pValue);
            EXPECT_FALSE(r.rejected(alpha)) << "cos " << mu << "\n" << r.report;
            ++index;
        }
    }
}

} // namespace
} // namespace nerva::test


namespace nerva::test {
namespace {

// The library materials with their real textures (normal maps, coverage
// masks, flakes): the directional albedo stays <= 1 + 1% at random points.
TEST(LayeredBsdf, LibraryMaterialsConserveEnergy) {
    const LayeredLibrary lib = loadLayeredLibrary();
    ASSERT_GE(lib.names.size(), 5u);
    const shared::LayeredView v = lib.set.view();
    const float cosines[] = {1.0f, 0.5f, 0.2f, 0.05f};
    for (uint32_t m = 0; m < lib.names.size(); ++m) {
        float worst = 0.0f;
        for (uint32_t k = 0; k < 6; ++k) {
            uint rng = shared::rngSeed(99u, m, k);
            const shared::vec2 uv(shared::rngNext(rng), shared::rngNext(rng));
            const float footprint = k < 3 ? 0.0f : 1e-3f * float(k);
            shared::LayeredUv tc = shared::layeredUvFinest(uv);
            tc.footprint0 = tc.footprint1 = footprint;
            const LayeredPoint p = shared::layeredFetch(v, m, tc);
            for (float mu : cosines) {
                const vec3 a = albedo(p, v.tables, layeredDirection(mu, 1.1f), 22500);
                worst = std::max({worst, a.x, a.y, a.z});
                EXPECT_LE(std::max({a.x, a.y, a.z}), 1.01f)
                    << lib.names[m] << " uv " << uv.x << "," << uv.y << " cos " << mu;
            }
        }
        std::printf("[layered albedo] %-62s max %.4f\n", lib.names[m].c_str(), worst);
    }
}

} // namespace
} // namespace nerva::test
