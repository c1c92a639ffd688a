// Orbit / pan / zoom camera driven by the mouse. Starts from a glTF camera
// (shown exactly as the scene defines it until the user moves it) or from a
// view framing the scene.
#pragma once

#include "renderer/scene/scene_model.h"

#include <glm/glm.hpp>

namespace nerva::view {

class CameraController {
  public:
    // Takes `camera` as the current view; the orbit pivot is placed at
    // `pivotDistance` along its view direction.
    void reset(const scene::Camera& camera, float pivotDistance);

    // Mouse input in pixels: left drag orbits, right/middle drag pans,
    // wheel zooms. `viewHeight` scales panning to the view.
    void orbit(float dx, float dy);
    void pan(float dx, float dy, float viewHeight);
    void zoom(float wheel);
    // Moves eye and pivot together along the view's right, up and forward
    // axes (world units): fly navigation with the keyboard.
    void fly(glm::vec3 rightUpForward);
    // Frame-the-selection: keeps the view direction and field of view, puts
    // the pivot at the box's centre and backs off until its bounding sphere
    // (radius at least `minRadius`) fits a view of width/height `aspect`.
    void frame(glm::vec3 boundsMin, glm::vec3 boundsMax, float minRadius, float aspect);

    const scene::Camera& camera() const { return camera_; }
    float pivotDistance() const { return distance_; }
    // Bumped on every change, so the viewer knows to restart accumulation.
    uint64_t version() const { return version_; }

  private:
    void update();

    scene::Camera camera_;
    glm::vec3 pivot_{0.0f};
    float distance_ = 1.0f;
    float yaw_ = 0.0f, pitch_ = 0.0f; // radians; yaw about +Y, pitch up from the XZ plane
    uint64_t version_ = 0;
};

} // namespace nerva::view
