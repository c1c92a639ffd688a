// Shading at a path vertex, shared by every closest-hit shader (triangles:
// pathtrace.rchit, tri-plane fields: field.rchit): given the surface the
// hit shader reconstructed, read the material (layered reference or neural,
// surface_bsdf.glsl) at the ray-cone level of detail, add emission (MIS-weighted against light sampling), light the
// point by next-event estimation (every punctual light, one emissive
// triangle, one environment direction), then sample the BSDF for the next
// segment, with Russian roulette. Declares the path and shadow payloads.
#ifndef NERVA_PATHTRACE_SHADE_SURFACE_GLSL
#define NERVA_PATHTRACE_SHADE_SURFACE_GLSL

#include "pathtrace/environment.glsl"
#include "pathtrace/lights.glsl"
#include "pathtrace/surface_bsdf.glsl"
#include "shared/rng.h"

layout(location = 0) rayPayloadInEXT PathPayload payload;
layout(location = 1) rayPayloadEXT uint shadowVisible;

// What a hit shader knows about the surface, in world space.
struct SurfaceHit {
    vec3 p;           // the hit point
    vec3 ng;          // unit geometric normal, facing the viewer
    vec3 origin;      // where rays leaving the surface start (p offset along ng)
    Frame frame;      // shading frame (+z the shading normal, facing ng's side)
    TexCoords tc;     // both uv sets and their ray-cone footprints
    uint material;    // GpuMaterial / layered material index
    float coneWidth;  // ray-cone width at the hit (world units)
    float cosIn;      // dot(ng, wo)
    float emitterArea; // world area of the emitting triangle for light-sampling MIS; 0: not light-sampled
    uint fieldSteps;   // fields: sphere-tracing steps of the march that found the hit; triangles: 0
};

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

// Viridis, t in [0, 1] (a degree-6 polynomial fit of matplotlib's map):
// dark purple to bright yellow, the green channel rising monotonically.
vec3 debugViridis(float t) {
    const vec3 c0 = vec3(0.2777273272234177, 0.005407344544966578, 0.3340998053353061);
    const vec3 c1 = vec3(0.1050930431085774, 1.404613529898575, 1.384590162594685);
    const vec3 c2 = vec3(-0.3308618287255563, 0.214847559468213, 0.09509516302823659);
    const vec3 c3 = vec3(-4.634230498983486, -5.799100973351585, -19.33244095627987);
    const vec3 c4 = vec3(6.228269936347081, 14.17993336680509, 56.69055260068105);
    const vec3 c5 = vec3(4.776384997670288, -13.74514537774601, -65.35303263337234);
    const vec3 c6 = vec3(-5.435455855934631, 4.645852612178535, 26.3124352495832);
    t = clamp(t, 0.0, 1.0);
    return clamp(c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6))))), 0.0, 1.0);
}

// The first-hit shading normal, world space (the normal AOV): the layered
// material's base frame (its normal maps), the surface frame for neural ones.
vec3 firstHitNormal(Frame frame, SurfaceBsdf bsdf) {
    return toWorld(frame, bsdf.neural ? vec3(0.0, 0.0, 1.0) : bsdf.lp.baseFrame.n);
}

void addRadiance(FrameGlobals g, vec3 c) {
    payload.radiance += clampContribution(c, g.clampLuminance);
}

void shadeSurface(FrameGlobals g, SurfaceHit h) {
    // kDebugViewFieldSteps needs no material: fields show their march's
    // steps, triangles grey (scene_types.h).
    if (g.debugView == kDebugViewFieldSteps && payload.depth == 0u) {
        payload.hitDistance = gl_HitTEXT;
        payload.radiance = h.fieldSteps > 0u
                               ? debugViridis(float(h.fieldSteps) / float(kDebugFieldStepsFull))
                               : vec3(0.18);
        payload.done = 1u;
        return;
    }
    GpuMaterial mat = MaterialsRef(g.materials).m[h.material];
    vec3 wo = -gl_WorldRayDirectionEXT;
    vec3 p = h.p;
    vec3 ng = h.ng;
    Frame frame = h.frame;
    TexCoords tc = h.tc;

    // Interpolated and mapped normals can face away from the viewer near
    // silhouettes; the BSDF has no valid hemisphere there, so fall back to
    // the geometric normal instead of ending the path.
    if (dot(frame.n, wo) <= 1e-4) frame = frameFromNormalTangent(ng, frame.t, 1.0);
    vec3 woLocal = toLocal(frame, wo);
    SurfaceBsdf bsdf = surfaceBsdf(g, h.material, tc, woLocal, payload.rng);

    if (g.debugView != kDebugViewNone && payload.depth == 0u) {
        payload.hitDistance = gl_HitTEXT;
        payload.radiance = g.debugView == kDebugViewNormals
                               ? 0.5 + 0.5 * firstHitNormal(frame, bsdf)
                               : surfaceDebugColour(g, bsdf);
        payload.done = 1u;
        return;
    }

    if (payload.depth == 0u) {
        payload.hitDistance = gl_HitTEXT;
        // Neural materials have no albedo to read: theirs is estimated by the
        // continuation sample's weight below (E[f cos / pdf] = albedo).
        payload.albedo = bsdf.neural ? vec3(0.0)
                                     : bsdf.lp.diffuseColor +
                                           bsdf.lp.conductorCoverage * bsdf.lp.conductorF0;
        payload.normal = firstHitNormal(frame, bsdf);
    }

    // Emission found by this ray. Camera rays see it fully; later rays weigh
    // it against the chance that light sampling would have found it (never,
    // for surfaces that are not emissive triangles: weight 1).
    vec3 emission = emissionOf(mat, tc);
    if (max(emission.r, max(emission.g, emission.b)) > 0.0) {
        float w = 1.0;
        if (payload.depth > 0u && h.emitterArea > 0.0) {
            if (g.samplingMode == kSamplingLight) w = 0.0;
            else if (g.samplingMode == kSamplingMis) {
                float select = emissiveSelectionPdf(mat.emissive, h.emitterArea, g.emissivePower);
                float lightPdf = areaToSolidAngle(select / max(h.emitterArea, 1e-20), gl_HitTEXT, h.cosIn);
                w = powerHeuristic(payload.lastBsdfPdf, lightPdf);
            }
        }
        addRadiance(g, payload.throughput * emission * w);
    }

    vec3 origin = h.origin;

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
        vec3 fcos = surfaceEval(bsdf, woLocal, wiLocal);
        if (max(fcos.r, max(fcos.g, fcos.b)) <= 0.0) continue;
        float w = lightPdf > 0.0 && g.samplingMode == kSamplingMis
                      ? powerHeuristic(lightPdf, surfacePdf(bsdf, woLocal, wiLocal))
                      : 1.0;
        float maxDist = dist < 1e30 ? dist * (1.0 - 1e-4) : 1e30;
        if (unoccluded(origin, wi, maxDist)) addRadiance(g, payload.throughput * fcos * li * w);
    }

    if (payload.depth >= g.maxBounces) {
        payload.done = 1u;
        return;
    }
    vec3 u = vec3(rngNext(payload.rng), rngNext(payload.rng), rngNext(payload.rng));
    LobeSample s = surfaceSample(bsdf, woLocal, u);
    if (payload.depth == 0u && bsdf.neural) payload.albedo = s.pdf > 0.0 ? s.weight : vec3(0.0);
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
    payload.coneWidth = h.coneWidth;
    payload.origin = origin;
    payload.direction = wiWorld;
}

#endif
