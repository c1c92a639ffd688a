#include "gpu_scene.h"

#include "neural/core/error.h"
#include "renderer/scene/gltf_layered.h"
#include "renderer/vk/check.h"

#include <glm/gtc/type_ptr.hpp>

#include <algorithm>
#include <cmath>

namespace nerva::gpu {
namespace {

// Host and device must agree on every record byte for byte.
static_assert(sizeof(shared::GpuTextureSlot) == 32);
static_assert(sizeof(shared::GpuMaterial) == 64 + 5 * 32);
static_assert(sizeof(shared::GpuGeometry) == 56);
static_assert(sizeof(shared::GpuLight) == 64);
static_assert(sizeof(shared::FrameGlobals) == 296);
static_assert(sizeof(shared::GpuEmissiveTriangle) == 80);
static_assert(sizeof(shared::PushConstants) == 16);

constexpr VkBufferUsageFlags kRecordUsage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
constexpr VkBufferUsageFlags kAsInputUsage =
    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
    VK_BUFFER_USAGE_ACCELERATION_STRUCTURE_BUILD_INPUT_READ_ONLY_BIT_KHR;

template <typename T>
vk::Buffer upload(const vk::Context& ctx, const std::vector<T>& v, VkBufferUsageFlags usage) {
    return vk::createBufferWithData(ctx, v.data(), v.size() * sizeof(T), usage);
}

VkFilter toVk(scene::Filter f) {
    return f == scene::Filter::Nearest ? VK_FILTER_NEAREST : VK_FILTER_LINEAR;
}
VkSamplerAddressMode toVk(scene::WrapMode m) {
    switch (m) {
    case scene::WrapMode::ClampToEdge:
        return VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    case scene::WrapMode::MirroredRepeat:
        return VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT;
    default:
        return VK_SAMPLER_ADDRESS_MODE_REPEAT;
    }
}

shared::GpuTextureSlot toGpu(const scene::TextureSlot& s) {
    shared::GpuTextureSlot g{};
    g.textureIndex = s.texture;
    g.texCoord = s.texCoord;
    // glm is column-major: m[col][row]. Rows 0 and 1 of the affine 3x3.
    const glm::mat3& m = s.uvTransform;
    g.row0 = {m[0][0], m[1][0], m[2][0]};
    g.row1 = {m[0][1], m[1][1], m[2][1]};
    return g;
}

} // namespace

GpuScene::GpuScene(const vk::Context& ctx, const scene::Scene& scene,
                   std::vector<std::string>& warnings, const GpuSceneOptions& options)
    : ctx_(ctx) {
    uploadTextures(scene);
    uploadMaterials(scene, warnings);
    neural_ = loadSceneNeuralMaterials(ctx, scene, uint32_t(textures_.size()), options.strictNeural,
                                       warnings);
    layered_ =
        std::make_unique<GpuLayeredMaterials>(ctx, scene::buildLayeredMaterials(scene, &warnings));
    uploadGeometry(scene);
    fields_ = std::make_unique<GpuFields>(ctx, scene, uint32_t(scene.materials.size()));
    uploadLights(scene);
    uploadEmissive(scene);
    buildBlases(scene);
    buildTlas(scene);
    // 512x256 resolves the sky's gradient well enough to steer sampling.
    setEnvironment(bakeProceduralSky(512, 256), true);
}

void GpuScene::setEnvironment(const EnvironmentMap& map, bool procedural) {
    environment_ = std::make_unique<GpuEnvironment>(ctx_, map, procedural);
}

void GpuScene::uploadTextures(const scene::Scene& scene) {
    const auto samplers =
        scene.samplers.empty() ? std::vector<scene::Sampler>{scene::Sampler{}} : scene.samplers;
    for (const scene::Sampler& s : samplers) {
        VkSamplerCreateInfo ci{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
        ci.magFilter = toVk(s.magFilter);
        ci.minFilter = toVk(s.minFilter);
        ci.mipmapMode = VK_SAMPLER_MIPMAP_MODE_LINEAR;
        ci.addressModeU = toVk(s.wrapS);
        ci.addressModeV = toVk(s.wrapT);
        ci.addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT;
        ci.maxLod = s.mipmaps ? VK_LOD_CLAMP_NONE : 0.0f;
        VkSampler sampler = VK_NULL_HANDLE;
        VK_CHECK(vkCreateSampler(ctx_.device(), &ci, nullptr, &sampler));
        samplers_.emplace_back(ctx_.device(), sampler, vkDestroySampler);
    }
    for (const scene::Texture& t : scene.textures) {
        const scene::Image& img = scene.images.at(t.image);
        GpuTexture g;
        g.image = vk::createTexture2D(ctx_, img.width, img.height, img.rgba8.data(), img.srgb);
        g.sampler = std::min<uint32_t>(t.sampler, uint32_t(samplers_.size() - 1));
        textures_.push_back(std::move(g));
    }
}

void GpuScene::uploadMaterials(const scene::Scene& scene, std::vector<std::string>& warnings) {
    std::vector<shared::GpuMaterial> records;
    auto add = [&](const scene::Material& m) {
        shared::GpuMaterial g{};
        g.baseColorFactor = m.baseColorFactor;
        g.emissive = m.emissiveFactor * m.emissiveStrength;
        g.metallic = m.metallicFactor;
        g.roughness = m.roughnessFactor;
        g.normalScale = m.normalScale;
        g.occlusionStrength = m.occlusionStrength;
        g.alphaCutoff = m.alphaCutoff;
        g.alphaMode = uint32_t(m.alphaMode);
        g.doubleSided = m.doubleSided ? 1u : 0u;
        g.specular = m.specularFactor;
        g.slots[shared::kSlotBaseColor] = toGpu(m.baseColor);
        g.slots[shared::kSlotMetallicRoughness] = toGpu(m.metallicRoughness);
        g.slots[shared::kSlotNormal] = toGpu(m.normal);
        g.slots[shared::kSlotOcclusion] = toGpu(m.occlusion);
        g.slots[shared::kSlotEmissive] = toGpu(m.emissive);
        records.push_back(g);
        opaqueMaterial_.push_back(m.alphaMode == scene::AlphaMode::Opaque);
    };
    bool occlusionUsed = false;
    for (const scene::Material& m : scene.materials) {
        add(m);
        occlusionUsed = occlusionUsed || m.occlusion.present();
    }
    add(scene::Material{}); // the glTF default material, for primitives without one
    if (occlusionUsed)
        warnings.push_back("occlusion textures are uploaded but not applied: the path tracer "
                           "computes occlusion itself");
    materialCount_ = uint32_t(records.size());
    materials_ = upload(ctx_, records, kRecordUsage);
}

void GpuScene::uploadGeometry(const scene::Scene& scene) {
    std::vector<glm::vec3> positions, normals;
    std::vector<glm::vec4> tangents;
    std::vector<glm::vec2> uv0, uv1;
    std::vector<uint32_t> indices;
    struct Offsets {
        size_t vertex, index;
        bool tangents, uv0, uv1;
    };
    std::vector<Offsets> offsets;
    const uint32_t defaultMaterial = uint32_t(scene.materials.size());
    for (const scene::Mesh& mesh : scene.meshes) {
        meshFirstGeometry_.push_back(uint32_t(geometryRecords_.size()));
        for (const scene::Primitive& p : mesh.primitives) {
            const size_t n = p.positions.size();
            Offsets o{positions.size(), indices.size(), p.tangents.size() == n, p.uv0.size() == n,
                      p.uv1.size() == n};
            positions.insert(positions.end(), p.positions.begin(), p.positions.end());
            if (p.normals.size() == n)
                normals.insert(normals.end(), p.normals.begin(), p.normals.end());
            else
                normals.resize(positions.size(), glm::vec3(0.0f)); // shader falls back to ng
            if (o.tangents)
                tangents.insert(tangents.end(), p.tangents.begin(), p.tangents.end());
            else
                tangents.resize(positions.size(), glm::vec4(0.0f));
            if (o.uv0)
                uv0.insert(uv0.end(), p.uv0.begin(), p.uv0.end());
            else
                uv0.resize(positions.size(), glm::vec2(0.0f));
            if (o.uv1)
                uv1.insert(uv1.end(), p.uv1.begin(), p.uv1.end());
            else
                uv1.resize(positions.size(), glm::vec2(0.0f));
            indices.insert(indices.end(), p.indices.begin(), p.indices.end());
            offsets.push_back(o);
            shared::GpuGeometry g{};
            g.material = p.material >= 0 ? uint32_t(p.material) : defaultMaterial;
            geometryRecords_.push_back(g);
        }
    }
    positions_ = upload(ctx_, positions, kAsInputUsage);
    normals_ = upload(ctx_, normals, kRecordUsage);
    tangents_ = upload(ctx_, tangents, kRecordUsage);
    uv0_ = upload(ctx_, uv0, kRecordUsage);
    uv1_ = upload(ctx_, uv1, kRecordUsage);
    indices_ = upload(ctx_, indices, kAsInputUsage);
    for (size_t i = 0; i < geometryRecords_.size(); ++i) {
        const Offsets& o = offsets[i];
        shared::GpuGeometry& g = geometryRecords_[i];
        g.positions = positions_.address + o.vertex * sizeof(glm::vec3);
        g.normals = normals_.address + o.vertex * sizeof(glm::vec3);
        g.tangents = o.tangents ? tangents_.address + o.vertex * sizeof(glm::vec4) : 0;
        g.uv0 = o.uv0 ? uv0_.address + o.vertex * sizeof(glm::vec2) : 0;
        g.uv1 = o.uv1 ? uv1_.address + o.vertex * sizeof(glm::vec2) : 0;
        g.indices = indices_.address + o.index * sizeof(uint32_t);
    }
    geometries_ = upload(ctx_, geometryRecords_, kRecordUsage);
}

void GpuScene::uploadLights(const scene::Scene& scene) {
    std::vector<shared::GpuLight> records;
    for (const scene::Light& l : scene.lights) {
        shared::GpuLight g{};
        g.position = l.position;
        g.type = uint32_t(l.type);
        g.direction = glm::normalize(l.direction);
        g.range = l.range;
        g.intensity = l.color * l.intensity;
        g.cosInner = std::cos(l.innerConeAngle);
        g.cosOuter = std::cos(l.outerConeAngle);
        records.push_back(g);
    }
    lightCount_ = uint32_t(records.size());
    lights_ = upload(ctx_, records, kRecordUsage);
}

} // namespace nerva::gpu
