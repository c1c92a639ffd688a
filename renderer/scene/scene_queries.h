// Questions asked of a loaded scene by the tools and the viewer.
#pragma once

#include "renderer/scene/scene_model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nerva::scene {

// The camera that `nameOrIndex` names: a string of digits is an index into
// Scene::cameras, anything else a camera name (first match). Throws
// nerva::Error "<scene path>: no camera named 'x' (cameras: a, b, c)" or
// "<scene path>: camera index 5 out of range (3 cameras)".
uint32_t findCamera(const Scene& scene, const std::string& nameOrIndex);

// Triangles over all instances (a mesh placed twice counts twice).
size_t triangleCount(const Scene& scene);

// A perspective camera (yfov 0.8) looking at the centre of the scene bounds
// from +Z and a little above, far enough that the bounding sphere fits the
// view at the given width/height aspect. For scenes without cameras.
Camera defaultCamera(const Scene& scene, float aspect);

// The distance from a bounding sphere's centre at which it just fits a
// perspective view of vertical field of view `yfov` (radians) and
// width/height `aspect` (the narrower angle decides).
float fitDistance(float radius, float yfov, float aspect);

// What the viewer lists and can frame: every instance (by its node's name),
// field and punctual light, with a world-space box (a light's is its
// position, a directional light's the whole scene).
enum class ItemKind { Node, Field, Light };
struct SceneItem {
    ItemKind kind = ItemKind::Node;
    std::string label;
    glm::vec3 boundsMin{0.0f}, boundsMax{0.0f};
};
std::vector<SceneItem> sceneItems(const Scene& scene);

} // namespace nerva::scene
