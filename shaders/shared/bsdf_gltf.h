// glTF 2.0 metallic-roughness BSDF: a GGX specular lobe (Smith
// height-correlated masking, Schlick Fresnel on the microfacet normal,
// dielectric F0 = 0.04, metals tinted by baseColor) over a Lambert base.
//
// Departure from the spec's Appendix B on purpose: Appendix B weights the
// diffuse lobe by (1 - F(wo.h)), which reflects up to ~1.5x the incident
// energy at grazing angles for smooth dielectrics. Here the diffuse lobe is
// weighted by (1 - F(n.wo)) (1 - F(n.wi)): still reciprocal, and the
// directional albedo stays <= 1 (tested in tests/unit/test_bsdf_gltf.cpp).
//
// Returns f * cos(theta_i) ("fcos") everywhere so callers never divide by
// cosines.
//
// Sampling picks the specular lobe with a probability from the Fresnel weight
// at wo and the diffuse lobe otherwise; pdf() is the mixture pdf, so
// sample()'s weight equals eval()/pdf() exactly (tested).
#ifndef NERVA_SHARED_BSDF_GLTF_H
#define NERVA_SHARED_BSDF_GLTF_H

#include "sampling.h"

NERVA_SHARED_BEGIN

struct GltfBsdf {
    vec3 baseColor;
    float metallic;
    float roughness; // perceptual; alpha = roughness^2
    float specular;  // KHR_materials_specular weight of the dielectric lobe (default 1;
                     // 0 leaves a pure Lambert base)
};

NERVA_CONST float kMinGgxAlpha = 1e-3f;

NERVA_FN float gltfAlpha(GltfBsdf m) {
    return max(m.roughness * m.roughness, kMinGgxAlpha);
}
NERVA_FN vec3 schlick(vec3 f0, float cosTheta) {
    float k = pow(1.0f - saturate(cosTheta), 5.0f);
    return f0 + (vec3(1.0f) - f0) * k;
}
// Fresnel of the mixed material: the dielectric's (F0 = 0.04, scaled by the
// specular weight as KHR_materials_specular does) and the metal's (F0 =
// baseColor), mixed by metallic.
NERVA_FN vec3 gltfFresnel(GltfBsdf m, float cosTheta) {
    return mix(m.specular * schlick(vec3(0.04f), cosTheta), schlick(m.baseColor, cosTheta),
               m.metallic);
}

// Probability of sampling the specular lobe, a function of wo only.
NERVA_FN float gltfSpecularProbability(GltfBsdf m, vec3 wo) {
    vec3 f = gltfFresnel(m, wo.z);
    float spec = luminance(f);
    float diff = luminance(m.baseColor * (1.0f - m.metallic) * (vec3(1.0f) - f));
    float total = spec + diff;
    return total > 0.0f ? clamp(spec / total, 0.0f, 1.0f) : 0.5f;
}

// f * cos(theta_i) for local directions wo, wi (z = shading normal).
NERVA_FN vec3 gltfEval(GltfBsdf m, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return vec3(0.0f);
    vec3 h = normalize(wo + wi);
    float alpha = gltfAlpha(m);
    vec3 F = gltfFresnel(m, dot(wo, h));
    vec3 diffuseWeight = (vec3(1.0f) - gltfFresnel(m, wo.z)) * (vec3(1.0f) - gltfFresnel(m, wi.z));
    vec3 diffuse = diffuseWeight * (m.baseColor * (1.0f - m.metallic)) * (kInvPi * wi.z);
    vec3 specular = F * (ggxD(h.z, alpha) * ggxG2(wo.z, wi.z, alpha) / (4.0f * wo.z));
    return diffuse + specular;
}

NERVA_FN float gltfPdf(GltfBsdf m, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return 0.0f;
    vec3 h = normalize(wo + wi);
    float ps = gltfSpecularProbability(m, wo);
    return ps * pdfGgxReflection(wo, h, gltfAlpha(m)) + (1.0f - ps) * pdfCosineHemisphere(wi.z);
}

struct BsdfSample {
    vec3 wi;
    float pdf;   // 0 = no valid sample
    vec3 weight; // eval / pdf
};

// u.x chooses the lobe, u.yz drive it.
NERVA_FN BsdfSample gltfSample(GltfBsdf m, vec3 wo, vec3 u) {
    BsdfSample s;
    s.wi = vec3(0.0f, 0.0f, 1.0f);
    s.pdf = 0.0f;
    s.weight = vec3(0.0f);
    if (wo.z <= 0.0f) return s;
    float ps = gltfSpecularProbability(m, wo);
    if (u.x < ps) {
        vec3 h = sampleGgxVisibleNormal(wo, gltfAlpha(m), vec2(u.y, u.z));
        s.wi = reflect(-wo, h);
    } else {
        s.wi = sampleCosineHemisphere(vec2(u.y, u.z));
    }
    if (s.wi.z <= 0.0f) return s;
    s.pdf = gltfPdf(m, wo, s.wi);
    if (s.pdf > 0.0f) s.weight = gltfEval(m, wo, s.wi) / s.pdf;
    return s;
}

NERVA_SHARED_END

#endif
