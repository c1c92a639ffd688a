// Anisotropic GGX (Trowbridge-Reitz) microfacets and the conductor lobe.
//
// alpha = (alpha_x, alpha_y): roughness along the tangent (+x) and the
// bitangent (+y) of the local frame.
//   D(h)      = 1 / (pi ax ay (hx^2/ax^2 + hy^2/ay^2 + hz^2)^2)
//   Lambda(w) = (-1 + sqrt(1 + (ax^2 wx^2 + ay^2 wy^2) / wz^2)) / 2
//   G1(w)     = 1 / (1 + Lambda(w))
//   G2(o, i)  = 1 / (1 + Lambda(o) + Lambda(i))      (height-correlated Smith)
// Visible normals are sampled with the spherical-cap construction (Dupuy and
// Benyoub 2023): in the stretched configuration (alpha = 1) the visible
// normals of a view direction v are v plus a uniform point on the unit
// sphere's cap z > -v.z, then unstretched. Its density is
//   D_wo(h) = G1(wo) max(0, wo.h) D(h) / wo.z,
// so reflecting wo about h gives pdf(wi) = D_wo(h) / (4 wo.h)
//   = G1(wo) D(h) / (4 wo.z)                           (ggxAnisoReflectionPdf).
//
// ggxAnisoAlpha maps a perceptual roughness r and an anisotropy a in [0, 1)
// to alphas as OpenPBR does: alpha = r^2, ax = alpha sqrt(2 / (1 + (1 - a)^2)),
// ay = (1 - a) ax (so ax ay = alpha^2 (1 - a) 2 / (1 + (1 - a)^2); a = 0 is
// isotropic); both clamped to kLobeMinAlpha.
//
// ConductorLobe: f cos = F82Tint(wo.h) D(h) G2 / (4 wo.z); the sample weight
// is F G2 / G1(wo) in closed form (tests check it equals eval / pdf).
#ifndef NERVA_SHARED_LOBES_GGX_ANISO_H
#define NERVA_SHARED_LOBES_GGX_ANISO_H

#include "fresnel.h"
#include "lobe_sample.h"

NERVA_SHARED_BEGIN

NERVA_FN vec2 ggxAnisoAlpha(float roughness, float anisotropy) {
    float alpha = roughness * roughness;
    float k = 1.0f - clamp(anisotropy, 0.0f, 1.0f);
    float ax = alpha * sqrt(2.0f / (1.0f + k * k));
    return max(vec2(ax, k * ax), vec2(kLobeMinAlpha));
}

NERVA_FN float ggxAnisoD(vec3 h, vec2 alpha) {
    if (h.z <= 0.0f) return 0.0f;
    float x = h.x / alpha.x;
    float y = h.y / alpha.y;
    float d = x * x + y * y + h.z * h.z;
    return 1.0f / (kPi * alpha.x * alpha.y * d * d);
}

NERVA_FN float ggxAnisoLambda(vec3 w, vec2 alpha) {
    float z2 = max(w.z * w.z, 1e-12f);
    float t = (sqr(alpha.x * w.x) + sqr(alpha.y * w.y)) / z2;
    return 0.5f * (-1.0f + sqrt(1.0f + t));
}
NERVA_FN float ggxAnisoG1(vec3 w, vec2 alpha) {
    return 1.0f / (1.0f + ggxAnisoLambda(w, alpha));
}
NERVA_FN float ggxAnisoG2(vec3 wo, vec3 wi, vec2 alpha) {
    return 1.0f / (1.0f + ggxAnisoLambda(wo, alpha) + ggxAnisoLambda(wi, alpha));
}

// A visible microfacet normal for wo (wo.z > 0), u in [0, 1)^2.
NERVA_FN vec3 ggxAnisoSampleVisibleNormal(vec3 wo, vec2 alpha, vec2 u) {
    vec3 v = normalize(vec3(alpha.x * wo.x, alpha.y * wo.y, wo.z));
    float phi = kTwoPi * u.x;
    float z = (1.0f - u.y) * (1.0f + v.z) - v.z;
    float s = sqrt(clamp(1.0f - z * z, 0.0f, 1.0f));
    vec3 hs = vec3(s * cos(phi), s * sin(phi), z) + v;
    return normalize(vec3(alpha.x * hs.x, alpha.y * hs.y, max(hs.z, 1e-7f)));
}

// Density of the visible normal h for wo.
NERVA_FN float ggxAnisoVisibleNormalPdf(vec3 wo, vec3 h, vec2 alpha) {
    if (wo.z <= 0.0f) return 0.0f;
    return ggxAnisoG1(wo, alpha) * max(dot(wo, h), 0.0f) * ggxAnisoD(h, alpha) / wo.z;
}

// pdf of wi = reflect(-wo, h) when h is a visible normal of wo.
NERVA_FN float ggxAnisoReflectionPdf(vec3 wo, vec3 wi, vec2 alpha) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return 0.0f;
    vec3 h = normalize(wo + wi);
    return ggxAnisoG1(wo, alpha) * ggxAnisoD(h, alpha) / (4.0f * wo.z);
}

// Samples wi by reflecting wo about a visible normal; pdf 0 when wi falls
// below the horizon. The caller fills the weight.
NERVA_FN LobeSample ggxAnisoSampleReflection(vec3 wo, vec2 alpha, vec2 u) {
    LobeSample s = lobeSampleNone();
    if (wo.z <= 0.0f) return s;
    vec3 h = ggxAnisoSampleVisibleNormal(wo, alpha, u);
    vec3 wi = reflect(-wo, h);
    if (wi.z <= 0.0f) return s;
    s.wi = wi;
    s.pdf = ggxAnisoReflectionPdf(wo, wi, alpha);
    if (!(s.pdf > 0.0f)) s.pdf = 0.0f;
    return s;
}

// The Fresnel-free parts shared by every GGX reflection lobe: the BRDF
// times cos(theta_i) is F * ggxAnisoReflectionNoFresnel, and a sample from
// ggxAnisoSampleReflection weighs F * ggxAnisoSampleWeightNoFresnel (= G2/G1).
NERVA_FN float ggxAnisoReflectionNoFresnel(vec3 wo, vec3 wi, vec3 h, vec2 alpha) {
    return ggxAnisoD(h, alpha) * ggxAnisoG2(wo, wi, alpha) / (4.0f * wo.z);
}
NERVA_FN float ggxAnisoSampleWeightNoFresnel(vec3 wo, vec3 wi, vec2 alpha) {
    return ggxAnisoG2(wo, wi, alpha) / ggxAnisoG1(wo, alpha);
}

// ---------------------------------------------------------------------------
// Conductor: anisotropic GGX with F82-tint Fresnel.

struct ConductorLobe {
    vec3 f0;      // reflectance at normal incidence
    vec3 f82Tint; // multiplies the Schlick reflectance at about 82 degrees
    vec2 alpha;   // (alpha_x, alpha_y), see ggxAnisoAlpha
};

NERVA_FN vec3 conductorEval(ConductorLobe l, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return vec3(0.0f);
    vec3 h = normalize(wo + wi);
    return fresnelF82Tint(l.f0, l.f82Tint, dot(wo, h)) *
           ggxAnisoReflectionNoFresnel(wo, wi, h, l.alpha);
}

NERVA_FN float conductorPdf(ConductorLobe l, vec3 wo, vec3 wi) {
    return ggxAnisoReflectionPdf(wo, wi, l.alpha);
}

NERVA_FN LobeSample conductorSample(ConductorLobe l, vec3 wo, vec2 u) {
    LobeSample s = ggxAnisoSampleReflection(wo, l.alpha, u);
    if (s.pdf > 0.0f) {
        vec3 h = normalize(wo + s.wi);
        s.weight = fresnelF82Tint(l.f0, l.f82Tint, dot(wo, h)) *
                   ggxAnisoSampleWeightNoFresnel(wo, s.wi, l.alpha);
    }
    return s;
}

NERVA_SHARED_END

#endif
