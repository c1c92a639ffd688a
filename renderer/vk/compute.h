// A compute pipeline without descriptor sets: kernels receive everything
// through push constants, buffers as device addresses (GL_EXT_buffer_reference).
// Used by the CPU-vs-GPU agreement tests of the shared math and by small
// utility kernels. Move-only.
#pragma once

#include "context.h"
#include "handle.h"
#include "renderer/shader/shader_compiler.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nerva::vk {

class ComputePipeline {
  public:
    ComputePipeline() = default;
    // Compiles `shaderPath` (relative to shaders/, a .comp file) with
    // `defines` and builds the pipeline with one push-constant range of
    // `pushConstantSize` bytes (0: none) visible to the compute stage.
    // Throws nerva::Error when the shader does not compile or the size is
    // beyond the device's limit.
    ComputePipeline(const Context& ctx, ShaderCompiler& compiler, const std::string& shaderPath,
                    uint32_t pushConstantSize, const ShaderDefines& defines = {});
    // Same from ready SPIR-V words; `name` only labels error messages.
    ComputePipeline(const Context& ctx, const std::vector<uint32_t>& spirv,
                    uint32_t pushConstantSize, const std::string& name = "compute kernel");

    ComputePipeline(ComputePipeline&&) noexcept = default;
    ComputePipeline& operator=(ComputePipeline&&) noexcept = default;

    VkPipeline pipeline() const { return pipeline_.get(); }
    VkPipelineLayout layout() const { return layout_.get(); }
    uint32_t pushConstantSize() const { return pushSize_; }
    explicit operator bool() const { return bool(pipeline_); }

    // Records: bind the pipeline, push `size` bytes of `pushData` (size must
    // equal the range given at creation; 0 with no range) and dispatch.
    void dispatch(VkCommandBuffer cmd, uint32_t groupsX, uint32_t groupsY, uint32_t groupsZ,
                  const void* pushData, uint32_t size) const;

    // The same with a push-constant struct.
    template <typename Push>
    void dispatch(VkCommandBuffer cmd, uint32_t groupsX, uint32_t groupsY, uint32_t groupsZ,
                  const Push& push) const {
        dispatch(cmd, groupsX, groupsY, groupsZ, &push, uint32_t(sizeof(Push)));
    }

  private:
    std::string name_;
    uint32_t pushSize_ = 0;
    Handle<VkPipelineLayout> layout_;
    Handle<VkPipeline> pipeline_;
};

// Number of work groups of `localSize` invocations that cover `count` items.
inline uint32_t groupCount(uint64_t count, uint32_t localSize) {
    return uint32_t((count + localSize - 1) / localSize);
}

// Makes compute-shader writes visible to later compute-shader reads.
void computeToComputeBarrier(VkCommandBuffer cmd);
// Makes compute-shader writes visible to the host after the submission's
// fence (needed before reading a Readback buffer's mapped memory).
void computeToHostBarrier(VkCommandBuffer cmd);

} // namespace nerva::vk
