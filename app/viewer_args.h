// Command line of nerva-view.
#pragma once

#include "renderer/pathtracer/render_config.h"

#include <cstdint>
#include <string>

namespace nerva::view {

struct ViewerArgs {
    // The view: scene, camera, environment, samples, materials, debug
    // views... as `nerva render` takes them (pt::RenderConfig), except its
    // --size (here the window's) and its field options (--scale is the
    // render scale here). spp is the accumulation target (default 256).
    pt::RenderConfig render;
    uint32_t frames = 0;    // > 0: render this many frames, then exit
    std::string screenshot; // PNG written after the last frame (with --frames) or on exit
    uint32_t width = 1280, height = 720; // window
    uint32_t samplesPerFrame = 1;        // bound on samples traced per displayed frame
    float frameBudgetMs = 100.0f;        // trace time per frame; slower samples go in bands of rows
    float scale = 0.0f;      // internal render scale of the view; 0 = auto (0.5 on CPU devices)
    float uiScale = 0.0f;    // size of the UI (fonts, panels); 0 = the monitor's content scale
    int viewpoint = -1;      // start from this saved viewpoint (SCENE.views.json)
    std::string frame;       // start framing this node, field or light (Scene panel name)
    bool neuralFlip = false; // start in the FLIP view of neural vs reference materials
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
