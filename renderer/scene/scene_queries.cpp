#include "renderer/scene/scene_queries.h"

#include "neural/core/error.h"
#include "renderer/scene/gltf_internal.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>

namespace nerva::scene {

uint32_t findCamera(const Scene& scene, const std::string& nameOrIndex) {
    const size_t count = scene.cameras.size();
    const bool isIndex =
        !nameOrIndex.empty() && std::all_of(nameOrIndex.begin(), nameOrIndex.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
    if (isIndex) {
        uint64_t index = 0;
        for (char c : nameOrIndex) {
            index = std::min<uint64_t>(index * 10 + uint64_t(c - '0'), uint64_t(1) << 40);
        }
        if (index >= count) {
            throw errorAt(scene.path, "camera index " + nameOrIndex + " out of range (" +
                                          std::to_string(count) + " cameras)");
        }
        return uint32_t(index);
    }
    for (size_t i = 0; i < count; ++i) {
        if (scene.cameras[i].name == nameOrIndex) return uint32_t(i);
    }
    std::string names;
    for (const Camera& c : scene.cameras)
        names += (names.empty() ? "" : ", ") + c.name;
    // Names come from the file: keep the message on one line.
    throw errorAt(scene.path, gltf::oneLine("no camera named '" + nameOrIndex + "' (" +
                                            (count == 0 ? std::string("the scene has no cameras")
                                                        : "cameras: " + names) +
                                            ")"));
}

size_t triangleCount(const Scene& scene) {
    size_t total = 0;
    for (const Instance& inst : scene.instances) {
        if (inst.mesh >= scene.meshes.size()) continue;
        for (const Primitive& p : scene.meshes[inst.mesh].primitives)
            total += p.indices.size() / 3;
    }
    return total;
}

Camera defaultCamera(const Scene& scene, float aspect) {
    if (!(aspect > 0.0f) || !std::isfinite(aspect)) aspect = 1.0f;
    Camera cam;
    cam.name = "default";
    cam.perspective = true;
    cam.yfov = 0.8f;
    cam.aspect = aspect;

    const glm::vec3 centre = 0.5f * (scene.boundsMin + scene.boundsMax);
    float radius = 0.5f * glm::length(scene.boundsMax - scene.boundsMin);
    if (!(radius > 0.0f) || !std::isfinite(radius)) radius = 1.0f;
    // The narrower of the two fields of view decides how far back to stand
    // for the bounding sphere to fit.
    const float halfY = 0.5f * cam.yfov;
    const float halfX = std::atan(std::tan(halfY) * aspect);
    const float distance = radius / std::sin(std::min(halfX, halfY));

    const glm::vec3 from = glm::normalize(glm::vec3(0.0f, 0.3f, 1.0f));
    const glm::vec3 eye = centre + from * distance;
    cam.toWorld = glm::inverse(glm::lookAt(eye, centre, glm::vec3(0.0f, 1.0f, 0.0f)));
    cam.znear = std::max(1e-4f, 0.01f * radius);
    cam.zfar = 2.0f * (distance + radius);
    return cam;
}

} // namespace nerva::scene
