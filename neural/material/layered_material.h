// CPU description of a reference layered material (docs/layered-materials.md):
// what a JSON file or a glTF material says, resolved and validated, before
// its textures are packed for the shared eval (material_set.h).
#pragma once

#include "shaders/shared/layered/layered_types.h"

#include <glm/glm.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace nerva::material {

// A texture read by one parameter.
struct TextureRef {
    std::string path;     // image file (absolute or relative to the working directory)
    int sceneImage = -1;  // or an image already decoded by the caller (index it gives)
    uint32_t channel = 0; // scalars: 0 r .. 3 a
    bool srgb = false;
    bool normalMap = false;
    uint32_t texCoord = 0;
    glm::mat3 uvTransform{1.0f}; // uv' = uvTransform * vec3(uv, 1)
    bool present() const { return !path.empty() || sceneImage >= 0; }
};

struct ParamDesc {
    glm::vec3 value{0.0f}; // constant or factor (scalars in .x; normal maps: x = scale)
    TextureRef texture;
};

struct LayeredMaterialDesc {
    std::string name;
    std::string source; // file it came from (for messages)
    uint32_t layers = 0; // shared::kLayer* bits
    std::array<ParamDesc, shared::kParamCount> params{};
};

// A description with every layer absent and every parameter at the default
// of docs/layered-materials.md (so enabling a layer gives its defaults).
LayeredMaterialDesc defaultLayeredMaterial();

} // namespace nerva::material
