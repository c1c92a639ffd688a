#include "renderer/scene/gltf_layered.h"

#include "neural/core/error.h"
#include "neural/material/layered_json.h"

#include <algorithm>

namespace nerva::scene {

namespace {

using material::LayeredMaterialDesc;
using material::TextureRef;
namespace sh = nerva::shared;

struct Mapper {
    const std::vector<Texture>& textures;
    const std::string& where;
    LayeredMaterialDesc& d;

    TextureRef ref(const TextureSlot& slot, uint32_t channel, bool srgb, bool normalMap) const {
        TextureRef r;
        if (!slot.present()) return r;
        if (size_t(slot.texture) >= textures.size()) {
            throw errorAt(where, "texture " + std::to_string(slot.texture) + " is out of range (" +
                                     std::to_string(textures.size()) + " textures)");
        }
        r.sceneImage = int(textures[size_t(slot.texture)].image);
        r.channel = channel;
        r.srgb = srgb;
        r.normalMap = normalMap;
        r.texCoord = slot.texCoord;
        r.uvTransform = slot.uvTransform;
        return r;
    }
    // factor (clamped to [lo, hi]) times channel `channel` of a linear texture.
    void scalar(uint32_t param, float factor, float lo, float hi, const TextureSlot& slot = {},
                uint32_t channel = 0) const {
        d.params[param].value = glm::vec3(std::clamp(factor, lo, hi), 0.0f, 0.0f);
        if (slot.present()) d.params[param].texture = ref(slot, channel, false, false);
    }
    // factor (clamped to [0, 1]) times the rgb of an sRGB texture.
    void colour(uint32_t param, glm::vec3 factor, const TextureSlot& slot = {}) const {
        d.params[param].value = glm::clamp(factor, 0.0f, 1.0f);
        if (slot.present()) d.params[param].texture = ref(slot, 0, true, false);
    }
    void normal(uint32_t param, float scale, const TextureSlot& slot) const {
        if (!slot.present()) return; // the default: no normal map
        d.params[param].value = glm::vec3(scale, 0.0f, 0.0f);
        d.params[param].texture = ref(slot, 0, false, true);
    }
};

// The specular ior of a glTF ior: the layered range is [1, 3]. The
// extension's special value 0 means a Fresnel term of 1 (used to carry
// specular-glossiness materials); 3, the strongest reflection the range
// holds, is the nearest we have.
float specularIor(float ior) {
    return ior == 0.0f ? 3.0f : std::clamp(ior, 1.0f, 3.0f);
}

std::string materialLabel(const Material& m, size_t index) {
    return m.name.empty() ? "material " + std::to_string(index) : "material '" + m.name + "'";
}

} // namespace

material::LayeredMaterialDesc layeredFromGltf(const Material& m,
                                              const std::vector<Texture>& textures) {
    LayeredMaterialDesc d = material::defaultLayeredMaterial();
    d.name = m.name;
    const std::string where = m.name.empty() ? "glTF material" : "glTF material '" + m.name + "'";
    const Mapper map{textures, where, d};
    d.layers = sh::kLayerDiffuse | sh::kLayerSpecular | sh::kLayerConductor;

    // glTF roughness (perceptual, alpha = r^2) is the layered roughness; the
    // metallicRoughness texture holds roughness in G and metallic in B.
    const glm::vec3 baseColor(m.baseColorFactor);
    map.colour(sh::kParamDiffuseColor, baseColor, m.baseColor);
    map.scalar(sh::kParamDiffuseRoughness, 0.0f, 0.0f, 1.0f); // Lambert
    map.normal(sh::kParamBaseNormal, m.normalScale, m.normal);

    map.scalar(sh::kParamSpecularWeight, m.specularFactor, 0.0f, 1.0f, m.specular, 3);
    map.scalar(sh::kParamSpecularRoughness, m.roughnessFactor, 0.0f, 1.0f, m.metallicRoughness, 1);
    map.scalar(sh::kParamSpecularAnisotropy, 0.0f, 0.0f, 0.0f);
    map.scalar(sh::kParamSpecularRotation, 0.0f, 0.0f, 0.0f);
    map.scalar(sh::kParamSpecularIor, specularIor(m.ior), 1.0f, 3.0f);
    // glTF lets specularColorFactor exceed 1 (F0 is clamped after the
    // product); the layered tint is a reflectance in [0, 1].
    map.colour(sh::kParamSpecularTint, m.specularColorFactor, m.specularColor);

    map.scalar(sh::kParamConductorCoverage, m.metallicFactor, 0.0f, 1.0f, m.metallicRoughness, 2);
    map.colour(sh::kParamConductorF0, baseColor, m.baseColor);
    map.colour(sh::kParamConductorF82Tint, glm::vec3(1.0f));
    map.scalar(sh::kParamConductorRoughness, m.roughnessFactor, 0.0f, 1.0f, m.metallicRoughness, 1);
    map.scalar(sh::kParamConductorAnisotropy, 0.0f, 0.0f, 0.0f);
    map.scalar(sh::kParamConductorRotation, 0.0f, 0.0f, 0.0f);

    if (m.clearcoatFactor > 0.0f) {
        d.layers |= sh::kLayerCoat;
        map.scalar(sh::kParamCoatWeight, m.clearcoatFactor, 0.0f, 1.0f, m.clearcoat, 0);
        map.scalar(sh::kParamCoatRoughness, m.clearcoatRoughnessFactor, 0.0f, 1.0f,
                   m.clearcoatRoughness, 1);
        map.scalar(sh::kParamCoatIor, 1.5f, 1.0f, 3.0f);
        map.colour(sh::kParamCoatTint, glm::vec3(1.0f));
        map.scalar(sh::kParamCoatThickness, 0.0f, 0.0f, 10.0f);
        // Without clearcoatNormalTexture the coat is flat, even over a
        // normal-mapped base (as the extension says).
        map.normal(sh::kParamCoatNormal, m.clearcoatNormalScale, m.clearcoatNormal);
    }
    if (glm::any(glm::greaterThan(m.sheenColorFactor, glm::vec3(0.0f)))) {
        d.layers |= sh::kLayerSheen;
        map.scalar(sh::kParamSheenWeight, 1.0f, 0.0f, 1.0f);
        map.colour(sh::kParamSheenColor, m.sheenColorFactor, m.sheenColor);
        map.scalar(sh::kParamSheenRoughness, m.sheenRoughnessFactor, 0.0f, 1.0f, m.sheenRoughness,
                   3);
    }
    return d;
}

std::vector<material::ImageSource> layeredImageSources(const Scene& scene) {
    std::vector<material::ImageSource> images;
    images.reserve(scene.images.size());
    for (const Image& img : scene.images) {
        const bool whole = img.rgba8.size() == size_t(img.width) * img.height * 4;
        images.push_back({img.name, img.width, img.height, whole ? img.rgba8.data() : nullptr});
    }
    return images;
}

material::LayeredMaterialDesc layeredDescOf(const Scene& scene, size_t index) {
    const Material& m = scene.materials.at(index);
    if (!m.layeredUri.empty()) return material::loadLayeredMaterialJson(m.layeredUri);
    material::LayeredMaterialDesc d = layeredFromGltf(m, scene.textures);
    d.source = scene.path + ": " + materialLabel(m, index);
    return d;
}

material::LayeredMaterialSet buildLayeredMaterials(const Scene& scene,
                                                   std::vector<std::string>* warnings) {
    const std::vector<material::ImageSource> images = layeredImageSources(scene);
    bool samplerIgnored = false, iorClamped = false;
    auto note = [&](const Material& m) {
        iorClamped = iorClamped || specularIor(m.ior) != m.ior;
        for (const TextureSlot* slot : {&m.baseColor, &m.metallicRoughness, &m.normal, &m.specular,
                                        &m.specularColor, &m.clearcoat, &m.clearcoatRoughness,
                                        &m.clearcoatNormal, &m.sheenColor, &m.sheenRoughness}) {
            if (!slot->present() || size_t(slot->texture) >= scene.textures.size()) continue;
            const uint32_t s = scene.textures[size_t(slot->texture)].sampler;
            if (s >= scene.samplers.size()) continue;
            const Sampler& sampler = scene.samplers[s];
            samplerIgnored = samplerIgnored || sampler.wrapS != WrapMode::Repeat ||
                             sampler.wrapT != WrapMode::Repeat ||
                             sampler.magFilter != Filter::Linear || !sampler.mipmaps;
        }
    };

    material::LayeredMaterialSet set;
    for (size_t i = 0; i < scene.materials.size(); ++i) {
        if (scene.materials[i].layeredUri.empty()) note(scene.materials[i]);
        set.add(layeredDescOf(scene, i), images);
    }
    material::LayeredMaterialDesc fallback = layeredFromGltf(Material{}, scene.textures);
    fallback.name = "default";
    fallback.source = scene.path + ": default material";
    set.add(fallback, images);

    if (warnings && samplerIgnored) {
        warnings->push_back("layered materials: glTF samplers are ignored (layered textures "
                            "repeat and use their own filtering)");
    }
    if (warnings && iorClamped) {
        warnings->push_back("layered materials: KHR_materials_ior values outside [1, 3] (or 0) "
                            "are clamped to [1, 3]");
    }
    return set;
}

} // namespace nerva::scene
