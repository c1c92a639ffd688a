#include "render_command.h"

#include <glm/glm.hpp>

namespace nerva::view {

pt::RenderConfig viewConfig(const ViewSettings& settings, const std::string& scenePath,
                            const scene::Camera& camera, const std::string& gltfCamera,
                            uint32_t width, uint32_t height) {
    pt::RenderConfig c = settings.render;
    c.scene = scenePath;
    c.width = width;
    c.height = height;
    c.camera.clear();
    c.lookFrom.reset();
    c.lookAt.reset();
    c.up.reset();
    c.fovDegrees.reset();
    if (!gltfCamera.empty()) {
        c.camera = gltfCamera;
    } else {
        const glm::mat4& m = camera.toWorld;
        const glm::vec3 from(m[3]);
        c.lookFrom = from;
        c.lookAt = from - glm::normalize(glm::vec3(m[2]));
        c.up = glm::normalize(glm::vec3(m[1]));
        c.fovDegrees = glm::degrees(camera.yfov);
    }
    return c;
}

} // namespace nerva::view
