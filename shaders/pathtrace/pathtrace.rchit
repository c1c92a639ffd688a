#version 460
// Shading at a path vertex: interpolate the surface, apply the material's
// textures, add emission, light the point from every punctual light with a
// shadow ray (next-event estimation), then sample the BSDF for the next ray.
#include "pathtrace/material_fetch.glsl"
#include "shared/bsdf_gltf.h"
#include "shared/rng.h"

layout(location = 0) rayPayloadInEXT PathPayload payload;
layout(location = 1) rayPayloadEXT uint shadowVisible;
hitAttributeEXT vec2 hitBary;

// Offsets a ray origin off the surface along the geometric normal, scaled to
// the position's magnitude so it works at any scene scale.
vec3 offsetOrigin(vec3 p, vec3 ng) {
    float scale = 1e-4 * max(1.0, max(abs(p.x), max(abs(p.y), abs(p.z))));
    return p + ng * scale;
}

bool unoccluded(vec3 origin, vec3 dir, float dist) {
    shadowVisible = 0u;
    payload.rays += 1u;
    traceRayEXT(uTlas,
                gl_RayFlagsTerminateOnFirstHitEXT | gl_RayFlagsSkipClosestHitShaderEXT, 0xFF,
                0, 0, NERVA_RAY_SHADOW, origin, 0.0, dir, dist, 1);
    return shadowVisible != 0u;
}

// Light arriving at p from light l: direction to the light, distance (1e30
// for directional) and radiance-equivalent irradiance factor.
vec3 punctualLight(GpuLight l, vec3 p, out vec3 wi, out float dist) {
    if (l.type == kLightDirectional) {
        wi = -l.direction;
        dist = 1e30;
        return l.intensity;
    }
    vec3 d = l.position - p;
    float d2 = max(dot(d, d), 1e-8);
    dist = sqrt(d2);
    wi = d / dist;
    float atten = 1.0 / d2;
    if (l.range > 0.0) atten *= sqr(saturate(1.0 - sqr(sqr(dist / l.range))));
    if (l.type == kLightSpot) {
        float cd = dot(-wi, l.direction);
        float t = saturate((cd - l.cosOuter) / max(l.cosInner - l.cosOuter, 1e-4));
        atten *= t * t;
    }
    return l.intensity * atten;
}

void main() {
    FrameGlobals g = globals();
    GpuGeometry geo = hitGeometry();
    GpuMaterial mat = MaterialsRef(g.materials).m[geo.material];
    uvec3 tri = hitTriangle(geo);
    vec3 bary = vec3(1.0 - hitBary.x - hitBary.y, hitBary);

    Vec3Ref pos = Vec3Ref(geo.positions);
    vec3 p0 = pos.v[tri.x], p1 = pos.v[tri.y], p2 = pos.v[tri.z];
    vec3 pObj = p0 * bary.x + p1 * bary.y + p2 * bary.z;
    vec3 p = gl_ObjectToWorldEXT * vec4(pObj, 1.0);
    // Normals transform with the inverse transpose: n^T * WorldToObject.
    mat3 normalToWorld = transpose(mat3(gl_WorldToObjectEXT));
    vec3 ng = normalize(normalToWorld * cross(p1 - p0, p2 - p0));
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

    vec2 uv0 = interpolateUv(geo.uv0, tri, bary);
    vec2 uv1 = interpolateUv(geo.uv1, tri, bary);
    vec4 base = mat.baseColorFactor * sampleSlot(mat.slots[kSlotBaseColor], uv0, uv1, vec4(1.0));
    vec4 mr = sampleSlot(mat.slots[kSlotMetallicRoughness], uv0, uv1, vec4(1.0));
    GltfBsdf bsdf;
    bsdf.baseColor = base.rgb;
    bsdf.roughness = saturate(mat.roughness * mr.g);
    bsdf.metallic = saturate(mat.metallic * mr.b);
    bsdf.specular = mat.specular;
    vec3 emission = mat.emissive * sampleSlot(mat.slots[kSlotEmissive], uv0, uv1, vec4(1.0)).rgb;

    Frame frame;
    if (mat.slots[kSlotNormal].textureIndex >= 0) {
        vec4 t = geo.tangents != 0ul ? Vec4Ref(geo.tangents).v[tri.x] * bary.x +
                                           Vec4Ref(geo.tangents).v[tri.y] * bary.y +
                                           Vec4Ref(geo.tangents).v[tri.z] * bary.z
                                     : vec4(0.0);
        vec3 tw = normalize(mat3(gl_ObjectToWorldEXT) * t.xyz + vec3(1e-12));
        Frame tbn = frameFromNormalTangent(ns, tw, t.w < 0.0 ? -1.0 : 1.0);
        vec3 tn = sampleSlot(mat.slots[kSlotNormal], uv0, uv1, vec4(0.5, 0.5, 1.0, 1.0)).xyz * 2.0 - 1.0;
        tn.xy *= mat.normalScale;
        vec3 nmapped = normalize(toWorld(tbn, tn));
        if (dot(nmapped, ng) > 0.0) ns = nmapped;
        frame = frameFromNormalTangent(ns, tbn.t, 1.0);
    } else {
        frame = frameFromNormal(ns);
    }

    payload.radiance += payload.throughput * emission;
    vec3 woLocal = toLocal(frame, wo);
    vec3 origin = offsetOrigin(p, ng);

    // Next-event estimation for punctual lights (delta lights: no MIS).
    LightsRef lights = LightsRef(g.lights);
    [[dont_unroll]] for (uint i = 0u; i < g.lightCount; ++i) {
        vec3 wi;
        float dist;
        vec3 li = punctualLight(lights.l[i], p, wi, dist);
        if (dot(wi, ng) <= 0.0 || max(li.r, max(li.g, li.b)) <= 0.0) continue;
        vec3 fcos = gltfEval(bsdf, woLocal, toLocal(frame, wi));
        if (max(fcos.r, max(fcos.g, fcos.b)) <= 0.0) continue;
        if (unoccluded(origin, wi, dist * (1.0 - 1e-4)))
            payload.radiance += payload.throughput * fcos * li;
    }

    if (payload.depth >= g.maxBounces) {
        payload.done = 1u;
        return;
    }
    vec3 u = vec3(rngNext(payload.rng), rngNext(payload.rng), rngNext(payload.rng));
    BsdfSample s = gltfSample(bsdf, woLocal, u);
    vec3 wiWorld = toWorld(frame, s.wi);
    if (s.pdf <= 0.0 || dot(wiWorld, ng) <= 0.0) {
        payload.done = 1u;
        return;
    }
    payload.throughput *= s.weight;
    payload.origin = origin;
    payload.direction = wiWorld;
}
