// Tri-plane SDF fields in the ray-tracing stages (docs/fields.md): the
// record of the hit instance and the sphere-tracing constants shared by
// field.rint (which marches) and field.rchit (which offsets new rays).
#ifndef NERVA_PATHTRACE_FIELD_COMMON_GLSL
#define NERVA_PATHTRACE_FIELD_COMMON_GLSL

#include "pathtrace/common.glsl"
#include "shared/field/triplane_eval.h"

layout(buffer_reference, scalar) readonly buffer FieldsRef { GpuField f[]; };
layout(buffer_reference, scalar) buffer FieldStatsRef { uint calls; uint steps; };

// Hit when the SDF falls below kFieldEpsilon field units (1e-4 of the box's
// size 2); steps are kFieldStepScale * |sdf| (below 1: the learned SDF is not
// an exact distance), at least kFieldEpsilon; at most kFieldMaxSteps
// evaluations in the march, then kFieldRefineSteps of regula falsi when a
// step overshot into the inside.
const float kFieldEpsilon = 2e-4;
const float kFieldStepScale = 0.9;
const uint kFieldMaxSteps = 96u;
const uint kFieldRefineSteps = 4u;
// kDebugViewFieldSteps shows kDebugFieldStepsFull (shared/scene_types.h) as
// its brightest colour: the most steps one march takes (array size 0, an
// error, when the two disagree).
const uint kFieldStepsCheck[kFieldMaxSteps + kFieldRefineSteps == kDebugFieldStepsFull ? 1 : 0] =
    uint[1](0u);

// The hit attribute field.rint reports and field.rchit reads, 16 bytes
// (maxRayHitAttributeSize is at least 32): the hit point in field space and
// the steps the march took to find it (for kDebugViewFieldSteps).
struct FieldHitAttributes {
    vec3 p;
    uint steps;
};

GpuField hitField() {
    return FieldsRef(globals().fields).f[gl_InstanceCustomIndexEXT];
}

#endif
