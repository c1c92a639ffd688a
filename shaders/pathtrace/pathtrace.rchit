#version 460
// Closest hit on triangles: interpolate the surface (position, normals,
// tangent frame, both uv sets and their ray-cone footprints), then shade it
// with the code every surface shares (pathtrace/shade_surface.glsl).
#include "pathtrace/shade_surface.glsl"

hitAttributeEXT vec2 hitBary;

void main() {
    FrameGlobals g = globals();
    GpuGeometry geo = hitGeometry();
    uvec3 tri = hitTriangle(geo);
    vec3 bary = vec3(1.0 - hitBary.x - hitBary.y, hitBary);

    Vec3Ref pos = Vec3Ref(geo.positions);
    vec3 p0 = pos.v[tri.x], p1 = pos.v[tri.y], p2 = pos.v[tri.z];
    vec3 pObj = p0 * bary.x + p1 * bary.y + p2 * bary.z;
    vec3 p = gl_ObjectToWorldEXT * vec4(pObj, 1.0);
    vec3 e1 = gl_ObjectToWorldEXT * vec4(p1 - p0, 0.0);
    vec3 e2 = gl_ObjectToWorldEXT * vec4(p2 - p0, 0.0);
    vec3 cw = cross(e1, e2);
    float worldArea = 0.5 * length(cw);
    vec3 ng = normalize(cw);
    // Normals transform with the inverse transpose: n^T * WorldToObject.
    mat3 normalToWorld = transpose(mat3(gl_WorldToObjectEXT));
    vec3 ns = ng;
    if (geo.normals != 0ul) {
        Vec3Ref nrm = Vec3Ref(geo.normals);
        vec3 n = nrm.v[tri.x] * bary.x + nrm.v[tri.y] * bary.y + nrm.v[tri.z] * bary.z;
        if (dot(n, n) > 1e-12) ns = normalize(normalToWorld * n);
    }
    vec3 wo = -gl_WorldRayDirectionEXT;
    // Shade the side the ray came from (glTF back faces of double-sided
    // materials, and open meshes seen from behind).
    if (dot(ng, wo) < 0.0) ng = -ng;
    if (dot(ns, ng) < 0.0) ns = -ns;

    // Ray cone at this hit: grown over the segment, then its footprint in
    // each uv set.
    SurfaceHit h;
    h.coneWidth = payload.coneWidth + payload.coneSpread * gl_HitTEXT;
    h.cosIn = dot(ng, wo);
    h.tc.uv0 = interpolateUv(geo.uv0, tri, bary);
    h.tc.uv1 = interpolateUv(geo.uv1, tri, bary);
    h.tc.footprint0 = rayConeUvFootprint(h.coneWidth, h.cosIn, uvArea(geo.uv0, tri), worldArea);
    h.tc.footprint1 = rayConeUvFootprint(h.coneWidth, h.cosIn, uvArea(geo.uv1, tri), worldArea);

    // The tangent frame of the surface; the layered material tilts its own
    // frames inside it by its normal maps.
    if (geo.tangents != 0ul) {
        vec4 t = Vec4Ref(geo.tangents).v[tri.x] * bary.x + Vec4Ref(geo.tangents).v[tri.y] * bary.y +
                 Vec4Ref(geo.tangents).v[tri.z] * bary.z;
        vec3 tw = mat3(gl_ObjectToWorldEXT) * t.xyz;
        h.frame = frameFromNormalTangent(ns, tw, t.w < 0.0 ? -1.0 : 1.0);
    } else {
        h.frame = frameFromNormal(ns);
    }
    h.p = p;
    h.ng = ng;
    h.origin = offsetOrigin(p, ng);
    h.material = geo.material;
    h.emitterArea = worldArea;
    h.fieldSteps = 0u;
    shadeSurface(g, h);
}
