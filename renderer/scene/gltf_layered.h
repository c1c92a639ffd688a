// glTF materials as reference layered materials (docs/layered-materials.md,
// "glTF"): the mapping of one scene::Material, and the material set of a
// whole scene for the shared layered eval.
#pragma once

#include "neural/material/layered_material.h"
#include "neural/material/material_set.h"
#include "renderer/scene/scene_model.h"

#include <string>
#include <vector>

namespace nerva::scene {

// The layered description of a glTF material: diffuse (baseColor, Lambert,
// base normal map), specular (KHR_materials_specular weight and tint,
// KHR_materials_ior, glTF roughness), conductor (coverage = metallic, f0 =
// baseColor), coat (KHR_materials_clearcoat, present when its factor is
// > 0) and sheen (KHR_materials_sheen, present when its colour is not
// black). Factors are clamped to the layered ranges. Texture refs name the
// scene image behind each slot (`textures` = Scene::textures). Ignores
// layeredUri (buildLayeredMaterials resolves it).
material::LayeredMaterialDesc layeredFromGltf(const Material& m,
                                              const std::vector<Texture>& textures);

// The layered description of scene material `index` as buildLayeredMaterials
// makes it (its NERVA_materials_layered JSON or layeredFromGltf), and the
// scene's decoded images as the set's image sources.
material::LayeredMaterialDesc layeredDescOf(const Scene& scene, size_t index);
std::vector<material::ImageSource> layeredImageSources(const Scene& scene);

// The layered material set of a scene: set material i is scene material i
// (from its NERVA_materials_layered JSON when it has one, else
// layeredFromGltf), and set material scene.materials.size() is the glTF
// default material, for primitives with material -1 (as the GPU upload).
// Appends what the layered materials ignore to `warnings` (may be null).
// Throws nerva::Error from the JSON loader or the image packing.
material::LayeredMaterialSet buildLayeredMaterials(const Scene& scene,
                                                   std::vector<std::string>* warnings);

} // namespace nerva::scene
