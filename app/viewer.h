// The viewer: owns the device, the scene, the path tracer and the window
// layers, and runs the frame loop (progressive accumulation, restarted on any
// change, a bounded number of samples per frame).
#pragma once

#include "camera_controller.h"
#include "imgui_layer.h"
#include "panels.h"
#include "presenter.h"
#include "shader_watcher.h"
#include "viewer_args.h"
#include "viewpoints.h"

#include "renderer/gpu/gpu_scene.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/scene_model.h"
#include "renderer/shader/shader_compiler.h"
#include "renderer/vk/context.h"

#include <chrono>
#include <map>
#include <memory>
#include <vector>

struct GLFWwindow;

namespace nerva::view {

class Viewer {
  public:
    Viewer(GLFWwindow* window, const ViewerArgs& args);
    ~Viewer();
    // Returns the process exit code (3 on Vulkan validation errors).
    int run();

  private:
    // What, when it changes, restarts the accumulation.
    struct AccumKey {
        pt::RenderConfig config; // display-only fields at their defaults
        uint64_t cameraVersion = 0, sceneGeneration = 0;
        bool flipView = false;
        bool operator==(const AccumKey&) const = default;
    };

    void loadScene(const std::string& path, const std::string& cameraName);
    void selectCamera(int index);
    void handleMouse(float viewX, float viewWidth, float viewHeight);
    void traceAndDisplay(uint32_t width, uint32_t height);
    void showDisplay();
    void saveScreenshot(const Screenshot& shot, const std::string& path);
    // (Re)builds the path tracer from the shader folder; on a compile error
    // keeps the running one and shows the error.
    void buildTracer();
    void saveViewpoint();
    void restoreViewpoint(size_t index);
    // Frames SceneInfo::items[index] (frame-the-selection) and selects it.
    void frameItem(int index);
    // Sets the environment as --env names it (sky, constant or a map file);
    // a failure is shown and the current environment stays.
    void setEnvironment(const std::string& env);
    void flyWithKeys(double seconds);

    GLFWwindow* window_;
    ViewerArgs args_;
    std::unique_ptr<vk::Context> ctx_;
    std::unique_ptr<ShaderCompiler> compiler_;
    std::unique_ptr<pt::PathTracer> tracer_; // null until shaders first compile
    // The FLIP view's second accumulation, every material its reference;
    // made on first use.
    std::unique_ptr<pt::PathTracer> refTracer_;
    std::unique_ptr<ShaderWatcher> shaderWatcher_;
    std::string shaderError_;
    std::vector<Viewpoint> viewpoints_;           // of the current scene
    std::unique_ptr<EnvironmentMap> environment_; // null: the procedural sky
    std::string environmentName_ = "procedural sky";
    scene::Scene scene_;
    std::unique_ptr<gpu::GpuScene> gpuScene_;
    uint64_t sceneGeneration_ = 0;
    std::unique_ptr<Presenter> presenter_;
    std::unique_ptr<ImGuiLayer> imgui_;
    std::unique_ptr<Panels> panels_;
    CameraController controller_;
    ViewSettings settings_;
    SceneInfo info_;
    FrameStats stats_;
    AccumKey key_{};
    bool accumulating_ = false;
    ImageRGBA32F beauty_;          // mean radiance of the accumulation so far
    ImageRGBA32F referenceBeauty_; // the FLIP view's reference accumulation
    float shownExposure_ = 0.0f;
    // Trace time of one sample per pixel (< 0: unknown): of the last band or
    // whole sample traced (sizes the next band), and of the last whole
    // sample (bands summed; decides the preview while moving).
    double msPerPixel_ = -1.0, sampleMsPerPixel_ = -1.0;
    double bandsMs_ = 0.0; // of the sample being traced in bands
    // Per render size (width << 32 | height), per image row: its cost when
    // last traced (< 0: not yet).
    std::map<uint64_t, std::vector<double>> rowMsBySize_;
    uint32_t lastBandRows_ = 1;
    // The last orbit, pan, zoom or fly by the user (the preview while moving).
    std::chrono::steady_clock::time_point lastCameraMove_{};
    Tonemap shownTonemap_ = Tonemap::Aces;
};

} // namespace nerva::view
