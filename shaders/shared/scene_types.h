// Host/device records of the GPU scene, declared once for GLSL and C++.
// GLSL reads them with layout(scalar) through buffer device addresses; C++
// fills them and static_asserts the sizes (renderer/gpu/scene_records.cpp).
// Every struct is laid out so scalar layout and C++ layout agree: 4-byte
// fields, uint64 addresses on 8-byte boundaries, explicit padding.
#ifndef NERVA_SHARED_SCENE_TYPES_H
#define NERVA_SHARED_SCENE_TYPES_H

#include "env_sampling.h"
#include "layered/layered_types.h"
#include "prelude.h"

NERVA_SHARED_BEGIN

// Hit groups (instance SBT offsets; every ray uses offset 0, stride 0):
// triangles, and tri-plane SDF fields (procedural AABBs, field.rint).
NERVA_CONST uint kHitGroupTriangles = 0;
NERVA_CONST uint kHitGroupFields = 1;

// Descriptor bindings of set 0 in the path-tracing pipeline.
NERVA_CONST uint kBindingTlas = 0;
NERVA_CONST uint kBindingAccumulation = 1; // rgba32f storage image: sum of samples
NERVA_CONST uint kBindingTextures = 2;     // bindless combined image samplers
// Auxiliary accumulation images (rgba32f sums over samples, see aovs.glsl):
NERVA_CONST uint kBindingAovAlbedoDepth = 3; // rgb first-hit albedo, a hit distance
NERVA_CONST uint kBindingAovNormalHits = 4;  // xyz first-hit shading normal, w hit count
NERVA_CONST uint kBindingAovMoments = 5;     // r sum of squared luminance (for variance)

NERVA_CONST uint kAlphaOpaque = 0;
NERVA_CONST uint kAlphaMask = 1;
NERVA_CONST uint kAlphaBlend = 2;

NERVA_CONST uint kSlotBaseColor = 0;
NERVA_CONST uint kSlotMetallicRoughness = 1;
NERVA_CONST uint kSlotNormal = 2;
NERVA_CONST uint kSlotOcclusion = 3;
NERVA_CONST uint kSlotEmissive = 4;
NERVA_CONST uint kSlotCount = 5;

// A texture slot: uv' = (dot(row0, (u,v,1)), dot(row1, (u,v,1))).
struct GpuTextureSlot {
    int textureIndex; // into the bindless array, -1 = none
    uint texCoord;    // 0 or 1
    vec3 row0;
    vec3 row1;
};

struct GpuMaterial {
    vec4 baseColorFactor;
    vec3 emissive; // emissiveFactor * emissiveStrength
    float metallic;
    float roughness;
    float normalScale;
    float occlusionStrength;
    float alphaCutoff;
    uint alphaMode;
    uint doubleSided;
    float specular; // KHR_materials_specular weight of the dielectric lobe
    uint pad1;
    GpuTextureSlot slots[kSlotCount];
};

// One triangle list (a glTF primitive). Addresses are 0 when absent.
struct GpuGeometry {
    uint64_t positions; // vec3[]
    uint64_t normals;   // vec3[]
    uint64_t tangents;  // vec4[]
    uint64_t uv0;       // vec2[]
    uint64_t uv1;       // vec2[]
    uint64_t indices;   // uint[] (3 per triangle)
    uint material;
    uint pad0;
};

NERVA_CONST uint kLightDirectional = 0;
NERVA_CONST uint kLightPoint = 1;
NERVA_CONST uint kLightSpot = 2;

struct GpuLight {
    vec3 position;
    uint type;
    vec3 direction; // the way light travels
    float range;    // 0 = infinite
    vec3 intensity; // colour * intensity (lux for directional, candela otherwise)
    float cosInner;
    float cosOuter;
    uint pad0;
    uint pad1;
    uint pad2;
};

// A triangle of an emissive primitive, placed in the world, for light
// sampling. uv holds the texture coordinates of the set its material's
// emissive texture reads.
struct GpuEmissiveTriangle {
    vec3 p0;
    uint material;
    vec3 p1;
    float area; // world-space
    vec3 p2;
    uint pad0;
    vec2 uv0;
    vec2 uv1;
    vec2 uv2;
    vec2 pad1;
};

// How a path combines its two ways of finding light (for the MIS check and
// for debugging): both with the power heuristic, light sampling only (next
// event estimation), or BSDF sampling only.
NERVA_CONST uint kSamplingMis = 0;
NERVA_CONST uint kSamplingLight = 1;
NERVA_CONST uint kSamplingBsdf = 2;

// What camera rays show (FrameGlobals::debugView): the rendered radiance, or
// an inspection of the neural materials at the first hit: three latent
// channels (debugChannel .. + 2, mapped from [-2, 2] to [0, 1]), or the latent
// level the stochastic choice picked (a colour per level: 0 red, 1 orange,
// 2 yellow, 3 green, 4 cyan, 5 blue, 6 violet, 7+ white). Surfaces with a
// reference material show grey.
// kDebugViewFieldSteps: for camera rays whose first hit is a tri-plane field,
// the sphere-tracing steps field.rint took for that hit (field evaluations,
// regula falsi refinement included), as viridis (a polynomial fit,
// debugViridis in pathtrace/shade_surface.glsl) of steps /
// kDebugFieldStepsFull: 0 steps dark purple (0.28, 0.01, 0.33),
// kDebugFieldStepsFull = kFieldMaxSteps + kFieldRefineSteps (the most one
// march takes) bright yellow (0.99, 0.91, 0.13). The map's green channel
// rises monotonically, so a colour decodes back to its count. Triangles show
// grey (0.18), misses black. Only the march of the hit that was kept shows:
// marches that report no hit (rays passing by a field, or through its box
// to something behind it) cannot be shown.
// kDebugViewNormals: the first-hit shading normal (the normal AOV's value,
// world space) as 0.5 + 0.5 n, triangles and fields alike; misses black.
NERVA_CONST uint kDebugViewNone = 0;
NERVA_CONST uint kDebugViewLatents = 1;
NERVA_CONST uint kDebugViewLatentLevel = 2;
NERVA_CONST uint kDebugViewFieldSteps = 3;
NERVA_CONST uint kDebugViewNormals = 4;
NERVA_CONST uint kDebugFieldStepsFull = 100; // steps shown brightest by kDebugViewFieldSteps

// Everything the ray-tracing stages need for a frame.
struct FrameGlobals {
    vec3 camOrigin;
    uint width;
    vec3 camRight; // scaled: tan(yfov/2)*aspect (perspective) or xmag (orthographic)
    uint height;
    vec3 camUp; // scaled like camRight
    uint seed;
    vec3 camForward; // unit
    uint cameraOrtho;
    uint maxBounces;
    uint lightCount;
    uint envProcedural;         // 1: radiance from proceduralSky(), the map only steers sampling
    float envIntensity;         // multiplies the environment's radiance
    GpuEnvMap env;              // importance-sampling tables (and radiance unless procedural)
    uint samplingMode;          // kSamplingMis, kSamplingLight or kSamplingBsdf
    uint rrDepth;               // Russian roulette from this path depth on (0 = never)
    float clampLuminance;       // max luminance of one contribution; 0 = no clamp (unbiased)
    float pixelSpreadAngle;     // ray-cone spread of camera rays (radians per pixel)
    uint emissiveCount;         // entries in emissiveTriangles
    float emissivePower;        // sum over emissive triangles of luminance(emission) * area
    uint64_t materials;         // GpuMaterial[]
    uint64_t geometries;        // GpuGeometry[], indexed by instance custom index + geometry index
    uint64_t lights;            // GpuLight[]
    uint64_t counters;          // uint[1]: rays traced
    uint64_t emissiveTriangles; // GpuEmissiveTriangle[]
    uint64_t emissiveCdf;       // float[emissiveCount]: inclusive CDF of power, last = 1
    GpuLayeredView layered;     // the layered material of every GpuMaterial (same index)
    uint64_t fields; // GpuField[] (shared/field/triplane_eval.h), by instance custom index
    // Neural materials (shared/neural/neural_eval.h's GpuNeuralView, split so
    // this header needs no neural code): records and weights; 0 when none.
    uint64_t neuralMaterials; // GpuNeuralMaterial[]
    uint64_t neuralWeights;   // float[]
    // int[] per GpuMaterial: the GpuNeuralMaterial that renders it this
    // frame, -1 = its layered reference (0 address: every material reference).
    uint64_t neuralOfMaterial;
    uint debugView;    // kDebugView*
    uint debugChannel; // first latent channel shown by kDebugViewLatents (0..5)
};

struct PushConstants {
    uint64_t globals; // FrameGlobals
    uint sampleIndex;
    uint rowOffset; // first image row of this launch (PathTracer::addRows); 0 for whole images
};

NERVA_SHARED_END

#endif
