// Dear ImGui on the GLFW window and the presenter's render pass (Debian's
// libimgui.a holds both backends).
#pragma once

#include "renderer/vk/context.h"

struct GLFWwindow;

namespace nerva::view {

class ImGuiLayer {
  public:
    ImGuiLayer(const vk::Context& ctx, GLFWwindow* window, VkRenderPass renderPass,
               uint32_t imageCount);
    ~ImGuiLayer();
    ImGuiLayer(const ImGuiLayer&) = delete;
    ImGuiLayer& operator=(const ImGuiLayer&) = delete;

    void newFrame();
    // ImGui::Render() was called; records its draw data (inside the render pass).
    void draw(VkCommandBuffer cmd);

  private:
    const vk::Context& ctx_;
    vk::Handle<VkDescriptorPool> pool_;
};

} // namespace nerva::view
