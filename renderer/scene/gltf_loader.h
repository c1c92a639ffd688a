// glTF 2.0 loader: .gltf (external .bin/images or data: URIs) and .glb into
// the CPU scene model (scene_model.h).
//
// Everything the file says is resolved and validated here, so that nothing
// downstream has to trust the file: references are in range, accessors fit
// their buffers, indices address existing vertices, vertex data is finite.
// Bad input throws nerva::Error with one line "<path>: <problem>"; the loader
// never prints. Unsupported features that can be ignored (extensions, skins,
// morph targets, animations, points/lines, vertex colours, ...) are listed
// once each in Scene::warnings.
//
// Supported extensions: KHR_texture_transform, KHR_materials_emissive_strength,
// KHR_lights_punctual, and KHR_materials_specular's specularFactor (its colour
// and textures are warned about). Any other extension in extensionsRequired is
// an error.
#pragma once

#include "renderer/scene/scene_model.h"

#include <string>

namespace nerva::scene {

// Loads a .gltf or .glb file (detected by its content, not its name).
Scene loadGltf(const std::string& path);

} // namespace nerva::scene
