// Properties of every lobe of shaders/shared/lobes (C++ builds): sample()'s
// pdf equals pdf() and its weight equals eval / pdf; eval is reciprocal; the
// directional albedo of white lobes stays <= 1 (+1 %) for every view
// direction at the extremes of the parameters.
#include "shaders/shared/rng.h"
#include "tests/support/lobe_cases.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace nerva::test {
namespace {

using shared::vec2;
using shared::vec3;

bool closeRel(double a, double b, double rel, double absTol) {
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + absTol;
}

const float kWoCos[] = {1.0f, 0.7f, 0.3f, 0.1f, 0.02f};

TEST(LobesProperties, SampleWeightIsEvalOverPdfAndPdfMatches) {
    for (const LobeCase& c : lobeCases())
        for (float cosTheta : kWoCos) {
            SCOPED_TRACE(c.name + " wo cos " + std::to_string(cosTheta));
            const vec3 wo = lobeDirection(cosTheta, 0.9f);
            int valid = 0;
            for (uint i = 0; i < 2000u; ++i) {
                uint rng = shared::rngSeed(77u, uint(cosTheta * 1000.0f), i);
                const float u0 = shared::rngNext(rng);
                const float u1 = shared::rngNext(rng);
                const shared::LobeSample s = c.sample(wo, vec2(u0, u1));
                if (!(s.pdf > 0.0f)) {
                    EXPECT_EQ(s.weight, vec3(0.0f));
                    continue;
                }
                ++valid;
                ASSERT_GT(s.wi.z, 0.0f);
                ASSERT_NEAR(glm::length(s.wi), 1.0f, 1e-5f);
                const float pdf = c.pdf(wo, s.wi);
                ASSERT_TRUE(closeRel(s.pdf, pdf, 1e-4, 1e-7)) << s.pdf << " vs " << pdf;
                const vec3 f = c.eval(wo, s.wi);
                for (int k = 0; k < 3; ++k)
                    ASSERT_TRUE(closeRel(s.weight[k], f[k] / pdf, 2e-4, 1e-6))
                        << "channel " << k << ": weight " << s.weight[k] << ", eval/pdf "
                        << f[k] / pdf;
            }
            EXPECT_GT(valid, 0);
        }
}

TEST(LobesProperties, EvalIsReciprocal) {
    for (const LobeCase& c : lobeCases()) {
        SCOPED_TRACE(c.name);
        for (uint i = 0; i < 4000u; ++i) {
            uint rng = shared::rngSeed(91u, 0u, i);
            const float c0 = std::max(shared::rngNext(rng), 1e-3f);
            const float c1 = std::max(shared::rngNext(rng), 1e-3f);
            const vec3 wo = lobeDirection(c0, shared::kTwoPi * shared::rngNext(rng));
            const vec3 wi = lobeDirection(c1, shared::kTwoPi * shared::rngNext(rng));
            // f(wo, wi) = f(wi, wo); eval carries cos(theta_i).
            const vec3 a = c.eval(wo, wi) / wi.z;
            const vec3 b = c.eval(wi, wo) / wo.z;
            for (int k = 0; k < 3; ++k)
                ASSERT_TRUE(closeRel(a[k], b[k], 1e-4, 1e-7))
                    << "wo " << wo.x << " " << wo.y << " " << wo.z << ", wi " << wi.x << " " << wi.y
                    << " " << wi.z << ": " << a[k] << " vs " << b[k];
        }
    }
}

TEST(LobesProperties, DirectionalAlbedoAtMostOne) {
    // Stratified (jittered 128 x 128) estimate of the albedo as the mean
    // sample weight; conductor and dielectric weights are <= 1 per sample,
    // the others are averaged finely enough that 1 % covers the noise.
    const int m = 128;
    for (const LobeCase& c : lobeExtremeCases())
        for (float cosTheta : {1.0f, 0.7f, 0.3f, 0.1f, 0.02f, 0.002f}) {
            const vec3 wo = lobeDirection(cosTheta, 0.4f);
            vec3 sum(0.0f);
            double sumMax = 0.0;
            for (int i = 0; i < m; ++i)
                for (int j = 0; j < m; ++j) {
                    uint rng = shared::rngSeed(5u, uint(i), uint(j));
                    const vec2 u((float(i) + shared::rngNext(rng)) / m,
                                 (float(j) + shared::rngNext(rng)) / m);
                    const shared::LobeSample s = c.sample(wo, u);
                    sum += s.weight;
                    sumMax += std::max({s.weight.x, s.weight.y, s.weight.z});
                }
            const double albedo = sumMax / (m * m);
            EXPECT_LE(albedo, 1.01) << c.name << " wo cos " << cosTheta;
            EXPECT_GE(std::min({sum.x, sum.y, sum.z}), 0.0f) << c.name;
        }
}

} // namespace
} // namespace nerva::test
