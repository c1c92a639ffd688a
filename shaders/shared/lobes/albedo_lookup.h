// Directional-albedo tables of the GGX lobes and their bilinear lookup,
// written once for GLSL and C++. The tables are computed on the CPU by
// neural/material/albedo_tables.cpp (numerical integration of the lobes in
// this folder); the layer stack uses them to scale layers energy-consistently.
//
// Tables (float, tightly packed, mu = cos(theta_o) fastest):
//   ggx         E_ggx(mu, r)        = directional albedo of GGX reflection
//                                     with F = 1 (ConductorLobe, f0 = tint = 1)
//               kAlbedoCosSize * kAlbedoRoughSize, entry (i, j) at
//               j * kAlbedoCosSize + i
//   dielectric  E_diel(mu, r, eta)  = directional albedo of
//                                     DielectricReflectionLobe
//               kAlbedoCosSize * kAlbedoRoughSize * kAlbedoIorSize, entry
//               (i, j, k) at (k * kAlbedoRoughSize + j) * kAlbedoCosSize + i
//   sheen       E_sheen(mu, r)      = directional albedo of SheenLobe with
//                                     colour 1 (sheen roughness r, as is),
//                                     laid out like ggx
// Nodes (albedoNode*) are uniform in warped coordinates x in [0, 1]:
//   mu_i  = x_i^2                          (node 0 is evaluated at kAlbedoMinCos)
//   r_j   = x_j                            (isotropic alpha = max(r^2, kLobeMinAlpha))
//   eta_k = kAlbedoIorMin + (kAlbedoIorMax - kAlbedoIorMin) x_k^2
// with x_i = i / (N - 1): the squares crowd nodes where the albedo bends
// fastest (grazing mu, and eta near 1, where the Fresnel reflectance at
// grazing angles is nearly a step in eta). Lookups clamp their arguments to
// the node range and interpolate linearly in the warped coordinates
// (bilinear; trilinear with eta).
// Anisotropic lobes have no table of their own: callers pass the roughness
// of the isotropic lobe with the same alpha_x alpha_y (an approximation).
//
// Accessor scheme (as in ../env_sampling.h): the math reads the tables only
// through NERVA_ALBEDO_READ(tables, field, index) on a value of type
// AlbedoTables whose fields have the same names in both languages:
//   GLSL: AlbedoTables is GpuAlbedoTables (buffer device addresses);
//         includers enable GL_EXT_buffer_reference, GL_EXT_scalar_block_layout
//         and GL_EXT_shader_explicit_arithmetic_types_int64 first.
//   C++:  AlbedoTables holds `const float*` into host memory
//         (nerva::material::AlbedoTableSet::view()).
#ifndef NERVA_SHARED_LOBES_ALBEDO_LOOKUP_H
#define NERVA_SHARED_LOBES_ALBEDO_LOOKUP_H

#include "lobe_sample.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kAlbedoCosSize = 32u;
NERVA_CONST uint kAlbedoRoughSize = 32u;
NERVA_CONST uint kAlbedoIorSize = 16u;
NERVA_CONST float kAlbedoIorMin = 1.0f;
NERVA_CONST float kAlbedoIorMax = 3.0f;
NERVA_CONST float kAlbedoMinCos = 1e-3f;

// Host/device record of uploaded tables (scalar layout, 24 bytes).
struct GpuAlbedoTables {
    uint64_t ggx;
    uint64_t dielectric;
    uint64_t sheen;
};

NERVA_SHARED_END

#ifdef __cplusplus
namespace nerva::shared {
struct AlbedoTables {
    const float* ggx;
    const float* dielectric;
    const float* sheen;
};
static_assert(sizeof(GpuAlbedoTables) == 24, "GpuAlbedoTables must match its GLSL scalar layout");
} // namespace nerva::shared
#define NERVA_ALBEDO_READ(tables, field, index) ((tables).field[(index)])
#else
layout(buffer_reference, scalar) readonly buffer AlbedoFloatRef {
    float v[];
};
#define AlbedoTables GpuAlbedoTables
#define NERVA_ALBEDO_READ(tables, field, index) (AlbedoFloatRef((tables).field).v[(index)])
#endif

NERVA_SHARED_BEGIN

NERVA_FN float albedoNodeCos(uint i) {
    return max(sqr(float(i) / float(kAlbedoCosSize - 1u)), kAlbedoMinCos);
}
NERVA_FN float albedoNodeRoughness(uint j) {
    return float(j) / float(kAlbedoRoughSize - 1u);
}
NERVA_FN float albedoNodeIor(uint k) {
    return kAlbedoIorMin +
           (kAlbedoIorMax - kAlbedoIorMin) * sqr(float(k) / float(kAlbedoIorSize - 1u));
}
// The isotropic alpha the tables use for roughness r.
NERVA_FN vec2 albedoTableAlpha(float roughness) {
    return vec2(max(roughness * roughness, kLobeMinAlpha));
}

// Lower node and fraction of x in [0, 1] on a grid of n nodes.
NERVA_FN uint albedoCell(float x, uint n, NERVA_OUT(float) frac) {
    float s = saturate(x) * float(n - 1u);
    uint i = min(uint(s), n - 2u);
    frac = s - float(i);
    return i;
}

// Bilinear in (mu, r) on the slice starting at `base` of table `field`.
#define NERVA_ALBEDO_BILINEAR(tables, field, base, i, j, fx, fy)                                   \
    mix(mix(NERVA_ALBEDO_READ(tables, field, (base) + (j)*kAlbedoCosSize + (i)),                   \
            NERVA_ALBEDO_READ(tables, field, (base) + (j)*kAlbedoCosSize + (i) + 1u), (fx)),       \
        mix(NERVA_ALBEDO_READ(tables, field, (base) + ((j) + 1u) * kAlbedoCosSize + (i)),          \
            NERVA_ALBEDO_READ(tables, field, (base) + ((j) + 1u) * kAlbedoCosSize + (i) + 1u),     \
            (fx)),                                                                                 \
        (fy))

// E_ggx(mu, r): GGX reflection albedo with F = 1.
NERVA_FN float albedoLookupGgx(AlbedoTables t, float cosTheta, float roughness) {
    float fx;
    float fy;
    uint i = albedoCell(sqrt(saturate(cosTheta)), kAlbedoCosSize, fx);
    uint j = albedoCell(roughness, kAlbedoRoughSize, fy);
    return NERVA_ALBEDO_BILINEAR(t, ggx, 0u, i, j, fx, fy);
}

// E_sheen(mu, r): albedo of SheenLobe with colour 1.
NERVA_FN float albedoLookupSheen(AlbedoTables t, float cosTheta, float roughness) {
    float fx;
    float fy;
    uint i = albedoCell(sqrt(saturate(cosTheta)), kAlbedoCosSize, fx);
    uint j = albedoCell(roughness, kAlbedoRoughSize, fy);
    return NERVA_ALBEDO_BILINEAR(t, sheen, 0u, i, j, fx, fy);
}

// E_diel(mu, r, eta): albedo of DielectricReflectionLobe.
NERVA_FN float albedoLookupDielectric(AlbedoTables t, float cosTheta, float roughness, float eta) {
    float fx;
    float fy;
    float fz;
    uint i = albedoCell(sqrt(saturate(cosTheta)), kAlbedoCosSize, fx);
    uint j = albedoCell(roughness, kAlbedoRoughSize, fy);
    float ze = saturate((eta - kAlbedoIorMin) / (kAlbedoIorMax - kAlbedoIorMin));
    uint k = albedoCell(sqrt(ze), kAlbedoIorSize, fz);
    uint slice = kAlbedoCosSize * kAlbedoRoughSize;
    float a = NERVA_ALBEDO_BILINEAR(t, dielectric, k * slice, i, j, fx, fy);
    float b = NERVA_ALBEDO_BILINEAR(t, dielectric, (k + 1u) * slice, i, j, fx, fy);
    return mix(a, b, fz);
}

NERVA_SHARED_END

#endif
