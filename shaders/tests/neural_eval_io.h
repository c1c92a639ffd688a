// Records exchanged between shaders/tests/neural_eval.comp and
// tests/gpu/test_neural_gpu.cpp, which compares the GPU build of
// shaders/shared/neural/neural_eval.h (latents from textures) with its C++
// build (neural/material/neural_eval_cpu.h). Declared once for GLSL and C++
// (scalar layout); GLSL includers enable the extensions neural_eval.h lists.
#ifndef NERVA_TESTS_NEURAL_EVAL_IO_H
#define NERVA_TESTS_NEURAL_EVAL_IO_H

#include "../shared/neural/neural_eval.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kNeuralKernelLocalSize = 64;

// One query (64 bytes): where, the footprint (uv units) and the random number
// of the level choice, the directions (tangent space) and a sample's randoms.
struct NeuralEvalQuery {
    vec2 uv;
    float footprint;
    float uLevel;
    vec3 wo;
    uint material;
    vec3 wi;
    float pad0;
    vec3 u;
    float pad1;
};

// What both builds compute for it (48 bytes).
struct NeuralEvalResult {
    vec3 fcos; // neuralEval(wo, wi)
    float pdf; // sampler mixture pdf of wi
    vec3 sampleWi;
    float samplePdf;
    uint level; // neuralLatentLevel
    uint pad0;
    uint pad1;
    uint pad2;
};

struct NeuralKernelPush {
    GpuNeuralView view;
    uint64_t queries; // NeuralEvalQuery[count]
    uint64_t results; // NeuralEvalResult[count], written
    uint count;
    uint pad0;
};

// The query at a given latent level.
NERVA_FN NeuralEvalResult neuralEvalQueryAt(NeuralView v, NeuralEvalQuery q, uint level) {
    GpuNeuralMaterial m = NERVA_NEURAL_MATERIAL(v, q.material);
    NeuralLatent z = neuralFetchLatent(v, m, q.uv, level);
    NeuralEvalResult r;
    r.fcos = neuralEval(v, m, z, q.wo, q.wi);
    SamplerMixture sm = neuralSamplerMixture(v, m, z, q.wo);
    r.pdf = samplerMixturePdf(sm, q.wo, q.wi);
    LobeSample s = samplerMixtureSample(sm, q.wo, q.u);
    r.sampleWi = s.wi;
    r.samplePdf = s.pdf;
    r.level = level;
    r.pad0 = 0u;
    r.pad1 = 0u;
    r.pad2 = 0u;
    return r;
}

NERVA_FN NeuralEvalResult neuralEvalQuery(NeuralView v, NeuralEvalQuery q) {
    GpuNeuralMaterial m = NERVA_NEURAL_MATERIAL(v, q.material);
    return neuralEvalQueryAt(v, q, neuralLatentLevel(m, q.footprint, q.uLevel));
}

NERVA_SHARED_END

#endif
