// Saved viewpoints: camera poses kept in a small JSON file next to the scene
// (SCENE.views.json), so a view can be found again in a later session.
#pragma once

#include "renderer/scene/scene_model.h"

#include <glm/glm.hpp>

#include <string>
#include <vector>

namespace nerva::view {

struct Viewpoint {
    std::string name;
    glm::vec3 from{0.0f}, at{0.0f, 0.0f, -1.0f}, up{0.0f, 1.0f, 0.0f};
    float yfovDegrees = 45.0f;
};

// SCENE.views.json beside the scene file.
std::string viewpointsPath(const std::string& scenePath);

// A missing file is no viewpoints; a malformed one throws nerva::Error naming
// the file and the JSON path of the problem.
std::vector<Viewpoint> loadViewpoints(const std::string& path);

// Written atomically (temporary file + rename).
void saveViewpoints(const std::string& path, const std::vector<Viewpoint>& views);

// A viewpoint looking from the camera's eye at its orbit pivot.
Viewpoint viewpointOf(const scene::Camera& camera, float pivotDistance, std::string name);
scene::Camera cameraOf(const Viewpoint& v);

} // namespace nerva::view
