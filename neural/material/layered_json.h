// The JSON description of a reference layered material, version 1
// (docs/layered-materials.md): reading, validation and the table of layer
// types and their parameters.
#pragma once

#include "neural/material/layered_material.h"

#include <cstdint>
#include <span>
#include <string>

namespace nerva::material {

// Reads and validates the material in `path`. Texture paths are resolved
// relative to the file's folder and must name existing files (they are not
// decoded here). Throws nerva::Error with one line
// "<path>: <json path>: <problem>" on any bad input.
LayeredMaterialDesc loadLayeredMaterialJson(const std::string& path);

// The same for a description already in memory; `path` names it in messages
// and its folder resolves texture paths.
LayeredMaterialDesc parseLayeredMaterialJson(const std::string& text, const std::string& path);

// What a JSON parameter holds.
enum class LayeredParamKind {
    Scalar,  // number or texture object (one channel)
    Colour,  // [r, g, b] or texture object
    Density, // number only
    Normal,  // normal-map texture object
};

struct LayeredParamInfo {
    const char* key; // JSON key
    uint32_t slot;   // shared::kParam*
    LayeredParamKind kind;
    float min, max; // allowed range of every component (not for Normal)
};

struct LayeredLayerInfo {
    const char* type; // JSON "type"
    uint32_t bit;     // shared::kLayer*
    std::span<const LayeredParamInfo> params;
};

// The six layer types in stack order, bottom to top. The conductor's complex
// IOR (`ior`, `extinction`) has no slot and is not listed: it sets f0 and
// f82Tint.
std::span<const LayeredLayerInfo> layeredLayerTypes();

// The F82-tint colours (shaders/shared/lobes/fresnel.h) of a conductor with
// complex index n + ik per channel: f0 = ((n-1)^2 + k^2) / ((n+1)^2 + k^2),
// f82Tint = F_exact(mu_bar) / Schlick(f0, mu_bar) at mu_bar = kF82CosTheta,
// clamped to [0, 1].
struct ConductorColours {
    glm::vec3 f0{0.0f};
    glm::vec3 f82Tint{1.0f};
};
ConductorColours conductorColoursFromIor(glm::vec3 n, glm::vec3 k);

// The uv transform of a texture object's "uv" (as KHR_texture_transform, the
// rotation in degrees): uv' = T(offset) R(rotation) S(scale) uv.
glm::mat3 layeredUvTransform(glm::vec2 offset, float rotationDegrees, glm::vec2 scale);

} // namespace nerva::material
