// Surface attributes at a hit: interpolated geometry and textured material,
// shared by the closest-hit and any-hit stages.
#ifndef NERVA_PATHTRACE_MATERIAL_FETCH_GLSL
#define NERVA_PATHTRACE_MATERIAL_FETCH_GLSL

#include "pathtrace/common.glsl"

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

// Texture lookups take an explicit level of detail: hit shaders have no
// derivatives. Level 0 until ray cones provide a footprint.
vec4 sampleSlot(GpuTextureSlot slot, vec2 uv0, vec2 uv1, vec4 fallback) {
    if (slot.textureIndex < 0) return fallback;
    vec3 uvw = vec3(slot.texCoord == 1u ? uv1 : uv0, 1.0);
    vec2 uv = vec2(dot(slot.row0, uvw), dot(slot.row1, uvw));
    return textureLod(uTextures[nonuniformEXT(slot.textureIndex)], uv, 0.0);
}

#endif
