// Device selection and the Vulkan error path.
#include "neural/core/error.h"
#include "renderer/vk/check.h"
#include "renderer/vk/context.h"
#include "renderer/vk/memory.h"
#include "tests/support/vk_test_env.h"

#include <cstring>

namespace nerva {
namespace {

class ContextTest : public test::VulkanTest {};

TEST_F(ContextTest, PicksASuitableDeviceWithValidation) {
    EXPECT_TRUE(ctx().validationEnabled());
    EXPECT_TRUE(ctx().report().missing.empty());
    EXPECT_GE(ctx().rtProperties().shaderGroupHandleSize, 1u);
    EXPECT_FALSE(vk::listDevices().empty());
}

TEST_F(ContextTest, UnknownDeviceIsAClearError) {
    vk::ContextOptions o;
    o.device = "no-such-gpu-name";
    try {
        vk::Context c(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-gpu-name"), std::string::npos) << e.what();
    }
}

TEST(VkCheck, ReportsCallFileLineAndResultName) {
    try {
        VK_CHECK(VK_ERROR_OUT_OF_DEVICE_MEMORY);
        FAIL();
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("VK_ERROR_OUT_OF_DEVICE_MEMORY"), std::string::npos) << msg;
        EXPECT_NE(msg.find("test_context.cpp:"), std::string::npos) << msg;
    }
}

TEST_F(ContextTest, BuffersRoundTripThroughTheDevice) {
    std::vector<uint32_t> data(1000);
    for (uint32_t i = 0; i < data.size(); ++i)
        data[i] = i * 2654435761u;
    vk::Buffer dev = vk::createBufferWithData(ctx(), data.data(), data.size() * 4,
                                              VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
    EXPECT_NE(dev.address, 0u);
    vk::Buffer back = vk::createBuffer(ctx(), data.size() * 4, 0, vk::MemoryUse::Readback);
    ctx().submitAndWait([&](VkCommandBuffer cmd) {
        VkBufferCopy r{0, 0, data.size() * 4};
        vkCmdCopyBuffer(cmd, dev.get(), back.get(), 1, &r);
    });
    EXPECT_EQ(std::memcmp(back.mapped, data.data(), data.size() * 4), 0);
    vk::Buffer moved = std::move(dev);
    EXPECT_FALSE(dev.buffer);
    EXPECT_TRUE(moved.buffer);
}

} // namespace
} // namespace nerva

namespace nerva {
namespace {

// The ledger behind the viewer's "GPU memory" line: every allocation counted
// while it lives, device-local ones apart, and nothing left after it is freed.
TEST_F(ContextTest, MemoryInUseCountsLiveAllocations) {
    const vk::MemoryInUse before = vk::memoryInUse();
    constexpr VkDeviceSize kBytes = 3 << 20;
    {
        vk::Buffer dev = vk::createBuffer(ctx(), kBytes, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                                          vk::MemoryUse::Device);
        vk::Buffer host = vk::createBuffer(ctx(), kBytes, 0, vk::MemoryUse::Upload);
        const vk::MemoryInUse during = vk::memoryInUse();
        EXPECT_EQ(during.allocations, before.allocations + 2);
        EXPECT_GE(during.bytes, before.bytes + 2 * kBytes);
        EXPECT_GE(during.deviceLocalBytes, before.deviceLocalBytes + kBytes);
        vk::Buffer moved = std::move(dev); // a move is not a second allocation
        EXPECT_EQ(vk::memoryInUse().allocations, during.allocations);
    }
    const vk::MemoryInUse after = vk::memoryInUse();
    EXPECT_EQ(after.bytes, before.bytes);
    EXPECT_EQ(after.deviceLocalBytes, before.deviceLocalBytes);
    EXPECT_EQ(after.allocations, before.allocations);
}

} // namespace
} // namespace nerva
