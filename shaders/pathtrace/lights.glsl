// Light sources as seen from a shading point: punctual lights (delta, no
// MIS) and emissive triangles (area lights, power-proportional selection,
// MIS with BSDF sampling).
#ifndef NERVA_PATHTRACE_LIGHTS_GLSL
#define NERVA_PATHTRACE_LIGHTS_GLSL

#include "pathtrace/material_fetch.glsl"
#include "shared/light_sampling.h"

// Light arriving at p from punctual light l: direction, distance (1e30 for
// directional) and the irradiance-like factor (lux or cd / m^2).
vec3 punctualLight(GpuLight l, vec3 p, out vec3 wi, out float dist) {
    if (l.type == kLightDirectional) {
        wi = -l.direction;
        dist = 1e30;
        return l.intensity;
    }
    vec3 d = l.position - p;
    dist = max(length(d), 1e-6);
    wi = d / dist;
    float atten = punctualFalloff(dist, l.range);
    if (l.type == kLightSpot) atten *= spotAttenuation(dot(-wi, l.direction), l.cosInner, l.cosOuter);
    return l.intensity * atten;
}

// Emitted radiance of a material at texture coordinates tc (emission is
// two-sided).
vec3 emissionOf(GpuMaterial mat, TexCoords tc) {
    return mat.emissive * sampleSlot(mat.slots[kSlotEmissive], tc, vec4(1.0)).rgb;
}

// Index of the emissive triangle whose CDF interval holds u (binary search).
uint pickEmissive(FrameGlobals g, float u) {
    FloatRef cdf = FloatRef(g.emissiveCdf);
    uint lo = 0u, hi = g.emissiveCount - 1u;
    [[dont_unroll]] while (lo < hi) {
        uint mid = (lo + hi) / 2u;
        if (cdf.v[mid] <= u) lo = mid + 1u;
        else hi = mid;
    }
    return lo;
}

struct AreaLightSample {
    vec3 wi;
    float dist;
    vec3 radiance; // emitted toward the shading point
    float pdf;     // solid angle, including the selection probability
};

AreaLightSample sampleEmissive(FrameGlobals g, vec3 p, vec3 u) {
    AreaLightSample s;
    s.pdf = 0.0;
    GpuEmissiveTriangle t = EmissiveRef(g.emissiveTriangles).t[pickEmissive(g, u.x)];
    GpuMaterial mat = MaterialsRef(g.materials).m[t.material];
    vec3 b = sampleTriangleUniform(u.yz);
    vec3 q = t.p0 * b.x + t.p1 * b.y + t.p2 * b.z;
    vec3 d = q - p;
    s.dist = length(d);
    if (s.dist <= 0.0) return s;
    s.wi = d / s.dist;
    vec3 nl = normalize(cross(t.p1 - t.p0, t.p2 - t.p0));
    float select = emissiveSelectionPdf(mat.emissive, t.area, g.emissivePower);
    s.pdf = areaToSolidAngle(select / t.area, s.dist, dot(nl, s.wi));
    vec2 uv = t.uv0 * b.x + t.uv1 * b.y + t.uv2 * b.z;
    s.radiance = emissionOf(mat, finestTexCoords(uv, uv));
    return s;
}

#endif
