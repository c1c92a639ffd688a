// Texture lookups of the layered material, one implementation for the GPU
// and the CPU: texels come through NERVA_LAYERED_TEXEL (a buffer device
// address in GLSL, a host pointer in C++), and the filtering is done here in
// float arithmetic, so both sides compute the same value (no fixed-point
// texture units, no implementation-defined filtering).
//
// Filtering: bilinear within a level (texel centres at (i + 1/2) / size,
// repeat wrapping), linear between the two levels around the level of detail
// (trilinear). Each texel is decoded before it is filtered, like sRGB
// textures on a GPU: sRGB colours with the exact EOTF, normal maps to
// 2 c - 1 (renormalised by the caller), linear data as c / 255.
// The level of detail comes from the ray-cone footprint (../ray_cone.h).
#ifndef NERVA_SHARED_LAYERED_TEXEL_SAMPLING_H
#define NERVA_SHARED_LAYERED_TEXEL_SAMPLING_H

#include "../ray_cone.h"
#include "layered_types.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kTexelDecodeLinear = 0u;
NERVA_CONST uint kTexelDecodeSrgb = 1u;
NERVA_CONST uint kTexelDecodeNormal = 2u;

NERVA_FN float srgbToLinear(float c) {
    return c <= 0.04045f ? c * (1.0f / 12.92f) : pow((c + 0.055f) * (1.0f / 1.055f), 2.4f);
}

NERVA_FN vec4 decodeTexel(uint t, uint mode) {
    vec4 c =
        vec4(float(t & 255u), float((t >> 8u) & 255u), float((t >> 16u) & 255u), float(t >> 24u)) *
        (1.0f / 255.0f);
    if (mode == kTexelDecodeSrgb)
        return vec4(srgbToLinear(c.x), srgbToLinear(c.y), srgbToLinear(c.z), c.w);
    if (mode == kTexelDecodeNormal)
        return vec4(c.x * 2.0f - 1.0f, c.y * 2.0f - 1.0f, c.z * 2.0f - 1.0f, c.w);
    return c;
}

// Repeat wrapping of an integer coordinate into [0, n).
NERVA_FN int wrapTexel(int i, int n) {
    int m = i % n;
    return m < 0 ? m + n : m;
}

// Bilinear lookup in level `level` (whose texels start at `offset` and span
// w x h) of an image.
NERVA_FN vec4 texelBilinear(LayeredView v, uint offset, int w, int h, vec2 uv, uint mode) {
    vec2 st = vec2(uv.x * float(w) - 0.5f, uv.y * float(h) - 0.5f);
    vec2 f0 = floor(st);
    vec2 f = st - f0;
    int x0 = wrapTexel(int(f0.x), w);
    int y0 = wrapTexel(int(f0.y), h);
    int x1 = wrapTexel(x0 + 1, w);
    int y1 = wrapTexel(y0 + 1, h);
    vec4 a = decodeTexel(NERVA_LAYERED_TEXEL(v, offset + uint(y0 * w + x0)), mode);
    vec4 b = decodeTexel(NERVA_LAYERED_TEXEL(v, offset + uint(y0 * w + x1)), mode);
    vec4 c = decodeTexel(NERVA_LAYERED_TEXEL(v, offset + uint(y1 * w + x0)), mode);
    vec4 d = decodeTexel(NERVA_LAYERED_TEXEL(v, offset + uint(y1 * w + x1)), mode);
    return mix(mix(a, b, f.x), mix(c, d, f.x), f.y);
}

// Size of the mip level after one of size n: halved rounding up, at least 1
// (5 -> 3 -> 2 -> 1), as neural/material/material_set.h builds them.
NERVA_FN int nextTexelLevelSize(int n) {
    return max((n + 1) / 2, 1);
}

// Trilinear lookup of image `index` at level of detail `lod` (clamped to the
// chain).
NERVA_FN vec4 texelSample(LayeredView v, int index, vec2 uv, float lod, uint mode) {
    GpuTexelImage img = NERVA_LAYERED_IMAGE(v, index);
    float l = clamp(lod, 0.0f, float(img.levels - 1u));
    uint level = uint(l);
    float frac = l - float(level);
    uint offset = img.offset;
    int w = int(img.width);
    int h = int(img.height);
    for (uint k = 0u; k < level; ++k) {
        offset += uint(w * h);
        w = nextTexelLevelSize(w);
        h = nextTexelLevelSize(h);
    }
    vec4 c = texelBilinear(v, offset, w, h, uv, mode);
    if (frac > 0.0f && level + 1u < img.levels) {
        uint next = offset + uint(w * h);
        vec4 c1 = texelBilinear(v, next, nextTexelLevelSize(w), nextTexelLevelSize(h), uv, mode);
        c = mix(c, c1, frac);
    }
    return c;
}

// Where a layered material is read: both uv sets and the footprint of each
// (uv units; 0 reads the finest level).
struct LayeredUv {
    vec2 uv0;
    vec2 uv1;
    float footprint0;
    float footprint1;
};

NERVA_FN LayeredUv layeredUvFinest(vec2 uv) {
    LayeredUv t;
    t.uv0 = uv;
    t.uv1 = uv;
    t.footprint0 = 0.0f;
    t.footprint1 = 0.0f;
    return t;
}

// The texel of a parameter's texture (decoded by its flags) at tc; the
// footprint is scaled by the parameter's uv transform.
NERVA_FN vec4 layeredParamTexel(LayeredView v, GpuLayerParam p, LayeredUv tc) {
    bool second = (p.flags & kParamFlagTexCoord1) != 0u;
    vec3 uvw = vec3(second ? tc.uv1 : tc.uv0, 1.0f);
    vec2 uv = vec2(dot(p.row0, uvw), dot(p.row1, uvw));
    float footprint = (second ? tc.footprint1 : tc.footprint0) *
                      sqrt(abs(p.row0.x * p.row1.y - p.row0.y * p.row1.x));
    float lod = 0.0f;
    if (footprint > 0.0f) {
        GpuTexelImage img = NERVA_LAYERED_IMAGE(v, p.image);
        lod = lodForFootprint(footprint, vec2(float(img.width), float(img.height)));
    }
    uint mode = (p.flags & kParamFlagNormalMap) != 0u ? kTexelDecodeNormal
                : (p.flags & kParamFlagSrgb) != 0u    ? kTexelDecodeSrgb
                                                      : kTexelDecodeLinear;
    return texelSample(v, p.image, uv, lod, mode);
}

NERVA_SHARED_END

#endif
