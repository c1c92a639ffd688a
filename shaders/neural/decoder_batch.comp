#version 460
// The batch decoder's scalar fp32 path (renderer/gpu/neural_batch_decoder.h):
// one query per invocation through the shared neuralEval, the baseline the
// cooperative-matrix kernel (decoder_coop.comp) is compared and timed with.
// The includer (the host class) specialises the decoder's shape with
// NERVA_NEURAL_{DECODER,SAMPLER}_{HIDDEN,WIDTH}, so the layers unroll into
// registers as in the path tracer. Grid-stride loop.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_nonuniform_qualifier : require
#extension GL_EXT_control_flow_attributes : require

#include "neural/decoder_batch_io.h"

layout(local_size_x = kNeuralDecodeLocalSize) in;

layout(buffer_reference, scalar) readonly buffer QueriesRef { NeuralDecodeQuery v[]; };
layout(buffer_reference, scalar) writeonly buffer ResultsRef { vec3 v[]; };

layout(push_constant, scalar) uniform Push { NeuralDecodePush pc; };

void main() {
    const GpuNeuralMaterial m = NERVA_NEURAL_MATERIAL(pc.view, pc.material);
    const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    [[dont_unroll]] for (uint i = gl_GlobalInvocationID.x; i < pc.count; i += stride) {
        const NeuralDecodeQuery q = QueriesRef(pc.queries).v[i];
        NeuralLatent z;
        z.a = q.latentA;
        z.b = q.latentB;
        ResultsRef(pc.results).v[i] = neuralEval(pc.view, m, z, q.wo, q.wi);
    }
}
