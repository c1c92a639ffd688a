// Light-sampling math shared by the GPU path tracer and CPU tests: uniform
// points on triangles, area-to-solid-angle pdf conversion, punctual-light
// falloff (glTF KHR_lights_punctual), and the selection probability of an
// emissive triangle (proportional to luminance(emission factor) * area).
#ifndef NERVA_SHARED_LIGHT_SAMPLING_H
#define NERVA_SHARED_LIGHT_SAMPLING_H

#include "scene_types.h"

NERVA_SHARED_BEGIN

// Barycentrics (b0, b1, b2) of a uniformly distributed point.
NERVA_FN vec3 sampleTriangleUniform(vec2 u) {
    float s = sqrt(u.x);
    return vec3(1.0f - s, u.y * s, s * (1.0f - u.y));
}

// Solid-angle pdf at the shading point of a point light-sampled with area
// density pdfArea, at distance dist, whose normal makes cosLight with the
// direction back to the shading point.
NERVA_FN float areaToSolidAngle(float pdfArea, float dist, float cosLight) {
    float c = abs(cosLight);
    return c > 0.0f ? pdfArea * dist * dist / c : 0.0f;
}

// Probability of picking one emissive triangle among all of them.
NERVA_FN float emissiveSelectionPdf(vec3 emissionFactor, float area, float totalPower) {
    return totalPower > 0.0f ? luminance(emissionFactor) * area / totalPower : 0.0f;
}

// glTF's recommended smooth range window times inverse-square falloff.
NERVA_FN float punctualFalloff(float dist, float range) {
    float inv = 1.0f / max(dist * dist, 1e-8f);
    if (range <= 0.0f) return inv;
    float r = dist / range;
    return inv * sqr(saturate(1.0f - r * r * r * r));
}

// Spot cone attenuation from the cosine between the spot axis and the
// direction to the shaded point.
NERVA_FN float spotAttenuation(float cosAngle, float cosInner, float cosOuter) {
    float t = saturate((cosAngle - cosOuter) / max(cosInner - cosOuter, 1e-4f));
    return t * t;
}

NERVA_SHARED_END

#endif
