// The window's swapchain: acquires an image, clears it, blits the tonemapped
// render into the view region, draws the UI on top in a render pass and
// presents. Recreated on resize; idle while minimised. One frame in flight.
#pragma once

#include "renderer/vk/context.h"
#include "renderer/vk/memory.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct GLFWwindow;

namespace nerva::view {

// An 8-bit RGBA screenshot of the window, row 0 at the top.
struct Screenshot {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> rgba;
};

class Presenter {
  public:
    Presenter(const vk::Context& ctx, GLFWwindow* window, bool vsync);
    ~Presenter();
    Presenter(const Presenter&) = delete;
    Presenter& operator=(const Presenter&) = delete;

    VkRenderPass renderPass() const { return renderPass_; }
    uint32_t imageCount() const { return uint32_t(images_.size()); }
    VkExtent2D extent() const { return extent_; }
    bool vsync() const { return vsync_; }
    void setVsync(bool on); // recreates the swapchain when it changes
    bool canScreenshot() const { return canScreenshot_; }

    // Replaces the image shown in the view region (RGBA8, sRGB-encoded).
    void setView(uint32_t width, uint32_t height, const uint8_t* rgba);
    void clearView() { viewWidth_ = viewHeight_ = 0; }

    // Draws one frame: the view blitted to (x, y, w, h) of the window, then
    // `drawUi` inside the render pass. Returns false when nothing could be
    // drawn (minimised or swapchain out of date; it is recreated).
    // `shot`, when given, receives the presented image.
    bool frame(int32_t x, int32_t y, uint32_t w, uint32_t h,
               const std::function<void(VkCommandBuffer)>& drawUi, Screenshot* shot = nullptr);

  private:
    void createSwapchain();
    void destroySwapchain();
    void ensureViewImage(uint32_t width, uint32_t height);

    const vk::Context& ctx_;
    GLFWwindow* window_;
    bool vsync_;
    bool canScreenshot_ = false;
    VkSurfaceKHR surface_ = VK_NULL_HANDLE;
    VkSurfaceFormatKHR format_{};
    VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;
    VkExtent2D extent_{};
    std::vector<VkImage> images_;
    std::vector<vk::Handle<VkImageView>> views_;
    std::vector<vk::Handle<VkFramebuffer>> framebuffers_;
    std::vector<vk::Handle<VkSemaphore>> renderDone_; // one per swapchain image
    vk::Handle<VkRenderPass> renderPass_;
    vk::Handle<VkCommandPool> pool_;
    VkCommandBuffer cmd_ = VK_NULL_HANDLE;
    vk::Handle<VkSemaphore> acquired_;
    vk::Handle<VkFence> inFlight_;
    vk::Image viewImage_; // RGBA8 copy of the render, blitted each frame
    vk::Buffer viewStaging_, shotBuffer_;
    uint32_t viewWidth_ = 0, viewHeight_ = 0;
    bool viewDirty_ = false;
};

} // namespace nerva::view
