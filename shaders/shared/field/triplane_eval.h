// Evaluation of a tri-plane SDF field (DESIGN.md §5) for the renderer,
// declared once for GLSL and C++: the GPU intersection and closest-hit
// shaders and the CPU reference (tests) run this very code.
//
// The model and its conventions are those of neural/field/triplane_field.h
// and docs/ntri-format.md: field box [-1, 1]^3; planes XY (u, v) = (x, y),
// XZ (x, z), YZ (y, z); R x R x C values per plane, row-major [v][u][c];
// texel centres at -1 + (i + 0.5) 2 / R; bilinear, clamp-to-edge; levels
// l = 0..L-1 of resolution max(R >> l, 2), every plane of every level SUMMED
// into C features; an MLP (ReLU hidden, linear last layer) whose output 0 is
// the truncated signed distance in field units, negative inside.
//
// Storage: plane values and MLP parameters are fp32 in plain arrays (the
// .ntri file's fp16 or 8-bit values decoded on upload: exact, and 2x the
// memory of fp16 — 3 MB for 128^2 x 16 — which buys loads with no
// conversion in the sphere-tracing loop). Planes: levels finest first,
// planes XY, XZ, YZ within a level. MLP: per layer W[out][in] row-major,
// then bias[out] when the layer has one (nn::Mlp layout).
//
// Addresses: on the GPU they are buffer device addresses read through
// buffer_reference (GLSL includers enable GL_EXT_buffer_reference,
// GL_EXT_scalar_block_layout and GL_EXT_shader_explicit_arithmetic_types_int64
// first); in C++ the same uint64 fields hold host pointers
// (neural/field/field_gpu_data.h builds both).
//
// fieldSdf: output 0 only. fieldGradient: the value and its analytic spatial
// gradient d sdf / d p_field, propagated forward through the taps and the MLP
// (the same derivative triplane_field.cpp computes in reverse mode).
#ifndef NERVA_SHARED_FIELD_TRIPLANE_EVAL_H
#define NERVA_SHARED_FIELD_TRIPLANE_EVAL_H

#include "../prelude.h"

NERVA_SHARED_BEGIN

// Limits of the GPU evaluator (the host helper rejects larger networks).
NERVA_CONST uint kFieldMaxLayers = 4; // MLP layers
NERVA_CONST uint kFieldMaxWidth = 64; // features and hidden units
NERVA_CONST uint kFieldMaxLevels = 3;

// One field, std430/scalar layout, 96 bytes (static_assert below).
struct GpuField {
    uint64_t planes; // float[]: all plane values (see the file comment)
    uint64_t mlp;    // float[]: all MLP parameters
    uint64_t stats;  // uint[2] += (intersection calls, sphere-tracing steps); 0 = not counted
    uint resolution; // level 0 texels per side
    uint channels;   // C = widths[0]
    uint levels;     // 1..kFieldMaxLevels
    uint layerCount; // 1..kFieldMaxLayers
    uint widths[kFieldMaxLayers + 1]; // widths[0] = C, widths[layerCount] = outputs (>= 1)
    uint biasMask;                    // bit l set: layer l has a bias
    float truncation; // tau of the sdf (field units); far from the surface |sdf| ~ tau
    uint material;    // index into the scene's materials (GpuMaterial / layered, same index)
    uint pad0;
    // Object space of the instance -> field box: p_field = (p_object - xyz) * w.
    // The renderer places fields with object space = field box (identity:
    // xyz = 0, w = 1); the AABB of the instance's BLAS is xyz +- 1 / w.
    vec4 fieldFromObject;
};

NERVA_SHARED_END

#ifdef __cplusplus
namespace nerva::shared {
static_assert(sizeof(GpuField) == 96, "GpuField must match its GLSL scalar layout");
inline float fieldLoad(uint64_t address, uint index) {
    return reinterpret_cast<const float*>(static_cast<uintptr_t>(address))[index];
}
} // namespace nerva::shared
#define NERVA_FIELD_LOAD(address, index) fieldLoad((address), (index))
#else
layout(buffer_reference, scalar) readonly buffer FieldFloatsRef {
    float v[];
};
#define NERVA_FIELD_LOAD(address, index) FieldFloatsRef(address).v[(index)]
#endif

// Loop bounds: from the record, or, in GLSL built with NERVA_FIELD_CHANNELS,
// NERVA_FIELD_LEVELS, NERVA_FIELD_LAYERS and NERVA_FIELD_HIDDEN defined (every
// field of the scene has that shape: C channels, L layers, all hidden layers
// H wide, 1 output), compile-time constants: the loops unroll and the
// activations stay in registers (about 2x faster sphere tracing on lavapipe).
// The renderer picks the specialisation (renderer/gpu/gpu_fields.h,
// FieldShape); the record must match it.
#if !defined(__cplusplus) && defined(NERVA_FIELD_CHANNELS)
#define NERVA_FIELD_UNROLL [[unroll]]
#define NERVA_FIELD_C(f) uint(NERVA_FIELD_CHANNELS)
#define NERVA_FIELD_NLEVELS(f) uint(NERVA_FIELD_LEVELS)
#define NERVA_FIELD_NLAYERS(f) uint(NERVA_FIELD_LAYERS)
#define NERVA_FIELD_WIDTH(f, l)                                                                    \
    ((l) == 0u ? uint(NERVA_FIELD_CHANNELS)                                                        \
               : ((l) == uint(NERVA_FIELD_LAYERS) ? 1u : uint(NERVA_FIELD_HIDDEN)))
#else
#define NERVA_FIELD_UNROLL
#define NERVA_FIELD_C(f) (f).channels
#define NERVA_FIELD_NLEVELS(f) (f).levels
#define NERVA_FIELD_NLAYERS(f) (f).layerCount
#define NERVA_FIELD_WIDTH(f, l) (f).widths[(l)]
#endif

NERVA_SHARED_BEGIN

// One axis of the bilinear taps of a plane of resolution R at coordinate a
// (field units), as bilinearTaps() in triplane_field.cpp: the two texel
// indices (clamped), the fraction toward the second, and d s / d a.
struct FieldAxisTaps {
    uint i0;
    uint i1;
    float frac;
    float scale; // R / 2: d (texel coordinate) / d a
};

NERVA_FN FieldAxisTaps fieldAxisTaps(float a, uint resolution) {
    FieldAxisTaps t;
    t.scale = float(resolution) * 0.5f;
    float s = (a + 1.0f) * t.scale - 0.5f;
    float f0 = floor(s);
    t.frac = s - f0;
    int last = int(resolution) - 1;
    // Clamp in floating point first: huge coordinates must not overflow int.
    t.i0 = uint(clamp(int(clamp(f0, -1.0f, float(last + 1))), 0, last));
    t.i1 = uint(clamp(int(clamp(f0 + 1.0f, -1.0f, float(last + 1))), 0, last));
    return t;
}

// Level l resolution: max(R >> l, 2).
NERVA_FN uint fieldLevelResolution(uint resolution, uint level) {
    return max(resolution >> level, 2u);
}

// Plane k's (u, v) coordinates of p: XY (x, y), XZ (x, z), YZ (y, z).
NERVA_FN vec2 fieldPlaneCoords(uint k, vec3 p) {
    return vec2(k == 2u ? p.y : p.x, k == 0u ? p.y : p.z);
}

// The summed features with their gradient: x = feature, yzw = d / d p.
// Sets a[0 .. C-1].
struct FieldActivations {
    vec4 a[kFieldMaxWidth];
};
struct FieldValues {
    float a[kFieldMaxWidth];
};

NERVA_FN FieldValues fieldFeatures(GpuField f, vec3 p) {
    FieldValues res;
    uint C = NERVA_FIELD_C(f);
    NERVA_FIELD_UNROLL for (uint c = 0u; c < C; ++c) res.a[c] = 0.0f;
    uint base = 0u;
    NERVA_FIELD_UNROLL for (uint l = 0u; l < NERVA_FIELD_NLEVELS(f); ++l) {
        uint R = fieldLevelResolution(f.resolution, l);
        NERVA_FIELD_UNROLL for (uint k = 0u; k < 3u; ++k) {
            vec2 ab = fieldPlaneCoords(k, p);
            FieldAxisTaps ta = fieldAxisTaps(ab.x, R);
            FieldAxisTaps tb = fieldAxisTaps(ab.y, R);
            // Taps in triplane_field.cpp's order: (i0,j0) (i1,j0) (i0,j1) (i1,j1).
            NERVA_FIELD_UNROLL for (uint q = 0u; q < 4u; ++q) {
                uint i = (q & 1u) != 0u ? ta.i1 : ta.i0;
                uint j = (q & 2u) != 0u ? tb.i1 : tb.i0;
                float wa = (q & 1u) != 0u ? ta.frac : 1.0f - ta.frac;
                float wb = (q & 2u) != 0u ? tb.frac : 1.0f - tb.frac;
                float w = wa * wb;
                uint texel = base + (j * R + i) * C;
                NERVA_FIELD_UNROLL for (uint c = 0u; c < C; ++c) res.a[c] +=
                    w * NERVA_FIELD_LOAD(f.planes, texel + c);
            }
            base += R * R * C;
        }
    }
    return res;
}

NERVA_FN FieldActivations fieldFeaturesGrad(GpuField f, vec3 p) {
    FieldActivations res;
    uint C = NERVA_FIELD_C(f);
    NERVA_FIELD_UNROLL for (uint c = 0u; c < C; ++c) res.a[c] = vec4(0.0f);
    uint base = 0u;
    NERVA_FIELD_UNROLL for (uint l = 0u; l < NERVA_FIELD_NLEVELS(f); ++l) {
        uint R = fieldLevelResolution(f.resolution, l);
        NERVA_FIELD_UNROLL for (uint k = 0u; k < 3u; ++k) {
            vec2 ab = fieldPlaneCoords(k, p);
            FieldAxisTaps ta = fieldAxisTaps(ab.x, R);
            FieldAxisTaps tb = fieldAxisTaps(ab.y, R);
            NERVA_FIELD_UNROLL for (uint q = 0u; q < 4u; ++q) {
                bool qa = (q & 1u) != 0u, qb = (q & 2u) != 0u;
                uint i = qa ? ta.i1 : ta.i0;
                uint j = qb ? tb.i1 : tb.i0;
                float wa = qa ? ta.frac : 1.0f - ta.frac;
                float wb = qb ? tb.frac : 1.0f - tb.frac;
                // d w / d a and d w / d b (clamped taps cancel: edge is flat).
                float da = (qa ? ta.scale : -ta.scale) * wb;
                float db = (qb ? tb.scale : -tb.scale) * wa;
                // (a, b) -> axes: XY (x, y), XZ (x, z), YZ (y, z).
                vec3 dw = k == 0u ? vec3(da, db, 0.0f)
                                  : (k == 1u ? vec3(da, 0.0f, db) : vec3(0.0f, da, db));
                vec4 w = vec4(wa * wb, dw);
                uint texel = base + (j * R + i) * C;
                NERVA_FIELD_UNROLL for (uint c = 0u; c < C; ++c) res.a[c] +=
                    w * NERVA_FIELD_LOAD(f.planes, texel + c);
            }
            base += R * R * C;
        }
    }
    return res;
}

// The MLP on the features: output 0 (the truncated SDF, field units).
NERVA_FN float fieldSdf(GpuField f, vec3 p) {
    FieldValues x = fieldFeatures(f, p);
    FieldValues y;
    uint offset = 0u;
    NERVA_FIELD_UNROLL for (uint l = 0u; l < NERVA_FIELD_NLAYERS(f); ++l) {
        uint nIn = NERVA_FIELD_WIDTH(f, l), nOut = NERVA_FIELD_WIDTH(f, l + 1u);
        bool bias = ((f.biasMask >> l) & 1u) != 0u;
        bool relu = l + 1u < NERVA_FIELD_NLAYERS(f);
        NERVA_FIELD_UNROLL for (uint o = 0u; o < nOut; ++o) {
            float acc = bias ? NERVA_FIELD_LOAD(f.mlp, offset + nIn * nOut + o) : 0.0f;
            NERVA_FIELD_UNROLL for (uint i = 0u; i < nIn; ++i) acc +=
                NERVA_FIELD_LOAD(f.mlp, offset + o * nIn + i) * x.a[i];
            y.a[o] = relu ? max(acc, 0.0f) : acc;
        }
        offset += nIn * nOut + (bias ? nOut : 0u);
        NERVA_FIELD_UNROLL for (uint o = 0u; o < nOut; ++o) x.a[o] = y.a[o];
    }
    return x.a[0];
}

// The SDF (x) and its gradient d sdf / d p_field (yzw), forward mode: ReLU
// passes the derivative where its input is > 0 (as nn::Mlp's backward).
NERVA_FN vec4 fieldGradient(GpuField f, vec3 p) {
    FieldActivations x = fieldFeaturesGrad(f, p);
    FieldActivations y;
    uint offset = 0u;
    NERVA_FIELD_UNROLL for (uint l = 0u; l < NERVA_FIELD_NLAYERS(f); ++l) {
        uint nIn = NERVA_FIELD_WIDTH(f, l), nOut = NERVA_FIELD_WIDTH(f, l + 1u);
        bool bias = ((f.biasMask >> l) & 1u) != 0u;
        bool relu = l + 1u < NERVA_FIELD_NLAYERS(f);
        NERVA_FIELD_UNROLL for (uint o = 0u; o < nOut; ++o) {
            vec4 acc = vec4(bias ? NERVA_FIELD_LOAD(f.mlp, offset + nIn * nOut + o) : 0.0f, 0.0f,
                            0.0f, 0.0f);
            NERVA_FIELD_UNROLL for (uint i = 0u; i < nIn; ++i) acc +=
                NERVA_FIELD_LOAD(f.mlp, offset + o * nIn + i) * x.a[i];
            y.a[o] = relu && !(acc.x > 0.0f) ? vec4(0.0f) : acc;
        }
        offset += nIn * nOut + (bias ? nOut : 0u);
        NERVA_FIELD_UNROLL for (uint o = 0u; o < nOut; ++o) x.a[o] = y.a[o];
    }
    return x.a[0];
}

NERVA_SHARED_END

#endif
