// Dear ImGui on the GLFW window and the presenter's render pass (Debian's
// libimgui.a holds both backends).
#pragma once

#include "renderer/vk/context.h"

struct GLFWwindow;

namespace nerva::view {

class ImGuiLayer {
  public:
    // uiScale: the size of the UI relative to ImGui's defaults (fonts and
    // spacing); <= 0 takes the window's content scale from GLFW (the
    // monitor's DPI over 96, e.g. 2 on a HiDPI screen), clamped to [1, 4].
    ImGuiLayer(const vk::Context& ctx, GLFWwindow* window, VkRenderPass renderPass,
               uint32_t imageCount, float uiScale = 0.0f);
    ~ImGuiLayer();
    ImGuiLayer(const ImGuiLayer&) = delete;
    ImGuiLayer& operator=(const ImGuiLayer&) = delete;

    float uiScale() const { return uiScale_; }

    void newFrame();
    // ImGui::Render() was called; records its draw data (inside the render pass).
    void draw(VkCommandBuffer cmd);

  private:
    const vk::Context& ctx_;
    vk::Handle<VkDescriptorPool> pool_;
    float uiScale_ = 1.0f;
};

} // namespace nerva::view
