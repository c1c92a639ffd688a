// Host/device records of the reference layered material (docs/layered-materials.md),
// declared once for GLSL and C++.
//
// A material is a fixed set of parameter slots, one per parameter of every
// layer type; `layers` says which layers are present. The stack is always in
// this order, bottom to top (the JSON description must list its layers in it):
//   diffuse -> specular -> conductor -> flakes -> coat -> sheen
// diffuse and conductor are bases (at least one is present); specular is a
// dielectric interface over the diffuse base; conductor and flakes are opaque
// and cover what lies below by their coverage; coat and sheen are
// transmissive layers over everything below.
//
// A parameter is a constant `value`, multiplied by a texture when `image` >= 0.
// Textures are RGBA8 texel images in one shared texel buffer (GpuTexelImage),
// read through the same filtering code on the GPU and the CPU
// (texel_sampling.h); colours are linear RGB, scalars live in value.x.
//
// Accessors (as in ../lobes/albedo_lookup.h): shared code reads records only
// through NERVA_LAYERED_* macros on a LayeredView, whose fields have the same
// names in both languages:
//   GLSL: LayeredView is GpuLayeredView (buffer device addresses); includers
//         enable GL_EXT_buffer_reference, GL_EXT_scalar_block_layout and
//         GL_EXT_shader_explicit_arithmetic_types_int64 first.
//   C++:  LayeredView holds pointers into host memory
//         (nerva::material::LayeredMaterialSet::view()).
#ifndef NERVA_SHARED_LAYERED_LAYERED_TYPES_H
#define NERVA_SHARED_LAYERED_LAYERED_TYPES_H

#include "../lobes/albedo_lookup.h"

NERVA_SHARED_BEGIN

// Layer bits of GpuLayeredMaterial::layers.
NERVA_CONST uint kLayerDiffuse = 1u;
NERVA_CONST uint kLayerSpecular = 2u;
NERVA_CONST uint kLayerConductor = 4u;
NERVA_CONST uint kLayerFlakes = 8u;
NERVA_CONST uint kLayerCoat = 16u;
NERVA_CONST uint kLayerSheen = 32u;

// Parameter slots. Ranges are enforced by the JSON parser and the glTF
// mapping; shaders clamp again only where a texture could leave them.
NERVA_CONST uint kParamDiffuseColor = 0u;         // rgb albedo
NERVA_CONST uint kParamDiffuseRoughness = 1u;     // Oren-Nayar sigma in [0, 1] (0 = Lambert)
NERVA_CONST uint kParamBaseNormal = 2u;           // normal map of the bases; value.x = scale
NERVA_CONST uint kParamSpecularWeight = 3u;       // [0, 1]
NERVA_CONST uint kParamSpecularRoughness = 4u;    // [0, 1], alpha = r^2
NERVA_CONST uint kParamSpecularAnisotropy = 5u;   // [0, 1)
NERVA_CONST uint kParamSpecularRotation = 6u;     // tangent rotation in turns [0, 1]
NERVA_CONST uint kParamSpecularIor = 7u;          // [1, 3]
NERVA_CONST uint kParamSpecularTint = 8u;         // rgb in [0, 1], scales the reflection
NERVA_CONST uint kParamConductorCoverage = 9u;    // [0, 1]
NERVA_CONST uint kParamConductorF0 = 10u;         // rgb in [0, 1]
NERVA_CONST uint kParamConductorF82Tint = 11u;    // rgb in [0, 1]
NERVA_CONST uint kParamConductorRoughness = 12u;  // [0, 1]
NERVA_CONST uint kParamConductorAnisotropy = 13u; // [0, 1)
NERVA_CONST uint kParamConductorRotation = 14u;   // turns [0, 1]
NERVA_CONST uint kParamFlakeCoverage = 15u;       // fraction of flake cells holding a flake
NERVA_CONST uint kParamFlakeColor = 16u;          // rgb f0 of the flakes
NERVA_CONST uint kParamFlakeRoughness = 17u;      // [0, 1], roughness of one flake
NERVA_CONST uint kParamFlakeSpread = 18u;         // [0, 1], GGX alpha of the flake orientations
NERVA_CONST uint kParamFlakeDensity = 19u;        // flake cells per uv unit (constant only)
NERVA_CONST uint kParamCoatWeight = 20u;          // [0, 1]
NERVA_CONST uint kParamCoatRoughness = 21u;       // [0, 1]
NERVA_CONST uint kParamCoatIor = 22u;             // [1, 3]
NERVA_CONST uint kParamCoatTint = 23u;       // rgb transmittance at normal incidence, thickness 1
NERVA_CONST uint kParamCoatThickness = 24u;  // >= 0, in units of the tint's thickness
NERVA_CONST uint kParamCoatNormal = 25u;     // normal map of the coat; value.x = scale
NERVA_CONST uint kParamSheenWeight = 26u;    // [0, 1]
NERVA_CONST uint kParamSheenColor = 27u;     // rgb in [0, 1]
NERVA_CONST uint kParamSheenRoughness = 28u; // [0, 1]
NERVA_CONST uint kParamCount = 29u;

// GpuLayerParam::flags
NERVA_CONST uint kParamFlagSrgb = 1u;      // texels are sRGB-encoded colours
NERVA_CONST uint kParamFlagNormalMap = 2u; // texels are a tangent-space normal (2c - 1)
NERVA_CONST uint kParamFlagTexCoord1 = 4u; // read with the second uv set
NERVA_CONST uint kParamChannelShift = 8u;  // bits 8..9: channel of a scalar (0 r .. 3 a)

// One parameter (44 bytes): value * texture(uv') where
// uv' = (dot(row0, (u, v, 1)), dot(row1, (u, v, 1))).
struct GpuLayerParam {
    vec3 value;
    int image; // index into the image table, -1 = constant
    uint flags;
    vec3 row0;
    vec3 row1;
};

struct GpuLayeredMaterial {
    uint layers; // kLayer* bits
    uint pad0;
    uint pad1;
    uint pad2;
    GpuLayerParam params[kParamCount];
};

// An RGBA8 texel image with its full mip chain in the shared texel buffer:
// level 0 (width x height) starts at `offset`, each next level (halved
// rounding up, at least 1: 5 -> 3 -> 2 -> 1) right after the previous one; texels are packed as
// r | g << 8 | b << 16 | a << 24, row 0 at v = 0. Sampling repeats.
struct GpuTexelImage {
    uint offset; // in texels (uint32)
    uint width;
    uint height;
    uint levels;
};

// Addresses of the material set on the GPU (scalar layout, 56 bytes).
struct GpuLayeredView {
    uint64_t materials; // GpuLayeredMaterial[]
    uint64_t images;    // GpuTexelImage[]
    uint64_t texels;    // uint[]
    uint64_t pad0;
    GpuAlbedoTables tables;
};

NERVA_SHARED_END

#ifdef __cplusplus
namespace nerva::shared {
struct LayeredView {
    const GpuLayeredMaterial* materials;
    const GpuTexelImage* images;
    const uint32_t* texels;
    AlbedoTables tables;
};
static_assert(sizeof(GpuLayerParam) == 44, "GpuLayerParam must match its GLSL scalar layout");
static_assert(sizeof(GpuLayeredMaterial) == 16 + 44 * kParamCount,
              "GpuLayeredMaterial must match its GLSL scalar layout");
static_assert(sizeof(GpuTexelImage) == 16, "GpuTexelImage must match its GLSL scalar layout");
static_assert(sizeof(GpuLayeredView) == 56, "GpuLayeredView must match its GLSL scalar layout");
} // namespace nerva::shared
#define NERVA_LAYERED_LAYERS(view, m) ((view).materials[(m)].layers)
#define NERVA_LAYERED_PARAM(view, m, slot) ((view).materials[(m)].params[(slot)])
#define NERVA_LAYERED_IMAGE(view, i) ((view).images[(i)])
#define NERVA_LAYERED_TEXEL(view, i) ((view).texels[(i)])
#else
layout(buffer_reference, scalar) readonly buffer LayeredMaterialRef {
    GpuLayeredMaterial records[];
};
layout(buffer_reference, scalar) readonly buffer LayeredImageRef {
    GpuTexelImage records[];
};
layout(buffer_reference, scalar) readonly buffer LayeredTexelRef {
    uint words[];
};
#define LayeredView GpuLayeredView
#define NERVA_LAYERED_LAYERS(view, mat) (LayeredMaterialRef((view).materials).records[(mat)].layers)
#define NERVA_LAYERED_PARAM(view, mat, slot)                                                       \
    (LayeredMaterialRef((view).materials).records[(mat)].params[(slot)])
#define NERVA_LAYERED_IMAGE(view, idx) (LayeredImageRef((view).images).records[(idx)])
#define NERVA_LAYERED_TEXEL(view, idx) (LayeredTexelRef((view).texels).words[(idx)])
#endif

#endif
