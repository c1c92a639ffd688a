// Records exchanged between shaders/tests/bsdf_sample.comp and the tests that
// compare the GPU build of the shared BSDF code with its C++ build
// (tests/gpu/test_bsdf_chi2.cpp). Declared once for GLSL and C++; laid out so
// that GLSL's scalar layout and C++ agree (4-byte fields, addresses on
// 8-byte boundaries). GLSL includers must enable
// GL_EXT_shader_explicit_arithmetic_types_int64 first.
#ifndef NERVA_TESTS_BSDF_SAMPLE_IO_H
#define NERVA_TESTS_BSDF_SAMPLE_IO_H

#include "../shared/bsdf_gltf.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kBsdfKernelLocalSize = 64;
NERVA_CONST uint kBsdfKernelModeSample = 0; // BsdfSample per index from cases[caseIndex]
NERVA_CONST uint kBsdfKernelModeEval = 1;   // BsdfEvalResult per BsdfEvalQuery

// A material and an outgoing direction (local frame, z = normal).
struct BsdfTestCase {
    GltfBsdf bsdf;
    vec3 wo;
};

struct BsdfEvalQuery {
    vec3 wo;
    uint caseIndex; // material of cases[caseIndex]; its wo is ignored
    vec3 wi;
    uint pad0;
};

struct BsdfEvalResult {
    vec3 fcos; // gltfEval
    float pdf; // gltfPdf
};

struct BsdfKernelPush {
    uint64_t cases;   // BsdfTestCase[]
    uint64_t samples; // sample mode: BsdfSample[count], written
    uint64_t queries; // eval mode: BsdfEvalQuery[count]
    uint64_t results; // eval mode: BsdfEvalResult[count], written
    uint mode;        // kBsdfKernelMode*
    uint count;       // samples or queries
    uint caseIndex;   // sample mode: the case sampled
    uint seed;        // sample i uses rngSeed(seed, caseIndex, i), then u = 3 x rngNext
};

NERVA_SHARED_END

#endif
