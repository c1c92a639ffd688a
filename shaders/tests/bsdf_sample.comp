#version 460
// Runs the shared glTF BSDF on the GPU for comparison with its C++ build:
// sample mode draws `count` samples of one case (wi, pdf, weight each), eval
// mode evaluates gltfEval and gltfPdf at given direction pairs. Grid-stride
// loop, so any dispatch size covers any count.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require

#include "shared/bsdf_gltf.h"
#include "shared/rng.h"
#include "tests/bsdf_sample_io.h"

layout(local_size_x = kBsdfKernelLocalSize) in;

layout(buffer_reference, scalar) readonly buffer CasesRef { BsdfTestCase v[]; };
layout(buffer_reference, scalar) writeonly buffer SamplesRef { BsdfSample v[]; };
layout(buffer_reference, scalar) readonly buffer QueriesRef { BsdfEvalQuery v[]; };
layout(buffer_reference, scalar) writeonly buffer ResultsRef { BsdfEvalResult v[]; };

layout(push_constant, scalar) uniform Push { BsdfKernelPush pc; };

void main() {
    const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    [[dont_unroll]] for (uint i = gl_GlobalInvocationID.x; i < pc.count; i += stride) {
        if (pc.mode == kBsdfKernelModeSample) {
            BsdfTestCase c = CasesRef(pc.cases).v[pc.caseIndex];
            uint rng = rngSeed(pc.seed, pc.caseIndex, i);
            float u0 = rngNext(rng);
            float u1 = rngNext(rng);
            float u2 = rngNext(rng);
            SamplesRef(pc.samples).v[i] = gltfSample(c.bsdf, c.wo, vec3(u0, u1, u2));
        } else {
            BsdfEvalQuery q = QueriesRef(pc.queries).v[i];
            GltfBsdf m = CasesRef(pc.cases).v[q.caseIndex].bsdf;
            BsdfEvalResult r;
            r.fcos = gltfEval(m, q.wo, q.wi);
            r.pdf = gltfPdf(m, q.wo, q.wi);
            ResultsRef(pc.results).v[i] = r;
        }
    }
}
