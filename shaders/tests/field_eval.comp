#version 460
// Runs the shared tri-plane field evaluator (fieldSdf, fieldGradient) on the
// GPU for comparison with its C++ build. Grid-stride loop.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require

#include "tests/field_eval_io.h"

layout(local_size_x = kFieldKernelLocalSize) in;

layout(buffer_reference, scalar) readonly buffer PointsRef { vec3 v[]; };
layout(buffer_reference, scalar) writeonly buffer ResultsRef { FieldEvalResult v[]; };

layout(push_constant, scalar) uniform Push { FieldKernelPush pc; };

void main() {
    const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    [[dont_unroll]] for (uint i = gl_GlobalInvocationID.x; i < pc.count; i += stride)
        ResultsRef(pc.results).v[i] = fieldEvalPoint(pc.field, PointsRef(pc.points).v[i]);
}
