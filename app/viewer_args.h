// Command line of nerva-view.
#pragma once

#include <cstdint>
#include <string>

namespace nerva::view {

struct ViewerArgs {
    std::string scene;      // may be empty: start with an empty scene
    uint32_t frames = 0;    // > 0: render this many frames, then exit
    std::string screenshot; // PNG written after the last frame (with --frames) or on exit
    uint32_t width = 1280, height = 720;
    uint32_t spp = 256;           // accumulation target
    uint32_t samplesPerFrame = 1; // bound on samples traced per displayed frame
    float scale = 0.0f;   // internal render scale of the view; 0 = auto (0.5 on CPU devices)
    float uiScale = 0.0f; // size of the UI (fonts, panels); 0 = the monitor's content scale
    uint32_t maxBounces = 4;
    uint32_t seed = 0;
    std::string camera;      // glTF camera name or index
    std::string environment; // .hdr/.exr map; empty = the procedural sky
    int viewpoint = -1;      // start from this saved viewpoint (SCENE.views.json)
    float exposure = 0.0f;
    bool vsync = true;
    bool validation = false;
    std::string device;
    std::string shaderDir; // shaders to compile and watch (default: the source tree's)
    bool help = false;
};

extern const char* const kViewerUsage;

// Throws nerva::Error ("nerva-view: ...") on bad usage.
ViewerArgs parseViewerArgs(int argc, char** argv);

} // namespace nerva::view
