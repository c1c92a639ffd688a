// nerva-view: the interactive desktop viewer (GLFW window, Vulkan swapchain,
// Dear ImGui panels, progressive path tracing).
#include "viewer.h"
#include "viewer_args.h"

#include "neural/core/error.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string glfwError;

void onGlfwError(int, const char* description) {
    glfwError = description ? description : "";
}

bool set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
}

// One line, exit code 2: the viewer needs a display; `nerva render` does not.
int noDisplay(const nerva::view::ViewerArgs& args, const std::string& why) {
    std::fprintf(stderr,
                 "nerva-view: error: %s; to render without a window use 'nerva render %s -o "
                 "OUT.png'\n",
                 why.c_str(), args.render.scene.empty() ? "SCENE.gltf" : args.render.scene.c_str());
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    nerva::view::ViewerArgs args;
    try {
        args = nerva::view::parseViewerArgs(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n%s", e.what(), nerva::view::kViewerUsage);
        return 2;
    }
    if (args.help) {
        std::fputs(nerva::view::kViewerUsage, stdout);
        return 0;
    }
    if (!set("DISPLAY") && !set("WAYLAND_DISPLAY"))
        return noDisplay(args, "no display (DISPLAY and WAYLAND_DISPLAY are not set)");
    glfwSetErrorCallback(onGlfwError);
    if (!glfwInit()) return noDisplay(args, "cannot open the display (" + glfwError + ")");
    if (!glfwVulkanSupported()) {
        glfwTerminate();
        return noDisplay(args, "GLFW finds no Vulkan loader for windows");
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
    const std::string title =
        "nerva-view" + (args.render.scene.empty() ? std::string() : " - " + args.render.scene);
    GLFWwindow* window =
        glfwCreateWindow(int(args.width), int(args.height), title.c_str(), nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        return noDisplay(args, "cannot create a window (" + glfwError + ")");
    }
    int rc = 0;
    try {
        nerva::view::Viewer viewer(window, args);
        rc = viewer.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nerva-view: error: %s\n", e.what());
        rc = 3;
    }
    glfwDestroyWindow(window);
    glfwTerminate();
    return rc;
}
