#include "rt_pipeline.h"

#include "renderer/vk/check.h"

#include <cstring>

namespace nerva::pt {
namespace {

VkDeviceSize alignUp(VkDeviceSize v, VkDeviceSize a) {
    return (v + a - 1) / a * a;
}

VkShaderStageFlagBits stageOf(const std::string& path) {
    const auto ext = path.substr(path.rfind('.'));
    if (ext == ".rgen") return VK_SHADER_STAGE_RAYGEN_BIT_KHR;
    if (ext == ".rmiss") return VK_SHADER_STAGE_MISS_BIT_KHR;
    if (ext == ".rchit") return VK_SHADER_STAGE_CLOSEST_HIT_BIT_KHR;
    if (ext == ".rahit") return VK_SHADER_STAGE_ANY_HIT_BIT_KHR;
    return VK_SHADER_STAGE_INTERSECTION_BIT_KHR;
}

} // namespace

RtPipeline::RtPipeline(const vk::Context& ctx, ShaderCompiler& compiler,
                       const RtPipelineDesc& desc) {
    const VkDevice dev = ctx.device();
    std::vector<vk::Handle<VkShaderModule>> modules;
    std::vector<VkPipelineShaderStageCreateInfo> stages;
    auto addStage = [&](const std::string& path) -> uint32_t {
        const std::vector<uint32_t> spirv = compiler.compile(path, desc.defines);
        VkShaderModuleCreateInfo mi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
        mi.codeSize = spirv.size() * 4;
        mi.pCode = spirv.data();
        VkShaderModule module = VK_NULL_HANDLE;
        VK_CHECK(vkCreateShaderModule(dev, &mi, nullptr, &module));
        modules.emplace_back(dev, module, vkDestroyShaderModule);
        VkPipelineShaderStageCreateInfo si{VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
        si.stage = stageOf(path);
        si.module = module;
        si.pName = "main";
        stages.push_back(si);
        return uint32_t(stages.size() - 1);
    };
    auto general = [](uint32_t stage) {
        VkRayTracingShaderGroupCreateInfoKHR g{
            VK_STRUCTURE_TYPE_RAY_TRACING_SHADER_GROUP_CREATE_INFO_KHR};
        g.type = VK_RAY_TRACING_SHADER_GROUP_TYPE_GENERAL_KHR;
        g.generalShader = stage;
        g.closestHitShader = g.anyHitShader = g.intersectionShader = VK_SHADER_UNUSED_KHR;
        return g;
    };
    std::vector<VkRayTracingShaderGroupCreateInfoKHR> groups;
    groups.push_back(general(addStage(desc.rayGen)));
    for (const std::string& m : desc.miss)
        groups.push_back(general(addStage(m)));
    for (const HitGroupDesc& h : desc.hitGroups) {
        VkRayTracingShaderGroupCreateInfoKHR g{
            VK_STRUCTURE_TYPE_RAY_TRACING_SHADER_GROUP_CREATE_INFO_KHR};
        g.type = h.intersection.empty() ? VK_RAY_TRACING_SHADER_GROUP_TYPE_TRIANGLES_HIT_GROUP_KHR
                                        : VK_RAY_TRACING_SHADER_GROUP_TYPE_PROCEDURAL_HIT_GROUP_KHR;
        g.generalShader = VK_SHADER_UNUSED_KHR;
        g.intersectionShader =
            h.intersection.empty() ? VK_SHADER_UNUSED_KHR : addStage(h.intersection);
        g.closestHitShader = h.closestHit.empty() ? VK_SHADER_UNUSED_KHR : addStage(h.closestHit);
        g.anyHitShader = h.anyHit.empty() ? VK_SHADER_UNUSED_KHR : addStage(h.anyHit);
        groups.push_back(g);
    }

    VkPushConstantRange push{VK_SHADER_STAGE_ALL, 0, desc.pushConstantSize};
    VkPipelineLayoutCreateInfo li{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    li.setLayoutCount = desc.setLayout ? 1 : 0;
    li.pSetLayouts = &desc.setLayout;
    li.pushConstantRangeCount = desc.pushConstantSize ? 1 : 0;
    li.pPushConstantRanges = &push;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VK_CHECK(vkCreatePipelineLayout(dev, &li, nullptr, &layout));
    layout_ = {dev, layout, vkDestroyPipelineLayout};

    VkRayTracingPipelineCreateInfoKHR pi{VK_STRUCTURE_TYPE_RAY_TRACING_PIPELINE_CREATE_INFO_KHR};
    pi.stageCount = uint32_t(stages.size());
    pi.pStages = stages.data();
    pi.groupCount = uint32_t(groups.size());
    pi.pGroups = groups.data();
    pi.maxPipelineRayRecursionDepth = desc.maxRecursionDepth;
    pi.layout = layout;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VK_CHECK(ctx.rt().createRayTracingPipelines(dev, VK_NULL_HANDLE, ctx.pipelineCache(), 1, &pi,
                                                nullptr, &pipeline));
    pipeline_ = {dev, pipeline, vkDestroyPipeline};

    // Shader binding table: [raygen][miss...][hit...], each region aligned
    // to the base alignment, records to the handle alignment.
    const auto& props = ctx.rtProperties();
    const uint32_t handleSize = props.shaderGroupHandleSize;
    const VkDeviceSize recordStride = alignUp(handleSize, props.shaderGroupHandleAlignment);
    const VkDeviceSize base = props.shaderGroupBaseAlignment;
    const VkDeviceSize rayGenSize = alignUp(recordStride, base);
    const VkDeviceSize missSize = alignUp(recordStride * desc.miss.size(), base);
    const VkDeviceSize hitSize = alignUp(recordStride * desc.hitGroups.size(), base);
    std::vector<uint8_t> handles(size_t(handleSize) * groups.size());
    VK_CHECK(ctx.rt().getRayTracingShaderGroupHandles(dev, pipeline, 0, uint32_t(groups.size()),
                                                      handles.size(), handles.data()));
    const VkDeviceSize total = rayGenSize + missSize + hitSize + base;
    sbt_ = vk::createBuffer(ctx, total, VK_BUFFER_USAGE_SHADER_BINDING_TABLE_BIT_KHR,
                            vk::MemoryUse::Upload);
    const VkDeviceAddress start = alignUp(sbt_.address, base);
    auto* bytes = static_cast<uint8_t*>(sbt_.mapped) + (start - sbt_.address);
    uint32_t group = 0;
    auto writeRegion = [&](VkDeviceSize offset, size_t count) {
        for (size_t i = 0; i < count; ++i, ++group)
            std::memcpy(bytes + offset + i * recordStride,
                        handles.data() + size_t(group) * handleSize, handleSize);
    };
    writeRegion(0, 1);
    writeRegion(rayGenSize, desc.miss.size());
    writeRegion(rayGenSize + missSize, desc.hitGroups.size());
    regions_[0] = {start, rayGenSize, rayGenSize};
    regions_[1] = {start + rayGenSize, recordStride, missSize};
    regions_[2] = {start + rayGenSize + missSize, recordStride, hitSize};
    regions_[3] = {0, 0, 0};
}

} // namespace nerva::pt
