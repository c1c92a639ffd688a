// CPU scene model: what a glTF file says, resolved and validated, with no
// Vulkan in sight. The GPU upload (gpu_scene.h) reads only this.
//
// Conventions: right-handed, +Y up, metres, column vectors (glTF). All
// transforms are node-to-world matrices already multiplied down the hierarchy.
// Colours are linear except image texels, which keep their glTF encoding
// (baseColor, emissive, specular colour and sheen colour images are sRGB;
// the others linear) and say so.
#pragma once

#include <glm/glm.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nerva::formats {
struct NtriAsset;
}

namespace nerva::scene {

enum class WrapMode : uint32_t { Repeat = 0, ClampToEdge = 1, MirroredRepeat = 2 };
enum class Filter : uint32_t { Nearest = 0, Linear = 1 };

struct Sampler {
    Filter magFilter = Filter::Linear;
    Filter minFilter = Filter::Linear;
    bool mipmaps = true; // minFilter asks for mip levels
    WrapMode wrapS = WrapMode::Repeat;
    WrapMode wrapT = WrapMode::Repeat;
};

// 8-bit RGBA texels, row 0 at the top (as in the file).
struct Image {
    std::string name; // uri or "image[i]" for embedded ones
    uint32_t width = 0;
    uint32_t height = 0;
    bool srgb = false; // true when used by a colour slot (see Material)
    std::vector<uint8_t> rgba8;
};

// One texture slot of a material: a texture index plus its texcoord set and
// KHR_texture_transform (uv' = uvTransform * vec3(uv, 1)).
struct TextureSlot {
    int32_t texture = -1; // index into Scene::textures, -1 = none
    uint32_t texCoord = 0;
    glm::mat3 uvTransform{1.0f};
    bool present() const { return texture >= 0; }
};

struct Texture {
    uint32_t image = 0;
    uint32_t sampler = 0; // index into Scene::samplers (a default one is always at 0)
};

enum class AlphaMode : uint32_t { Opaque = 0, Mask = 1, Blend = 2 };

// glTF metallic-roughness material with its texture slots, plus the
// material extensions the loader reads. Factors are as in the file (ranges
// are the consumers' business); a slot's channel is the extension's:
// specular A, specularColor RGB (sRGB), clearcoat R, clearcoatRoughness G,
// sheenColor RGB (sRGB), sheenRoughness A.
struct Material {
    std::string name;
    glm::vec4 baseColorFactor{1.0f};
    float metallicFactor = 1.0f;
    float roughnessFactor = 1.0f;
    glm::vec3 emissiveFactor{0.0f};
    float emissiveStrength = 1.0f; // KHR_materials_emissive_strength
    float normalScale = 1.0f;
    float occlusionStrength = 1.0f;
    AlphaMode alphaMode = AlphaMode::Opaque;
    float alphaCutoff = 0.5f;
    bool doubleSided = false;
    TextureSlot baseColor, metallicRoughness, normal, occlusion, emissive;

    // KHR_materials_specular (specularFactor: dielectric lobe weight)
    float specularFactor = 1.0f;
    glm::vec3 specularColorFactor{1.0f};
    TextureSlot specular, specularColor;
    // KHR_materials_ior: >= 1, or 0 = Fresnel term 1 (the extension's special case)
    float ior = 1.5f;
    // KHR_materials_clearcoat (factor 0 = no coat)
    float clearcoatFactor = 0.0f;
    float clearcoatRoughnessFactor = 0.0f;
    float clearcoatNormalScale = 1.0f;
    TextureSlot clearcoat, clearcoatRoughness, clearcoatNormal;
    // KHR_materials_sheen (black colour = no sheen)
    glm::vec3 sheenColorFactor{0.0f};
    float sheenRoughnessFactor = 0.0f;
    TextureSlot sheenColor, sheenRoughness;
    // NERVA_materials_layered: absolute path of the layered material JSON
    // that replaces this material for the layered eval ("" = none). Not
    // parsed by the loader (material::loadLayeredMaterialJson reads it).
    std::string layeredUri;
    // NERVA_materials_neural: absolute path of the .nmat asset that renders
    // this material as a neural material ("" = none); the layered/PBR
    // description above stays its reference and its fallback when the asset
    // cannot be used (docs/neural-materials.md). Read by gpu::GpuScene.
    std::string neuralUri;
};

// A triangle list. Every attribute array is either empty or has one entry per
// vertex; indices are always present (generated for non-indexed primitives).
struct Primitive {
    std::vector<glm::vec3> positions;
    std::vector<glm::vec3> normals;  // generated (area-weighted) when absent
    std::vector<glm::vec4> tangents; // xyz tangent, w handedness; may be empty
    std::vector<glm::vec2> uv0, uv1;
    std::vector<uint32_t> indices;
    int32_t material = -1; // -1 = the default material
};

struct Mesh {
    std::string name;
    std::vector<Primitive> primitives;
};

// One placement of a mesh in the world.
struct Instance {
    uint32_t mesh = 0;
    glm::mat4 toWorld{1.0f};
    std::string node; // name of the node that placed it
};

// One placement of a tri-plane SDF field (docs/fields.md): toWorld maps the
// field box [-1, 1]^3 (field units) to the world, so a field unit is
// |toWorld column| world units. From a node's NERVA_field extension or
// `nerva render --field`.
struct Field {
    std::shared_ptr<const formats::NtriAsset> asset; // read and validated
    std::string uri;                                 // the file, for messages
    glm::mat4 toWorld{1.0f};
    int32_t material = -1; // -1 = the default material
    std::string node;      // name of the node that placed it
};

struct Camera {
    std::string name;
    bool perspective = true;
    float yfov = 0.8f;              // radians, perspective
    float aspect = 0.0f;            // 0 = use the image's
    float xmag = 1.0f, ymag = 1.0f; // orthographic half extents
    float znear = 0.01f;
    float zfar = 1000.0f;
    glm::mat4 toWorld{1.0f}; // looks down -Z, +Y up, in camera space
};

enum class LightType : uint32_t { Directional = 0, Point = 1, Spot = 2 };

// KHR_lights_punctual, placed in the world. Intensity units as in glTF:
// directional lux (lm/m^2), point/spot candela (lm/sr).
struct Light {
    std::string name;
    LightType type = LightType::Point;
    glm::vec3 color{1.0f};
    float intensity = 1.0f;
    float range = 0.0f; // 0 = infinite
    float innerConeAngle = 0.0f;
    float outerConeAngle = 0.7853982f;
    glm::vec3 position{0.0f};
    glm::vec3 direction{0.0f, 0.0f, -1.0f}; // the way the light travels
};

struct Scene {
    std::string path; // the file it came from
    std::vector<Image> images;
    std::vector<Sampler> samplers; // [0] is the glTF default sampler
    std::vector<Texture> textures;
    std::vector<Material> materials;
    std::vector<Mesh> meshes;
    std::vector<Instance> instances;
    std::vector<Field> fields;
    std::vector<Camera> cameras;
    std::vector<Light> lights;
    std::vector<std::string> warnings; // each unsupported feature once

    glm::vec3 boundsMin{0.0f}, boundsMax{0.0f}; // world-space, over all instances and field boxes
};

} // namespace nerva::scene
