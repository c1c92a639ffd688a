// glTF images, samplers, textures and metallic-roughness materials, with
// KHR_texture_transform and KHR_materials_emissive_strength (the other
// material extensions: gltf_material_extensions.cpp).
#include "renderer/scene/gltf_internal.h"

#include <stb_image.h>

#include <cmath>

namespace nerva::scene::gltf {

namespace {

WrapMode wrapMode(const LoadContext& ctx, int mode, const std::string& where) {
    switch (mode) {
    case TINYGLTF_TEXTURE_WRAP_REPEAT:
        return WrapMode::Repeat;
    case TINYGLTF_TEXTURE_WRAP_CLAMP_TO_EDGE:
        return WrapMode::ClampToEdge;
    case TINYGLTF_TEXTURE_WRAP_MIRRORED_REPEAT:
        return WrapMode::MirroredRepeat;
    default:
        ctx.fail(where + " has invalid wrap mode " + std::to_string(mode));
    }
}

Sampler convertSampler(const LoadContext& ctx, const tinygltf::Sampler& s, size_t index) {
    const std::string where = label("sampler", index, s.name);
    Sampler out; // glTF leaves undefined filters to us: linear with mipmaps
    switch (s.magFilter) {
    case -1:
    case TINYGLTF_TEXTURE_FILTER_LINEAR:
        out.magFilter = Filter::Linear;
        break;
    case TINYGLTF_TEXTURE_FILTER_NEAREST:
        out.magFilter = Filter::Nearest;
        break;
    default:
        ctx.fail(where + " has invalid magFilter " + std::to_string(s.magFilter));
    }
    switch (s.minFilter) {
    case -1:
        break;
    case TINYGLTF_TEXTURE_FILTER_NEAREST:
        out = {out.magFilter, Filter::Nearest, false};
        break;
    case TINYGLTF_TEXTURE_FILTER_LINEAR:
        out = {out.magFilter, Filter::Linear, false};
        break;
    case TINYGLTF_TEXTURE_FILTER_NEAREST_MIPMAP_NEAREST:
    case TINYGLTF_TEXTURE_FILTER_NEAREST_MIPMAP_LINEAR:
        out = {out.magFilter, Filter::Nearest, true};
        break;
    case TINYGLTF_TEXTURE_FILTER_LINEAR_MIPMAP_NEAREST:
    case TINYGLTF_TEXTURE_FILTER_LINEAR_MIPMAP_LINEAR:
        out = {out.magFilter, Filter::Linear, true};
        break;
    default:
        ctx.fail(where + " has invalid minFilter " + std::to_string(s.minFilter));
    }
    out.wrapS = wrapMode(ctx, s.wrapS, where);
    out.wrapT = wrapMode(ctx, s.wrapT, where);
    return out;
}

float number(const tinygltf::Value& v, const char* key, float fallback) {
    if (!v.Has(key) || !v.Get(key).IsNumber()) return fallback;
    return float(v.Get(key).GetNumberAsDouble());
}

glm::vec2 pair(const LoadContext& ctx, const tinygltf::Value& v, const char* key,
               glm::vec2 fallback, const std::string& where) {
    if (!v.Has(key)) return fallback;
    const tinygltf::Value& a = v.Get(key);
    if (!a.IsArray() || a.ArrayLen() != 2 || !a.Get(0).IsNumber() || !a.Get(1).IsNumber()) {
        ctx.fail(where + ": KHR_texture_transform " + key + " must be two numbers");
    }
    return {float(a.Get(0).GetNumberAsDouble()), float(a.Get(1).GetNumberAsDouble())};
}

template <int N>
glm::vec<N, float> factor(const LoadContext& ctx, const std::vector<double>& values,
                          const std::string& where, const char* what) {
    if (values.size() != size_t(N)) {
        ctx.fail(where + " " + what + " has " + std::to_string(values.size()) + " values, need " +
                 std::to_string(N));
    }
    glm::vec<N, float> out;
    for (int i = 0; i < N; ++i)
        out[i] = float(values[size_t(i)]);
    return out;
}

AlphaMode alphaMode(const LoadContext& ctx, const std::string& mode, const std::string& where) {
    if (mode == "OPAQUE" || mode.empty()) return AlphaMode::Opaque;
    if (mode == "MASK") return AlphaMode::Mask;
    if (mode == "BLEND") return AlphaMode::Blend;
    ctx.fail(where + " has invalid alphaMode '" + mode + "'");
}

Material convertMaterial(LoadContext& ctx, const tinygltf::Material& src, size_t index,
                         const std::vector<int32_t>& textureRemap) {
    const std::string where = label("material", index, src.name);
    const tinygltf::PbrMetallicRoughness& pbr = src.pbrMetallicRoughness;
    Material m;
    m.name = src.name;
    m.baseColorFactor = factor<4>(ctx, pbr.baseColorFactor, where, "baseColorFactor");
    m.metallicFactor = float(pbr.metallicFactor);
    m.roughnessFactor = float(pbr.roughnessFactor);
    m.emissiveFactor = src.emissiveFactor.empty()
                           ? glm::vec3(0.0f)
                           : factor<3>(ctx, src.emissiveFactor, where, "emissiveFactor");
    auto strength = src.extensions.find("KHR_materials_emissive_strength");
    if (strength != src.extensions.end() && strength->second.IsObject()) {
        m.emissiveStrength = number(strength->second, "emissiveStrength", 1.0f);
        if (!(m.emissiveStrength >= 0.0f) || !std::isfinite(m.emissiveStrength)) {
            ctx.fail(where + " has invalid emissiveStrength");
        }
    }
    m.normalScale = float(src.normalTexture.scale);
    m.occlusionStrength = float(src.occlusionTexture.strength);
    m.alphaMode = alphaMode(ctx, src.alphaMode, where);
    m.alphaCutoff = float(src.alphaCutoff);
    m.doubleSided = src.doubleSided;

    auto slot = [&](const auto& info, const char* name) {
        return convertSlot(ctx, SlotSource{info.index, info.texCoord, &info.extensions},
                           where + " " + name, textureRemap);
    };
    m.baseColor = slot(pbr.baseColorTexture, "baseColorTexture");
    m.metallicRoughness = slot(pbr.metallicRoughnessTexture, "metallicRoughnessTexture");
    m.normal = slot(src.normalTexture, "normalTexture");
    m.occlusion = slot(src.occlusionTexture, "occlusionTexture");
    m.emissive = slot(src.emissiveTexture, "emissiveTexture");
    convertMaterialExtensions(ctx, src, where, textureRemap, m);
    return m;
}

// Marks images read as colour (sRGB); warns when one is also read as data.
void markColourImages(LoadContext& ctx) {
    Scene& s = *ctx.scene;
    std::vector<bool> usedAsData(s.images.size(), false);
    for (const Material& m : s.materials) {
        for (const TextureSlot* slot :
             {&m.baseColor, &m.emissive, &m.specularColor, &m.sheenColor}) {
            if (slot->present()) s.images[s.textures[size_t(slot->texture)].image].srgb = true;
        }
        for (const TextureSlot* slot :
             {&m.metallicRoughness, &m.normal, &m.occlusion, &m.specular, &m.clearcoat,
              &m.clearcoatRoughness, &m.clearcoatNormal, &m.sheenRoughness}) {
            if (slot->present()) usedAsData[s.textures[size_t(slot->texture)].image] = true;
        }
    }
    for (size_t i = 0; i < s.images.size(); ++i) {
        if (s.images[i].srgb && usedAsData[i]) {
            ctx.warn("image '" + s.images[i].name +
                     "' is used both as colour and as data (decoded as sRGB)");
        }
    }
}

} // namespace

TextureSlot convertSlot(LoadContext& ctx, const SlotSource& src, const std::string& where,
                        const std::vector<int32_t>& textureRemap) {
    TextureSlot slot;
    if (src.index == -1) return slot;
    if (src.index < 0 || size_t(src.index) >= textureRemap.size()) {
        ctx.fail(where + " references texture " + std::to_string(src.index) + ", out of range (" +
                 std::to_string(textureRemap.size()) + " textures)");
    }
    slot.texture = textureRemap[size_t(src.index)];
    if (slot.texture < 0) return TextureSlot{};
    int texCoord = src.texCoord;
    auto ext = src.extensions->find("KHR_texture_transform");
    if (ext != src.extensions->end() && ext->second.IsObject()) {
        const tinygltf::Value& t = ext->second;
        slot.uvTransform = textureTransform(pair(ctx, t, "offset", glm::vec2(0.0f), where),
                                            number(t, "rotation", 0.0f),
                                            pair(ctx, t, "scale", glm::vec2(1.0f), where));
        if (t.Has("texCoord") && t.Get("texCoord").IsInt())
            texCoord = t.Get("texCoord").GetNumberAsInt();
    }
    if (texCoord < 0) ctx.fail(where + " has texCoord " + std::to_string(texCoord));
    if (texCoord > 1) {
        ctx.warn("texture coordinate sets beyond TEXCOORD_1 are not supported (TEXCOORD_0 used)");
        texCoord = 0;
    }
    slot.texCoord = uint32_t(texCoord);
    return slot;
}

bool decodeImage(tinygltf::Image* image, int index, std::string* err, std::string* /*warn*/,
                 int /*reqWidth*/, int /*reqHeight*/, const unsigned char* bytes, int size,
                 void* user) {
    // stb decodes 1-4 channels at 8 or 16 bits; asking for 4 channels at 8 bits
    // expands grey/grey-alpha/RGB to RGBA and scales 16-bit samples down.
    int w = 0, h = 0, channels = 0;
    stbi_uc* pixels = stbi_load_from_memory(bytes, size, &w, &h, &channels, 4);
    if (!pixels) {
        const std::string what = (image->uri.empty() ? "image " + std::to_string(index)
                                                     : "image file '" + image->uri + "'") +
                                 " cannot be decoded (" + stbi_failure_reason() + ")";
        if (user) static_cast<LoadContext*>(user)->imageError = what;
        if (err) *err += what + "\n";
        return false;
    }
    image->width = w;
    image->height = h;
    image->component = 4;
    image->bits = 8;
    image->pixel_type = TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE;
    image->image.assign(pixels, pixels + size_t(w) * size_t(h) * 4);
    stbi_image_free(pixels);
    return true;
}

glm::mat3 textureTransform(glm::vec2 offset, float rotation, glm::vec2 scale) {
    // T * R * S, column-major. R is the rotation the implementations, the
    // sample model (TextureTransformTest) and the extension's own example
    // need (offset [0,1], rotation pi/2, scale 0.5 maps the unit square onto
    // the lower-left quadrant): u' = u cos r + v sin r, v' = -u sin r + v cos r.
    // The GLSL listing in the extension's text has the transpose, a known
    // erratum (KhronosGroup/glTF issue #1563): counter-clockwise in V-down UV
    // space is clockwise in a Y-up one.
    const float c = std::cos(rotation), s = std::sin(rotation);
    const glm::mat3 translation(1.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, offset.x, offset.y, 1.0f);
    const glm::mat3 rotate(c, -s, 0.0f, s, c, 0.0f, 0.0f, 0.0f, 1.0f);
    const glm::mat3 scaling(scale.x, 0.0f, 0.0f, 0.0f, scale.y, 0.0f, 0.0f, 0.0f, 1.0f);
    return translation * rotate * scaling;
}

void convertMaterials(LoadContext& ctx) {
    const tinygltf::Model& model = ctx.model;
    Scene& s = *ctx.scene;

    for (size_t i = 0; i < model.images.size(); ++i) {
        const tinygltf::Image& src = model.images[i];
        if (src.image.empty() || src.width <= 0 || src.height <= 0) {
            ctx.fail(src.uri.empty() ? "image " + std::to_string(i) + " has no pixel data"
                                     : "image file '" + src.uri + "' could not be read");
        }
        Image img;
        img.name = src.uri.empty() ? "image[" + std::to_string(i) + "]" : src.uri;
        img.width = uint32_t(src.width);
        img.height = uint32_t(src.height);
        img.rgba8 = src.image;
        s.images.push_back(std::move(img));
    }

    s.samplers.push_back(Sampler{}); // [0]: the glTF default sampler
    for (size_t i = 0; i < model.samplers.size(); ++i) {
        s.samplers.push_back(convertSampler(ctx, model.samplers[i], i));
    }

    std::vector<int32_t> textureRemap(model.textures.size(), -1);
    for (size_t i = 0; i < model.textures.size(); ++i) {
        const tinygltf::Texture& t = model.textures[i];
        const std::string where = label("texture", i, t.name);
        if (t.source == -1) {
            ctx.warn("textures without a supported image source are ignored");
            continue;
        }
        if (t.source < 0 || size_t(t.source) >= s.images.size()) {
            ctx.fail(where + " references image " + std::to_string(t.source) + ", out of range (" +
                     std::to_string(s.images.size()) + " images)");
        }
        if (t.sampler < -1 || (t.sampler >= 0 && size_t(t.sampler) >= model.samplers.size())) {
            ctx.fail(where + " references sampler " + std::to_string(t.sampler) +
                     ", out of range (" + std::to_string(model.samplers.size()) + " samplers)");
        }
        textureRemap[i] = int32_t(s.textures.size());
        s.textures.push_back(Texture{uint32_t(t.source), uint32_t(t.sampler + 1)});
    }

    for (size_t i = 0; i < model.materials.size(); ++i) {
        s.materials.push_back(convertMaterial(ctx, model.materials[i], i, textureRemap));
    }
    markColourImages(ctx);
}

} // namespace nerva::scene::gltf
