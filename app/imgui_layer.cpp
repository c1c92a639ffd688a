#include "imgui_layer.h"

#include "renderer/vk/check.h"

#include <algorithm>
#include <cmath>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_vulkan.h>

namespace nerva::view {
namespace {

void checkImGuiVk(VkResult r) {
    VK_CHECK(r);
}

} // namespace

ImGuiLayer::ImGuiLayer(const vk::Context& ctx, GLFWwindow* window, VkRenderPass renderPass,
                       uint32_t imageCount, float uiScale)
    : ctx_(ctx) {
    if (!(uiScale > 0.0f)) {
        float xs = 1.0f, ys = 1.0f;
        glfwGetWindowContentScale(window, &xs, &ys);
        uiScale = std::clamp(std::max(xs, ys), 1.0f, 4.0f);
    }
    uiScale_ = uiScale;
    const VkDevice dev = ctx.device();
    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 16};
    VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pi.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
    pi.maxSets = 16;
    pi.poolSizeCount = 1;
    pi.pPoolSizes = &size;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    VK_CHECK(vkCreateDescriptorPool(dev, &pi, nullptr, &pool));
    pool_ = {dev, pool, vkDestroyDescriptorPool};

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // the layout is fixed; nothing to remember
    ImGui::StyleColorsDark();
    ImGui::GetStyle().WindowRounding = 0.0f;
    ImGui::GetStyle().Colors[ImGuiCol_WindowBg].w = 1.0f;
    // Rasterise the font at the scaled size (sharp text) rather than
    // magnifying a 13-pixel atlas.
    ImGui::GetStyle().ScaleAllSizes(uiScale_);
    ImFontConfig font;
    font.SizePixels = std::round(13.0f * uiScale_);
    io.Fonts->AddFontDefault(&font);
    ImGui_ImplGlfw_InitForVulkan(window, true);
    ImGui_ImplVulkan_InitInfo info{};
    info.Instance = ctx.instance();
    info.PhysicalDevice = ctx.physicalDevice();
    info.Device = dev;
    info.QueueFamily = ctx.queueFamily();
    info.Queue = ctx.queue();
    info.PipelineCache = ctx.pipelineCache();
    info.DescriptorPool = pool;
    info.Subpass = 0;
    info.MinImageCount = imageCount < 2 ? 2 : imageCount;
    info.ImageCount = info.MinImageCount;
    info.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
    info.CheckVkResultFn = checkImGuiVk;
    ImGui_ImplVulkan_Init(&info, renderPass);
    ctx.submitAndWait([](VkCommandBuffer cmd) { ImGui_ImplVulkan_CreateFontsTexture(cmd); });
    ImGui_ImplVulkan_DestroyFontUploadObjects();
}

ImGuiLayer::~ImGuiLayer() {
    vkDeviceWaitIdle(ctx_.device());
    ImGui_ImplVulkan_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
}

void ImGuiLayer::newFrame() {
    ImGui_ImplVulkan_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
}

void ImGuiLayer::draw(VkCommandBuffer cmd) {
    ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
}

} // namespace nerva::view
