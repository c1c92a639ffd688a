// Texture sets of the reference layered-material library
// (assets/materials/, docs/layered-materials.md): every builder returns the
// named maps of one material, `size` x `size`, 8-bit RGB, tileable,
// deterministic. Colour maps are sRGB-encoded; scalar maps are linear and
// carry the value in every channel; normal maps follow glTF (tangent space,
// +X right, +Y up in the image, n = 2c - 1).
#pragma once

#include "texture_builders.h"

#include <string>
#include <vector>

namespace nerva::assetgen {

struct MaterialMap {
    std::string name; // the file is textures/<material>/<name>.png
    Image8 image;
};

// material_textures.cpp
std::vector<MaterialMap> makeCarPaintTextures(int size, uint32_t seed);
std::vector<MaterialMap> makeCoatedLeatherTextures(int size, uint32_t seed);
std::vector<MaterialMap> makeBrushedMetalTextures(int size, uint32_t seed);
// material_textures_more.cpp
std::vector<MaterialMap> makeLacqueredWoodTextures(int size, uint32_t seed);
std::vector<MaterialMap> makeVelvetTextures(int size, uint32_t seed);

} // namespace nerva::assetgen
