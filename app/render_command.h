// The view as a `nerva render` configuration: the panels' settings with the
// scene, the render size and the camera of the window filled in. Printed
// (pt::renderCommandLine), it reproduces the view headless.
#pragma once

#include "panels.h"

#include "renderer/pathtracer/render_config.h"
#include "renderer/scene/scene_model.h"

#include <cstdint>
#include <string>

namespace nerva::view {

// `camera` is the view's camera; `gltfCamera` the selected scene camera's
// name (or index) when the view is exactly that camera (orthographic
// cameras can only be reproduced that way), else empty.
pt::RenderConfig viewConfig(const ViewSettings& settings, const std::string& scenePath,
                            const scene::Camera& camera, const std::string& gltfCamera,
                            uint32_t width, uint32_t height);

} // namespace nerva::view
