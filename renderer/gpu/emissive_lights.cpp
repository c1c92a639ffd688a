// The emissive-triangle light list of a GpuScene: every triangle of every
// placed primitive whose material emits, in world space, with a CDF over
// luminance(emission factor) * area for power-proportional selection (see
// shaders/shared/light_sampling.h; the hit shader recomputes the same
// selection probability from the hit triangle, so no triangle-to-light map
// is needed). Emissive textures modulate the emitted radiance but not the
// selection.
#include "gpu_scene.h"

#include "shaders/shared/light_sampling.h"

#include <glm/glm.hpp>

namespace nerva::gpu {

void GpuScene::uploadEmissive(const scene::Scene& scene) {
    std::vector<shared::GpuEmissiveTriangle> tris;
    std::vector<double> power;
    for (const scene::Instance& inst : scene.instances) {
        if (inst.mesh >= scene.meshes.size()) continue;
        for (const scene::Primitive& p : scene.meshes[inst.mesh].primitives) {
            if (p.material < 0) continue; // the default material does not emit
            const scene::Material& m = scene.materials[p.material];
            const glm::vec3 emission = m.emissiveFactor * m.emissiveStrength;
            const float lum = shared::luminance(emission);
            if (!(lum > 0.0f)) continue;
            const std::vector<glm::vec2>& uvs = m.emissive.texCoord == 1 ? p.uv1 : p.uv0;
            const bool hasUv = uvs.size() == p.positions.size();
            for (size_t i = 0; i + 2 < p.indices.size(); i += 3) {
                shared::GpuEmissiveTriangle t{};
                const uint32_t a = p.indices[i], b = p.indices[i + 1], c = p.indices[i + 2];
                t.p0 = glm::vec3(inst.toWorld * glm::vec4(p.positions[a], 1.0f));
                t.p1 = glm::vec3(inst.toWorld * glm::vec4(p.positions[b], 1.0f));
                t.p2 = glm::vec3(inst.toWorld * glm::vec4(p.positions[c], 1.0f));
                t.area = 0.5f * glm::length(glm::cross(t.p1 - t.p0, t.p2 - t.p0));
                if (!(t.area > 0.0f)) continue; // degenerate: can never be hit or sampled
                t.material = uint32_t(p.material);
                if (hasUv) t.uv0 = uvs[a], t.uv1 = uvs[b], t.uv2 = uvs[c];
                tris.push_back(t);
                power.push_back(double(lum) * t.area);
            }
        }
    }
    // Inclusive CDF in double, stored as float with the last entry exactly 1.
    double total = 0.0;
    for (double w : power)
        total += w;
    std::vector<float> cdf(power.size());
    double run = 0.0;
    for (size_t i = 0; i < power.size(); ++i) {
        run += power[i];
        cdf[i] = float(run / total);
    }
    if (!cdf.empty()) cdf.back() = 1.0f;
    emissiveCount_ = uint32_t(tris.size());
    emissivePower_ = float(total);
    emissive_ = vk::createBufferWithData(ctx_, tris.data(), tris.size() * sizeof(tris[0]),
                                         VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
    emissiveCdf_ = vk::createBufferWithData(ctx_, cdf.data(), cdf.size() * sizeof(float),
                                            VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
}

} // namespace nerva::gpu
