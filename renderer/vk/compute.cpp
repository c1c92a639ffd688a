#include "compute.h"

#include "check.h"
#include "neural/core/error.h"

namespace nerva::vk {

ComputePipeline::ComputePipeline(const Context& ctx, ShaderCompiler& compiler,
                                 const std::string& shaderPath, uint32_t pushConstantSize,
                                 const ShaderDefines& defines)
    : ComputePipeline(ctx, compiler.compile(shaderPath, defines), pushConstantSize,
                      "shaders/" + shaderPath) {}

ComputePipeline::ComputePipeline(const Context& ctx, const std::vector<uint32_t>& spirv,
                                 uint32_t pushConstantSize, const std::string& name)
    : name_(name), pushSize_(pushConstantSize) {
    const uint32_t limit = ctx.properties().limits.maxPushConstantsSize;
    if (pushConstantSize % 4 != 0 || pushConstantSize > limit)
        throw errorAt(name, "push-constant size " + std::to_string(pushConstantSize) +
                                " is not a multiple of 4 or exceeds the device limit " +
                                std::to_string(limit));
    if (spirv.empty()) throw errorAt(name, "empty SPIR-V");
    const VkDevice dev = ctx.device();

    VkShaderModuleCreateInfo mi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    mi.codeSize = spirv.size() * sizeof(uint32_t);
    mi.pCode = spirv.data();
    VkShaderModule rawModule = VK_NULL_HANDLE;
    VK_CHECK(vkCreateShaderModule(dev, &mi, nullptr, &rawModule));
    const Handle<VkShaderModule> module(dev, rawModule, vkDestroyShaderModule);

    const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, pushConstantSize};
    VkPipelineLayoutCreateInfo li{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    li.pushConstantRangeCount = pushConstantSize ? 1 : 0;
    li.pPushConstantRanges = &range;
    VkPipelineLayout rawLayout = VK_NULL_HANDLE;
    VK_CHECK(vkCreatePipelineLayout(dev, &li, nullptr, &rawLayout));
    layout_ = {dev, rawLayout, vkDestroyPipelineLayout};

    VkComputePipelineCreateInfo pi{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    pi.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    pi.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    pi.stage.module = module;
    pi.stage.pName = "main";
    pi.layout = rawLayout;
    VkPipeline rawPipeline = VK_NULL_HANDLE;
    VK_CHECK(vkCreateComputePipelines(dev, ctx.pipelineCache(), 1, &pi, nullptr, &rawPipeline));
    pipeline_ = {dev, rawPipeline, vkDestroyPipeline};
}

void ComputePipeline::dispatch(VkCommandBuffer cmd, uint32_t groupsX, uint32_t groupsY,
                               uint32_t groupsZ, const void* pushData, uint32_t size) const {
    if (!pipeline_) throw Error("ComputePipeline::dispatch on an empty pipeline");
    if (size != pushSize_)
        throw errorAt(name_, "dispatch pushes " + std::to_string(size) +
                                 " bytes of push constants, the pipeline takes " +
                                 std::to_string(pushSize_));
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_.get());
    if (size) {
        if (!pushData) throw errorAt(name_, "dispatch without push-constant data");
        vkCmdPushConstants(cmd, layout_.get(), VK_SHADER_STAGE_COMPUTE_BIT, 0, size, pushData);
    }
    vkCmdDispatch(cmd, groupsX, groupsY, groupsZ);
}

namespace {

void memoryBarrier(VkCommandBuffer cmd, VkPipelineStageFlags2 dstStage, VkAccessFlags2 dstAccess) {
    VkMemoryBarrier2 b{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    b.srcStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
    b.srcAccessMask = VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT;
    b.dstStageMask = dstStage;
    b.dstAccessMask = dstAccess;
    VkDependencyInfo di{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    di.memoryBarrierCount = 1;
    di.pMemoryBarriers = &b;
    vkCmdPipelineBarrier2(cmd, &di);
}

} // namespace

void computeToComputeBarrier(VkCommandBuffer cmd) {
    memoryBarrier(cmd, VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT,
                  VK_ACCESS_2_SHADER_STORAGE_READ_BIT | VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
}

void computeToHostBarrier(VkCommandBuffer cmd) {
    memoryBarrier(cmd, VK_PIPELINE_STAGE_2_HOST_BIT, VK_ACCESS_2_HOST_READ_BIT);
}

} // namespace nerva::vk
