// The SOURCE of `nerva bake`: a layered-material JSON file, or one material
// of a glTF scene as `scene.gltf#MaterialName` (its NERVA_materials_layered
// JSON when it has one, else its glTF PBR + KHR_materials_* mapping).
#pragma once

#include "neural/material/material_set.h"

#include <string>

namespace nerva::cli {

struct BakeSource {
    material::LayeredMaterialSet set; // holds exactly the source material (index 0)
    std::string name;                 // the material's name
    // CRC-32 (8 hex digits) of the material's content as the trainer sees it
    // (its parameter record and every texel of its textures): it changes when
    // the JSON, the glTF or any texture changes, whatever the file names.
    std::string hash;
};

// Throws nerva::Error (one line naming the file) when the file cannot be
// read, the glTF has no material of that name (the message lists those it
// has) or a texture is missing.
BakeSource loadBakeSource(const std::string& source);

} // namespace nerva::cli
