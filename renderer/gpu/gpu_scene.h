// The CPU scene model uploaded to the device: vertex/index buffers, material,
// geometry and light records (read in hit shaders through device addresses),
// bindless textures, one BLAS per mesh and a TLAS of instances; tri-plane
// SDF fields (gpu_fields.h) join the TLAS as procedural instances.
#pragma once

#include "renderer/gpu/gpu_environment.h"
#include "renderer/gpu/gpu_fields.h"
#include "renderer/gpu/gpu_layered.h"
#include "renderer/gpu/scene_neural.h"
#include "renderer/scene/scene_model.h"
#include "renderer/vk/memory.h"
#include "shaders/shared/scene_types.h"

#include <memory>
#include <vector>

namespace nerva::gpu {

struct AccelerationStructure {
    vk::Buffer storage;
    vk::Handle<VkAccelerationStructureKHR> handle;
    VkDeviceAddress address = 0;
};

// A BLAS of one AABB (procedural geometry, opaque) read from `aabbs`
// (a VkAabbPositionsKHR); built and ready to trace on return.
AccelerationStructure buildAabbBlas(const vk::Context& ctx, VkDeviceAddress aabbs);

struct GpuTexture {
    vk::Image image;
    uint32_t sampler = 0; // index into GpuScene::samplers
};

struct GpuSceneOptions {
    // A neural material whose .nmat cannot be used is an error (nerva::Error)
    // instead of a warning and a fallback to its reference.
    bool strictNeural = false;
};

class GpuScene {
  public:
    // Uploads `scene` and builds its acceleration structures. Warnings about
    // what the GPU path simplifies are appended to `warnings`.
    GpuScene(const vk::Context& ctx, const scene::Scene& scene, std::vector<std::string>& warnings,
             const GpuSceneOptions& options = {});

    VkAccelerationStructureKHR tlas() const { return tlas_.handle.get(); }

    // The environment: the baked procedural sky until another is set.
    const GpuEnvironment& environment() const { return *environment_; }
    void setEnvironment(const EnvironmentMap& map, bool procedural = false);
    const std::vector<GpuTexture>& textures() const { return textures_; }
    const std::vector<vk::Handle<VkSampler>>& samplers() const { return samplers_; }
    VkDeviceAddress materials() const { return materials_.address; }
    // GpuMaterial records: the scene's materials, then the default material.
    uint32_t materialCount() const { return materialCount_; }
    // The layered material of every glTF material (same index; the last one
    // is the default material of primitives without one).
    const GpuLayeredMaterials& layered() const { return *layered_; }
    VkDeviceAddress geometries() const { return geometries_.address; }
    VkDeviceAddress lights() const { return lights_.address; }
    uint32_t lightCount() const { return lightCount_; }
    // Emissive triangles for light sampling, with their power CDF.
    VkDeviceAddress emissiveTriangles() const { return emissive_.address; }
    VkDeviceAddress emissiveCdf() const { return emissiveCdf_.address; }
    uint32_t emissiveCount() const { return emissiveCount_; }
    float emissivePower() const { return emissivePower_; }
    uint64_t triangleCount() const { return triangles_; }
    // The scene's tri-plane SDF fields (records for FrameGlobals::fields).
    const GpuFields& fields() const { return *fields_; }
    // The neural materials (NERVA_materials_neural); their latent textures
    // follow textures() in the bindless array.
    const SceneNeuralMaterials& neural() const { return neural_; }

  private:
    void uploadTextures(const scene::Scene& scene);
    void uploadMaterials(const scene::Scene& scene, std::vector<std::string>& warnings);
    void uploadGeometry(const scene::Scene& scene);
    void uploadLights(const scene::Scene& scene);
    void uploadEmissive(const scene::Scene& scene);
    void buildBlases(const scene::Scene& scene);
    void buildTlas(const scene::Scene& scene);

    const vk::Context& ctx_;
    std::vector<vk::Handle<VkSampler>> samplers_;
    std::vector<GpuTexture> textures_;
    vk::Buffer materials_, geometries_, lights_;
    vk::Buffer positions_, normals_, tangents_, uv0_, uv1_, indices_;
    std::vector<shared::GpuGeometry> geometryRecords_;
    std::vector<uint32_t> meshFirstGeometry_; // mesh -> first index in geometryRecords_
    std::vector<bool> opaqueMaterial_;
    std::vector<AccelerationStructure> blases_;
    AccelerationStructure tlas_;
    vk::Buffer instanceBuffer_;
    uint32_t lightCount_ = 0;
    std::unique_ptr<GpuEnvironment> environment_;
    std::unique_ptr<GpuLayeredMaterials> layered_;
    std::unique_ptr<GpuFields> fields_;
    SceneNeuralMaterials neural_;
    uint32_t materialCount_ = 0;
    vk::Buffer emissive_, emissiveCdf_;
    uint32_t emissiveCount_ = 0;
    float emissivePower_ = 0.0f;
    uint64_t triangles_ = 0;
};

} // namespace nerva::gpu
