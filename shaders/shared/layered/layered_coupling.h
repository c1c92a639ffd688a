// How the layers of a LayeredPoint share energy (docs/layered-materials.md).
//
// Each transmissive layer has a transmission T(mu) at the cosine mu of a
// direction to its normal, from its directional albedo E (tables in
// ../lobes/albedo_lookup.h):
//   specular  T_s(mu) = 1 - w E_diel(mu, r, eta)
//   coat      T_c(mu) = 1 - w + w (1 - E_diel(mu, r, eta)) a(mu),
//             a(mu)   = tint^(thickness / (2 mu_t)), mu_t the refracted cosine
//             (so a(1)^2 = tint^thickness: `tint` is the round trip at
//             normal incidence through thickness 1)
//   sheen     T_h(mu) = 1 - w max(colour) E_sheen(mu, r)
// The lobes below a layer are scaled symmetrically (so eval stays
// reciprocal):
//   glossy lobes (specular, conductor, flakes, coat): min(T(mu_o), T(mu_i))
//     per layer above: at most T(mu_o), the energy that crossed the layer,
//     so E_top(mu_o) + T(mu_o) E_below <= 1 holds layer by layer (a
//     geometric mean sqrt(T_o T_i) gains up to 5% at grazing wo for rough
//     lobes, whose wi reach steeper, more transmissive angles);
//   the diffuse lobe: t(mu_o) t(mu_i) / tbar with t = T_s T_c T_h and
//     tbar = 2 int_0^1 t(mu) mu dmu, so a Lambertian base of albedo rho
//     reflects exactly rho t(mu_o): light that crosses the layers and is
//     scattered by the base leaves again without loss. A white base under
//     non-absorbing layers passes the white furnace test.
// tbar is integrated once per point by Gauss-Legendre quadrature (8 nodes).
// Approximations (documented, as in OpenPBR-style albedo scaling): the base
// lobes see the outside directions (no refraction of their lobes), coat
// roughness does not widen the layers below, and each layer's T uses the
// cosine to its own normal while tbar assumes one shared normal.
#ifndef NERVA_SHARED_LAYERED_LAYERED_COUPLING_H
#define NERVA_SHARED_LAYERED_LAYERED_COUPLING_H

#include "layered_point.h"

NERVA_SHARED_BEGIN

NERVA_FN float specularTransmission(LayeredPoint p, AlbedoTables t, float mu) {
    if (p.specularWeight <= 0.0f) return 1.0f;
    return 1.0f -
           p.specularWeight * albedoLookupDielectric(t, mu, p.specularRoughness, p.specularEta);
}

// Round-trip-halved transmittance of the coat's absorption along a
// direction with cosine mu outside.
NERVA_FN vec3 coatAbsorption(LayeredPoint p, float mu) {
    if (p.coatThickness <= 0.0f) return vec3(1.0f);
    float sin2 = max(0.0f, 1.0f - mu * mu) / (p.coatEta * p.coatEta);
    float muT = sqrt(max(1.0f - sin2, 1e-4f));
    float e = p.coatThickness / (2.0f * muT);
    return pow(max(p.coatTint, vec3(1e-6f)), vec3(e));
}

NERVA_FN vec3 coatTransmission(LayeredPoint p, AlbedoTables t, float mu) {
    if (p.coatWeight <= 0.0f) return vec3(1.0f);
    float e = albedoLookupDielectric(t, mu, p.coatRoughness, p.coatEta);
    return vec3(1.0f - p.coatWeight) + p.coatWeight * (1.0f - e) * coatAbsorption(p, mu);
}

NERVA_FN float sheenTransmission(LayeredPoint p, AlbedoTables t, float mu) {
    if (p.sheenWeight <= 0.0f) return 1.0f;
    float c = max(p.sheenColor.x, max(p.sheenColor.y, p.sheenColor.z));
    return 1.0f - p.sheenWeight * c * albedoLookupSheen(t, mu, p.sheenRoughness);
}

// t(mu) of the diffuse coupling: everything above the diffuse base.
NERVA_FN vec3 diffuseTransmission(LayeredPoint p, AlbedoTables t, float mu) {
    return specularTransmission(p, t, mu) * coatTransmission(p, t, mu) *
           sheenTransmission(p, t, mu);
}

// 1 / tbar per channel, tbar = 2 int_0^1 t(mu) mu dmu (8-node Gauss-Legendre
// on [0, 1]: nodes (1 + x_k) / 2, weights w_k / 2, so tbar = sum w_k mu_k t(mu_k)).
NERVA_FN vec3 diffuseNormalisation(LayeredPoint p, AlbedoTables t) {
    vec3 sum = vec3(0.0f);
    for (uint k = 0u; k < 4u; ++k) {
        float x = k == 0u   ? 0.1834346425f
                  : k == 1u ? 0.5255324099f
                  : k == 2u ? 0.7966664774f
                            : 0.9602898565f;
        float w = k == 0u   ? 0.3626837834f
                  : k == 1u ? 0.3137066459f
                  : k == 2u ? 0.2223810345f
                            : 0.1012285363f;
        float muLo = 0.5f * (1.0f - x);
        float muHi = 0.5f * (1.0f + x);
        sum +=
            w * (muLo * diffuseTransmission(p, t, muLo) + muHi * diffuseTransmission(p, t, muHi));
    }
    return vec3(1.0f) / max(sum, vec3(1e-6f));
}

NERVA_SHARED_END

#endif
