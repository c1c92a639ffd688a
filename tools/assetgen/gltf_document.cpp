// The JSON half of GltfWriter: turns what was added into the glTF document.
#include "gltf_writer.h"

namespace nerva::assetgen {
namespace {

using Json = nlohmann::ordered_json;

Json textureInfo(const TextureRef& ref) {
    Json info;
    info["index"] = ref.texture;
    if (ref.texCoord != 0) info["texCoord"] = ref.texCoord;
    if (ref.transformed) {
        const TextureTransform& t = ref.transform;
        Json tt;
        tt["offset"] = {jsonNumber(t.offset.x), jsonNumber(t.offset.y)};
        tt["rotation"] = jsonNumber(t.rotation);
        tt["scale"] = {jsonNumber(t.scale.x), jsonNumber(t.scale.y)};
        if (t.texCoord >= 0) tt["texCoord"] = t.texCoord;
        info["extensions"]["KHR_texture_transform"] = tt;
    }
    return info;
}

Json materialJson(const MaterialDesc& m) {
    Json j;
    j["name"] = m.name;
    Json& pbr = j["pbrMetallicRoughness"];
    pbr["baseColorFactor"] = {jsonNumber(m.baseColor[0]), jsonNumber(m.baseColor[1]),
                              jsonNumber(m.baseColor[2]), jsonNumber(m.baseColor[3])};
    if (m.baseColorTexture.texture >= 0) pbr["baseColorTexture"] = textureInfo(m.baseColorTexture);
    pbr["metallicFactor"] = jsonNumber(m.metallic);
    pbr["roughnessFactor"] = jsonNumber(m.roughness);
    if (m.metallicRoughnessTexture.texture >= 0)
        pbr["metallicRoughnessTexture"] = textureInfo(m.metallicRoughnessTexture);
    if (m.normalTexture.texture >= 0) {
        j["normalTexture"] = textureInfo(m.normalTexture);
        j["normalTexture"]["scale"] = jsonNumber(m.normalScale);
    }
    if (m.occlusionTexture.texture >= 0) {
        j["occlusionTexture"] = textureInfo(m.occlusionTexture);
        j["occlusionTexture"]["strength"] = jsonNumber(m.occlusionStrength);
    }
    if (m.emissiveTexture.texture >= 0) j["emissiveTexture"] = textureInfo(m.emissiveTexture);
    if (m.emissive[0] != 0.0f || m.emissive[1] != 0.0f || m.emissive[2] != 0.0f)
        j["emissiveFactor"] = {jsonNumber(m.emissive[0]), jsonNumber(m.emissive[1]),
                               jsonNumber(m.emissive[2])};
    if (m.alphaMode == AlphaMode::Mask) {
        j["alphaMode"] = "MASK";
        j["alphaCutoff"] = jsonNumber(m.alphaCutoff);
    } else if (m.alphaMode == AlphaMode::Blend) {
        j["alphaMode"] = "BLEND";
    }
    if (m.doubleSided) j["doubleSided"] = true;
    if (m.emissiveStrength != 1.0f)
        j["extensions"]["KHR_materials_emissive_strength"]["emissiveStrength"] =
            jsonNumber(m.emissiveStrength);
    if (!m.layeredUri.empty()) j["extensions"]["NERVA_materials_layered"]["uri"] = m.layeredUri;
    if (!m.neuralUri.empty()) j["extensions"]["NERVA_materials_neural"]["uri"] = m.neuralUri;
    return j;
}

bool anyTransform(const MaterialDesc& m) {
    for (const TextureRef* r : {&m.baseColorTexture, &m.metallicRoughnessTexture, &m.normalTexture,
                                &m.occlusionTexture, &m.emissiveTexture})
        if (r->texture >= 0 && r->transformed) return true;
    return false;
}

} // namespace

std::string GltfWriter::document(bool binary, std::vector<uint8_t>& buffer) const {
    Json doc;
    doc["asset"] = {{"version", "2.0"}, {"generator", "nerva-assetgen"}};
    bool transforms = false, strength = false, layered = false, neural = false;
    for (const MaterialDesc& m : materials_) {
        transforms = transforms || anyTransform(m);
        strength = strength || m.emissiveStrength != 1.0f;
        layered = layered || !m.layeredUri.empty();
        neural = neural || !m.neuralUri.empty();
    }
    bool fields = false;
    for (const Node& node : nodes_)
        fields = fields || !node.desc.fieldUri.empty();
    Json used = Json::array();
    if (!lights_.empty()) used.push_back("KHR_lights_punctual");
    if (strength) used.push_back("KHR_materials_emissive_strength");
    if (transforms) used.push_back("KHR_texture_transform");
    if (fields) used.push_back("NERVA_field");
    if (layered) used.push_back("NERVA_materials_layered");
    if (neural) used.push_back("NERVA_materials_neural");
    if (!used.empty()) doc["extensionsUsed"] = used;
    doc["scene"] = 0;
    doc["scenes"] = Json::array({{{"name", name_}, {"nodes", roots_}}});

    for (const Node& node : nodes_) {
        const NodeDesc& d = node.desc;
        Json j;
        j["name"] = d.name;
        if (d.camera >= 0) j["camera"] = d.camera;
        if (d.mesh >= 0) j["mesh"] = d.mesh;
        if (!node.children.empty()) j["children"] = node.children;
        if (d.useMatrix) {
            Json m = Json::array();
            for (float v : d.matrix)
                m.push_back(jsonExactFloat(v));
            j["matrix"] = m;
        } else {
            const Vec3 t = d.translation, s = d.scale;
            const Quat r = d.rotation;
            if (t.x != 0.0f || t.y != 0.0f || t.z != 0.0f)
                j["translation"] = {jsonNumber(t.x), jsonNumber(t.y), jsonNumber(t.z)};
            if (r.x != 0.0f || r.y != 0.0f || r.z != 0.0f || r.w != 1.0f)
                j["rotation"] = {jsonExactFloat(r.x), jsonExactFloat(r.y), jsonExactFloat(r.z),
                                 jsonExactFloat(r.w)};
            if (s.x != 1.0f || s.y != 1.0f || s.z != 1.0f)
                j["scale"] = {jsonNumber(s.x), jsonNumber(s.y), jsonNumber(s.z)};
        }
        if (d.light >= 0) j["extensions"]["KHR_lights_punctual"]["light"] = d.light;
        if (!d.fieldUri.empty()) {
            j["extensions"]["NERVA_field"]["uri"] = d.fieldUri;
            if (d.fieldMaterial >= 0) j["extensions"]["NERVA_field"]["material"] = d.fieldMaterial;
        }
        doc["nodes"].push_back(j);
    }
    for (const CameraDesc& c : cameras_) {
        Json j;
        j["name"] = c.name;
        if (c.perspective) {
            j["type"] = "perspective";
            j["perspective"] = {{"yfov", jsonNumber(c.yfov)},
                                {"zfar", jsonNumber(c.zfar)},
                                {"znear", jsonNumber(c.znear)}};
        } else {
            j["type"] = "orthographic";
            j["orthographic"] = {{"xmag", jsonNumber(c.xmag)},
                                 {"ymag", jsonNumber(c.ymag)},
                                 {"zfar", jsonNumber(c.zfar)},
                                 {"znear", jsonNumber(c.znear)}};
        }
        doc["cameras"].push_back(j);
    }
    for (const Mesh& mesh : meshes_) {
        Json j;
        j["name"] = mesh.name;
        for (const PrimitiveDesc& p : mesh.primitives) {
            const auto& a = geometries_[static_cast<size_t>(p.geometry)].accessors;
            Json prim;
            prim["attributes"] = {
                {"POSITION", a[0]}, {"NORMAL", a[1]}, {"TANGENT", a[2]}, {"TEXCOORD_0", a[3]}};
            if (a[4] >= 0) prim["attributes"]["TEXCOORD_1"] = a[4];
            prim["indices"] = a[5];
            if (p.material >= 0) prim["material"] = p.material;
            prim["mode"] = 4;
            j["primitives"].push_back(prim);
        }
        doc["meshes"].push_back(j);
    }
    for (const MaterialDesc& m : materials_)
        doc["materials"].push_back(materialJson(m));
    for (const auto& [image, sampler] : textures_)
        doc["textures"].push_back({{"sampler", sampler}, {"source", image}});

    Json views = Json::array();
    for (const Json& v : bufferViews_)
        views.push_back(v);
    for (const Image& image : images_) {
        Json j;
        j["name"] = image.stem;
        if (binary) {
            padTo4(buffer, 0);
            views.push_back(
                {{"buffer", 0}, {"byteOffset", buffer.size()}, {"byteLength", image.png.size()}});
            buffer.insert(buffer.end(), image.png.begin(), image.png.end());
            j["bufferView"] = views.size() - 1;
            j["mimeType"] = "image/png";
        } else {
            j["uri"] = image.stem + ".png";
        }
        doc["images"].push_back(j);
    }
    padTo4(buffer, 0);
    for (const SamplerDesc& s : samplers_)
        doc["samplers"].push_back({{"magFilter", s.magFilter},
                                   {"minFilter", s.minFilter},
                                   {"wrapS", s.wrapS},
                                   {"wrapT", s.wrapT}});
    doc["accessors"] = accessors_;
    doc["bufferViews"] = views;
    Json b;
    b["byteLength"] = buffer.size();
    if (!binary) b["uri"] = name_ + ".bin";
    doc["buffers"] = Json::array({b});

    for (const LightDesc& l : lights_) {
        Json j;
        j["name"] = l.name;
        j["type"] = l.type == LightType::Directional ? "directional"
                    : l.type == LightType::Point     ? "point"
                                                     : "spot";
        j["color"] = {jsonNumber(l.color.x), jsonNumber(l.color.y), jsonNumber(l.color.z)};
        j["intensity"] = jsonNumber(l.intensity);
        if (l.range > 0.0f && l.type != LightType::Directional) j["range"] = jsonNumber(l.range);
        if (l.type == LightType::Spot)
            j["spot"] = {{"innerConeAngle", jsonNumber(l.innerConeAngle)},
                         {"outerConeAngle", jsonNumber(l.outerConeAngle)}};
        doc["extensions"]["KHR_lights_punctual"]["lights"].push_back(j);
    }
    return doc.dump(1) + "\n";
}

} // namespace nerva::assetgen
