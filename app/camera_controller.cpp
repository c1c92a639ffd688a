#include "camera_controller.h"

#include "renderer/scene/scene_queries.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>

namespace nerva::view {
namespace {

constexpr float kOrbitRadiansPerPixel = 0.005f;
constexpr float kMaxPitch = 1.55f; // just short of straight up/down

} // namespace

void CameraController::reset(const scene::Camera& camera, float pivotDistance) {
    camera_ = camera;
    distance_ = std::max(pivotDistance, 1e-3f);
    const glm::vec3 eye(camera.toWorld[3]);
    const glm::vec3 forward = -glm::normalize(glm::vec3(camera.toWorld[2]));
    pivot_ = eye + forward * distance_;
    // Spherical angles of the eye around the pivot.
    const glm::vec3 back = -forward;
    pitch_ = std::asin(std::clamp(back.y, -1.0f, 1.0f));
    yaw_ = std::atan2(back.x, back.z);
    ++version_;
}

void CameraController::frame(glm::vec3 boundsMin, glm::vec3 boundsMax, float minRadius,
                             float aspect) {
    const float radius = std::max(0.5f * glm::length(boundsMax - boundsMin), minRadius);
    pivot_ = 0.5f * (boundsMin + boundsMax);
    const float yfov = camera_.perspective ? camera_.yfov : 0.8f;
    camera_.yfov = yfov;
    distance_ = std::max(scene::fitDistance(radius, yfov, aspect), 1e-3f);
    update();
}

void CameraController::update() {
    pitch_ = std::clamp(pitch_, -kMaxPitch, kMaxPitch);
    const glm::vec3 back(std::cos(pitch_) * std::sin(yaw_), std::sin(pitch_),
                         std::cos(pitch_) * std::cos(yaw_));
    const glm::vec3 eye = pivot_ + back * distance_;
    camera_.toWorld = glm::inverse(glm::lookAt(eye, pivot_, glm::vec3(0, 1, 0)));
    camera_.perspective = true; // an orthographic glTF camera becomes a perspective orbit
    camera_.name = "orbit";
    ++version_;
}

void CameraController::orbit(float dx, float dy) {
    yaw_ -= dx * kOrbitRadiansPerPixel;
    pitch_ += dy * kOrbitRadiansPerPixel;
    update();
}

void CameraController::pan(float dx, float dy, float viewHeight) {
    // One pixel moves the pivot by the size of a pixel at the pivot's depth.
    const float worldPerPixel =
        2.0f * distance_ * std::tan(0.5f * camera_.yfov) / std::max(viewHeight, 1.0f);
    const glm::vec3 right = glm::normalize(glm::vec3(camera_.toWorld[0]));
    const glm::vec3 up = glm::normalize(glm::vec3(camera_.toWorld[1]));
    pivot_ += (-dx * right + dy * up) * worldPerPixel;
    update();
}

void CameraController::fly(glm::vec3 d) {
    const glm::vec3 right = glm::normalize(glm::vec3(camera_.toWorld[0]));
    const glm::vec3 up = glm::normalize(glm::vec3(camera_.toWorld[1]));
    const glm::vec3 forward = -glm::normalize(glm::vec3(camera_.toWorld[2]));
    pivot_ += right * d.x + up * d.y + forward * d.z;
    update();
}

void CameraController::zoom(float wheel) {
    distance_ = std::max(distance_ * std::pow(0.9f, wheel), 1e-3f);
    update();
}

} // namespace nerva::view
