// Sheen: the "Charlie" microfiber lobe of Estevez and Kulla 2017 ("Production
// Friendly Microfacet Sheen BRDF").
//   D(h)  = (2 + 1/r) sin(theta_h)^(1/r) / (2 pi),   r = sheen roughness in
//           (0, 1] (used as is, not squared, as in the paper; clamped to
//           kSheenMinRoughness, see there)
//   Lambda: the paper's fit, L(x) = a / (1 + b x^c) + d x + e with (a..e)
//           interpolated between its r = 0 and r = 1 rows by t = (1 - r)^2,
//           Lambda(mu) = exp(L(mu)) for mu < 1/2, exp(2 L(1/2) - L(1 - mu))
//           otherwise
//   f cos = color D(h) / (4 wo.z (1 + Lambda(wo.z) + Lambda(wi.z)))
// (height-correlated Smith; no Fresnel). The paper's "terminator softening"
// of Lambda(wi) is left out: it would break reciprocity.
//
// Sampling is uniform over the hemisphere (pdf 1 / (2 pi)): the lobe is
// broad and strongest towards grazing directions, where cosine sampling
// would put weights proportional to 1 / wi.z.
#ifndef NERVA_SHARED_LOBES_SHEEN_H
#define NERVA_SHARED_LOBES_SHEEN_H

#include "lobe_sample.h"

NERVA_SHARED_BEGIN

// Below this roughness the Lambda fit no longer matches D: the albedo at
// grazing wo exceeds 1 (1.09 at r = 0.05, 2.1 at r = 0.01; tested <= 1 at
// and above it).
NERVA_CONST float kSheenMinRoughness = 0.07f;

struct SheenLobe {
    vec3 color;
    float roughness;
};

NERVA_FN float sheenRoughness(SheenLobe l) {
    return clamp(l.roughness, kSheenMinRoughness, 1.0f);
}

NERVA_FN float sheenD(float cosThetaH, float r) {
    float sin2 = max(1.0f - cosThetaH * cosThetaH, 0.0f);
    return (2.0f + 1.0f / r) * pow(sin2, 0.5f / r) * (0.5f * kInvPi);
}

NERVA_FN float sheenL(float x, float r) {
    float t = sqr(1.0f - r);
    float a = mix(21.5473f, 25.3245f, t);
    float b = mix(3.82987f, 3.32435f, t);
    float c = mix(0.19823f, 0.16801f, t);
    float d = mix(-1.97760f, -1.27393f, t);
    float e = mix(-4.32054f, -4.85967f, t);
    return a / (1.0f + b * pow(max(x, 0.0f), c)) + d * x + e;
}

NERVA_FN float sheenLambda(float cosTheta, float r) {
    float mu = clamp(cosTheta, 0.0f, 1.0f);
    if (mu < 0.5f) return exp(sheenL(mu, r));
    return exp(2.0f * sheenL(0.5f, r) - sheenL(1.0f - mu, r));
}

NERVA_FN vec3 sheenEval(SheenLobe l, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return vec3(0.0f);
    float r = sheenRoughness(l);
    vec3 h = normalize(wo + wi);
    float g = 1.0f / (1.0f + sheenLambda(wo.z, r) + sheenLambda(wi.z, r));
    return l.color * (sheenD(h.z, r) * g / (4.0f * wo.z));
}

// Uniform hemisphere: independent of the lobe's parameters.
NERVA_FN float sheenPdf(vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return 0.0f;
    return 0.5f * kInvPi;
}

NERVA_FN LobeSample sheenSample(SheenLobe l, vec3 wo, vec2 u) {
    LobeSample s = lobeSampleNone();
    if (wo.z <= 0.0f) return s;
    float z = 1.0f - u.x; // (0, 1]
    float rr = sqrt(max(0.0f, 1.0f - z * z));
    float phi = kTwoPi * u.y;
    s.wi = vec3(rr * cos(phi), rr * sin(phi), z);
    s.pdf = 0.5f * kInvPi;
    s.weight = sheenEval(l, wo, s.wi) * kTwoPi;
    return s;
}

NERVA_SHARED_END

#endif
