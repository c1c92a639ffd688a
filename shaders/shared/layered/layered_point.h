// A layered material at one surface point: every parameter read from its
// constant and texture (texel_sampling.h) and turned into lobe parameters and
// frames, plus what the energy coupling needs once per point
// (layered_coupling.h). layered_bsdf.h evaluates it.
//
// Directions and frames are in the surface's tangent frame: z = the
// interpolated normal, x = the tangent, y = the bitangent (glTF: cross(n, t)
// * handedness). Normal maps tilt the base frame (diffuse, specular,
// conductor, flakes) and the coat frame; sheen sits on the top surface (the
// coat's frame when there is a coat). Anisotropic lobes rotate their tangent
// about their normal by `rotation` turns.
#ifndef NERVA_SHARED_LAYERED_LAYERED_POINT_H
#define NERVA_SHARED_LAYERED_LAYERED_POINT_H

#include "../lobes/ggx_aniso.h"
#include "../lobes/sheen.h"
#include "flakes.h"
#include "texel_sampling.h"

NERVA_SHARED_BEGIN

struct LayeredPoint {
    uint layers;
    Frame baseFrame;
    Frame coatFrame;
    // diffuse
    vec3 diffuseColor;
    float diffuseSigma;
    // specular (dielectric over the diffuse base)
    float specularWeight;
    vec3 specularTint;
    float specularEta;
    float specularRoughness; // isotropic equivalent, for the albedo tables
    vec2 specularAlpha;
    Frame specularFrame;
    // conductor
    float conductorCoverage;
    vec3 conductorF0;
    vec3 conductorTint;
    vec2 conductorAlpha;
    Frame conductorFrame;
    // flakes: weights of the flake of this cell and of the aggregate lobe
    float flakeCellWeight;
    float flakeAggregateWeight;
    vec3 flakeColor;
    vec2 flakeAlpha;          // one flake
    vec2 flakeAggregateAlpha; // all flakes of a footprint
    Frame flakeFrame;         // the cell's flake, in tangent space
    // coat
    float coatWeight;
    float coatRoughness;
    vec2 coatAlpha;
    float coatEta;
    vec3 coatTint;
    float coatThickness;
    // sheen
    float sheenWeight;
    vec3 sheenColor;
    float sheenRoughness;
    // Diffuse normalisation of the energy coupling: 1 / (2 int t(mu) mu dmu)
    // per channel (layered_coupling.h).
    vec3 diffuseNorm;
};

NERVA_FN vec4 layeredRaw(LayeredView v, uint m, uint slot, LayeredUv tc) {
    GpuLayerParam p = NERVA_LAYERED_PARAM(v, m, slot);
    if (p.image < 0) return vec4(p.value, 1.0f);
    vec4 t = layeredParamTexel(v, p, tc);
    return vec4(p.value * vec3(t), t.w);
}

NERVA_FN float layeredScalar(LayeredView v, uint m, uint slot, LayeredUv tc) {
    GpuLayerParam p = NERVA_LAYERED_PARAM(v, m, slot);
    if (p.image < 0) return p.value.x;
    vec4 t = layeredParamTexel(v, p, tc);
    uint channel = (p.flags >> kParamChannelShift) & 3u;
    float c = channel == 0u ? t.x : channel == 1u ? t.y : channel == 2u ? t.z : t.w;
    return p.value.x * c;
}

NERVA_FN vec3 layeredColor(LayeredView v, uint m, uint slot, LayeredUv tc) {
    return clamp(vec3(layeredRaw(v, m, slot, tc)), vec3(0.0f), vec3(1.0f));
}

// The normal a normal-map slot gives, in tangent space (+z without a map).
NERVA_FN vec3 layeredNormal(LayeredView v, uint m, uint slot, LayeredUv tc) {
    GpuLayerParam p = NERVA_LAYERED_PARAM(v, m, slot);
    if (p.image < 0) return vec3(0.0f, 0.0f, 1.0f);
    vec3 t = vec3(layeredParamTexel(v, p, tc));
    vec3 n = vec3(t.x * p.value.x, t.y * p.value.x, max(t.z, 1e-3f));
    return normalize(n);
}

// A frame about normal n whose tangent is the tangent-space x axis turned by
// `turns` about the tangent-space normal.
NERVA_FN Frame layeredFrame(vec3 n, float turns) {
    float a = kTwoPi * turns;
    return frameFromNormalTangent(n, vec3(cos(a), sin(a), 0.0f), 1.0f);
}

NERVA_SHARED_END

#endif
