// Reads a layered material at a surface point into a LayeredPoint: the one
// place where parameters meet textures, shared by the hit shaders, the
// compute tests and the CPU trainer. Absent layers get weight 0.
#ifndef NERVA_SHARED_LAYERED_LAYERED_FETCH_H
#define NERVA_SHARED_LAYERED_LAYERED_FETCH_H

#include "layered_coupling.h"

NERVA_SHARED_BEGIN

NERVA_FN LayeredPoint layeredFetch(LayeredView v, uint m, LayeredUv tc) {
    LayeredPoint p;
    uint layers = NERVA_LAYERED_LAYERS(v, m);
    p.layers = layers;
    p.baseFrame = layeredFrame(layeredNormal(v, m, kParamBaseNormal, tc), 0.0f);
    p.coatFrame = layeredFrame(layeredNormal(v, m, kParamCoatNormal, tc), 0.0f);

    bool diffuse = (layers & kLayerDiffuse) != 0u;
    p.diffuseColor = diffuse ? layeredColor(v, m, kParamDiffuseColor, tc) : vec3(0.0f);
    p.diffuseSigma = diffuse ? saturate(layeredScalar(v, m, kParamDiffuseRoughness, tc)) : 0.0f;

    bool specular = diffuse && (layers & kLayerSpecular) != 0u;
    p.specularWeight = specular ? saturate(layeredScalar(v, m, kParamSpecularWeight, tc)) : 0.0f;
    p.specularTint = specular ? layeredColor(v, m, kParamSpecularTint, tc) : vec3(0.0f);
    p.specularEta = clamp(layeredScalar(v, m, kParamSpecularIor, tc), kAlbedoIorMin, kAlbedoIorMax);
    float sr = saturate(layeredScalar(v, m, kParamSpecularRoughness, tc));
    float sa = clamp(layeredScalar(v, m, kParamSpecularAnisotropy, tc), 0.0f, 0.95f);
    p.specularAlpha = ggxAnisoAlpha(sr, sa);
    p.specularRoughness = sqrt(sqrt(p.specularAlpha.x * p.specularAlpha.y));
    p.specularFrame = layeredFrame(p.baseFrame.n, layeredScalar(v, m, kParamSpecularRotation, tc));

    bool conductor = (layers & kLayerConductor) != 0u;
    // Without a diffuse base there is nothing for the conductor to leave
    // uncovered.
    p.conductorCoverage =
        conductor ? (diffuse ? saturate(layeredScalar(v, m, kParamConductorCoverage, tc)) : 1.0f)
                  : 0.0f;
    p.conductorF0 = layeredColor(v, m, kParamConductorF0, tc);
    p.conductorTint = layeredColor(v, m, kParamConductorF82Tint, tc);
    float cr = saturate(layeredScalar(v, m, kParamConductorRoughness, tc));
    float ca = clamp(layeredScalar(v, m, kParamConductorAnisotropy, tc), 0.0f, 0.95f);
    p.conductorAlpha = ggxAnisoAlpha(cr, ca);
    p.conductorFrame =
        layeredFrame(p.baseFrame.n, layeredScalar(v, m, kParamConductorRotation, tc));

    p.flakeCellWeight = 0.0f;
    p.flakeAggregateWeight = 0.0f;
    p.flakeColor = vec3(0.0f);
    p.flakeAlpha = vec2(kLobeMinAlpha);
    p.flakeAggregateAlpha = vec2(kLobeMinAlpha);
    p.flakeFrame = p.baseFrame;
    if ((layers & kLayerFlakes) != 0u) {
        float coverage = saturate(layeredScalar(v, m, kParamFlakeCoverage, tc));
        float spread = clamp(layeredScalar(v, m, kParamFlakeSpread, tc), 1e-3f, 1.0f);
        float density = max(NERVA_LAYERED_PARAM(v, m, kParamFlakeDensity).value.x, 1.0f);
        float fr = saturate(layeredScalar(v, m, kParamFlakeRoughness, tc));
        p.flakeColor = layeredColor(v, m, kParamFlakeColor, tc);
        p.flakeAlpha = ggxAnisoAlpha(fr, 0.0f);
        float agg = sqrt(p.flakeAlpha.x * p.flakeAlpha.x + spread * spread);
        p.flakeAggregateAlpha = vec2(min(agg, 1.0f));
        float blend = flakeAggregateBlend(tc.footprint0, density);
        FlakeCell cell = flakeCellAt(tc.uv0, density, coverage, spread);
        p.flakeCellWeight = (1.0f - blend) * cell.present;
        p.flakeAggregateWeight = blend * coverage;
        // The flake's normal is drawn about the base normal.
        vec3 n = toWorld(p.baseFrame, cell.normal);
        p.flakeFrame = frameFromNormalTangent(n, p.baseFrame.t, 1.0f);
    }

    bool coat = (layers & kLayerCoat) != 0u;
    p.coatWeight = coat ? saturate(layeredScalar(v, m, kParamCoatWeight, tc)) : 0.0f;
    p.coatRoughness = saturate(layeredScalar(v, m, kParamCoatRoughness, tc));
    p.coatAlpha = ggxAnisoAlpha(p.coatRoughness, 0.0f);
    p.coatEta = clamp(layeredScalar(v, m, kParamCoatIor, tc), kAlbedoIorMin, kAlbedoIorMax);
    p.coatTint = layeredColor(v, m, kParamCoatTint, tc);
    p.coatThickness = coat ? max(layeredScalar(v, m, kParamCoatThickness, tc), 0.0f) : 0.0f;
    if (!coat) p.coatFrame = p.baseFrame;

    bool sheen = (layers & kLayerSheen) != 0u;
    p.sheenWeight = sheen ? saturate(layeredScalar(v, m, kParamSheenWeight, tc)) : 0.0f;
    p.sheenColor = sheen ? layeredColor(v, m, kParamSheenColor, tc) : vec3(0.0f);
    p.sheenRoughness = saturate(layeredScalar(v, m, kParamSheenRoughness, tc));

    p.diffuseNorm = diffuse ? diffuseNormalisation(p, v.tables) : vec3(0.0f);
    return p;
}

NERVA_SHARED_END

#endif
