#include "render_command.h"

#include <glm/gtc/constants.hpp>

#include <cstdio>
#include <cstdlib>

namespace nerva::view {
namespace {

// Shortest text that reads back as the same float.
std::string num(float v) {
    char buf[32];
    for (int precision = 6; precision <= 9; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, double(v));
        if (std::strtof(buf, nullptr) == v) break;
    }
    return buf;
}

std::string vec(glm::vec3 v) {
    return num(v.x) + "," + num(v.y) + "," + num(v.z);
}

// Single quotes for the shell, with embedded single quotes escaped.
std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

std::string renderCommandLine(const std::string& scenePath, const ViewSettings& settings,
                              const scene::Camera& camera, const std::string& gltfCamera,
                              uint32_t width, uint32_t height, uint32_t seed,
                              const std::string& environment,
                              const std::vector<std::string>& materials) {
    static const char* kSampling[] = {"mis", "light", "bsdf"};
    std::string cmd = "nerva render " + quote(scenePath) + " -o view.png --size " +
                      std::to_string(width) + "x" + std::to_string(height) + " --spp " +
                      std::to_string(settings.spp) + " --seed " + std::to_string(seed) +
                      " --max-bounces " + std::to_string(settings.maxBounces) + " --sampling " +
                      kSampling[settings.samplingMode % 3];
    if (!gltfCamera.empty()) {
        cmd += " --camera " + quote(gltfCamera);
    } else {
        const glm::mat4& m = camera.toWorld;
        const glm::vec3 from(m[3]);
        const glm::vec3 forward = -glm::normalize(glm::vec3(m[2]));
        cmd += " --look-from " + vec(from) + " --look-at " + vec(from + forward) + " --up " +
               vec(glm::normalize(glm::vec3(m[1]))) + " --fov " + num(glm::degrees(camera.yfov));
    }
    if (!environment.empty()) cmd += " --env " + quote(environment);
    if (settings.envRotationDegrees != 0.0f)
        cmd += " --env-rotation " + num(settings.envRotationDegrees);
    if (settings.envIntensity != 1.0f) cmd += " --env-intensity " + num(settings.envIntensity);
    if (settings.exposure != 0.0f) cmd += " --exposure " + num(settings.exposure);
    if (settings.debugView == 1)
        cmd += " --debug-view latents:" + std::to_string(settings.debugChannel);
    if (settings.debugView == 2) cmd += " --debug-view level";
    if (!settings.neuralMaterials) {
        cmd += " --materials reference";
    } else {
        std::string names;
        for (size_t m = 0; m < settings.referenceMaterial.size() && m < materials.size(); ++m)
            if (settings.referenceMaterial[m]) names += (names.empty() ? "" : ",") + materials[m];
        if (!names.empty()) cmd += " --reference-materials " + quote(names);
    }
    return cmd;
}

} // namespace nerva::view
