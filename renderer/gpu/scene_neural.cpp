#include "scene_neural.h"

#include "neural/core/error.h"

#include <map>

namespace nerva::gpu {

SceneNeuralMaterials loadSceneNeuralMaterials(const vk::Context& ctx, const scene::Scene& scene,
                                              uint32_t textureBase, bool strict,
                                              std::vector<std::string>& warnings) {
    SceneNeuralMaterials out;
    out.ofMaterial.assign(scene.materials.size(), -1);
    std::vector<formats::NmatAsset> assets;
    std::map<std::string, int32_t> loaded; // file -> record, -1: unusable
    for (size_t i = 0; i < scene.materials.size(); ++i) {
        const scene::Material& m = scene.materials[i];
        if (m.neuralUri.empty()) continue;
        auto it = loaded.find(m.neuralUri);
        if (it == loaded.end()) {
            int32_t record = -1;
            try {
                formats::NmatAsset a = formats::readNmat(m.neuralUri);
                // The shaders' limits (latent layout, network shapes), checked
                // per asset so that one bad file does not take the others down.
                material::checkNeuralAsset(a);
                record = int32_t(assets.size());
                assets.push_back(std::move(a));
                out.files.push_back(m.neuralUri);
            } catch (const Error& e) {
                if (strict)
                    throw Error(std::string(e.what()) + " (neural material of '" + m.name + "')");
                warnings.push_back(std::string(e.what()) + "; material '" + m.name +
                                   "' falls back to its reference");
            }
            it = loaded.emplace(m.neuralUri, record).first;
        }
        out.ofMaterial[i] = it->second;
    }
    if (!assets.empty()) out.set = std::make_unique<GpuNeuralMaterials>(ctx, assets, textureBase);
    return out;
}

} // namespace nerva::gpu
