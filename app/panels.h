// The sidebar: scene, camera, render settings and statistics panels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nerva::view {

constexpr float kSidebarWidth = 330.0f; // pixels at UI scale 1; the render fills the rest

// The sidebar's width in framebuffer pixels at a UI scale (whole pixels).
inline float sidebarWidth(float uiScale) {
    return float(int(kSidebarWidth * uiScale + 0.5f));
}

// What the panels edit. Any change but exposure and vsync restarts the
// accumulation.
struct ViewSettings {
    int spp = 256;
    int samplesPerFrame = 1;
    int maxBounces = 4;
    float exposure = 0.0f;
    float envRotationDegrees = 0.0f;
    float envIntensity = 1.0f;
    int samplingMode = 0; // shared::kSamplingMis, kSamplingLight, kSamplingBsdf
    float scale = 1.0f;
    bool vsync = true;
    // Neural materials: all on/off, and per material (index = scene
    // material) whether it renders its reference although it has a neural
    // version (pt::RenderSettings::neuralMaterials / referenceMaterials).
    bool neuralMaterials = true;
    std::vector<uint8_t> referenceMaterial;
    int debugView = 0;    // shared::kDebugView*: radiance, latents, latent level
    int debugChannel = 0; // first latent channel shown (0..5)
    // Bumped by the panel on any material switch: restarts the accumulation.
    uint64_t materialsVersion = 0;
};

struct SceneInfo {
    std::string path;
    std::string error; // load failure: shown in red, the scene is empty
    std::vector<std::string> warnings;
    std::vector<std::string> cameras;
    int camera = -1; // selected glTF camera, -1 = free orbit
    uint64_t triangles = 0;
    std::string device;
    std::string shaderError; // last failed shader reload (the previous pipeline still runs)
    std::vector<std::string> viewpoints; // names of the saved viewpoints (SCENE.views.json)
    std::string viewpointsError;         // a malformed viewpoints file
    std::string environment = "procedural sky";
    std::string environmentError; // a map that failed to load (the previous one stays)
    // Per scene material: its name, and whether a neural version is loaded
    // (its .nmat file), "" = reference only.
    std::vector<std::string> materials;
    std::vector<std::string> materialNeuralFile;
    std::string neuralDecoder; // the decoder's precision choice, in words
};

struct FrameStats {
    double frameMs = 0.0; // whole frame, smoothed
    double traceMs = 0.0; // path tracing in the last frame that traced
    double mraysPerSecond = 0.0;
    uint32_t samples = 0, target = 0;
    uint32_t renderWidth = 0, renderHeight = 0;
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
};

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

  private:
    float uiScale_ = 1.0f; // ImGuiLayer::uiScale
    char scenePath_[1024] = {};
    char screenshotPath_[1024] = {};
    char environmentPath_[1024] = {};
    std::string message_;
};

} // namespace nerva::view
