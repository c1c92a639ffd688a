// The reference layered-material library (assets/materials/): five
// materials that are hard for simple BRDFs, each a JSON description in the
// format of docs/layered-materials.md (committed) plus its generated
// textures (1024x1024, not committed; made at build time).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nerva::assetgen {

struct LibraryMaterial {
    std::string name;
    // The glTF metallic-roughness fallback (linear base colour).
    std::array<float, 4> baseColor{1.0f, 1.0f, 1.0f, 1.0f};
    float metallic = 0.0f;
    float roughness = 0.5f;
};

// car_paint, coated_leather, brushed_metal, lacquered_wood, velvet.
const std::vector<LibraryMaterial>& materialLibrary();

// The JSON text written to materials/<name>.json.
std::string materialDescription(const std::string& name);

// Writes outDir/materials/<name>.json for every material; returns the files.
std::vector<std::filesystem::path> writeMaterialDescriptions(const std::filesystem::path& outDir);

struct WrittenMaterialTextures {
    std::string material;
    size_t files = 0;
    uintmax_t bytes = 0;
    double seconds = 0.0; // generation and encoding, for the log only
};

// Generates and writes outDir/materials/textures/<name>/<map>.png; throws if
// a description names a map that is not generated or the other way round.
std::vector<WrittenMaterialTextures> writeMaterialTextures(const std::filesystem::path& outDir,
                                                           int size = 1024);

} // namespace nerva::assetgen
