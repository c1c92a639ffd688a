// A small, deterministic glTF 2.0 writer: accumulates meshes (one tightly
// packed buffer, one bufferView per accessor, POSITION min/max), materials,
// textures, samplers, cameras, KHR_lights_punctual lights and a node tree,
// then writes either NAME.gltf + NAME.bin + PNG files next to it, or a single
// NAME.glb with the images embedded. JSON keys come out in a fixed order and
// numbers in a fixed format, so equal input gives byte-identical files. Every
// file is written to a temporary name and renamed into place.
#pragma once

#include "mesh_builders.h"
#include "texture_builders.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nerva::assetgen {

struct Quat {
    float x = 0.0f, y = 0.0f, z = 0.0f, w = 1.0f;
};
Quat quatAxisAngle(Vec3 axis, float radians);
Quat operator*(Quat a, Quat b);
// The rotation that turns a camera or light (looking down -Z, +Y up) at
// `eye` towards `target`.
Quat quatLookAt(Vec3 eye, Vec3 target, Vec3 up = {0.0f, 1.0f, 0.0f});

// KHR_texture_transform; texCoord >= 0 overrides the texture's set.
struct TextureTransform {
    Vec2 offset{0.0f, 0.0f};
    float rotation = 0.0f;
    Vec2 scale{1.0f, 1.0f};
    int texCoord = -1;
};

struct TextureRef {
    int texture = -1; // -1 = no texture in this slot
    int texCoord = 0;
    bool transformed = false;
    TextureTransform transform;
};

enum class AlphaMode { Opaque, Mask, Blend };

struct MaterialDesc {
    std::string name;
    std::array<float, 4> baseColor{1.0f, 1.0f, 1.0f, 1.0f}; // linear
    float metallic = 0.0f;
    float roughness = 0.5f;
    std::array<float, 3> emissive{0.0f, 0.0f, 0.0f};
    float emissiveStrength = 1.0f; // written as KHR_materials_emissive_strength when != 1
    float normalScale = 1.0f;
    float occlusionStrength = 1.0f;
    TextureRef baseColorTexture, metallicRoughnessTexture, normalTexture, occlusionTexture,
        emissiveTexture;
    AlphaMode alphaMode = AlphaMode::Opaque;
    float alphaCutoff = 0.5f;
    bool doubleSided = false;
    // Non-empty: NERVA_materials_layered with this uri (relative to the glTF
    // file); the PBR parameters above stay as the fallback.
    std::string layeredUri;
    // Non-empty: NERVA_materials_neural with this .nmat uri (relative to the
    // glTF file): the material renders neural by default.
    std::string neuralUri;
};

struct SamplerDesc {
    int magFilter = 9729; // LINEAR
    int minFilter = 9987; // LINEAR_MIPMAP_LINEAR
    int wrapS = 10497;    // REPEAT
    int wrapT = 10497;
};

struct CameraDesc {
    std::string name;
    bool perspective = true;
    float yfov = 0.7f;              // radians
    float xmag = 1.0f, ymag = 1.0f; // orthographic half extents
    float znear = 0.05f, zfar = 200.0f;
};

enum class LightType { Directional, Point, Spot };

// Intensity in glTF units: lux for directional lights, candela otherwise.
struct LightDesc {
    std::string name;
    LightType type = LightType::Point;
    Vec3 color{1.0f, 1.0f, 1.0f};
    float intensity = 1.0f;
    float range = 0.0f; // 0 = unlimited (not written)
    float innerConeAngle = 0.0f, outerConeAngle = 0.7853982f;
};

struct NodeDesc {
    std::string name;
    int mesh = -1, camera = -1, light = -1;
    Vec3 translation{0.0f, 0.0f, 0.0f};
    Quat rotation{};
    Vec3 scale{1.0f, 1.0f, 1.0f};
    bool useMatrix = false;
    std::array<float, 16> matrix{}; // column-major, used when useMatrix
    // Non-empty: NERVA_field with this .ntri uri (relative to the glTF file);
    // the node's world transform maps the field box [-1, 1]^3 to the world
    // (docs/fields.md). fieldMaterial < 0 leaves "material" out (the glTF
    // default material).
    std::string fieldUri;
    int fieldMaterial = -1;
};

// One primitive of a mesh: geometry from addGeometry plus a material.
struct PrimitiveDesc {
    int geometry = -1;
    int material = -1;
};

struct SceneStats {
    size_t meshTriangles = 0;     // over the distinct geometries
    size_t instanceTriangles = 0; // over every node that places a mesh
    std::vector<std::filesystem::path> files;
    uintmax_t bytes = 0;
};

class GltfWriter {
  public:
    explicit GltfWriter(std::string name) : name_(std::move(name)) {}

    int addSampler(const SamplerDesc& sampler);
    // Encodes the image as PNG now; `stem` names its file (stem.png) next to a
    // .gltf. Stems must be unique within the scene.
    int addTexture(const std::string& stem, const Image8& image, int sampler);
    int addMaterial(const MaterialDesc& material);
    // An untextured metallic-roughness material.
    int addPlainMaterial(const std::string& name, std::array<float, 4> baseColor, float metallic,
                         float roughness) {
        MaterialDesc m;
        m.name = name;
        m.baseColor = baseColor;
        m.metallic = metallic;
        m.roughness = roughness;
        return addMaterial(m);
    }
    // Copies the vertex data into the binary buffer now; the accessors can be
    // shared by several meshes (e.g. one sphere with different materials).
    int addGeometry(const MeshData& mesh);
    int addMesh(const std::string& name, const std::vector<PrimitiveDesc>& primitives);
    int addCamera(const CameraDesc& camera);
    int addLight(const LightDesc& light);
    // parent < 0 puts the node at the root of the scene.
    int addNode(const NodeDesc& node, int parent = -1);

    // Writes into `directory` (created if needed); binary selects .glb.
    SceneStats write(const std::filesystem::path& directory, bool binary) const;

  private:
    struct Node {
        NodeDesc desc;
        std::vector<int> children;
    };
    struct Geometry {
        std::array<int, 6> accessors{}; // position, normal, tangent, uv0, uv1 (-1), indices
        size_t triangles = 0;
    };
    struct Mesh {
        std::string name;
        std::vector<PrimitiveDesc> primitives;
        size_t triangles = 0;
    };
    struct Image {
        std::string stem;
        std::vector<uint8_t> png;
    };
    int addAccessor(const void* data, size_t count, int componentType, const char* type,
                    int components, int target, const std::vector<double>* min = nullptr,
                    const std::vector<double>* max = nullptr);
    // The document; for .glb, images are appended to `buffer` (a copy of ours).
    std::string document(bool binary, std::vector<uint8_t>& buffer) const;
    size_t countInstanceTriangles(int node) const;

    std::string name_;
    std::vector<uint8_t> buffer_;
    std::vector<nlohmann::ordered_json> bufferViews_, accessors_;
    std::vector<SamplerDesc> samplers_;
    std::vector<std::pair<int, int>> textures_; // image, sampler
    std::vector<Image> images_;
    std::vector<MaterialDesc> materials_;
    std::vector<Geometry> geometries_;
    std::vector<Mesh> meshes_;
    std::vector<CameraDesc> cameras_;
    std::vector<LightDesc> lights_;
    std::vector<Node> nodes_;
    std::vector<int> roots_;
};

// Number formatting for the JSON: authored values rounded to 6 decimals (so
// the text does not hang on the last bits of a float computation; -0 prints
// as 0), and floats that must read back exactly (accessor bounds, unit
// quaternions, matrices) as the shortest decimal that does so.
double jsonNumber(float v);
double jsonExactFloat(float v);
// Pads bytes to a multiple of 4 with `value`.
void padTo4(std::vector<uint8_t>& bytes, uint8_t value);

// Writes bytes to path through a temporary file and a rename.
void writeFileAtomic(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

} // namespace nerva::assetgen
