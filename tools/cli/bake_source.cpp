#include "bake_source.h"

#include "neural/core/error.h"
#include "neural/material/layered_json.h"
#include "renderer/scene/gltf_layered.h"
#include "renderer/scene/gltf_loader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

namespace nerva::cli {
namespace {

bool isGltfPath(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".gltf" || ext == ".glb";
}

std::string contentHash(const material::LayeredMaterialSet& set) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", set.contentCrc());
    return hex;
}

} // namespace

BakeSource loadBakeSource(const std::string& source) {
    BakeSource out;
    const size_t hash = source.rfind('#');
    if (hash != std::string::npos && isGltfPath(source.substr(0, hash))) {
        const std::string path = source.substr(0, hash), wanted = source.substr(hash + 1);
        const scene::Scene scene = scene::loadGltf(path);
        std::string names;
        for (size_t i = 0; i < scene.materials.size(); ++i) {
            if (scene.materials[i].name == wanted) {
                material::LayeredMaterialDesc desc = scene::layeredDescOf(scene, i);
                out.set.add(desc, scene::layeredImageSources(scene));
                out.name = wanted;
                out.hash = contentHash(out.set);
                return out;
            }
            names += (names.empty() ? "" : ", ") + scene.materials[i].name;
        }
        throw errorAt(path, "no material named \"" + wanted + "\" (it has: " +
                                (names.empty() ? std::string("none") : names) + ")");
    }
    if (isGltfPath(source))
        throw errorAt(source, "name the material to bake: " + source + "#MaterialName");
    const material::LayeredMaterialDesc desc = material::loadLayeredMaterialJson(source);
    out.set.add(desc);
    out.name = desc.name.empty() ? std::filesystem::path(source).stem().string() : desc.name;
    out.hash = contentHash(out.set);
    return out;
}

} // namespace nerva::cli
