// Records exchanged between shaders/tests/field_eval.comp and the test that
// compares the GPU build of the tri-plane field evaluator with its C++ build
// (tests/gpu/test_field_gpu.cpp). Declared once for GLSL and C++; GLSL
// includers enable GL_EXT_buffer_reference, GL_EXT_scalar_block_layout and
// GL_EXT_shader_explicit_arithmetic_types_int64 first.
#ifndef NERVA_TESTS_FIELD_EVAL_IO_H
#define NERVA_TESTS_FIELD_EVAL_IO_H

#include "../shared/field/triplane_eval.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kFieldKernelLocalSize = 64;

// Per point (field space): x = fieldSdf, then fieldGradient's value and
// gradient.
struct FieldEvalResult {
    float sdf;
    float gradValue;
    vec3 gradient;
    float pad0;
};

struct FieldKernelPush {
    GpuField field;   // GPU addresses
    uint64_t points;  // vec3[count]
    uint64_t results; // FieldEvalResult[count], written
    uint count;
    uint pad0;
};

// What both builds compute for one point.
NERVA_FN FieldEvalResult fieldEvalPoint(GpuField f, vec3 p) {
    FieldEvalResult r;
    r.sdf = fieldSdf(f, p);
    vec4 g = fieldGradient(f, p);
    r.gradValue = g.x;
    r.gradient = vec3(g.y, g.z, g.w);
    r.pad0 = 0.0f;
    return r;
}

NERVA_SHARED_END

#endif
