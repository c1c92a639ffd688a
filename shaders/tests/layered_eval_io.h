// Records exchanged between shaders/tests/layered_eval.comp and the test that
// compares the GPU build of the layered material with its C++ build
// (tests/gpu/test_layered_gpu.cpp). Declared once for GLSL and C++; GLSL
// includers enable GL_EXT_buffer_reference, GL_EXT_scalar_block_layout and
// GL_EXT_shader_explicit_arithmetic_types_int64 first.
#ifndef NERVA_TESTS_LAYERED_EVAL_IO_H
#define NERVA_TESTS_LAYERED_EVAL_IO_H

#include "../shared/layered/layered_bsdf.h"
#include "../shared/layered/layered_fetch.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kLayeredKernelLocalSize = 64;

// One shading query: where, which material, the two directions (tangent
// space) and the random numbers of one sample.
struct LayeredEvalQuery {
    vec2 uv;
    float footprint; // uv units, both uv sets
    uint material;
    vec3 wo;
    float pad0;
    vec3 wi;
    float pad1;
    vec3 u;
    float pad2;
};

struct LayeredEvalResult {
    vec3 fcos; // layeredEval(wo, wi)
    float pdf; // layeredPdf(wo, wi)
    vec3 sampleWi;
    float samplePdf;
    vec3 sampleWeight;
    float pad0;
};

struct LayeredKernelPush {
    GpuLayeredView view;
    uint64_t queries; // LayeredEvalQuery[count]
    uint64_t results; // LayeredEvalResult[count], written
    uint count;
    uint pad0;
};

// The computation both builds run for one query.
NERVA_FN LayeredEvalResult layeredEvalQuery(LayeredView v, LayeredEvalQuery q) {
    LayeredUv tc;
    tc.uv0 = q.uv;
    tc.uv1 = q.uv;
    tc.footprint0 = q.footprint;
    tc.footprint1 = q.footprint;
    LayeredPoint p = layeredFetch(v, q.material, tc);
    LayeredEvalResult r;
    r.fcos = layeredEval(p, v.tables, q.wo, q.wi);
    r.pdf = layeredPdf(p, v.tables, q.wo, q.wi);
    LobeSample s = layeredSample(p, v.tables, q.wo, q.u);
    r.sampleWi = s.wi;
    r.samplePdf = s.pdf;
    r.sampleWeight = s.weight;
    r.pad0 = 0.0f;
    return r;
}

NERVA_SHARED_END

#endif
