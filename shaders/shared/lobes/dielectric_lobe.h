// Rough dielectric reflection: the reflected part of a GGX interface (a clear
// coat, or the specular layer over a diffuse base) with the exact Fresnel
// reflectance of a real relative index eta = n_inside / n_outside, seen from
// outside (wo.z > 0). What the interface transmits is left to the layer
// stack, which scales the layers below by the albedo tables
// (neural/material/albedo_tables.h, shaders/shared/lobes/albedo_lookup.h).
//   f cos = F(wo.h, eta) D(h) G2(wo, wi) / (4 wo.z)
// Sampled through visible normals (ggx_aniso.h); the weight is
// F(wo.h) G2 / G1(wo). Its directional albedo is the table's E_diel(mu, r, eta).
#ifndef NERVA_SHARED_LOBES_DIELECTRIC_LOBE_H
#define NERVA_SHARED_LOBES_DIELECTRIC_LOBE_H

#include "ggx_aniso.h"

NERVA_SHARED_BEGIN

struct DielectricReflectionLobe {
    float eta;  // n_inside / n_outside (> 0; < 1 reflects off an optically thinner medium)
    vec2 alpha; // (alpha_x, alpha_y), see ggxAnisoAlpha
};

NERVA_FN float dielectricReflectionEval(DielectricReflectionLobe l, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return 0.0f;
    vec3 h = normalize(wo + wi);
    return fresnelDielectric(dot(wo, h), l.eta) * ggxAnisoReflectionNoFresnel(wo, wi, h, l.alpha);
}

NERVA_FN float dielectricReflectionPdf(DielectricReflectionLobe l, vec3 wo, vec3 wi) {
    return ggxAnisoReflectionPdf(wo, wi, l.alpha);
}

NERVA_FN LobeSample dielectricReflectionSample(DielectricReflectionLobe l, vec3 wo, vec2 u) {
    LobeSample s = ggxAnisoSampleReflection(wo, l.alpha, u);
    if (s.pdf > 0.0f) {
        vec3 h = normalize(wo + s.wi);
        s.weight = vec3(fresnelDielectric(dot(wo, h), l.eta) *
                        ggxAnisoSampleWeightNoFresnel(wo, s.wi, l.alpha));
    }
    return s;
}

NERVA_SHARED_END

#endif
