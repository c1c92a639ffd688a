// Material extensions of the glTF loader beyond the core material:
// KHR_materials_specular, KHR_materials_ior, KHR_materials_clearcoat,
// KHR_materials_sheen and NERVA_materials_layered (docs/layered-materials.md).
// Values are checked for type, finiteness and sign; the consumers clamp them
// to their ranges.
#include "renderer/scene/gltf_internal.h"

#include <cmath>
#include <filesystem>

namespace nerva::scene::gltf {

namespace {

// The extension object `name` of a material, or null when absent.
const tinygltf::Value* extension(const LoadContext& ctx, const tinygltf::Material& src,
                                 const char* name, const std::string& where) {
    auto it = src.extensions.find(name);
    if (it == src.extensions.end()) return nullptr;
    if (!it->second.IsObject()) ctx.fail(where + ": " + name + " is not an object");
    return &it->second;
}

// A non-negative finite number `key` of extension object `v`.
float factor(const LoadContext& ctx, const tinygltf::Value& v, const char* key, float fallback,
             const std::string& where) {
    if (!v.Has(key)) return fallback;
    const tinygltf::Value& n = v.Get(key);
    const float f = n.IsNumber() ? float(n.GetNumberAsDouble()) : -1.0f;
    if (!(f >= 0.0f) || !std::isfinite(f)) {
        ctx.fail(where + " has invalid " + key + " (need a number >= 0)");
    }
    return f;
}

glm::vec3 colour(const LoadContext& ctx, const tinygltf::Value& v, const char* key,
                 glm::vec3 fallback, const std::string& where) {
    if (!v.Has(key)) return fallback;
    const tinygltf::Value& a = v.Get(key);
    glm::vec3 out(-1.0f);
    bool ok = a.IsArray() && a.ArrayLen() == 3;
    for (int i = 0; ok && i < 3; ++i) {
        ok = a.Get(i).IsNumber();
        if (ok) out[i] = float(a.Get(i).GetNumberAsDouble());
        ok = ok && out[i] >= 0.0f && std::isfinite(out[i]);
    }
    if (!ok) ctx.fail(where + " has invalid " + key + " (need three numbers >= 0)");
    return out;
}

// A textureInfo (or normalTextureInfo when `scale` is given) inside an
// extension object.
TextureSlot texture(LoadContext& ctx, const tinygltf::Value& v, const char* key,
                    const std::string& where, const std::vector<int32_t>& textureRemap,
                    float* scale = nullptr) {
    static const tinygltf::ExtensionMap kNoExtensions;
    if (!v.Has(key)) return {};
    const std::string slotWhere = where + " " + key;
    const tinygltf::Value& t = v.Get(key);
    if (!t.IsObject() || !t.Has("index") || !t.Get("index").IsInt() ||
        t.Get("index").GetNumberAsInt() < 0) {
        ctx.fail(slotWhere + " needs an integer 'index' >= 0");
    }
    SlotSource src;
    src.index = t.Get("index").GetNumberAsInt();
    if (t.Has("texCoord")) {
        if (!t.Get("texCoord").IsInt()) ctx.fail(slotWhere + " has a non-integer texCoord");
        src.texCoord = t.Get("texCoord").GetNumberAsInt();
    }
    src.extensions = &kNoExtensions;
    if (t.Has("extensions") && t.Get("extensions").IsObject()) {
        src.extensions = &t.Get("extensions").Get<tinygltf::Value::Object>();
    }
    if (scale && t.Has("scale")) {
        const tinygltf::Value& s = t.Get("scale");
        if (!s.IsNumber() || !std::isfinite(s.GetNumberAsDouble())) {
            ctx.fail(slotWhere + " has an invalid scale");
        }
        *scale = float(s.GetNumberAsDouble());
    }
    return convertSlot(ctx, src, slotWhere, textureRemap);
}

// The file an extension's "uri" names (NERVA_materials_layered and
// NERVA_materials_neural), as an absolute path.
std::string extensionFileUri(const LoadContext& ctx, const tinygltf::Value& v,
                             const std::string& where, const char* extensionName) {
    const std::string ext = extensionName;
    if (!v.Has("uri") || !v.Get("uri").IsString() || v.Get("uri").Get<std::string>().empty()) {
        ctx.fail(where + ": " + ext + " needs a non-empty string 'uri'");
    }
    const std::string& uri = v.Get("uri").Get<std::string>();
    if (uri.rfind("data:", 0) == 0) {
        ctx.fail(where + ": " + ext + " uri must name a file, not a data URI");
    }
    // Relative to the glTF file (percent-decoded as image and buffer URIs);
    // an absolute path is taken as it is.
    const std::filesystem::path path =
        uri[0] == '/' ? std::filesystem::path(uri) : std::filesystem::path(resolveUri(ctx, uri));
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    return (ec ? path : absolute).lexically_normal().string();
}

} // namespace

void convertMaterialExtensions(LoadContext& ctx, const tinygltf::Material& src,
                               const std::string& where, const std::vector<int32_t>& textureRemap,
                               Material& m) {
    if (const tinygltf::Value* v = extension(ctx, src, "KHR_materials_specular", where)) {
        const std::string w = where + " KHR_materials_specular";
        m.specularFactor = factor(ctx, *v, "specularFactor", 1.0f, w);
        m.specularColorFactor = colour(ctx, *v, "specularColorFactor", glm::vec3(1.0f), w);
        m.specular = texture(ctx, *v, "specularTexture", w, textureRemap);
        m.specularColor = texture(ctx, *v, "specularColorTexture", w, textureRemap);
    }
    if (const tinygltf::Value* v = extension(ctx, src, "KHR_materials_ior", where)) {
        // The extension allows ior >= 1 and the special value 0 (Fresnel
        // term 1); values in (0, 1) are out of spec, left to the consumers.
        m.ior = factor(ctx, *v, "ior", 1.5f, where + " KHR_materials_ior");
    }
    if (const tinygltf::Value* v = extension(ctx, src, "KHR_materials_clearcoat", where)) {
        const std::string w = where + " KHR_materials_clearcoat";
        m.clearcoatFactor = factor(ctx, *v, "clearcoatFactor", 0.0f, w);
        m.clearcoatRoughnessFactor = factor(ctx, *v, "clearcoatRoughnessFactor", 0.0f, w);
        m.clearcoat = texture(ctx, *v, "clearcoatTexture", w, textureRemap);
        m.clearcoatRoughness = texture(ctx, *v, "clearcoatRoughnessTexture", w, textureRemap);
        m.clearcoatNormal =
            texture(ctx, *v, "clearcoatNormalTexture", w, textureRemap, &m.clearcoatNormalScale);
    }
    if (const tinygltf::Value* v = extension(ctx, src, "KHR_materials_sheen", where)) {
        const std::string w = where + " KHR_materials_sheen";
        m.sheenColorFactor = colour(ctx, *v, "sheenColorFactor", glm::vec3(0.0f), w);
        m.sheenRoughnessFactor = factor(ctx, *v, "sheenRoughnessFactor", 0.0f, w);
        m.sheenColor = texture(ctx, *v, "sheenColorTexture", w, textureRemap);
        m.sheenRoughness = texture(ctx, *v, "sheenRoughnessTexture", w, textureRemap);
    }
    if (const tinygltf::Value* v = extension(ctx, src, "NERVA_materials_layered", where)) {
        m.layeredUri = extensionFileUri(ctx, *v, where, "NERVA_materials_layered");
    }
    if (const tinygltf::Value* v = extension(ctx, src, "NERVA_materials_neural", where)) {
        m.neuralUri = extensionFileUri(ctx, *v, where, "NERVA_materials_neural");
    }
}

} // namespace nerva::scene::gltf
