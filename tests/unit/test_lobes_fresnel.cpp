// Fresnel terms (shaders/shared/lobes/fresnel.h) and GGX normalisation
// (shaders/shared/lobes/ggx_aniso.h), C++ builds.
#include "shaders/shared/lobes/fresnel.h"
#include "shaders/shared/lobes/ggx_aniso.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nerva::shared {
namespace {

TEST(LobesFresnel, DielectricKnownValues) {
    EXPECT_NEAR(fresnelDielectric(1.0f, 1.5f), 0.04f, 1e-6f);
    EXPECT_NEAR(fresnelDielectric(1.0f, 1.0f / 1.5f), 0.04f, 1e-6f); // same from inside
    EXPECT_NEAR(fresnelDielectric(1.0f, 1.0f), 0.0f, 1e-7f);
    EXPECT_NEAR(f0FromIor(1.5f), 0.04f, 1e-7f);
    EXPECT_NEAR(iorFromF0(0.04f), 1.5f, 1e-5f);
    // Brewster's angle (tan = 1.5): the p-polarised part vanishes, F = Rs^2 / 2.
    const float cosBrewster = 1.0f / std::sqrt(1.0f + 1.5f * 1.5f);
    EXPECT_NEAR(fresnelDielectric(cosBrewster, 1.5f), 0.07396f, 2e-5f);
    // Grazing incidence reflects everything.
    EXPECT_NEAR(fresnelDielectric(0.0f, 1.5f), 1.0f, 1e-6f);
}

TEST(LobesFresnel, DielectricTotalInternalReflection) {
    const float eta = 1.0f / 1.5f;
    const float cosCritical = std::sqrt(1.0f - eta * eta); // 0.745
    EXPECT_EQ(fresnelDielectric(cosCritical - 1e-3f, eta), 1.0f);
    EXPECT_EQ(fresnelDielectric(0.3f, eta), 1.0f);
    EXPECT_LT(fresnelDielectric(cosCritical + 0.02f, eta), 1.0f);
    EXPECT_LT(fresnelDielectric(0.9f, eta), 0.1f);
}

TEST(LobesFresnel, DielectricIsTheSameFromBothSides) {
    // Stokes relations: the reflectance of a ray and of its refracted
    // counterpart travelling back are equal.
    for (float eta : {1.33f, 1.5f, 2.4f})
        for (float ci = 0.05f; ci <= 1.0f; ci += 0.05f) {
            const float ct = std::sqrt(1.0f - (1.0f - ci * ci) / (eta * eta));
            EXPECT_NEAR(fresnelDielectric(ci, eta), fresnelDielectric(ct, 1.0f / eta), 1e-5f)
                << "eta " << eta << " cos " << ci;
        }
}

TEST(LobesFresnel, SchlickEnds) {
    const vec3 f0(0.04f, 0.5f, 0.9f);
    const vec3 a = fresnelSchlick(f0, 1.0f), b = fresnelSchlick(f0, 0.0f);
    for (int c = 0; c < 3; ++c) {
        EXPECT_NEAR(a[c], f0[c], 1e-7f);
        EXPECT_NEAR(b[c], 1.0f, 1e-7f);
    }
    EXPECT_NEAR(fresnelSchlickScalar(0.04f, 0.5f), 0.04f + 0.96f / 32.0f, 1e-7f);
}

TEST(LobesFresnel, F82TintReproducesF0AndTint) {
    const vec3 f0s[] = {vec3(1.0f, 0.78f, 0.34f), vec3(0.95f, 0.64f, 0.54f),
                        vec3(0.56f, 0.57f, 0.58f), vec3(0.04f)};
    const vec3 tints[] = {vec3(1.0f), vec3(0.9f, 0.8f, 0.7f), vec3(0.2f, 0.5f, 1.0f), vec3(0.0f)};
    for (const vec3& f0 : f0s)
        for (const vec3& tint : tints) {
            const vec3 atNormal = fresnelF82Tint(f0, tint, 1.0f);
            const vec3 at82 = fresnelF82Tint(f0, tint, kF82CosTheta);
            const vec3 schlick82 = fresnelSchlick(f0, kF82CosTheta);
            const vec3 atGrazing = fresnelF82Tint(f0, tint, 0.0f);
            for (int c = 0; c < 3; ++c) {
                EXPECT_NEAR(atNormal[c], f0[c], 1e-6f);
                EXPECT_NEAR(at82[c], tint[c] * schlick82[c], 1e-5f);
                EXPECT_NEAR(atGrazing[c], 1.0f, 1e-6f);
            }
            // Within [0, 1] everywhere; tint 1 is plain Schlick.
            for (float mu = 0.0f; mu <= 1.0f; mu += 0.01f) {
                const vec3 f = fresnelF82Tint(f0, tint, mu);
                const vec3 s = fresnelSchlick(f0, mu);
                const vec3 plain = fresnelF82Tint(f0, vec3(1.0f), mu);
                for (int c = 0; c < 3; ++c) {
                    EXPECT_GE(f[c], 0.0f);
                    EXPECT_LE(f[c], 1.0f);
                    EXPECT_NEAR(plain[c], s[c], 1e-6f);
                }
            }
        }
    // 1/7 is the cosine of 81.79 degrees: at 82 degrees itself the tint is
    // reproduced to within 0.2 %.
    const float cos82 = std::cos(82.0f * kPi / 180.0f);
    const vec3 f0(0.9f, 0.6f, 0.3f), tint(0.7f, 0.8f, 0.9f);
    const vec3 f = fresnelF82Tint(f0, tint, cos82), s = fresnelSchlick(f0, cos82);
    for (int c = 0; c < 3; ++c)
        EXPECT_NEAR(f[c] / (tint[c] * s[c]), 1.0f, 2e-3f);
}

// Stratified midpoint quadrature over the hemisphere in (cos theta, phi).
template <typename F> double hemisphereIntegral(int n, const F& f) {
    double sum = 0.0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < 4 * n; ++j) {
            const float z = (float(i) + 0.5f) / float(n);
            const float phi = kTwoPi * (float(j) + 0.5f) / float(4 * n);
            const float s = std::sqrt(1.0f - z * z);
            sum += double(f(vec3(s * std::cos(phi), s * std::sin(phi), z)));
        }
    return sum * double(kTwoPi) / (4.0 * n * n);
}

TEST(LobesGgx, AnisotropicDistributionIsNormalised) {
    // Projected microfacet area is 1, and every view direction sees a total
    // visible-normal density of 1 (checks Lambda against D).
    for (vec2 alpha : {vec2(0.3f, 0.3f), vec2(0.6f, 0.25f), vec2(0.9f, 0.4f)}) {
        EXPECT_NEAR(hemisphereIntegral(400, [&](vec3 h) { return ggxAnisoD(h, alpha) * h.z; }), 1.0,
                    2e-3)
            << alpha.x << " " << alpha.y;
        for (float c : {1.0f, 0.6f, 0.2f}) {
            const vec3 wo(std::sqrt(1.0f - c * c) * 0.6f, std::sqrt(1.0f - c * c) * 0.8f, c);
            EXPECT_NEAR(hemisphereIntegral(
                            400, [&](vec3 h) { return ggxAnisoVisibleNormalPdf(wo, h, alpha); }),
                        1.0, 3e-3)
                << alpha.x << " " << alpha.y << " cos " << c;
        }
    }
}

TEST(LobesGgx, AnisotropyMapping) {
    const vec2 iso = ggxAnisoAlpha(0.5f, 0.0f);
    EXPECT_NEAR(iso.x, 0.25f, 1e-7f);
    EXPECT_NEAR(iso.y, 0.25f, 1e-7f);
    const vec2 aniso = ggxAnisoAlpha(0.5f, 0.8f);
    EXPECT_GT(aniso.x, aniso.y);
    EXPECT_NEAR(aniso.y / aniso.x, 0.2f, 1e-6f);
    const vec2 smooth = ggxAnisoAlpha(0.0f, 0.9f);
    EXPECT_EQ(smooth.x, kLobeMinAlpha);
    EXPECT_EQ(smooth.y, kLobeMinAlpha);
}

} // namespace
} // namespace nerva::shared
