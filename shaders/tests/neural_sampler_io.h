// Records exchanged between shaders/tests/neural_sampler.comp and
// tests/gpu/test_neural_sampler_gpu.cpp, which compares the GPU build of
// shaders/shared/neural/sampler_mixture.h with its C++ build. Declared once
// for GLSL and C++ (scalar layout: 4-byte fields, 8-byte fields on 8-byte
// boundaries). GLSL includers must enable
// GL_EXT_shader_explicit_arithmetic_types_int64 first.
#ifndef NERVA_TESTS_NEURAL_SAMPLER_IO_H
#define NERVA_TESTS_NEURAL_SAMPLER_IO_H

#include "../shared/neural/sampler_mixture.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kSamplerKernelLocalSize = 64;

// Raw outputs, a direction pair and random numbers for one sample.
struct SamplerQuery {
    vec3 r012;
    vec3 r345;
    vec3 r678;
    vec3 wo;
    vec3 wi;
    vec3 u;
};

struct SamplerResult {
    float pdf;       // samplerMixturePdf(wo, wi)
    float logPdf;    // samplerMixtureLogPdf(wo, wi)
    vec3 sampleWi;   // samplerMixtureSample(wo, u).wi
    float samplePdf; // ... .pdf
};

struct SamplerKernelPush {
    uint64_t queries; // SamplerQuery[count]
    uint64_t results; // SamplerResult[count], written
    uint count;
    uint pad0;
};

NERVA_SHARED_END

#endif
