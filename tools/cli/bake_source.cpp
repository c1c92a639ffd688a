#include "bake_source.h"

#include "neural/core/error.h"
#include "neural/formats/nmat.h"
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
    uint32_t crc = 0;
    for (const shared::GpuLayeredMaterial& m : set.materials())
        crc = formats::crc32(&m, sizeof m, crc);
    for (const shared::GpuTexelImage& img : set.images())
        crc = formats::crc32(&img, sizeof img, crc);
    crc = formats::crc32(set.texels().data(), set.texels().size() * sizeof(uint32_t), crc);
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", crc);
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
