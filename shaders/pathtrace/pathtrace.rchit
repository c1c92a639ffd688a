#version 460
// Shading at a path vertex: interpolate the surface, read the material's
// textures at the ray-cone level of detail, add emission (MIS-weighted
// against light sampling), light the point by next-event estimation (every
// punctual light, one emissive triangle, one environment direction), then
// sample the BSDF for the next
// segment, with Russian roulette.
#include "pathtrace/environment.glsl"
#include "pathtrace/lights.glsl"
#include "shared/layered/layered_bsdf.h"
#include "shared/layered/layered_fetch.h"
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
    traceRayEXT(uTlas, gl_RayFlagsTerminateOnFirstHitEXT | gl_RayFlagsSkipClosestHitShaderEXT,
                0xFF, 0, 0, NERVA_RAY_SHADOW, origin, 0.0, dir, dist, 1);
    return shadowVisible != 0u;
}

void addRadiance(FrameGlobals g, vec3 c) {
    payload.radiance += clampContribution(c, g.clampLuminance);
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
    float coneWidth = payload.coneWidth + payload.coneSpread * gl_HitTEXT;
    float cosIn = dot(ng, wo);
    TexCoords tc;
    tc.uv0 = interpolateUv(geo.uv0, tri, bary);
    tc.uv1 = interpolateUv(geo.uv1, tri, bary);
    tc.footprint0 = rayConeUvFootprint(coneWidth, cosIn, uvArea(geo.uv0, tri), worldArea);
    tc.footprint1 = rayConeUvFootprint(coneWidth, cosIn, uvArea(geo.uv1, tri), worldArea);

    // The tangent frame of the surface; the layered material tilts its own
    // frames inside it by its normal maps.
    Frame frame;
    if (geo.tangents != 0ul) {
        vec4 t = Vec4Ref(geo.tangents).v[tri.x] * bary.x + Vec4Ref(geo.tangents).v[tri.y] * bary.y +
                 Vec4Ref(geo.tangents).v[tri.z] * bary.z;
        vec3 tw = mat3(gl_ObjectToWorldEXT) * t.xyz;
        frame = frameFromNormalTangent(ns, tw, t.w < 0.0 ? -1.0 : 1.0);
    } else {
        frame = frameFromNormal(ns);
    }
    LayeredUv luv;
    luv.uv0 = tc.uv0;
    luv.uv1 = tc.uv1;
    luv.footprint0 = tc.footprint0;
    luv.footprint1 = tc.footprint1;
    LayeredPoint lp = layeredFetch(g.layered, geo.material, luv);
    AlbedoTables tables = g.layered.tables;

    // Interpolated and mapped normals can face away from the viewer near
    // silhouettes; the BSDF has no valid hemisphere there, so fall back to
    // the geometric normal instead of ending the path.
    if (dot(frame.n, wo) <= 1e-4) frame = frameFromNormalTangent(ng, frame.t, 1.0);
    ns = frame.n;

    if (payload.depth == 0u) {
        payload.hitDistance = gl_HitTEXT;
        payload.albedo = lp.diffuseColor + lp.conductorCoverage * lp.conductorF0;
        payload.normal = toWorld(frame, lp.baseFrame.n);
    }

    // Emission found by this ray. Camera rays see it fully; later rays weigh
    // it against the chance that light sampling would have found it.
    vec3 emission = emissionOf(mat, tc);
    if (max(emission.r, max(emission.g, emission.b)) > 0.0) {
        float w = 1.0;
        if (payload.depth > 0u) {
            if (g.samplingMode == kSamplingLight) w = 0.0;
            else if (g.samplingMode == kSamplingMis) {
                float select = emissiveSelectionPdf(mat.emissive, worldArea, g.emissivePower);
                float lightPdf = areaToSolidAngle(select / max(worldArea, 1e-20), gl_HitTEXT, cosIn);
                w = powerHeuristic(payload.lastBsdfPdf, lightPdf);
            }
        }
        addRadiance(g, payload.throughput * emission * w);
    }

    vec3 woLocal = toLocal(frame, wo);
    vec3 origin = offsetOrigin(p, ng);

    // Next-event estimation in one loop, so the layered eval and pdf are
    // compiled once (lavapipe's LLVM time grows with every inlined copy):
    // k < lightCount: punctual light k (delta: light sampling only);
    // k == lightCount: one emissive triangle; k == lightCount + 1: one
    // environment direction; both MIS-weighted against BSDF sampling.
    LightsRef lights = LightsRef(g.lights);
    bool lightSampling = g.samplingMode != kSamplingBsdf;
    [[dont_unroll]] for (uint k = 0u; k < g.lightCount + 2u; ++k) {
        vec3 wi = vec3(0.0);
        float dist = 1e30;
        vec3 li = vec3(0.0); // radiance / light pdf (punctual: irradiance factor)
        float lightPdf = 0.0; // 0: a delta light, no MIS
        if (k < g.lightCount) {
            li = punctualLight(lights.l[k], p, wi, dist);
        } else if (k == g.lightCount) {
            if (g.emissiveCount == 0u || !lightSampling) continue;
            vec3 u = vec3(rngNext(payload.rng), rngNext(payload.rng), rngNext(payload.rng));
            AreaLightSample ls = sampleEmissive(g, p, u);
            if (!(ls.pdf > 0.0)) continue;
            wi = ls.wi;
            dist = ls.dist;
            lightPdf = ls.pdf;
            li = ls.radiance / ls.pdf;
        } else {
            if (!lightSampling) continue;
            EnvSample es = envSampleDirection(g.env, vec2(rngNext(payload.rng), rngNext(payload.rng)));
            if (!(es.pdf > 0.0)) continue;
            wi = es.dir;
            lightPdf = es.pdf;
            li = environmentRadiance(g, es.dir) / es.pdf;
        }
        if (dot(wi, ng) <= 0.0 || max(li.r, max(li.g, li.b)) <= 0.0) continue;
        vec3 wiLocal = toLocal(frame, wi);
        vec3 fcos = layeredEval(lp, tables, woLocal, wiLocal);
        if (max(fcos.r, max(fcos.g, fcos.b)) <= 0.0) continue;
        float w = lightPdf > 0.0 && g.samplingMode == kSamplingMis
                      ? powerHeuristic(lightPdf, layeredPdf(lp, tables, woLocal, wiLocal))
                      : 1.0;
        float maxDist = dist < 1e30 ? dist * (1.0 - 1e-4) : 1e30;
        if (unoccluded(origin, wi, maxDist)) addRadiance(g, payload.throughput * fcos * li * w);
    }

    if (payload.depth >= g.maxBounces) {
        payload.done = 1u;
        return;
    }
    vec3 u = vec3(rngNext(payload.rng), rngNext(payload.rng), rngNext(payload.rng));
    LobeSample s = layeredSample(lp, tables, woLocal, u);
    vec3 wiWorld = toWorld(frame, s.wi);
    if (s.pdf <= 0.0 || dot(wiWorld, ng) <= 0.0) {
        payload.done = 1u;
        return;
    }
    payload.throughput *= s.weight;
    // Russian roulette: continue with probability of the throughput's
    // largest channel (capped), dividing by it so the estimate stays unbiased.
    if (g.rrDepth > 0u && payload.depth + 1u >= g.rrDepth) {
        float survive = min(max(payload.throughput.r, max(payload.throughput.g, payload.throughput.b)), 0.95);
        if (rngNext(payload.rng) >= survive) {
            payload.done = 1u;
            return;
        }
        payload.throughput /= survive;
    }
    payload.lastBsdfPdf = s.pdf;
    payload.coneWidth = coneWidth;
    payload.origin = origin;
    payload.direction = wiWorld;
}
