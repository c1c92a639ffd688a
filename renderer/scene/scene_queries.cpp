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
    const float distance = fitDistance(radius, cam.yfov, aspect);

    const glm::vec3 from = glm::normalize(glm::vec3(0.0f, 0.3f, 1.0f));
    const glm::vec3 eye = centre + from * distance;
    cam.toWorld = glm::inverse(glm::lookAt(eye, centre, glm::vec3(0.0f, 1.0f, 0.0f)));
    cam.znear = std::max(1e-4f, 0.01f * radius);
    cam.zfar = 2.0f * (distance + radius);
    return cam;
}

float fitDistance(float radius, float yfov, float aspect) {
    if (!(aspect > 0.0f) || !std::isfinite(aspect)) aspect = 1.0f;
    const float halfY = 0.5f * yfov;
    const float halfX = std::atan(std::tan(halfY) * aspect);
    return radius / std::sin(std::min(halfX, halfY));
}

std::vector<SceneItem> sceneItems(const Scene& scene) {
    // Object-space boxes of the meshes, once each.
    std::vector<std::pair<glm::vec3, glm::vec3>> meshBox(scene.meshes.size(),
                                                         {glm::vec3(1e30f), glm::vec3(-1e30f)});
    for (size_t m = 0; m < scene.meshes.size(); ++m)
        for (const Primitive& p : scene.meshes[m].primitives)
            for (const glm::vec3& v : p.positions) {
                meshBox[m].first = glm::min(meshBox[m].first, v);
                meshBox[m].second = glm::max(meshBox[m].second, v);
            }
    // The world box of an object box under `toWorld` (its 8 corners).
    auto place = [](const glm::mat4& toWorld, glm::vec3 lo, glm::vec3 hi, SceneItem& item) {
        item.boundsMin = glm::vec3(1e30f);
        item.boundsMax = glm::vec3(-1e30f);
        for (int c = 0; c < 8; ++c) {
            const glm::vec3 corner(c & 1 ? hi.x : lo.x, c & 2 ? hi.y : lo.y, c & 4 ? hi.z : lo.z);
            const glm::vec3 w(toWorld * glm::vec4(corner, 1.0f));
            item.boundsMin = glm::min(item.boundsMin, w);
            item.boundsMax = glm::max(item.boundsMax, w);
        }
    };
    std::vector<SceneItem> items;
    for (size_t i = 0; i < scene.instances.size(); ++i) {
        const Instance& inst = scene.instances[i];
        SceneItem item;
        item.kind = ItemKind::Node;
        item.label = !inst.node.empty() ? inst.node
                     : inst.mesh < scene.meshes.size() && !scene.meshes[inst.mesh].name.empty()
                         ? scene.meshes[inst.mesh].name
                         : "node " + std::to_string(i);
        if (inst.mesh < meshBox.size() && meshBox[inst.mesh].first.x <= meshBox[inst.mesh].second.x)
            place(inst.toWorld, meshBox[inst.mesh].first, meshBox[inst.mesh].second, item);
        else
            item.boundsMin = item.boundsMax = glm::vec3(inst.toWorld[3]);
        items.push_back(item);
    }
    for (size_t i = 0; i < scene.fields.size(); ++i) {
        const Field& f = scene.fields[i];
        SceneItem item;
        item.kind = ItemKind::Field;
        item.label = f.node.empty() ? "field " + std::to_string(i) : f.node;
        place(f.toWorld, glm::vec3(-1.0f), glm::vec3(1.0f), item);
        items.push_back(item);
    }
    for (size_t i = 0; i < scene.lights.size(); ++i) {
        const Light& l = scene.lights[i];
        SceneItem item;
        item.kind = ItemKind::Light;
        item.label = l.name.empty() ? "light " + std::to_string(i) : l.name;
        if (l.type == LightType::Directional) {
            item.boundsMin = scene.boundsMin;
            item.boundsMax = scene.boundsMax;
        } else {
            item.boundsMin = item.boundsMax = l.position;
        }
        items.push_back(item);
    }
    return items;
}

} // namespace nerva::scene
