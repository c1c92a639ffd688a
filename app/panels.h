// The sidebar: scene, camera, render settings and statistics panels.
#pragma once

#include "renderer/pathtracer/render_config.h"
#include "renderer/scene/scene_queries.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nerva::view {

constexpr float kSidebarWidth = 330.0f; // pixels at UI scale 1; the render fills the rest

// The sidebar's width in framebuffer pixels at a UI scale (whole pixels).
inline float sidebarWidth(float uiScale) {
    return float(int(kSidebarWidth * uiScale + 0.5f));
}

// What the panels edit: the view as `nerva render` takes it (its scene,
// size and camera are filled in from the window when it is printed), and
// what only the viewer has. Any change to `render` but exposure and tonemap
// restarts the accumulation.
struct ViewSettings {
    pt::RenderConfig render;
    int samplesPerFrame = 1;
    // Trace time per displayed frame; a sample that takes longer is traced
    // in bands of rows that fit it (0: whole samples only).
    float frameBudgetMs = 100.0f;
    float scale = 1.0f;
    bool vsync = true;
    bool flipView = false; // Inspect::NeuralFlip; render.debugView is 0 then
};

struct SceneInfo {
    std::string path;
    std::string error; // load failure: shown in red, the scene is empty
    std::vector<std::string> warnings;
    std::vector<std::string> cameras;
    int camera = -1; // selected glTF camera, -1 = free orbit
    uint64_t triangles = 0;
    size_t fields = 0; // tri-plane fields in the scene
    std::string device;
    std::string shaderError; // last failed shader reload (the previous pipeline still runs)
    std::vector<std::string> viewpoints; // names of the saved viewpoints (SCENE.views.json)
    std::string viewpointsError;         // a malformed viewpoints file
    std::string environment = "procedural sky";
    std::string environmentError; // a map that failed to load (the previous one stays)
    // Per scene material: its name, how --reference-materials names it (the
    // name, or the index of an unnamed one), and whether a neural version is
    // loaded (its .nmat file), "" = reference only.
    std::vector<std::string> materials;
    std::vector<std::string> materialKeys;
    std::vector<std::string> materialNeuralFile;
    std::vector<scene::SceneItem> items; // nodes, fields and lights, for the Scene panel
    std::string neuralDecoder;           // the decoder's precision choice, in words
};

struct FrameStats {
    double frameMs = 0.0; // whole frame, smoothed
    double traceMs = 0.0; // path tracing in the last frame that traced
    double mraysPerSecond = 0.0;
    uint32_t samples = 0, target = 0;
    uint32_t rowsDone = 0; // rows of the next sample traced so far (bands)
    uint32_t renderWidth = 0, renderHeight = 0;
    bool preview = false; // a lower resolution while the camera moves (frame budget)
    double memoryMB = 0.0, deviceLocalMB = 0.0; // vk::memoryInUse()
    // Tri-plane fields: intersection-shader calls and sphere-tracing steps
    // per call over the accumulation so far (0 calls: no field was hit).
    uint64_t fieldCalls = 0;
    double fieldStepsPerCall = 0.0;
    uint32_t allocations = 0;
    // The live FLIP view: mean FLIP of neural vs reference so far (< 0: none).
    double flipMean = -1.0;
    uint32_t flipSamples = 0; // per pixel, in each of the two renders
};

struct PanelActions {
    int selectCamera = -2; // >= -1: the user picked this entry
    bool resetView = false;
    bool loadScene = false;
    bool screenshot = false;
    bool printCommand = false; // print the `nerva render` line for this view
    bool saveViewpoint = false;
    int restoreViewpoint = -1;    // >= 0: go to this saved viewpoint
    bool loadEnvironment = false; // load the map in the environment field
    bool useSky = false;          // back to the procedural sky
    int frameItem = -1;           // >= 0: frame this SceneInfo::items entry
};

// What the view shows: the path tracer's radiance or one of its inspection
// views (shared::kDebugView*, the same numbers), or the live FLIP map of
// neural vs reference materials (the viewer renders both).
enum class Inspect { Radiance, LatentChannels, LatentLevel, FieldSteps, Normals, NeuralFlip };

class Panels {
  public:
    Panels(const std::string& scenePath, const std::string& screenshotPath,
           const std::string& environmentPath = "", float uiScale = 1.0f);
    PanelActions draw(float windowHeight, ViewSettings& settings, const SceneInfo& scene,
                      const FrameStats& stats);
    std::string scenePath() const { return scenePath_; }
    std::string screenshotPath() const { return screenshotPath_; }
    std::string environmentPath() const { return environmentPath_; }
    void setMessage(const std::string& message) { message_ = message; }
    // The Scene panel's selected item (SceneInfo::items), -1 = none.
    int selected() const { return selected_; }
    void select(int item) { selected_ = item; }

  private:
    float uiScale_ = 1.0f; // ImGuiLayer::uiScale
    char scenePath_[1024] = {};
    char screenshotPath_[1024] = {};
    char environmentPath_[1024] = {};
    std::string message_;
    int selected_ = -1;
};

} // namespace nerva::view
