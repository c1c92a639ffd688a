#include "presenter.h"

#include "neural/core/error.h"
#include "renderer/vk/check.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstring>

namespace nerva::view {
namespace {

constexpr VkClearColorValue kBackground = {{0.06f, 0.06f, 0.07f, 1.0f}};

bool isBgr(VkFormat f) {
    return f == VK_FORMAT_B8G8R8A8_UNORM || f == VK_FORMAT_B8G8R8A8_SRGB;
}

} // namespace

Presenter::Presenter(const vk::Context& ctx, GLFWwindow* window, bool vsync)
    : ctx_(ctx), window_(window), vsync_(vsync) {
    const VkDevice dev = ctx.device();
    VK_CHECK(glfwCreateWindowSurface(ctx.instance(), window, nullptr, &surface_));
    VkBool32 supported = VK_FALSE;
    VK_CHECK(vkGetPhysicalDeviceSurfaceSupportKHR(ctx.physicalDevice(), ctx.queueFamily(), surface_,
                                                  &supported));
    if (!supported)
        throw Error("nerva-view: device '" + ctx.report().name +
                    "' cannot present to this window from its queue");

    // The render is sRGB-encoded on the CPU, and ImGui's colours are sRGB
    // values: a UNORM swapchain shows both as they are.
    uint32_t count = 0;
    VK_CHECK(vkGetPhysicalDeviceSurfaceFormatsKHR(ctx.physicalDevice(), surface_, &count, nullptr));
    std::vector<VkSurfaceFormatKHR> formats(count);
    VK_CHECK(vkGetPhysicalDeviceSurfaceFormatsKHR(ctx.physicalDevice(), surface_, &count,
                                                  formats.data()));
    if (formats.empty()) throw Error("nerva-view: the window surface offers no formats");
    format_ = formats[0];
    for (const VkSurfaceFormatKHR& f : formats)
        if ((f.format == VK_FORMAT_B8G8R8A8_UNORM || f.format == VK_FORMAT_R8G8B8A8_UNORM) &&
            f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) {
            format_ = f;
            break;
        }

    VkAttachmentDescription att{};
    att.format = format_.format;
    att.samples = VK_SAMPLE_COUNT_1_BIT;
    att.loadOp = VK_ATTACHMENT_LOAD_OP_LOAD; // keeps the blitted render
    att.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    att.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
    att.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    att.initialLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    att.finalLayout = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
    VkAttachmentReference ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub{};
    sub.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
    sub.colorAttachmentCount = 1;
    sub.pColorAttachments = &ref;
    VkSubpassDependency depIn{};
    depIn.srcSubpass = VK_SUBPASS_EXTERNAL;
    depIn.dstSubpass = 0;
    depIn.srcStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT;
    depIn.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    depIn.dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    depIn.dstAccessMask =
        VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    VkRenderPassCreateInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
    rp.attachmentCount = 1;
    rp.pAttachments = &att;
    rp.subpassCount = 1;
    rp.pSubpasses = &sub;
    rp.dependencyCount = 1;
    rp.pDependencies = &depIn;
    VkRenderPass renderPass = VK_NULL_HANDLE;
    VK_CHECK(vkCreateRenderPass(dev, &rp, nullptr, &renderPass));
    renderPass_ = {dev, renderPass, vkDestroyRenderPass};

    VkCommandPoolCreateInfo pi{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pi.queueFamilyIndex = ctx.queueFamily();
    VkCommandPool pool = VK_NULL_HANDLE;
    VK_CHECK(vkCreateCommandPool(dev, &pi, nullptr, &pool));
    pool_ = {dev, pool, vkDestroyCommandPool};
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = pool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VK_CHECK(vkAllocateCommandBuffers(dev, &ai, &cmd_));
    VkSemaphoreCreateInfo si{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    VkSemaphore sem = VK_NULL_HANDLE;
    VK_CHECK(vkCreateSemaphore(dev, &si, nullptr, &sem));
    acquired_ = {dev, sem, vkDestroySemaphore};
    VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    fi.flags = VK_FENCE_CREATE_SIGNALED_BIT;
    VkFence fence = VK_NULL_HANDLE;
    VK_CHECK(vkCreateFence(dev, &fi, nullptr, &fence));
    inFlight_ = {dev, fence, vkDestroyFence};
    createSwapchain();
}

Presenter::~Presenter() {
    vkDeviceWaitIdle(ctx_.device());
    destroySwapchain();
    if (surface_) vkDestroySurfaceKHR(ctx_.instance(), surface_, nullptr);
}

void Presenter::setVsync(bool on) {
    if (on == vsync_) return;
    vsync_ = on;
    vkDeviceWaitIdle(ctx_.device());
    destroySwapchain();
    createSwapchain();
}

void Presenter::createSwapchain() {
    const VkDevice dev = ctx_.device();
    VkSurfaceCapabilitiesKHR caps{};
    VK_CHECK(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(ctx_.physicalDevice(), surface_, &caps));
    int fbw = 0, fbh = 0;
    glfwGetFramebufferSize(window_, &fbw, &fbh);
    extent_ = caps.currentExtent;
    if (extent_.width == 0xFFFFFFFFu) {
        extent_.width =
            std::clamp(uint32_t(fbw), caps.minImageExtent.width, caps.maxImageExtent.width);
        extent_.height =
            std::clamp(uint32_t(fbh), caps.minImageExtent.height, caps.maxImageExtent.height);
    }
    if (extent_.width == 0 || extent_.height == 0) return; // minimised

    uint32_t modeCount = 0;
    VK_CHECK(vkGetPhysicalDeviceSurfacePresentModesKHR(ctx_.physicalDevice(), surface_, &modeCount,
                                                       nullptr));
    std::vector<VkPresentModeKHR> modes(modeCount);
    VK_CHECK(vkGetPhysicalDeviceSurfacePresentModesKHR(ctx_.physicalDevice(), surface_, &modeCount,
                                                       modes.data()));
    VkPresentModeKHR mode = VK_PRESENT_MODE_FIFO_KHR; // always available: vsync
    if (!vsync_)
        for (VkPresentModeKHR m : {VK_PRESENT_MODE_MAILBOX_KHR, VK_PRESENT_MODE_IMMEDIATE_KHR})
            if (std::find(modes.begin(), modes.end(), m) != modes.end()) {
                mode = m;
                break;
            }

    canScreenshot_ = (caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) != 0;
    VkSwapchainCreateInfoKHR ci{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
    ci.surface = surface_;
    ci.minImageCount = std::max(caps.minImageCount, 2u);
    if (caps.maxImageCount > 0) ci.minImageCount = std::min(ci.minImageCount, caps.maxImageCount);
    ci.imageFormat = format_.format;
    ci.imageColorSpace = format_.colorSpace;
    ci.imageExtent = extent_;
    ci.imageArrayLayers = 1;
    ci.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                    (canScreenshot_ ? VK_IMAGE_USAGE_TRANSFER_SRC_BIT : 0);
    ci.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
    ci.preTransform = caps.currentTransform;
    ci.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
    if (!(caps.supportedCompositeAlpha & ci.compositeAlpha))
        ci.compositeAlpha = VK_COMPOSITE_ALPHA_INHERIT_BIT_KHR;
    ci.presentMode = mode;
    ci.clipped = VK_TRUE;
    VK_CHECK(vkCreateSwapchainKHR(dev, &ci, nullptr, &swapchain_));

    uint32_t n = 0;
    VK_CHECK(vkGetSwapchainImagesKHR(dev, swapchain_, &n, nullptr));
    images_.resize(n);
    VK_CHECK(vkGetSwapchainImagesKHR(dev, swapchain_, &n, images_.data()));
    for (VkImage image : images_) {
        VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        vi.image = image;
        vi.viewType = VK_IMAGE_VIEW_TYPE_2D;
        vi.format = format_.format;
        vi.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
        VkImageView view = VK_NULL_HANDLE;
        VK_CHECK(vkCreateImageView(dev, &vi, nullptr, &view));
        views_.emplace_back(dev, view, vkDestroyImageView);
        VkFramebufferCreateInfo fb{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
        fb.renderPass = renderPass_;
        fb.attachmentCount = 1;
        fb.pAttachments = &view;
        fb.width = extent_.width;
        fb.height = extent_.height;
        fb.layers = 1;
        VkFramebuffer framebuffer = VK_NULL_HANDLE;
        VK_CHECK(vkCreateFramebuffer(dev, &fb, nullptr, &framebuffer));
        framebuffers_.emplace_back(dev, framebuffer, vkDestroyFramebuffer);
        VkSemaphoreCreateInfo si{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
        VkSemaphore sem = VK_NULL_HANDLE;
        VK_CHECK(vkCreateSemaphore(dev, &si, nullptr, &sem));
        renderDone_.emplace_back(dev, sem, vkDestroySemaphore);
    }
    if (canScreenshot_)
        shotBuffer_ = vk::createBuffer(ctx_, VkDeviceSize(extent_.width) * extent_.height * 4, 0,
                                       vk::MemoryUse::Readback);
}

void Presenter::destroySwapchain() {
    framebuffers_.clear();
    views_.clear();
    renderDone_.clear();
    images_.clear();
    if (swapchain_) vkDestroySwapchainKHR(ctx_.device(), swapchain_, nullptr);
    swapchain_ = VK_NULL_HANDLE;
}

void Presenter::ensureViewImage(uint32_t width, uint32_t height) {
    if (viewImage_.image && viewImage_.extent.width == width && viewImage_.extent.height == height)
        return;
    vkDeviceWaitIdle(ctx_.device()); // the old image may still be read by a frame
    viewImage_ =
        vk::createImage2D(ctx_, width, height, VK_FORMAT_R8G8B8A8_UNORM,
                          VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                              VK_IMAGE_USAGE_SAMPLED_BIT); // SAMPLED: createImage2D makes a view
    viewStaging_ =
        vk::createBuffer(ctx_, VkDeviceSize(width) * height * 4, 0, vk::MemoryUse::Upload);
    ctx_.submitAndWait([&](VkCommandBuffer cmd) {
        vk::transitionImage(cmd, viewImage_.image, VK_IMAGE_LAYOUT_UNDEFINED,
                            VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
    });
}

void Presenter::setView(uint32_t width, uint32_t height, const uint8_t* rgba) {
    // The staging buffer is free: the previous frame was waited for.
    const VkFence fence = inFlight_;
    VK_CHECK(vkWaitForFences(ctx_.device(), 1, &fence, VK_TRUE, UINT64_MAX));
    ensureViewImage(width, height);
    std::memcpy(viewStaging_.mapped, rgba, size_t(width) * height * 4);
    viewWidth_ = width;
    viewHeight_ = height;
    viewDirty_ = true;
}

bool Presenter::frame(int32_t x, int32_t y, uint32_t w, uint32_t h,
                      const std::function<void(VkCommandBuffer)>& drawUi, Screenshot* shot) {
    const VkDevice dev = ctx_.device();
    const VkFence fence = inFlight_;
    VK_CHECK(vkWaitForFences(dev, 1, &fence, VK_TRUE, UINT64_MAX));
    int fbw = 0, fbh = 0;
    glfwGetFramebufferSize(window_, &fbw, &fbh);
    if (fbw == 0 || fbh == 0) return false; // minimised
    if (!swapchain_ || uint32_t(fbw) != extent_.width || uint32_t(fbh) != extent_.height) {
        vkDeviceWaitIdle(dev);
        destroySwapchain();
        createSwapchain();
        if (!swapchain_) return false;
    }
    uint32_t index = 0;
    const VkResult acquire =
        vkAcquireNextImageKHR(dev, swapchain_, UINT64_MAX, acquired_, VK_NULL_HANDLE, &index);
    if (acquire == VK_ERROR_OUT_OF_DATE_KHR) {
        vkDeviceWaitIdle(dev);
        destroySwapchain();
        createSwapchain();
        return false;
    }
    if (acquire != VK_SUBOPTIMAL_KHR) VK_CHECK(acquire);
    VK_CHECK(vkResetFences(dev, 1, &fence));

    const VkImage target = images_[index];
    VK_CHECK(vkResetCommandBuffer(cmd_, 0));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(cmd_, &bi));
    vk::transitionImage(cmd_, target, VK_IMAGE_LAYOUT_UNDEFINED,
                        VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
    const VkImageSubresourceRange all{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    vkCmdClearColorImage(cmd_, target, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &kBackground, 1, &all);
    if (viewWidth_ > 0 && w > 0 && h > 0) {
        if (viewDirty_) {
            vk::transitionImage(cmd_, viewImage_.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
            VkBufferImageCopy copy{};
            copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
            copy.imageExtent = {viewWidth_, viewHeight_, 1};
            vkCmdCopyBufferToImage(cmd_, viewStaging_.get(), viewImage_.image,
                                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
            vk::transitionImage(cmd_, viewImage_.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
            viewDirty_ = false;
        }
        // Clip the destination to the swapchain (the window may have shrunk).
        const int32_t x1 = std::min<int32_t>(x + int32_t(w), int32_t(extent_.width));
        const int32_t y1 = std::min<int32_t>(y + int32_t(h), int32_t(extent_.height));
        if (x1 > x && y1 > y) {
            VkImageBlit blit{};
            blit.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
            blit.srcOffsets[1] = {int32_t(viewWidth_ * uint32_t(x1 - x) / w),
                                  int32_t(viewHeight_ * uint32_t(y1 - y) / h), 1};
            blit.dstSubresource = blit.srcSubresource;
            blit.dstOffsets[0] = {x, y, 0};
            blit.dstOffsets[1] = {x1, y1, 1};
            const bool same = viewWidth_ == w && viewHeight_ == h;
            vkCmdBlitImage(cmd_, viewImage_.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, target,
                           VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit,
                           same ? VK_FILTER_NEAREST : VK_FILTER_LINEAR);
        }
    }
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.renderPass = renderPass_;
    rp.framebuffer = framebuffers_[index];
    rp.renderArea.extent = extent_;
    vkCmdBeginRenderPass(cmd_, &rp, VK_SUBPASS_CONTENTS_INLINE);
    drawUi(cmd_);
    vkCmdEndRenderPass(cmd_);
    const bool takeShot = shot && canScreenshot_;
    if (takeShot) {
        vk::transitionImage(cmd_, target, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                            VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
        VkBufferImageCopy copy{};
        copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
        copy.imageExtent = {extent_.width, extent_.height, 1};
        vkCmdCopyImageToBuffer(cmd_, target, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                               shotBuffer_.get(), 1, &copy);
        vk::transitionImage(cmd_, target, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                            VK_IMAGE_LAYOUT_PRESENT_SRC_KHR);
    }
    VK_CHECK(vkEndCommandBuffer(cmd_));

    const VkSemaphore waitSem = acquired_;
    const VkSemaphore doneSem = renderDone_[index];
    const VkPipelineStageFlags waitStage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.waitSemaphoreCount = 1;
    si.pWaitSemaphores = &waitSem;
    si.pWaitDstStageMask = &waitStage;
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd_;
    si.signalSemaphoreCount = 1;
    si.pSignalSemaphores = &doneSem;
    VK_CHECK(vkQueueSubmit(ctx_.queue(), 1, &si, fence));
    VkPresentInfoKHR pi{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
    pi.waitSemaphoreCount = 1;
    pi.pWaitSemaphores = &doneSem;
    pi.swapchainCount = 1;
    pi.pSwapchains = &swapchain_;
    pi.pImageIndices = &index;
    const VkResult present = vkQueuePresentKHR(ctx_.queue(), &pi);
    if (takeShot) {
        VK_CHECK(vkWaitForFences(dev, 1, &fence, VK_TRUE, UINT64_MAX));
        shot->width = extent_.width;
        shot->height = extent_.height;
        shot->rgba.resize(size_t(extent_.width) * extent_.height * 4);
        const uint8_t* src = static_cast<const uint8_t*>(shotBuffer_.mapped);
        const bool bgr = isBgr(format_.format);
        for (size_t i = 0; i < shot->rgba.size(); i += 4) {
            shot->rgba[i + 0] = src[i + (bgr ? 2 : 0)];
            shot->rgba[i + 1] = src[i + 1];
            shot->rgba[i + 2] = src[i + (bgr ? 0 : 2)];
            shot->rgba[i + 3] = 255;
        }
    }
    if (present == VK_ERROR_OUT_OF_DATE_KHR || present == VK_SUBOPTIMAL_KHR) {
        vkDeviceWaitIdle(dev);
        destroySwapchain();
        createSwapchain();
    } else {
        VK_CHECK(present);
    }
    return true;
}

} // namespace nerva::view
