#version 460
// Runs the shared layered material (fetch with textures, eval, pdf, sample)
// on the GPU for comparison with its C++ build. Grid-stride loop, so any
// dispatch size covers any count.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require

#include "tests/layered_eval_io.h"

layout(local_size_x = kLayeredKernelLocalSize) in;

layout(buffer_reference, scalar) readonly buffer QueriesRef { LayeredEvalQuery v[]; };
layout(buffer_reference, scalar) writeonly buffer ResultsRef { LayeredEvalResult v[]; };

layout(push_constant, scalar) uniform Push { LayeredKernelPush pc; };

void main() {
    const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    [[dont_unroll]] for (uint i = gl_GlobalInvocationID.x; i < pc.count; i += stride)
        ResultsRef(pc.results).v[i] = layeredEvalQuery(pc.view, QueriesRef(pc.queries).v[i]);
}
