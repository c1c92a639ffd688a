// Internals of the glTF loader, shared by its translation units. Not part of
// the public API: include gltf_loader.h instead.
#pragma once

#include "neural/core/error.h"
#include "renderer/scene/scene_model.h"

#include <nlohmann/json_fwd.hpp>
#include <tiny_gltf.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace nerva::scene::gltf {

// The extensions whose meaning the loader implements.
bool isSupportedExtension(const std::string& name);

// State of one load: the file, what tinygltf parsed, the scene being filled.
struct LoadContext {
    std::string path;    // as the caller gave it; starts every error line
    std::string baseDir; // folder that relative URIs resolve against ("" = cwd)
    bool binary = false; // .glb
    size_t binChunkSize = 0;
    tinygltf::Model model;
    Scene* scene = nullptr;
    std::set<std::string> warned;
    std::string imageError; // why the image decoder failed, when it did

    // Adds a warning to the scene unless the same text was added before.
    void warn(const std::string& message);
    // Throws nerva::Error "<path>: <problem>".
    [[noreturn]] void fail(const std::string& problem) const;
};

// --- gltf_prepass.cpp: checks on the raw JSON before tinygltf reads data ---

// Parses JSON text; malformed JSON and absurd nesting are errors.
nlohmann::json parseJsonText(const LoadContext& ctx, const char* text, size_t size);
// Validates what tinygltf would otherwise trust while loading: version,
// extensionsRequired, buffers (files present, sizes), bufferView ranges, image
// sources (files present, bufferViews in range).
void prevalidate(const LoadContext& ctx, const nlohmann::json& doc);
// Percent-decodes a relative URI the way tinygltf does and joins it to baseDir.
std::string resolveUri(const LoadContext& ctx, const std::string& uri);

// --- gltf_accessors.cpp: typed reads through accessors, all bounds-checked ---

// Reads an accessor of `components` components per element (1..4) as floats;
// `use` names what it is for in messages, e.g. "POSITION of mesh 'Box' primitive 0".
// Integer components are converted as glTF says (normalised or not); sparse
// substitution is applied; an accessor without bufferView reads as zeros.
std::vector<float> readFloats(const LoadContext& ctx, int index, int components,
                              const std::string& use);
// Reads a SCALAR accessor of unsigned byte/short/int components.
std::vector<uint32_t> readIndices(const LoadContext& ctx, int index, const std::string& use);

// --- gltf_geometry.cpp ---

// Fills Scene::meshes from model.meshes (all primitives, triangles only).
void convertMeshes(LoadContext& ctx);
// Area-weighted smooth vertex normals of an indexed triangle list.
std::vector<glm::vec3> generateNormals(const std::vector<glm::vec3>& positions,
                                       const std::vector<uint32_t>& indices);

// --- gltf_materials.cpp ---

// Decodes image bytes to RGBA8; the tinygltf image-loader callback.
bool decodeImage(tinygltf::Image* image, int index, std::string* err, std::string* warn,
                 int reqWidth, int reqHeight, const unsigned char* bytes, int size, void* user);
// Fills Scene::images, samplers, textures and materials.
void convertMaterials(LoadContext& ctx);

// The parts of a glTF textureInfo (index -1 = no texture).
struct SlotSource {
    int index = -1;
    int texCoord = 0;
    const tinygltf::ExtensionMap* extensions = nullptr; // never null when index != -1
};
// A material texture slot: the texture (through textureRemap, file index to
// Scene::textures index), its texcoord set and KHR_texture_transform.
TextureSlot convertSlot(LoadContext& ctx, const SlotSource& src, const std::string& where,
                        const std::vector<int32_t>& textureRemap);

// --- gltf_material_extensions.cpp ---

// Reads KHR_materials_specular, _ior, _clearcoat, _sheen and
// NERVA_materials_layered of `src` into `m`; `where` names the material.
void convertMaterialExtensions(LoadContext& ctx, const tinygltf::Material& src,
                               const std::string& where, const std::vector<int32_t>& textureRemap,
                               Material& m);
// The KHR_texture_transform matrix T * R * S (uv' = M * vec3(uv, 1)).
glm::mat3 textureTransform(glm::vec2 offset, float rotation, glm::vec2 scale);

// --- gltf_nodes.cpp ---

// Flattens the node hierarchy of the default scene into instances, cameras and
// lights; computes the world bounds.
void convertNodes(LoadContext& ctx);

// --- small helpers ---

// Folds multi-line text (tinygltf's, nlohmann's) into one bounded line.
std::string condenseMessage(const std::string& text);
// Replaces control characters and malformed UTF-8 with '?', so that text from
// a file cannot break a message over lines; cuts it after maxBytes.
std::string oneLine(const std::string& text, size_t maxBytes = 4096);

// "mesh 'Box'" or "mesh 3" when it has no name; same for other objects.
std::string label(const char* kind, size_t index, const std::string& name);

} // namespace nerva::scene::gltf
