// Surface attributes at a hit: interpolated geometry and textured material,
// shared by the closest-hit and any-hit stages.
#ifndef NERVA_PATHTRACE_MATERIAL_FETCH_GLSL
#define NERVA_PATHTRACE_MATERIAL_FETCH_GLSL

#include "pathtrace/common.glsl"
#include "shared/ray_cone.h"

GpuGeometry hitGeometry() {
    return GeometriesRef(globals().geometries).g[gl_InstanceCustomIndexEXT + gl_GeometryIndexEXT];
}

uvec3 hitTriangle(GpuGeometry geo) {
    UintRef idx = UintRef(geo.indices);
    uint base = 3u * uint(gl_PrimitiveID);
    return uvec3(idx.v[base], idx.v[base + 1u], idx.v[base + 2u]);
}

vec2 interpolateUv(uint64_t address, uvec3 tri, vec3 bary) {
    if (address == 0ul) return vec2(0.0);
    Vec2Ref uv = Vec2Ref(address);
    return uv.v[tri.x] * bary.x + uv.v[tri.y] * bary.y + uv.v[tri.z] * bary.z;
}

// Where a texture is read: both uv sets and the ray-cone footprint of each
// (uv units, see shared/ray_cone.h). Footprint 0 reads the finest level.
struct TexCoords {
    vec2 uv0;
    vec2 uv1;
    float footprint0;
    float footprint1;
};

// Texture lookups take an explicit level of detail (hit shaders have no
// derivatives): the footprint, scaled by the slot's uv transform, against the
// texture's size.
vec4 sampleSlot(GpuTextureSlot slot, TexCoords tc, vec4 fallback) {
    if (slot.textureIndex < 0) return fallback;
    bool second = slot.texCoord == 1u;
    vec3 uvw = vec3(second ? tc.uv1 : tc.uv0, 1.0);
    vec2 uv = vec2(dot(slot.row0, uvw), dot(slot.row1, uvw));
    float footprint = (second ? tc.footprint1 : tc.footprint0) *
                      sqrt(abs(slot.row0.x * slot.row1.y - slot.row0.y * slot.row1.x));
    float lod = 0.0;
    if (footprint > 0.0)
        lod = lodForFootprint(footprint,
                              vec2(textureSize(uTextures[nonuniformEXT(slot.textureIndex)], 0)));
    return textureLod(uTextures[nonuniformEXT(slot.textureIndex)], uv, max(lod, 0.0));
}

TexCoords finestTexCoords(vec2 uv0, vec2 uv1) { return TexCoords(uv0, uv1, 0.0, 0.0); }

float uvArea(uint64_t address, uvec3 tri) {
    if (address == 0ul) return 0.0;
    Vec2Ref uv = Vec2Ref(address);
    vec2 a = uv.v[tri.y] - uv.v[tri.x], b = uv.v[tri.z] - uv.v[tri.x];
    return 0.5 * abs(a.x * b.y - a.y * b.x);
}

#endif
