// A ray-tracing pipeline with its shader binding table, built from named
// shader files: one raygen, any number of miss shaders, hit groups
// (triangles, or procedural ones with an intersection shader).
#pragma once

#include "renderer/shader/shader_compiler.h"
#include "renderer/vk/memory.h"

#include <string>
#include <vector>

namespace nerva::pt {

struct HitGroupDesc {
    std::string closestHit;   // path relative to shaders/, may be empty
    std::string anyHit;       // may be empty
    std::string intersection; // non-empty: a procedural (AABB) hit group
};

struct RtPipelineDesc {
    std::string rayGen;
    std::vector<std::string> miss;
    std::vector<HitGroupDesc> hitGroups;
    ShaderDefines defines;
    uint32_t maxRecursionDepth = 2;
    uint32_t pushConstantSize = 0;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
};

class RtPipeline {
  public:
    RtPipeline(const vk::Context& ctx, ShaderCompiler& compiler, const RtPipelineDesc& desc);

    VkPipeline pipeline() const { return pipeline_.get(); }
    VkPipelineLayout layout() const { return layout_.get(); }
    const VkStridedDeviceAddressRegionKHR& rayGenRegion() const { return regions_[0]; }
    const VkStridedDeviceAddressRegionKHR& missRegion() const { return regions_[1]; }
    const VkStridedDeviceAddressRegionKHR& hitRegion() const { return regions_[2]; }
    const VkStridedDeviceAddressRegionKHR& callableRegion() const { return regions_[3]; }

  private:
    vk::Handle<VkPipelineLayout> layout_;
    vk::Handle<VkPipeline> pipeline_;
    vk::Buffer sbt_;
    VkStridedDeviceAddressRegionKHR regions_[4]{};
};

} // namespace nerva::pt
