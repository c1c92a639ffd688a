// Fresnel terms of the lobe library.
//
// fresnelDielectric: the exact unpolarised reflectance of a smooth interface
// between two real indices, eta = n_transmitted / n_incident (1.5 for air
// into glass, 1 / 1.5 for glass out into air). Beyond the critical angle
// (possible only for eta < 1) it is 1: total internal reflection.
//
// fresnelSchlick: F0 + (1 - F0) (1 - mu)^5.
//
// fresnelF82Tint: the conductor model of the Adobe Standard Material and
// OpenPBR ("Schlick with a tint at 82 degrees", after Hoffman 2019):
//   F(mu) = Schlick(F0, mu) - b mu (1 - mu)^6,
// a Schlick curve minus a term that vanishes at mu = 0 and mu = 1, so F(1) =
// F0 and F(0) = 1 are kept. b is fixed by asking that at mu_bar the result
// be the tint times Schlick there:
//   F(mu_bar) = tint Schlick(F0, mu_bar)
//   => Schlick(mu_bar) - b mu_bar (1 - mu_bar)^6 = tint Schlick(mu_bar)
//   => b = Schlick(F0, mu_bar) (1 - tint) / (mu_bar (1 - mu_bar)^6).
// mu_bar = 1/7 (theta = 81.79 deg, where the subtracted term mu (1 - mu)^6
// peaks: d/dmu = (1 - mu)^5 (1 - 7 mu) = 0), as in OpenPBR; tint = 1 gives
// plain Schlick. The result is clamped to [0, 1] per channel (a tint > 1 can
// push b negative and F above 1 otherwise).
#ifndef NERVA_SHARED_LOBES_FRESNEL_H
#define NERVA_SHARED_LOBES_FRESNEL_H

#include "../prelude.h"

NERVA_SHARED_BEGIN

// cos(theta) where the F82-tint model pins its tint (about 81.79 degrees).
NERVA_CONST float kF82CosTheta = 1.0f / 7.0f;

// Exact dielectric Fresnel; cosThetaI = |cos| of the incident angle on the
// incident side, eta = n_t / n_i.
NERVA_FN float fresnelDielectric(float cosThetaI, float eta) {
    float ci = clamp(abs(cosThetaI), 0.0f, 1.0f);
    float sin2T = (1.0f - ci * ci) / (eta * eta);
    if (sin2T >= 1.0f) return 1.0f; // total internal reflection
    float ct = sqrt(1.0f - sin2T);
    float rs = (ci - eta * ct) / (ci + eta * ct);
    float rp = (eta * ci - ct) / (eta * ci + ct);
    return 0.5f * (rs * rs + rp * rp);
}

NERVA_FN float fresnelSchlickScalar(float f0, float cosTheta) {
    float m = 1.0f - saturate(cosTheta);
    float m2 = m * m;
    return f0 + (1.0f - f0) * (m2 * m2 * m);
}
NERVA_FN vec3 fresnelSchlick(vec3 f0, float cosTheta) {
    float m = 1.0f - saturate(cosTheta);
    float m2 = m * m;
    return f0 + (vec3(1.0f) - f0) * (m2 * m2 * m);
}

// Normal-incidence reflectance of a dielectric with relative index eta.
NERVA_FN float f0FromIor(float eta) {
    return sqr((eta - 1.0f) / (eta + 1.0f));
}
// The relative index (>= 1) whose normal-incidence reflectance is f0 < 1.
NERVA_FN float iorFromF0(float f0) {
    float s = sqrt(clamp(f0, 0.0f, 0.9999f));
    return (1.0f + s) / (1.0f - s);
}

// The b coefficient of the F82-tint model (per channel), derived above.
NERVA_FN vec3 f82TintB(vec3 f0, vec3 tint) {
    float m = 1.0f - kF82CosTheta;
    float m3 = m * m * m;
    vec3 schlickBar = fresnelSchlick(f0, kF82CosTheta);
    return schlickBar * (vec3(1.0f) - tint) / (kF82CosTheta * m3 * m3);
}

NERVA_FN vec3 fresnelF82Tint(vec3 f0, vec3 tint, float cosTheta) {
    float mu = saturate(cosTheta);
    float m = 1.0f - mu;
    float m3 = m * m * m;
    vec3 f = fresnelSchlick(f0, mu) - f82TintB(f0, tint) * (mu * m3 * m3);
    return clamp(f, vec3(0.0f), vec3(1.0f));
}

NERVA_SHARED_END

#endif
