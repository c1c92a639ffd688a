// The `nerva render` command line that reproduces the current view headless:
// the same scene, size, seed, bounces, sampling, environment and camera.
#pragma once

#include "panels.h"

#include "renderer/scene/scene_model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nerva::view {

// `camera` is the view's camera; `gltfCamera` the selected scene camera's
// name when the view is exactly that camera (orthographic cameras can only
// be reproduced that way), else empty. `environment`: the map file, empty
// for the procedural sky. `materials`: the scene's material names, for the
// materials switched to their reference (--reference-materials).
std::string renderCommandLine(const std::string& scenePath, const ViewSettings& settings,
                              const scene::Camera& camera, const std::string& gltfCamera,
                              uint32_t width, uint32_t height, uint32_t seed,
                              const std::string& environment = "",
                              const std::vector<std::string>& materials = {});

} // namespace nerva::view
