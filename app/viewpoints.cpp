#include "viewpoints.h"

#include "neural/core/error.h"
#include "renderer/image/image_io.h"

#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace nerva::view {
namespace {

constexpr int kVersion = 1;

glm::vec3 readVec3(const nlohmann::json& j, const std::string& where, const std::string& path) {
    if (!j.is_array() || j.size() != 3 || !j[0].is_number() || !j[1].is_number() ||
        !j[2].is_number())
        throw errorAt(path, where + ": expected an array of three numbers");
    const glm::vec3 v(j[0].get<float>(), j[1].get<float>(), j[2].get<float>());
    if (!std::isfinite(v.x + v.y + v.z)) throw errorAt(path, where + ": not finite");
    return v;
}

} // namespace

std::string viewpointsPath(const std::string& scenePath) {
    return scenePath + ".views.json";
}

std::vector<Viewpoint> loadViewpoints(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    std::ifstream in(path);
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw errorAt(path, std::string("malformed JSON (") + e.what() + ")");
    }
    if (!j.is_object() || j.value("version", 0) != kVersion)
        throw errorAt(path, "/version: expected " + std::to_string(kVersion));
    if (!j.contains("views") || !j["views"].is_array())
        throw errorAt(path, "/views: expected an array");
    std::vector<Viewpoint> views;
    for (size_t i = 0; i < j["views"].size(); ++i) {
        const nlohmann::json& e = j["views"][i];
        const std::string where = "/views/" + std::to_string(i);
        if (!e.is_object()) throw errorAt(path, where + ": expected an object");
        Viewpoint v;
        v.name = e.value("name", "view " + std::to_string(i + 1));
        v.from = readVec3(e.value("from", nlohmann::json()), where + "/from", path);
        v.at = readVec3(e.value("at", nlohmann::json()), where + "/at", path);
        v.up = readVec3(e.value("up", nlohmann::json::array({0, 1, 0})), where + "/up", path);
        v.yfovDegrees = e.value("yfov_degrees", 45.0f);
        if (!(v.yfovDegrees > 0.1f && v.yfovDegrees < 179.0f))
            throw errorAt(path, where + "/yfov_degrees: must be in (0.1, 179)");
        if (glm::length(glm::cross(v.at - v.from, v.up)) < 1e-6f)
            throw errorAt(path, where + ": from, at and up do not span a view");
        views.push_back(v);
    }
    return views;
}

void saveViewpoints(const std::string& path, const std::vector<Viewpoint>& views) {
    nlohmann::json j = {{"version", kVersion}, {"views", nlohmann::json::array()}};
    for (const Viewpoint& v : views)
        j["views"].push_back({{"name", v.name},
                              {"from", {v.from.x, v.from.y, v.from.z}},
                              {"at", {v.at.x, v.at.y, v.at.z}},
                              {"up", {v.up.x, v.up.y, v.up.z}},
                              {"yfov_degrees", v.yfovDegrees}});
    const std::string text = j.dump(2) + "\n";
    writeFileAtomic(path, text.data(), text.size());
}

Viewpoint viewpointOf(const scene::Camera& camera, float pivotDistance, std::string name) {
    Viewpoint v;
    v.name = std::move(name);
    v.from = glm::vec3(camera.toWorld[3]);
    v.at = v.from - glm::normalize(glm::vec3(camera.toWorld[2])) * pivotDistance;
    v.up = glm::normalize(glm::vec3(camera.toWorld[1]));
    v.yfovDegrees = glm::degrees(camera.yfov);
    return v;
}

scene::Camera cameraOf(const Viewpoint& v) {
    scene::Camera c;
    c.name = v.name;
    c.yfov = glm::radians(v.yfovDegrees);
    c.toWorld = glm::inverse(glm::lookAt(v.from, v.at, v.up));
    return c;
}

} // namespace nerva::view
