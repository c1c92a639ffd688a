#version 460
// Compiles the neural material's shared headers (shaders/shared/neural) as
// GLSL and uses each entry point once, so that their GPU build is checked
// (tests/gpu/test_neural_glsl.cpp). Not dispatched by any test.
#extension GL_EXT_scalar_block_layout : require

#include "shared/neural/sampler_mixture.h"

layout(local_size_x = 1) in;

layout(push_constant, scalar) uniform Push {
    vec3 r012;
    vec3 r345;
    vec3 r678;
    vec3 wo;
    vec3 wi;
    vec3 u;
}
pc;

layout(binding = 0, scalar) writeonly buffer Out {
    vec3 result;
};

void main() {
    SamplerMixture m = samplerMixtureFromRaw(pc.r012, pc.r345, pc.r678);
    LobeSample s = samplerMixtureSample(m, pc.wo, pc.u);
    vec3 acc = s.wi * s.pdf + s.weight;
    acc += vec3(samplerMixturePdf(m, pc.wo, pc.wi), samplerMixtureLogPdf(m, pc.wo, pc.wi),
                samplerMixtureGgxLogPdf(m, pc.wo, pc.wi) + samplerMixtureCosLogPdf(m, pc.wi));
    acc += samplerMixtureSampleGgxNormal(m, pc.u.xy) + samplerMixtureSampleCos(m, pc.u.yz);
    acc += vec3(samplerSoftplus(pc.u.x), samplerLogSumExp(pc.u.y, pc.u.z), 0.0);
    result = acc;
}
