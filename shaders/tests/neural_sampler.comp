#version 460
// Evaluates the shared sampler mixture on the GPU for comparison with its C++
// build (tests/gpu/test_neural_sampler_gpu.cpp): pdf, log pdf and one sample
// per query. Grid-stride loop, so any dispatch size covers any count.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require

#include "shared/neural/sampler_mixture.h"
#include "tests/neural_sampler_io.h"

layout(local_size_x = kSamplerKernelLocalSize) in;

layout(buffer_reference, scalar) readonly buffer QueriesRef {
    SamplerQuery v[];
};
layout(buffer_reference, scalar) writeonly buffer ResultsRef {
    SamplerResult v[];
};

layout(push_constant, scalar) uniform Push {
    SamplerKernelPush pc;
};

void main() {
    const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    [[dont_unroll]] for (uint i = gl_GlobalInvocationID.x; i < pc.count; i += stride) {
        SamplerQuery q = QueriesRef(pc.queries).v[i];
        SamplerMixture m = samplerMixtureFromRaw(q.r012, q.r345, q.r678);
        LobeSample s = samplerMixtureSample(m, q.wo, q.u);
        SamplerResult r;
        r.pdf = samplerMixturePdf(m, q.wo, q.wi);
        r.logPdf = samplerMixtureLogPdf(m, q.wo, q.wi);
        r.sampleWi = s.wi;
        r.samplePdf = s.pdf;
        ResultsRef(pc.results).v[i] = r;
    }
}
