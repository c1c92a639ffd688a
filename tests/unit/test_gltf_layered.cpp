// glTF materials as layered materials: the loader's material extensions
// (clearcoat, sheen, specular colour, ior, NERVA_materials_layered), the
// mapping of docs/layered-materials.md and the material set of a scene.
#include "gltf_fixtures.h"

#include "neural/core/error.h"
#include "renderer/scene/gltf_layered.h"
#include "renderer/scene/gltf_loader.h"

#include <filesystem>

namespace {

using namespace nerva::gltftest;
using nerva::scene::Material;
using nerva::scene::Scene;
using nerva::scene::TextureSlot;
namespace sh = nerva::shared;

TextureSlot slot(int32_t texture, uint32_t texCoord = 0) {
    TextureSlot s;
    s.texture = texture;
    s.texCoord = texCoord;
    return s;
}

TEST(GltfLayered, MapsCoatSheenSpecularAndIor) {
    // Texture t reads image 10 + t, so that refs name images, not textures.
    std::vector<nerva::scene::Texture> textures;
    for (uint32_t t = 0; t < 8; ++t)
        textures.push_back({10 + t, 0});
    Material m;
    m.name = "velvet car";
    m.baseColorFactor = {0.5f, 0.25f, 2.0f, 0.5f};
    m.metallicFactor = 0.3f;
    m.roughnessFactor = 0.6f;
    m.baseColor = slot(0);
    m.metallicRoughness = slot(1, 1);
    m.metallicRoughness.uvTransform = glm::mat3(2.0f, 0, 0, 0, 3.0f, 0, 0.5f, 0.25f, 1);
    m.normal = slot(2);
    m.normalScale = 0.5f;
    m.specularFactor = 0.8f;
    m.specularColorFactor = {1.5f, 0.5f, 0.25f};
    m.specular = slot(3);
    m.specularColor = slot(4);
    m.ior = 1.33f;
    m.clearcoatFactor = 0.9f;
    m.clearcoatRoughnessFactor = 0.1f;
    m.clearcoat = slot(5);
    m.clearcoatNormal = slot(6);
    m.clearcoatNormalScale = 2.0f;
    m.sheenColorFactor = {0.2f, 0.1f, 0.0f};
    m.sheenRoughnessFactor = 0.4f;
    m.sheenRoughness = slot(7);

    const nerva::material::LayeredMaterialDesc d = nerva::scene::layeredFromGltf(m, textures);
    EXPECT_EQ(d.name, "velvet car");
    EXPECT_EQ(d.layers, sh::kLayerDiffuse | sh::kLayerSpecular | sh::kLayerConductor |
                            sh::kLayerCoat | sh::kLayerSheen);
    auto value = [&](uint32_t p) { return d.params[p].value; };
    auto tex = [&](uint32_t p) -> const nerva::material::TextureRef& {
        return d.params[p].texture;
    };

    expectNear(value(sh::kParamDiffuseColor), {0.5f, 0.25f, 1.0f}); // clamped to [0, 1]
    EXPECT_EQ(tex(sh::kParamDiffuseColor).sceneImage, 10);
    EXPECT_TRUE(tex(sh::kParamDiffuseColor).srgb);
    expectNear(value(sh::kParamConductorF0), {0.5f, 0.25f, 1.0f});
    EXPECT_EQ(tex(sh::kParamConductorF0).sceneImage, 10);
    EXPECT_TRUE(tex(sh::kParamConductorF0).srgb);
    EXPECT_FLOAT_EQ(value(sh::kParamDiffuseRoughness).x, 0.0f);
    EXPECT_FALSE(tex(sh::kParamDiffuseRoughness).present());

    for (uint32_t p : {sh::kParamSpecularRoughness, sh::kParamConductorRoughness}) {
        EXPECT_FLOAT_EQ(value(p).x, 0.6f);
        EXPECT_EQ(tex(p).sceneImage, 11);
        EXPECT_EQ(tex(p).channel, 1u); // G
        EXPECT_FALSE(tex(p).srgb);
        EXPECT_EQ(tex(p).texCoord, 1u);
        EXPECT_EQ(tex(p).uvTransform, m.metallicRoughness.uvTransform);
    }
    EXPECT_FLOAT_EQ(value(sh::kParamConductorCoverage).x, 0.3f);
    EXPECT_EQ(tex(sh::kParamConductorCoverage).channel, 2u); // B
    EXPECT_EQ(tex(sh::kParamConductorCoverage).sceneImage, 11);
    expectNear(value(sh::kParamConductorF82Tint), {1, 1, 1});

    EXPECT_FLOAT_EQ(value(sh::kParamBaseNormal).x, 0.5f);
    EXPECT_TRUE(tex(sh::kParamBaseNormal).normalMap);
    EXPECT_EQ(tex(sh::kParamBaseNormal).sceneImage, 12);

    EXPECT_FLOAT_EQ(value(sh::kParamSpecularWeight).x, 0.8f);
    EXPECT_EQ(tex(sh::kParamSpecularWeight).channel, 3u); // A
    EXPECT_EQ(tex(sh::kParamSpecularWeight).sceneImage, 13);
    expectNear(value(sh::kParamSpecularTint), {1.0f, 0.5f, 0.25f});
    EXPECT_TRUE(tex(sh::kParamSpecularTint).srgb);
    EXPECT_EQ(tex(sh::kParamSpecularTint).sceneImage, 14);
    EXPECT_FLOAT_EQ(value(sh::kParamSpecularIor).x, 1.33f);
    EXPECT_FLOAT_EQ(value(sh::kParamSpecularAnisotropy).x, 0.0f);

    EXPECT_FLOAT_EQ(value(sh::kParamCoatWeight).x, 0.9f);
    EXPECT_EQ(tex(sh::kParamCoatWeight).channel, 0u); // R
    EXPECT_EQ(tex(sh::kParamCoatWeight).sceneImage, 15);
    EXPECT_FLOAT_EQ(value(sh::kParamCoatRoughness).x, 0.1f);
    EXPECT_FALSE(tex(sh::kParamCoatRoughness).present());
    EXPECT_FLOAT_EQ(value(sh::kParamCoatIor).x, 1.5f);
    expectNear(value(sh::kParamCoatTint), {1, 1, 1});
    EXPECT_FLOAT_EQ(value(sh::kParamCoatThickness).x, 0.0f);
    EXPECT_FLOAT_EQ(value(sh::kParamCoatNormal).x, 2.0f);
    EXPECT_TRUE(tex(sh::kParamCoatNormal).normalMap);
    EXPECT_EQ(tex(sh::kParamCoatNormal).sceneImage, 16);

    EXPECT_FLOAT_EQ(value(sh::kParamSheenWeight).x, 1.0f);
    expectNear(value(sh::kParamSheenColor), {0.2f, 0.1f, 0.0f});
    EXPECT_FALSE(tex(sh::kParamSheenColor).present());
    EXPECT_FLOAT_EQ(value(sh::kParamSheenRoughness).x, 0.4f);
    EXPECT_EQ(tex(sh::kParamSheenRoughness).channel, 3u); // A
    EXPECT_EQ(tex(sh::kParamSheenRoughness).sceneImage, 17);

    // No coat at factor 0, no sheen when black; ior 0 (Fresnel 1) and
    // out-of-range ior land on the range's ends.
    Material plain;
    plain.ior = 0.0f;
    const auto p = nerva::scene::layeredFromGltf(plain, {});
    EXPECT_EQ(p.layers, sh::kLayerDiffuse | sh::kLayerSpecular | sh::kLayerConductor);
    EXPECT_FLOAT_EQ(p.params[sh::kParamSpecularIor].value.x, 3.0f);
    EXPECT_FALSE(p.params[sh::kParamBaseNormal].texture.present());
    plain.ior = 4.0f;
    EXPECT_FLOAT_EQ(nerva::scene::layeredFromGltf(plain, {}).params[sh::kParamSpecularIor].value.x,
                    3.0f);
    plain.baseColor = slot(3);
    EXPECT_THROW(nerva::scene::layeredFromGltf(plain, {}), nerva::Error); // texture out of range
}

TEST(GltfLoader, ReadsLayeredMaterialExtensionsWithoutWarnings) {
    TempDir dir;
    GltfBuilder b;
    const std::vector<uint8_t> png = makePng(1, 1, 4, 8, {10, 20, 30, 40});
    for (int i = 0; i < 4; ++i) {
        b.push("images", {{"uri", "data:image/png;base64," + base64(png)}});
        b.push("textures", {{"source", i}});
    }
    b.doc["extensionsUsed"] = {"KHR_materials_clearcoat", "KHR_materials_sheen",
                               "KHR_materials_specular",  "KHR_materials_ior",
                               "NERVA_materials_layered", "KHR_texture_transform"};
    b.doc["extensionsRequired"] = {"NERVA_materials_layered"};
    const json transform = {{"KHR_texture_transform", {{"offset", {0.5, 0}}, {"texCoord", 1}}}};
    const json ext = {{"KHR_materials_clearcoat",
                       {{"clearcoatFactor", 0.75},
                        {"clearcoatTexture", {{"index", 0}}},
                        {"clearcoatRoughnessFactor", 0.2},
                        {"clearcoatRoughnessTexture", {{"index", 1}, {"texCoord", 1}}},
                        {"clearcoatNormalTexture", {{"index", 1}, {"scale", 0.5}}}}},
                      {"KHR_materials_sheen",
                       {{"sheenColorFactor", {0.5, 0.25, 0.125}},
                        {"sheenColorTexture", {{"index", 2}}},
                        {"sheenRoughnessFactor", 0.3},
                        {"sheenRoughnessTexture", {{"index", 1}}}}},
                      {"KHR_materials_specular",
                       {{"specularFactor", 0.6},
                        {"specularTexture", {{"index", 1}}},
                        {"specularColorFactor", {1.2, 0.9, 0.8}},
                        {"specularColorTexture", {{"index", 3}, {"extensions", transform}}}}},
                      {"KHR_materials_ior", {{"ior", 1.7}}},
                      {"NERVA_materials_layered", {{"uri", "../materials/car%20paint.json"}}}};
    b.push("materials", {{"name", "car"}, {"extensions", ext}});
    b.push("materials", {{"name", "plain"}});
    std::filesystem::create_directories(dir.file("scene"));
    const Scene s = nerva::scene::loadGltf(b.writeEmbedded(dir.file("scene/car.gltf")));

    EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();
    ASSERT_EQ(s.materials.size(), 2u);
    const Material& m = s.materials[0];
    EXPECT_FLOAT_EQ(m.clearcoatFactor, 0.75f);
    EXPECT_EQ(m.clearcoat.texture, 0);
    EXPECT_FLOAT_EQ(m.clearcoatRoughnessFactor, 0.2f);
    EXPECT_EQ(m.clearcoatRoughness.texture, 1);
    EXPECT_EQ(m.clearcoatRoughness.texCoord, 1u);
    EXPECT_EQ(m.clearcoatNormal.texture, 1);
    EXPECT_FLOAT_EQ(m.clearcoatNormalScale, 0.5f);
    expectNear(m.sheenColorFactor, {0.5f, 0.25f, 0.125f});
    EXPECT_EQ(m.sheenColor.texture, 2);
    EXPECT_FLOAT_EQ(m.sheenRoughnessFactor, 0.3f);
    EXPECT_EQ(m.sheenRoughness.texture, 1);
    EXPECT_FLOAT_EQ(m.specularFactor, 0.6f);
    EXPECT_EQ(m.specular.texture, 1);
    expectNear(m.specularColorFactor, {1.2f, 0.9f, 0.8f});
    EXPECT_EQ(m.specularColor.texture, 3);
    EXPECT_EQ(m.specularColor.texCoord, 1u);
    EXPECT_NEAR(applyUv(m.specularColor.uvTransform, {0, 0}).x, 0.5f, 1e-6f);
    EXPECT_FLOAT_EQ(m.ior, 1.7f);
    EXPECT_EQ(m.layeredUri, dir.file("materials/car paint.json"));
    EXPECT_TRUE(std::filesystem::path(m.layeredUri).is_absolute());

    const Material& plain = s.materials[1];
    EXPECT_FLOAT_EQ(plain.clearcoatFactor, 0.0f);
    EXPECT_EQ(plain.sheenColorFactor, glm::vec3(0.0f));
    EXPECT_FLOAT_EQ(plain.ior, 1.5f);
    EXPECT_EQ(plain.specularColorFactor, glm::vec3(1.0f));
    EXPECT_TRUE(plain.layeredUri.empty());

    // Colour slots (sheen and specular colour) make their images sRGB.
    EXPECT_FALSE(s.images[0].srgb);
    EXPECT_FALSE(s.images[1].srgb);
    EXPECT_TRUE(s.images[2].srgb);
    EXPECT_TRUE(s.images[3].srgb);
}

TEST(GltfLoader, RejectsMalformedLayeredExtensions) {
    TempDir dir;
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"NERVA_materials_layered", {{"uri", 3}}}}, "needs a non-empty string 'uri'"},
        {{{"KHR_materials_clearcoat", {{"clearcoatFactor", -1}}}}, "invalid clearcoatFactor"},
        {{{"KHR_materials_sheen", {{"sheenColorFactor", {1, 1}}}}}, "invalid sheenColorFactor"},
        {{{"KHR_materials_clearcoat", {{"clearcoatTexture", {{"index", 5}}}}}}, "out of range"},
    };
    for (const auto& [ext, message] : cases) {
        GltfBuilder b;
        b.push("materials", {{"name", "bad"}, {"extensions", ext}});
        const std::string path = b.writeEmbedded(dir.file("bad.gltf"));
        try {
            nerva::scene::loadGltf(path);
            ADD_FAILURE() << "no error for " << ext.dump();
        } catch (const nerva::Error& e) {
            const std::string what = e.what();
            EXPECT_EQ(what.rfind(path + ": material 'bad'", 0), 0u) << what;
            EXPECT_NE(what.find(message), std::string::npos) << what;
        }
    }
}

TEST(GltfLayered, BuildsTheSetOfAScene) {
    TempDir dir;
    writeFile(dir.file("base.png"), makePng(2, 2, 3, 8, std::vector<uint16_t>(12, 255)));
    writeFile(dir.file("paint.json"),
              bytesOf(R"({"nerva_layered_material": 1, "name": "paint", "layers": [
                  {"type": "diffuse", "color": {"texture": "base.png"}},
                  {"type": "coat", "roughness": 0.1}]})"));
    Scene s;
    s.path = dir.file("scene.gltf");
    s.samplers.push_back({});
    s.images.push_back({"img", 2, 1, false, std::vector<uint8_t>(8, 128)});
    s.textures.push_back({0, 0});
    Material glossy;
    glossy.name = "glossy";
    glossy.baseColor = slot(0);
    glossy.metallicRoughness = slot(0);
    glossy.metallicFactor = 0.0f;
    Material layered;
    layered.layeredUri = dir.file("paint.json");
    s.materials = {glossy, layered};

    std::vector<std::string> warnings;
    const nerva::material::LayeredMaterialSet set =
        nerva::scene::buildLayeredMaterials(s, &warnings);
    EXPECT_TRUE(warnings.empty());
    ASSERT_EQ(set.size(), 3u);
    // Scene image 0 as sRGB (colour) and as linear (roughness/metallic), and base.png.
    EXPECT_EQ(set.images().size(), 3u);
    const sh::GpuLayeredMaterial& g = set.materials()[0];
    EXPECT_EQ(g.params[sh::kParamDiffuseColor].flags, sh::kParamFlagSrgb);
    EXPECT_EQ(g.params[sh::kParamSpecularRoughness].image,
              g.params[sh::kParamConductorCoverage].image);
    EXPECT_FLOAT_EQ(g.params[sh::kParamConductorCoverage].value.x, 0.0f);
    const sh::GpuLayeredMaterial& paint = set.materials()[1];
    EXPECT_EQ(paint.layers, sh::kLayerDiffuse | sh::kLayerCoat);
    EXPECT_FLOAT_EQ(paint.params[sh::kParamCoatRoughness].value.x, 0.1f);
    EXPECT_TRUE(std::filesystem::equivalent(
        set.imageNames()[size_t(paint.params[sh::kParamDiffuseColor].image)],
        dir.file("base.png")));
    // The trailing default material: glTF's (base colour 1, metallic 1, roughness 1).
    const sh::GpuLayeredMaterial& fallback = set.materials()[2];
    EXPECT_EQ(fallback.layers, sh::kLayerDiffuse | sh::kLayerSpecular | sh::kLayerConductor);
    expectNear(glm::vec3(fallback.params[sh::kParamDiffuseColor].value), {1, 1, 1});
    EXPECT_FLOAT_EQ(fallback.params[sh::kParamConductorCoverage].value.x, 1.0f);
    EXPECT_FLOAT_EQ(fallback.params[sh::kParamConductorRoughness].value.x, 1.0f);
    EXPECT_EQ(fallback.params[sh::kParamDiffuseColor].image, -1);

    // A clamping sampler is ignored, with a warning; JSON errors propagate.
    s.samplers.push_back({});
    s.samplers[1].wrapS = nerva::scene::WrapMode::ClampToEdge;
    s.textures[0].sampler = 1;
    s.materials[1].layeredUri = dir.file("missing.json");
    EXPECT_THROW(nerva::scene::buildLayeredMaterials(s, &warnings), nerva::Error);
    s.materials.pop_back();
    nerva::scene::buildLayeredMaterials(s, &warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("samplers are ignored"), std::string::npos);
}

} // namespace
