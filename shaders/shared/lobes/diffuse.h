// Diffuse base lobes: Lambert and Oren-Nayar, both cosine-sampled (their
// pdf is diffusePdf).
//
// Oren-Nayar is Fujii's "qualitative" form (FON, Fujii 2013, the model the
// energy-preserving EON of Portsmouth et al. 2024 starts from):
//   f = rho / pi (1 + sigma s / t) / (1 + (pi / 2 - 2 / 3) sigma)
//   s = wo.wi - wo.z wi.z   (= sin(theta_o) sin(theta_i) cos(phi_o - phi_i))
//   t = max(wo.z, wi.z) when s > 0, else 1
// with sigma in [0, 1] (0: Lambert). Symmetric in wo and wi (reciprocal), no
// trigonometry. It loses some energy at high sigma (albedo < 1, tested
// <= 1); the multiple-scattering compensation of EON is not included, the
// layer stack may add it later with the albedo tables.
#ifndef NERVA_SHARED_LOBES_DIFFUSE_H
#define NERVA_SHARED_LOBES_DIFFUSE_H

#include "lobe_sample.h"

NERVA_SHARED_BEGIN

NERVA_FN vec3 lambertEval(vec3 albedo, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return vec3(0.0f);
    return albedo * (kInvPi * wi.z);
}

NERVA_FN float diffusePdf(vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return 0.0f;
    return wi.z * kInvPi;
}

NERVA_FN LobeSample lambertSample(vec3 albedo, vec3 wo, vec2 u) {
    LobeSample s = lobeSampleNone();
    if (wo.z <= 0.0f) return s;
    vec3 wi = sampleCosineHemisphere(u);
    if (wi.z <= 0.0f) return s;
    s.wi = wi;
    s.pdf = wi.z * kInvPi;
    s.weight = albedo;
    return s;
}

struct OrenNayarLobe {
    vec3 albedo;
    float sigma; // roughness in [0, 1]
};

// f / (rho / pi): the bracket of the FON model.
NERVA_FN float orenNayarFactor(float sigma, vec3 wo, vec3 wi) {
    float s = dot(wo, wi) - wo.z * wi.z;
    float t = s > 0.0f ? max(wo.z, wi.z) : 1.0f;
    return (1.0f + sigma * s / t) / (1.0f + (0.5f * kPi - 2.0f / 3.0f) * sigma);
}

NERVA_FN vec3 orenNayarEval(OrenNayarLobe l, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return vec3(0.0f);
    return l.albedo * (kInvPi * wi.z * orenNayarFactor(l.sigma, wo, wi));
}

NERVA_FN LobeSample orenNayarSample(OrenNayarLobe l, vec3 wo, vec2 u) {
    LobeSample s = lambertSample(l.albedo, wo, u);
    if (s.pdf > 0.0f) s.weight = l.albedo * orenNayarFactor(l.sigma, wo, s.wi);
    return s;
}

NERVA_SHARED_END

#endif
