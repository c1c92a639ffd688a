// Buffers and images with their own memory, as move-only values. Every buffer
// gets a device address (DESIGN.md: hit shaders read scene records through
// buffer device addresses). One allocation per resource keeps ownership
// simple; scenes here have at most a few thousand resources.
#pragma once

#include "context.h"
#include "handle.h"

#include <cstddef>
#include <cstdint>

namespace nerva::vk {

enum class MemoryUse {
    Device,   // device-local; filled through a staging copy
    Upload,   // host-visible, coherent, persistently mapped (CPU writes)
    Readback, // host-visible, cached where possible (CPU reads)
};

// Memory allocated through this file and not yet freed, over all devices
// (swapchains and Dear ImGui's own allocations are not in it).
struct MemoryInUse {
    VkDeviceSize bytes = 0;
    VkDeviceSize deviceLocalBytes = 0; // of which device-local
    uint32_t allocations = 0;
};
MemoryInUse memoryInUse();

struct Buffer {
    Handle<VkBuffer> buffer;
    Handle<VkDeviceMemory> memory;
    VkDeviceSize size = 0;
    VkDeviceAddress address = 0;
    void* mapped = nullptr; // non-null for Upload/Readback

    VkBuffer get() const { return buffer.get(); }
};

Buffer createBuffer(const Context& ctx, VkDeviceSize size, VkBufferUsageFlags usage, MemoryUse use);

// A device-local buffer holding `data`, copied through a staging buffer.
// `size` may be 0: a 16-byte zero buffer is made so addresses stay valid.
Buffer createBufferWithData(const Context& ctx, const void* data, VkDeviceSize size,
                            VkBufferUsageFlags usage);

struct Image {
    Handle<VkImage> image;
    Handle<VkDeviceMemory> memory;
    Handle<VkImageView> view;
    VkFormat format = VK_FORMAT_UNDEFINED;
    VkExtent2D extent{};
    uint32_t mipLevels = 1;
};

// A 2D image, device-local, with a view of all mip levels.
Image createImage2D(const Context& ctx, uint32_t width, uint32_t height, VkFormat format,
                    VkImageUsageFlags usage, uint32_t mipLevels = 1);

// Uploads 8-bit RGBA texels (row 0 at the top) and builds the full mip chain
// on the device with linear blits. Leaves the image SHADER_READ_ONLY_OPTIMAL.
Image createTexture2D(const Context& ctx, uint32_t width, uint32_t height, const uint8_t* rgba8,
                      bool srgb);

// One image layout transition covering all mips, with conservative stages.
void transitionImage(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
                     uint32_t mipLevels = 1);

} // namespace nerva::vk
