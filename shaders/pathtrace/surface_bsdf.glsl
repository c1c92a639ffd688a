// The BSDF at a path vertex: a material's layered reference, or its neural
// version (shared/neural/neural_eval.h) when this frame renders it neural
// (FrameGlobals::neuralOfMaterial). One set of eval / pdf / sample functions,
// so that shadeSurface inlines each of them once (lavapipe's LLVM JIT time
// grows with every inlined copy). The neural branch never fetches the
// layered textures: that is the cost it replaces.
//
// Neural conventions (as trained, neural/material/trainer.h): directions in
// the surface's tangent frame (x along +u of uv set 0, z the interpolated
// normal; the learned frames play the normal maps' part), latents read at uv
// set 0 with its ray-cone footprint; f cos is 0 unless both wo and wi are
// above the shading horizon; importance sampling and MIS pdfs come from the
// sampler network's analytic mixture, evaluated once per vertex for wo.
#ifndef NERVA_PATHTRACE_SURFACE_BSDF_GLSL
#define NERVA_PATHTRACE_SURFACE_BSDF_GLSL

#include "pathtrace/material_fetch.glsl"
#include "shared/layered/layered_bsdf.h"
#include "shared/layered/layered_fetch.h"
#define NERVA_NEURAL_LATENT_ARRAY uTextures
#include "shared/neural/neural_eval.h"

#ifndef NERVA_NEURAL_WATERFALL
#define NERVA_NEURAL_WATERFALL 0
#endif

layout(buffer_reference, scalar) readonly buffer IntRef { int v[]; };

struct SurfaceBsdf {
    bool neural;
    LayeredPoint lp; // the reference (not fetched when neural)
    AlbedoTables tables;
    GpuNeuralView view;
    uint record; // the GpuNeuralMaterial's index
    GpuNeuralMaterial nm;
    uint level; // the latent level chosen for this point
    NeuralLatent z;
    SamplerMixture mixture; // the neural sampler's lobes for this vertex's wo
};

// The neural record that renders `material` this frame, -1: its reference.
int neuralMaterialOf(FrameGlobals g, uint material) {
    if (g.neuralOfMaterial == 0ul) return -1;
    return IntRef(g.neuralOfMaterial).v[material];
}

// The networks. With NERVA_NEURAL_WATERFALL (set by the path tracer where the
// device has subgroup ballots in closest-hit shaders; lavapipe has not) they
// run once per distinct material among the active invocations of the
// subgroup: inside the loop the material record, and so every weight
// address, is subgroup-uniform, so each weight is one scalar load for the
// subgroup instead of one load per invocation. Coherent hits (one material)
// take one trip. Without it, each invocation reads its own record.
SamplerMixture coherentSamplerMixture(SurfaceBsdf b, vec3 wo) {
#if NERVA_NEURAL_WATERFALL
    SamplerMixture m;
    [[dont_unroll]] for (;;) {
        uint lead = subgroupBroadcastFirst(b.record);
        if (lead == b.record) {
            m = neuralSamplerMixture(b.view, NERVA_NEURAL_MATERIAL(b.view, lead), b.z, wo);
            break;
        }
    }
    return m;
#else
    return neuralSamplerMixture(b.view, b.nm, b.z, wo);
#endif
}

vec3 coherentNeuralEval(SurfaceBsdf b, vec3 wo, vec3 wi) {
#if NERVA_NEURAL_WATERFALL
    vec3 f;
    [[dont_unroll]] for (;;) {
        uint lead = subgroupBroadcastFirst(b.record);
        if (lead == b.record) {
            f = neuralEval(b.view, NERVA_NEURAL_MATERIAL(b.view, lead), b.z, wo, wi);
            break;
        }
    }
#else
    vec3 f = neuralEval(b.view, b.nm, b.z, wo, wi);
#endif
    return max(f, vec3(0.0));
}

// The BSDF of `material` at tc for the outgoing direction woLocal. The neural
// latent level is chosen stochastically (one random number, drawn only for
// neural materials).
SurfaceBsdf surfaceBsdf(FrameGlobals g, uint material, TexCoords tc, vec3 woLocal,
                        inout uint rng) {
    SurfaceBsdf b;
    int neural = neuralMaterialOf(g, material);
    b.neural = neural >= 0;
    b.tables = g.layered.tables;
    if (b.neural) {
        b.view = GpuNeuralView(g.neuralMaterials, g.neuralWeights);
        b.record = uint(neural);
        b.nm = NERVA_NEURAL_MATERIAL(b.view, b.record);
        b.level = neuralLatentLevel(b.nm, tc.footprint0, rngNext(rng));
        b.z = neuralFetchLatent(b.view, b.nm, tc.uv0, b.level);
        b.mixture = coherentSamplerMixture(b, woLocal);
    } else {
        LayeredUv luv;
        luv.uv0 = tc.uv0;
        luv.uv1 = tc.uv1;
        luv.footprint0 = tc.footprint0;
        luv.footprint1 = tc.footprint1;
        b.lp = layeredFetch(g.layered, material, luv);
    }
    return b;
}

// What the inspection views (kDebugViewLatents, kDebugViewLatentLevel) show
// for this point.
vec3 surfaceDebugColour(FrameGlobals g, SurfaceBsdf b) {
    if (!b.neural) return vec3(0.18);
    if (g.debugView == kDebugViewLatentLevel) {
        const vec3 palette[8] = vec3[8](vec3(1, 0, 0), vec3(1, 0.5, 0), vec3(1, 1, 0), vec3(0, 1, 0),
                                        vec3(0, 1, 1), vec3(0, 0.3, 1), vec3(0.6, 0, 1), vec3(1));
        return palette[min(b.level, 7u)];
    }
    float c[8] = float[8](b.z.a.x, b.z.a.y, b.z.a.z, b.z.a.w, b.z.b.x, b.z.b.y, b.z.b.z, b.z.b.w);
    uint k = min(g.debugChannel, 5u);
    return clamp(vec3(c[k], c[k + 1u], c[k + 2u]) * 0.25 + 0.5, 0.0, 1.0);
}

// f cos for local directions (rgb, >= 0).
vec3 surfaceEval(SurfaceBsdf b, vec3 wo, vec3 wi) {
    if (b.neural) {
        if (!(wo.z > 0.0 && wi.z > 0.0)) return vec3(0.0);
        return coherentNeuralEval(b, wo, wi);
    }
    return layeredEval(b.lp, b.tables, wo, wi);
}

// The solid-angle pdf with which surfaceSample draws wi.
float surfacePdf(SurfaceBsdf b, vec3 wo, vec3 wi) {
    if (b.neural) return samplerMixturePdf(b.mixture, wo, wi);
    return layeredPdf(b.lp, b.tables, wo, wi);
}

// A continuation direction with weight f cos / pdf.
LobeSample surfaceSample(SurfaceBsdf b, vec3 wo, vec3 u) {
    if (b.neural) {
        LobeSample s = samplerMixtureSample(b.mixture, wo, u);
        // wo.z > 0 and wi.z > 0 hold for every sample with pdf > 0.
        if (s.pdf > 0.0) s.weight = coherentNeuralEval(b, wo, s.wi) / s.pdf;
        return s;
    }
    return layeredSample(b.lp, b.tables, wo, u);
}

#endif
