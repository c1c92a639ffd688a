#version 460
// Runs the shared neural material (latent fetch from the bindless latent
// textures, level choice, eval, sampler pdf and sample) on the GPU for
// comparison with its C++ build (tests/gpu/test_neural_gpu.cpp). Grid-stride
// loop. NERVA_NEURAL_FP16=1 selects the float16_t MLP.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_nonuniform_qualifier : require
#extension GL_EXT_control_flow_attributes : require
#if defined(NERVA_NEURAL_FP16) && NERVA_NEURAL_FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#endif

#include "tests/neural_eval_io.h"

layout(local_size_x = kNeuralKernelLocalSize) in;

layout(buffer_reference, scalar) readonly buffer QueriesRef { NeuralEvalQuery v[]; };
layout(buffer_reference, scalar) writeonly buffer ResultsRef { NeuralEvalResult v[]; };

layout(push_constant, scalar) uniform Push { NeuralKernelPush pc; };

void main() {
    const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    [[dont_unroll]] for (uint i = gl_GlobalInvocationID.x; i < pc.count; i += stride)
        ResultsRef(pc.results).v[i] = neuralEvalQuery(pc.view, QueriesRef(pc.queries).v[i]);
}
