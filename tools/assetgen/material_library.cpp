// The five library materials: their JSON descriptions (layers, parameters,
// texture references) and the writers for descriptions and textures.
#include "material_library.h"

#include "gltf_writer.h"
#include "material_textures.h"

#include "neural/core/error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <set>

namespace nerva::assetgen {
namespace {

using Json = nlohmann::ordered_json;

Json rgb(float r, float g, float b) {
    return Json::array({jsonNumber(r), jsonNumber(g), jsonNumber(b)});
}

// A texture parameter: textures/<material>/<map>.png, times `factor`,
// tiled `tile` times per uv unit.
Json texture(const std::string& material, const std::string& map, float factor = 1.0f,
             float tile = 1.0f) {
    Json j;
    j["texture"] = "textures/" + material + "/" + map + ".png";
    if (factor != 1.0f) j["factor"] = jsonNumber(factor);
    if (tile != 1.0f) j["uv"]["scale"] = {jsonNumber(tile), jsonNumber(tile)};
    return j;
}

Json normalMap(const std::string& material, const std::string& map, float scale,
               float tile = 1.0f) {
    Json j;
    j["texture"] = "textures/" + material + "/" + map + ".png";
    if (scale != 1.0f) j["scale"] = jsonNumber(scale);
    if (tile != 1.0f) j["uv"]["scale"] = {jsonNumber(tile), jsonNumber(tile)};
    return j;
}

Json layer(const char* type) {
    Json j;
    j["type"] = type;
    return j;
}

Json carPaint() {
    const std::string m = "car_paint";
    Json diffuse = layer("diffuse");
    diffuse["color"] = texture(m, "base");
    Json flakes = layer("flakes");
    flakes["coverage"] = texture(m, "flake_coverage", 0.5f);
    flakes["color"] = texture(m, "flake_color");
    flakes["roughness"] = jsonNumber(0.25f);
    flakes["spread"] = jsonNumber(0.3f);
    flakes["density"] = 1000;
    Json coat = layer("coat");
    coat["weight"] = texture(m, "coat_weight");
    coat["roughness"] = texture(m, "coat_roughness", 0.1f);
    coat["ior"] = jsonNumber(1.5f);
    coat["normal"] = normalMap(m, "coat_normal", 1.0f, 2.0f);
    return Json::array({diffuse, flakes, coat});
}

Json coatedLeather() {
    const std::string m = "coated_leather";
    Json diffuse = layer("diffuse");
    diffuse["color"] = texture(m, "color", 1.0f, 2.0f);
    diffuse["roughness"] = texture(m, "diffuse_roughness", 1.0f, 2.0f);
    diffuse["normal"] = normalMap(m, "base_normal", 1.0f, 2.0f);
    Json specular = layer("specular");
    specular["weight"] = jsonNumber(0.6f);
    specular["roughness"] = texture(m, "specular_roughness", 1.0f, 2.0f);
    specular["ior"] = jsonNumber(1.45f);
    Json coat = layer("coat");
    coat["weight"] = texture(m, "coat_weight");
    coat["roughness"] = texture(m, "coat_roughness");
    coat["ior"] = jsonNumber(1.5f);
    return Json::array({diffuse, specular, coat});
}

Json brushedMetal() {
    const std::string m = "brushed_metal";
    Json conductor = layer("conductor");
    conductor["f0"] = texture(m, "f0");
    conductor["roughness"] = texture(m, "roughness");
    conductor["anisotropy"] = texture(m, "anisotropy", 0.95f);
    // The brushing grooves run along u; the anisotropic lobe is rougher along
    // its tangent (OpenPBR), so the tangent is turned a quarter turn to v.
    conductor["rotation"] = jsonNumber(0.25f);
    conductor["normal"] = normalMap(m, "base_normal", 1.0f);
    Json coat = layer("coat");
    coat["weight"] = texture(m, "coat_weight", 0.9f);
    coat["roughness"] = jsonNumber(0.06f);
    coat["ior"] = jsonNumber(1.5f);
    coat["thickness"] = jsonNumber(0.2f);
    Json sheen = layer("sheen");
    sheen["weight"] = texture(m, "sheen_weight");
    sheen["color"] = rgb(0.75f, 0.72f, 0.66f);
    sheen["roughness"] = jsonNumber(0.6f);
    return Json::array({conductor, coat, sheen});
}

Json lacqueredWood() {
    const std::string m = "lacquered_wood";
    Json diffuse = layer("diffuse");
    diffuse["color"] = texture(m, "color");
    diffuse["roughness"] = texture(m, "diffuse_roughness");
    diffuse["normal"] = normalMap(m, "base_normal", 1.0f);
    Json specular = layer("specular");
    specular["weight"] = jsonNumber(0.5f);
    specular["roughness"] = texture(m, "specular_roughness");
    specular["ior"] = jsonNumber(1.5f);
    Json coat = layer("coat");
    coat["roughness"] = texture(m, "coat_roughness", 0.25f);
    coat["ior"] = jsonNumber(1.52f);
    coat["tint"] = rgb(0.85f, 0.6f, 0.3f);
    coat["thickness"] = texture(m, "coat_thickness", 2.0f);
    return Json::array({diffuse, specular, coat});
}

Json velvet() {
    const std::string m = "velvet";
    Json diffuse = layer("diffuse");
    diffuse["color"] = texture(m, "color", 1.0f, 2.0f);
    diffuse["roughness"] = texture(m, "diffuse_roughness", 1.0f, 2.0f);
    diffuse["normal"] = normalMap(m, "base_normal", 1.0f, 2.0f);
    Json specular = layer("specular");
    specular["weight"] = texture(m, "specular_weight", 1.0f, 2.0f);
    specular["roughness"] = jsonNumber(0.6f);
    specular["ior"] = jsonNumber(1.5f);
    Json sheen = layer("sheen");
    sheen["color"] = texture(m, "sheen_color", 1.0f, 2.0f);
    sheen["roughness"] = texture(m, "sheen_roughness", 1.0f, 2.0f);
    return Json::array({diffuse, specular, sheen});
}

struct Entry {
    LibraryMaterial material;
    std::function<Json()> layers;
    std::function<std::vector<MaterialMap>(int, uint32_t)> textures;
    uint32_t seed;
};

const std::vector<Entry>& entries() {
    static const std::vector<Entry> list = {
        {{"car_paint", {0.30f, 0.012f, 0.017f, 1.0f}, 0.4f, 0.15f},
         carPaint,
         makeCarPaintTextures,
         101},
        {{"coated_leather", {0.15f, 0.062f, 0.027f, 1.0f}, 0.0f, 0.4f},
         coatedLeather,
         makeCoatedLeatherTextures,
         202},
        {{"brushed_metal", {0.80f, 0.80f, 0.81f, 1.0f}, 1.0f, 0.35f},
         brushedMetal,
         makeBrushedMetalTextures,
         303},
        {{"lacquered_wood", {0.33f, 0.15f, 0.055f, 1.0f}, 0.0f, 0.15f},
         lacqueredWood,
         makeLacqueredWoodTextures,
         404},
        {{"velvet", {0.04f, 0.05f, 0.21f, 1.0f}, 0.0f, 0.9f}, velvet, makeVelvetTextures, 505},
    };
    return list;
}

const Entry& entry(const std::string& name) {
    for (const Entry& e : entries())
        if (e.material.name == name) return e;
    throw Error("material library: no material '" + name + "'");
}

void collectTextures(const Json& j, std::set<std::string>& out) {
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) {
            if (key == "texture" && value.is_string()) out.insert(value.get<std::string>());
            collectTextures(value, out);
        }
    } else if (j.is_array()) {
        for (const Json& v : j)
            collectTextures(v, out);
    }
}

std::vector<uint8_t> bytesOf(const std::string& text) {
    return std::vector<uint8_t>(text.begin(), text.end());
}

} // namespace

const std::vector<LibraryMaterial>& materialLibrary() {
    static const std::vector<LibraryMaterial> list = [] {
        std::vector<LibraryMaterial> out;
        for (const Entry& e : entries())
            out.push_back(e.material);
        return out;
    }();
    return list;
}

std::string materialDescription(const std::string& name) {
    Json doc;
    doc["nerva_layered_material"] = 1;
    doc["name"] = name;
    doc["layers"] = entry(name).layers();
    return doc.dump(2) + "\n";
}

std::vector<std::filesystem::path> writeMaterialDescriptions(const std::filesystem::path& outDir) {
    const std::filesystem::path dir = outDir / "materials";
    std::filesystem::create_directories(dir);
    std::vector<std::filesystem::path> files;
    for (const Entry& e : entries()) {
        files.push_back(dir / (e.material.name + ".json"));
        writeFileAtomic(files.back(), bytesOf(materialDescription(e.material.name)));
    }
    return files;
}

std::vector<WrittenMaterialTextures> writeMaterialTextures(const std::filesystem::path& outDir,
                                                           int size) {
    std::vector<WrittenMaterialTextures> written;
    for (const Entry& e : entries()) {
        const auto start = std::chrono::steady_clock::now();
        const std::string& name = e.material.name;
        std::set<std::string> wanted, made;
        collectTextures(Json::parse(materialDescription(name)), wanted);
        const std::filesystem::path dir = outDir / "materials" / "textures" / name;
        std::filesystem::create_directories(dir);
        WrittenMaterialTextures w;
        w.material = name;
        for (const MaterialMap& map : e.textures(size, e.seed)) {
            made.insert("textures/" + name + "/" + map.name + ".png");
            const std::vector<uint8_t> png = encodePng(map.image);
            writeFileAtomic(dir / (map.name + ".png"), png);
            ++w.files;
            w.bytes += png.size();
        }
        if (made != wanted)
            throw Error("material library: the maps made for '" + name +
                        "' differ from those its description names");
        w.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        written.push_back(w);
    }
    return written;
}

} // namespace nerva::assetgen
