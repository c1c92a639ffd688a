// The glTF metallic-roughness BSDF from shaders/shared, compiled as C++:
// sample() agrees with eval()/pdf(), pdf() integrates to one, eval() is
// reciprocal and never creates energy beyond the model's known bound.
#include "shaders/shared/bsdf_gltf.h"
#include "shaders/shared/rng.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nerva::shared {
namespace {

struct Params {
    float roughness, metallic;
    vec3 base;
};
const Params kCases[] = {
    {0.05f, 0.0f, vec3(0.8f, 0.2f, 0.2f)},
    {0.3f, 0.0f, vec3(0.5f)},
    {0.7f, 1.0f, vec3(1.0f, 0.8f, 0.4f)},
    {1.0f, 0.0f, vec3(0.9f)},
    {0.2f, 1.0f, vec3(0.9f)},
    {0.5f, 0.5f, vec3(0.3f, 0.6f, 0.9f)},
};

GltfBsdf make(const Params& p) {
    GltfBsdf m;
    m.baseColor = p.base;
    m.metallic = p.metallic;
    m.roughness = p.roughness;
    m.specular = 1.0f;
    return m;
}

vec3 directionAt(float cosTheta, float phi) {
    float s = std::sqrt(std::max(0.0f, 1.0f - cosTheta * cosTheta));
    return vec3(s * std::cos(phi), s * std::sin(phi), cosTheta);
}

TEST(GltfBsdf, SampleWeightEqualsEvalOverPdf) {
    uint rng = 7;
    for (const Params& p : kCases) {
        const GltfBsdf m = make(p);
        for (int i = 0; i < 2000; ++i) {
            const vec3 wo = directionAt(0.05f + 0.95f * rngNext(rng), kTwoPi * rngNext(rng));
            const BsdfSample s = gltfSample(m, wo, vec3(rngNext(rng), rngNext(rng), rngNext(rng)));
            if (s.pdf <= 0.0f) continue;
            EXPECT_NEAR(s.pdf, gltfPdf(m, wo, s.wi), 1e-3f * s.pdf);
            const vec3 expected = gltfEval(m, wo, s.wi) / s.pdf;
            for (int c = 0; c < 3; ++c)
                EXPECT_NEAR(s.weight[c], expected[c], 1e-4f * (1.0f + expected[c]));
        }
    }
}

TEST(GltfBsdf, PdfIntegratesToAtMostOneAndNearOneForRoughLobes) {
    // Stratified quadrature over the hemisphere in (cos theta, phi).
    for (const Params& p : kCases) {
        if (p.roughness < 0.25f) continue; // needle-like lobes need far more samples
        const GltfBsdf m = make(p);
        for (float cosO : {0.2f, 0.6f, 0.95f}) {
            const vec3 wo = directionAt(cosO, 0.3f);
            const int n = 400;
            double sum = 0.0;
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    const float ct = (i + 0.5f) / n, phi = kTwoPi * (j + 0.5f) / n;
                    sum += gltfPdf(m, wo, directionAt(ct, phi)) * (1.0 / n) * (kTwoPi / n);
                }
            // Reflections of sampled microfacet normals can fall below the
            // horizon and are discarded, so the integral may sit below one:
            // for GGX at normal incidence P(theta_h > 45 deg) = a^2/(a^2+1),
            // 19% for roughness 0.7 (alpha 0.49).
            EXPECT_LE(sum, 1.01) << "roughness " << p.roughness << " cosO " << cosO;
            EXPECT_GE(sum, 0.75) << "roughness " << p.roughness << " cosO " << cosO;
        }
    }
}

TEST(GltfBsdf, EvalIsReciprocal) {
    uint rng = 11;
    for (const Params& p : kCases) {
        const GltfBsdf m = make(p);
        for (int i = 0; i < 500; ++i) {
            const vec3 a = directionAt(0.05f + 0.95f * rngNext(rng), kTwoPi * rngNext(rng));
            const vec3 b = directionAt(0.05f + 0.95f * rngNext(rng), kTwoPi * rngNext(rng));
            // eval returns f*cos(wi): divide the cosines out before comparing f.
            const vec3 fab = gltfEval(m, a, b) / b.z;
            const vec3 fba = gltfEval(m, b, a) / a.z;
            for (int c = 0; c < 3; ++c)
                EXPECT_NEAR(fab[c], fba[c], 1e-4f * (1.0f + fab[c]));
        }
    }
}

TEST(GltfBsdf, DirectionalAlbedoStaysBelowOne) {
    // Monte Carlo estimate of the reflected fraction for white base colour.
    uint rng = 3;
    for (const Params& p : kCases) {
        GltfBsdf m = make(p);
        m.baseColor = vec3(1.0f);
        for (float cosO : {0.1f, 0.5f, 1.0f}) {
            const vec3 wo = directionAt(cosO, 0.0f);
            double sum = 0.0;
            const int n = 20000;
            for (int i = 0; i < n; ++i) {
                const BsdfSample s =
                    gltfSample(m, wo, vec3(rngNext(rng), rngNext(rng), rngNext(rng)));
                sum += s.weight.x;
            }
            EXPECT_LE(sum / n, 1.02) << "roughness " << p.roughness << " metallic " << p.metallic;
        }
    }
}

TEST(GltfBsdf, ZeroSpecularIsLambert) {
    GltfBsdf m = make(kCases[1]);
    m.specular = 0.0f;
    m.metallic = 0.0f;
    const vec3 wo = directionAt(0.3f, 0.1f), wi = directionAt(0.7f, 2.0f);
    const vec3 f = gltfEval(m, wo, wi);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(f[c], m.baseColor[c] * kInvPi * wi.z, 1e-6f);
    EXPECT_NEAR(gltfPdf(m, wo, wi), wi.z * kInvPi, 1e-6f);
}

TEST(GltfBsdf, BelowHorizonIsBlack) {
    const GltfBsdf m = make(kCases[1]);
    EXPECT_EQ(gltfEval(m, vec3(0, 0, 1), vec3(0, 0.6f, -0.8f)), vec3(0.0f));
    EXPECT_EQ(gltfPdf(m, vec3(0, 0.6f, -0.8f), vec3(0, 0, 1)), 0.0f);
}

TEST(Rng, IsUniformAndDeterministic) {
    uint a = rngSeed(1, 2, 3), b = rngSeed(1, 2, 3);
    int bins[10] = {};
    for (int i = 0; i < 100000; ++i) {
        const float x = rngNext(a);
        ASSERT_EQ(x, rngNext(b));
        ASSERT_GE(x, 0.0f);
        ASSERT_LT(x, 1.0f);
        ++bins[int(x * 10)];
    }
    for (int c : bins)
        EXPECT_NEAR(c, 10000, 500);
    EXPECT_NE(rngSeed(1, 2, 3), rngSeed(1, 2, 4));
}

} // namespace
} // namespace nerva::shared

namespace nerva::shared {
namespace {
TEST(GltfBsdf, PdfIntegralMatchesFractionOfValidSamples) {
    // Independent of the quadrature: the share of sample() calls that return
    // a direction above the horizon must equal the integral of pdf().
    uint rng = 5;
    for (const Params& p : kCases) {
        if (p.roughness < 0.25f) continue;
        const GltfBsdf m = make(p);
        const vec3 wo = directionAt(0.6f, 0.3f);
        int valid = 0;
        const int n = 200000;
        for (int i = 0; i < n; ++i)
            valid += gltfSample(m, wo, vec3(rngNext(rng), rngNext(rng), rngNext(rng))).pdf > 0.0f;
        const int q = 400;
        double sum = 0.0;
        for (int i = 0; i < q; ++i)
            for (int j = 0; j < q; ++j)
                sum += gltfPdf(m, wo, directionAt((i + 0.5f) / q, kTwoPi * (j + 0.5f) / q)) *
                       (kTwoPi / q / q);
        EXPECT_NEAR(sum, double(valid) / n, 0.01) << "roughness " << p.roughness;
    }
}
} // namespace
} // namespace nerva::shared
