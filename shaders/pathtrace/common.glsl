// Declarations shared by the path tracer's ray-tracing stages: extensions,
// descriptor bindings, buffer-reference views of the scene records, payloads.
#ifndef NERVA_PATHTRACE_COMMON_GLSL
#define NERVA_PATHTRACE_COMMON_GLSL

#extension GL_EXT_ray_tracing : require
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_nonuniform_qualifier : require
#extension GL_EXT_control_flow_attributes : require
#if defined(NERVA_NEURAL_WATERFALL) && NERVA_NEURAL_WATERFALL
#extension GL_KHR_shader_subgroup_ballot : require
#endif
#if defined(NERVA_NEURAL_FP16) && NERVA_NEURAL_FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#endif

#include "shared/scene_types.h"

layout(set = 0, binding = kBindingTlas) uniform accelerationStructureEXT uTlas;
layout(set = 0, binding = kBindingTextures) uniform sampler2D uTextures[];

layout(buffer_reference, scalar) readonly buffer GlobalsRef { FrameGlobals g; };
layout(buffer_reference, scalar) readonly buffer MaterialsRef { GpuMaterial m[]; };
layout(buffer_reference, scalar) readonly buffer GeometriesRef { GpuGeometry g[]; };
layout(buffer_reference, scalar) readonly buffer LightsRef { GpuLight l[]; };
layout(buffer_reference, scalar) readonly buffer Vec2Ref { vec2 v[]; };
layout(buffer_reference, scalar) readonly buffer Vec3Ref { vec3 v[]; };
layout(buffer_reference, scalar) readonly buffer Vec4Ref { vec4 v[]; };
layout(buffer_reference, scalar) readonly buffer UintRef { uint v[]; };
layout(buffer_reference, scalar) buffer CountersRef { uint raysTraced; };
layout(buffer_reference, scalar) readonly buffer EmissiveRef { GpuEmissiveTriangle t[]; };
layout(buffer_reference, scalar) readonly buffer FloatRef { float v[]; };

layout(push_constant, scalar) uniform Push { PushConstants pc; };

// Path state carried between raygen and closest hit/miss (location 0).
struct PathPayload {
    vec3 radiance;   // accumulated along the path
    uint rng;
    vec3 throughput; // product of BSDF weights so far
    uint depth;      // index of the segment being traced (0 = camera ray)
    vec3 origin;     // next ray, written by the hit shader
    uint done;       // 1 when the path ended (miss, absorbed, last bounce)
    vec3 direction;
    uint rays;       // rays traced for this sample, for Mrays/s
    float lastBsdfPdf; // solid-angle pdf of the BSDF sample that made this ray (0: camera ray)
    float coneWidth;   // ray-cone width at the ray origin (world units)
    float coneSpread;  // ray-cone spread angle (radians)
    float hitDistance; // camera ray's hit distance, 0 = miss (AOV)
    vec3 albedo;       // first-hit base colour (AOV)
    uint pad0;
    vec3 normal;       // first-hit shading normal (AOV)
    uint pad1;
};

// A contribution to the pixel, with the optional (biased) firefly clamp.
vec3 clampContribution(vec3 c, float maxLuminance) {
    float l = luminance(c);
    return maxLuminance > 0.0 && l > maxLuminance ? c * (maxLuminance / l) : c;
}

#define NERVA_RAY_PATH 0
#define NERVA_RAY_SHADOW 1

FrameGlobals globals() { return GlobalsRef(pc.globals).g; }

#endif
