#include "memory.h"

#include "check.h"
#include "neural/core/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace nerva::vk {
namespace {

// Bytes of every live allocation, so the viewer can show memory in use;
// freeTracked() is the allocations' destroy function.
struct MemoryLedger {
    std::mutex mutex;
    std::unordered_map<VkDeviceMemory, std::pair<VkDeviceSize, bool>> live; // size, device-local
    MemoryInUse total;
};

MemoryLedger& ledger() {
    static MemoryLedger l;
    return l;
}

void VKAPI_PTR freeTracked(VkDevice device, VkDeviceMemory memory,
                           const VkAllocationCallbacks* callbacks) {
    {
        MemoryLedger& l = ledger();
        const std::lock_guard lock(l.mutex);
        const auto it = l.live.find(memory);
        if (it != l.live.end()) {
            l.total.bytes -= it->second.first;
            if (it->second.second) l.total.deviceLocalBytes -= it->second.first;
            --l.total.allocations;
            l.live.erase(it);
        }
    }
    vkFreeMemory(device, memory, callbacks);
}

Handle<VkDeviceMemory> allocate(const Context& ctx, const VkMemoryRequirements& req,
                                VkMemoryPropertyFlags props, bool deviceAddress) {
    VkMemoryAllocateFlagsInfo flags{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO};
    flags.flags = VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT;
    VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                            deviceAddress ? &flags : nullptr};
    ai.allocationSize = req.size;
    ai.memoryTypeIndex = ctx.findMemoryType(req.memoryTypeBits, props);
    VkDeviceMemory memory = VK_NULL_HANDLE;
    VK_CHECK(vkAllocateMemory(ctx.device(), &ai, nullptr, &memory));
    const bool local = (props & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) != 0;
    MemoryLedger& l = ledger();
    const std::lock_guard lock(l.mutex);
    l.live[memory] = {req.size, local};
    l.total.bytes += req.size;
    if (local) l.total.deviceLocalBytes += req.size;
    ++l.total.allocations;
    return {ctx.device(), memory, freeTracked};
}

} // namespace

MemoryInUse memoryInUse() {
    MemoryLedger& l = ledger();
    const std::lock_guard lock(l.mutex);
    return l.total;
}

Buffer createBuffer(const Context& ctx, VkDeviceSize size, VkBufferUsageFlags usage,
                    MemoryUse use) {
    Buffer b;
    b.size = std::max<VkDeviceSize>(size, 16);
    VkBufferCreateInfo ci{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    ci.size = b.size;
    ci.usage = usage | VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT |
               VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    ci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VkBuffer buffer = VK_NULL_HANDLE;
    VK_CHECK(vkCreateBuffer(ctx.device(), &ci, nullptr, &buffer));
    b.buffer = {ctx.device(), buffer, vkDestroyBuffer};

    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(ctx.device(), buffer, &req);
    VkMemoryPropertyFlags props = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    if (use == MemoryUse::Upload)
        props = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    if (use == MemoryUse::Readback)
        props = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    b.memory = allocate(ctx, req, props, true);
    VK_CHECK(vkBindBufferMemory(ctx.device(), buffer, b.memory, 0));
    if (use != MemoryUse::Device)
        VK_CHECK(vkMapMemory(ctx.device(), b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped));

    VkBufferDeviceAddressInfo ai{VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO};
    ai.buffer = buffer;
    b.address = vkGetBufferDeviceAddress(ctx.device(), &ai);
    return b;
}

Buffer createBufferWithData(const Context& ctx, const void* data, VkDeviceSize size,
                            VkBufferUsageFlags usage) {
    Buffer staging = createBuffer(ctx, size, 0, MemoryUse::Upload);
    if (size)
        std::memcpy(staging.mapped, data, size_t(size));
    else
        std::memset(staging.mapped, 0, size_t(staging.size));
    Buffer b = createBuffer(ctx, size, usage, MemoryUse::Device);
    ctx.submitAndWait([&](VkCommandBuffer cmd) {
        VkBufferCopy region{0, 0, staging.size};
        vkCmdCopyBuffer(cmd, staging.get(), b.get(), 1, &region);
    });
    return b;
}

Image createImage2D(const Context& ctx, uint32_t width, uint32_t height, VkFormat format,
                    VkImageUsageFlags usage, uint32_t mipLevels) {
    Image img;
    img.format = format;
    img.extent = {width, height};
    img.mipLevels = mipLevels;
    VkImageCreateInfo ci{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
    ci.imageType = VK_IMAGE_TYPE_2D;
    ci.format = format;
    ci.extent = {width, height, 1};
    ci.mipLevels = mipLevels;
    ci.arrayLayers = 1;
    ci.samples = VK_SAMPLE_COUNT_1_BIT;
    ci.tiling = VK_IMAGE_TILING_OPTIMAL;
    ci.usage = usage;
    ci.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    VkImage image = VK_NULL_HANDLE;
    VK_CHECK(vkCreateImage(ctx.device(), &ci, nullptr, &image));
    img.image = {ctx.device(), image, vkDestroyImage};
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(ctx.device(), image, &req);
    img.memory = allocate(ctx, req, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, false);
    VK_CHECK(vkBindImageMemory(ctx.device(), image, img.memory, 0));

    VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    vi.image = image;
    vi.viewType = VK_IMAGE_VIEW_TYPE_2D;
    vi.format = format;
    vi.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, mipLevels, 0, 1};
    VkImageView view = VK_NULL_HANDLE;
    VK_CHECK(vkCreateImageView(ctx.device(), &vi, nullptr, &view));
    img.view = {ctx.device(), view, vkDestroyImageView};
    return img;
}

void transitionImage(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
                     uint32_t mipLevels) {
    VkImageMemoryBarrier2 b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER_2};
    b.srcStageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
    b.srcAccessMask = VK_ACCESS_2_MEMORY_WRITE_BIT;
    b.dstStageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
    b.dstAccessMask = VK_ACCESS_2_MEMORY_READ_BIT | VK_ACCESS_2_MEMORY_WRITE_BIT;
    b.oldLayout = from;
    b.newLayout = to;
    b.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.image = image;
    b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, mipLevels, 0, 1};
    VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dep.imageMemoryBarrierCount = 1;
    dep.pImageMemoryBarriers = &b;
    vkCmdPipelineBarrier2(cmd, &dep);
}

Image createTexture2D(const Context& ctx, uint32_t width, uint32_t height, const uint8_t* rgba8,
                      bool srgb) {
    const VkFormat format = srgb ? VK_FORMAT_R8G8B8A8_SRGB : VK_FORMAT_R8G8B8A8_UNORM;
    const uint32_t mips = 1 + uint32_t(std::floor(std::log2(double(std::max(width, height)))));
    Image img = createImage2D(ctx, width, height, format,
                              VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                                  VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
                              mips);
    const VkDeviceSize bytes = VkDeviceSize(width) * height * 4;
    Buffer staging = createBuffer(ctx, bytes, 0, MemoryUse::Upload);
    std::memcpy(staging.mapped, rgba8, size_t(bytes));

    ctx.submitAndWait([&](VkCommandBuffer cmd) {
        transitionImage(cmd, img.image, VK_IMAGE_LAYOUT_UNDEFINED,
                        VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, mips);
        VkBufferImageCopy copy{};
        copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
        copy.imageExtent = {width, height, 1};
        vkCmdCopyBufferToImage(cmd, staging.get(), img.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                               1, &copy);
        // Each level is a 2x2 box-ish linear blit of the one above it.
        int32_t w = int32_t(width), h = int32_t(height);
        for (uint32_t level = 1; level < mips; ++level) {
            VkImageMemoryBarrier2 b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER_2};
            b.srcStageMask = VK_PIPELINE_STAGE_2_TRANSFER_BIT;
            b.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
            b.dstStageMask = VK_PIPELINE_STAGE_2_TRANSFER_BIT;
            b.dstAccessMask = VK_ACCESS_2_TRANSFER_READ_BIT;
            b.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
            b.newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
            b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
            b.image = img.image;
            b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, level - 1, 1, 0, 1};
            VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
            dep.imageMemoryBarrierCount = 1;
            dep.pImageMemoryBarriers = &b;
            vkCmdPipelineBarrier2(cmd, &dep);

            const int32_t nw = std::max(w / 2, 1), nh = std::max(h / 2, 1);
            VkImageBlit blit{};
            blit.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level - 1, 0, 1};
            blit.srcOffsets[1] = {w, h, 1};
            blit.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level, 0, 1};
            blit.dstOffsets[1] = {nw, nh, 1};
            vkCmdBlitImage(cmd, img.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, img.image,
                           VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, VK_FILTER_LINEAR);
            w = nw;
            h = nh;
        }
        // Levels 0..mips-2 are TRANSFER_SRC now, the last level TRANSFER_DST.
        VkImageMemoryBarrier2 bs[2]{};
        for (auto& b : bs) {
            b.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER_2;
            b.srcStageMask = VK_PIPELINE_STAGE_2_TRANSFER_BIT;
            b.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT | VK_ACCESS_2_TRANSFER_READ_BIT;
            b.dstStageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
            b.dstAccessMask = VK_ACCESS_2_SHADER_READ_BIT;
            b.newLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
            b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
            b.image = img.image;
        }
        uint32_t n = 0;
        if (mips > 1) {
            bs[n].oldLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
            bs[n++].subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, mips - 1, 0, 1};
        }
        bs[n].oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
        bs[n++].subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, mips - 1, 1, 0, 1};
        VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
        dep.imageMemoryBarrierCount = n;
        dep.pImageMemoryBarriers = bs;
        vkCmdPipelineBarrier2(cmd, &dep);
    });
    return img;
}

} // namespace nerva::vk
