// The neural materials of a scene: every material whose glTF carries
// NERVA_materials_neural gets its .nmat read, checked and uploaded (one
// GpuNeuralMaterials set for the scene; a file named by several materials is
// loaded once). A material whose asset cannot be used (missing, corrupt, a
// shape the shaders cannot evaluate) falls back to its reference with a
// warning naming the file and the material; with `strict` that is an error
// (nerva::Error, the regression tests and `nerva render --strict`).
#pragma once

#include "renderer/gpu/gpu_neural.h"
#include "renderer/scene/scene_model.h"

#include <memory>
#include <string>
#include <vector>

namespace nerva::gpu {

struct SceneNeuralMaterials {
    std::unique_ptr<GpuNeuralMaterials> set; // null when no material has a usable asset
    // Per scene material: its record in `set`, -1 = rendered by its reference.
    std::vector<int32_t> ofMaterial;
    std::vector<std::string> files; // per record of `set`: the .nmat path
};

// Latent textures are numbered from textureBase in the bindless array.
SceneNeuralMaterials loadSceneNeuralMaterials(const vk::Context& ctx, const scene::Scene& scene,
                                              uint32_t textureBase, bool strict,
                                              std::vector<std::string>& warnings);

} // namespace nerva::gpu
