// vk::ComputePipeline: push constants carry buffer addresses and parameters,
// dispatch covers every work group, misuse is a clear error.
#include "neural/core/error.h"
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "tests/support/vk_test_env.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace nerva {
namespace {

namespace fs = std::filesystem;

struct Push {
    uint64_t out;
    uint32_t width;
    float scale;
};

// out[y * width + x] = scale * (y * width + x) + 1, for a 2D dispatch.
const char* kKernel = R"(#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x = 8, local_size_y = 4) in;
layout(buffer_reference, scalar) writeonly buffer FloatsRef { float v[]; };
layout(push_constant, scalar) uniform Push { uint64_t out_; uint width; float scale; } pc;
void main() {
    uint i = gl_GlobalInvocationID.y * pc.width + gl_GlobalInvocationID.x;
    FloatsRef(pc.out_).v[i] = pc.scale * float(i) + 1.0;
}
)";

class ComputeTest : public test::VulkanTest {
  protected:
    void SetUp() override {
        test::VulkanTest::SetUp();
        root_ = fs::temp_directory_path() / ("nerva-test-compute-" + std::to_string(::getpid()));
        fs::create_directories(root_);
        std::ofstream(root_ / "fill.comp") << kKernel;
    }
    void TearDown() override {
        fs::remove_all(root_);
        test::VulkanTest::TearDown();
    }
    fs::path root_;
};

TEST_F(ComputeTest, DispatchWritesThroughPushedAddresses) {
    ShaderCompiler compiler(root_.string(), "");
    vk::ComputePipeline moved(ctx(), compiler, "fill.comp", sizeof(Push));
    const vk::ComputePipeline pipeline = std::move(moved);
    EXPECT_FALSE(moved) << "a moved-from pipeline is empty";
    ASSERT_TRUE(pipeline);

    const uint32_t groupsX = 5, groupsY = 3, width = groupsX * 8, count = width * groupsY * 4;
    const vk::Buffer out = vk::createBuffer(
        ctx(), count * sizeof(float), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Readback);
    const Push push{out.address, width, 0.5f};
    ctx().submitAndWait([&](VkCommandBuffer cmd) {
        pipeline.dispatch(cmd, groupsX, groupsY, 1, push);
        vk::computeToHostBarrier(cmd);
    });
    const auto* v = static_cast<const float*>(out.mapped);
    for (uint32_t i = 0; i < count; ++i)
        ASSERT_EQ(v[i], 0.5f * float(i) + 1.0f) << "element " << i;
    EXPECT_EQ(vk::groupCount(count, 64), (count + 63) / 64);
    EXPECT_EQ(vk::groupCount(64, 64), 1u);
    EXPECT_EQ(vk::groupCount(65, 64), 2u);
}

TEST_F(ComputeTest, MisuseIsAnError) {
    ShaderCompiler compiler(root_.string(), "");
    const vk::ComputePipeline pipeline(ctx(), compiler, "fill.comp", sizeof(Push));
    const uint32_t wrong[3] = {0, 0, 0};
    EXPECT_THROW(ctx().submitAndWait([&](VkCommandBuffer cmd) {
        pipeline.dispatch(cmd, 1, 1, 1, wrong, sizeof wrong);
    }),
                 Error);
    const uint32_t limit = ctx().properties().limits.maxPushConstantsSize;
    EXPECT_THROW(vk::ComputePipeline(ctx(), compiler, "fill.comp", limit + 4), Error);
    EXPECT_THROW(vk::ComputePipeline(ctx(), compiler, "missing.comp", sizeof(Push)), Error);
    const vk::ComputePipeline empty;
    EXPECT_THROW(
        ctx().submitAndWait([&](VkCommandBuffer cmd) { empty.dispatch(cmd, 1, 1, 1, nullptr, 0); }),
        Error);
}

} // namespace
} // namespace nerva
