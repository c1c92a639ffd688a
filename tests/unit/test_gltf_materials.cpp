// glTF loader: images, samplers, textures (KHR_texture_transform) and
// materials (KHR_materials_emissive_strength).
#include "gltf_fixtures.h"

#include "renderer/scene/gltf_loader.h"

#include <cmath>

namespace {

using namespace nerva::gltftest;
using nerva::scene::loadGltf;
using nerva::scene::Scene;

TEST(GltfLoader, TextureTransformSamplersAndImages) {
    TempDir dir;
    GltfBuilder b;
    const std::vector<uint8_t> colour = makePng(2, 1, 4, 8, {255, 0, 0, 255, 0, 255, 0, 128});
    const std::vector<uint8_t> data = makePng(1, 1, 3, 8, {128, 128, 255});
    b.push("images", {{"uri", "data:image/png;base64," + base64(colour)}});
    b.push("images", {{"uri", "data:image/png;base64," + base64(data)}});
    b.push("samplers",
           {{"magFilter", 9728}, {"minFilter", 9986}, {"wrapS", 33071}, {"wrapT", 33648}});
    b.push("textures", {{"source", 0}});
    b.push("textures", {{"source", 1}, {"sampler", 0}});
    b.doc["extensionsUsed"] = {"KHR_texture_transform"};
    const json quadrant = {{"offset", {0, 1}}, {"rotation", kPi / 2}, {"scale", {0.5, 0.5}}};
    const json general = {
        {"offset", {0.1, 0.2}}, {"rotation", 0.3}, {"scale", {2, 3}}, {"texCoord", 1}};
    b.push("materials",
           {{"pbrMetallicRoughness",
             {{"baseColorTexture",
               {{"index", 0}, {"extensions", {{"KHR_texture_transform", quadrant}}}}},
              {"metallicRoughnessTexture", {{"index", 1}, {"texCoord", 1}}}}},
            {"normalTexture",
             {{"index", 1}, {"scale", 0.5}, {"extensions", {{"KHR_texture_transform", general}}}}},
            {"occlusionTexture", {{"index", 1}, {"strength", 0.7}}},
            {"emissiveTexture", {{"index", 0}, {"texCoord", 1}}}});
    const Scene s = loadGltf(b.writeEmbedded(dir.file("tex.gltf")));
    EXPECT_TRUE(s.warnings.empty());

    ASSERT_EQ(s.materials.size(), 1u);
    const auto& m = s.materials[0];
    // The extension's example: the unit square lands on the lower-left quadrant.
    const glm::mat3& q = m.baseColor.uvTransform;
    const glm::vec2 c00 = applyUv(q, {0, 0}), c10 = applyUv(q, {1, 0});
    const glm::vec2 c01 = applyUv(q, {0, 1}), c11 = applyUv(q, {1, 1});
    EXPECT_NEAR(c00.x, 0.0f, 1e-6f);
    EXPECT_NEAR(c00.y, 1.0f, 1e-6f);
    EXPECT_NEAR(c10.x, 0.0f, 1e-6f);
    EXPECT_NEAR(c10.y, 0.5f, 1e-6f);
    EXPECT_NEAR(c01.x, 0.5f, 1e-6f);
    EXPECT_NEAR(c01.y, 1.0f, 1e-6f);
    EXPECT_NEAR(c11.x, 0.5f, 1e-6f);
    EXPECT_NEAR(c11.y, 0.5f, 1e-6f);
    EXPECT_EQ(m.baseColor.texCoord, 0u);

    // T * R * S by hand: columns (2c, -2s, 0), (3s, 3c, 0), (0.1, 0.2, 1).
    const float c = std::cos(0.3f), sn = std::sin(0.3f);
    const glm::mat3 expected(2 * c, -2 * sn, 0, 3 * sn, 3 * c, 0, 0.1f, 0.2f, 1);
    for (int col = 0; col < 3; ++col) {
        for (int row = 0; row < 3; ++row) {
            EXPECT_NEAR(m.normal.uvTransform[col][row], expected[col][row], 1e-6f) << col << row;
        }
    }
    EXPECT_EQ(m.normal.texCoord, 1u); // the extension's texCoord overrides the slot's
    EXPECT_FLOAT_EQ(m.normalScale, 0.5f);
    EXPECT_EQ(m.emissive.texture, 0);
    EXPECT_EQ(m.emissive.texCoord, 1u);
    EXPECT_EQ(m.emissive.uvTransform, glm::mat3(1.0f));
    EXPECT_EQ(m.occlusion.texture, 1);
    EXPECT_EQ(m.occlusion.texCoord, 0u);
    EXPECT_FLOAT_EQ(m.occlusionStrength, 0.7f);
    EXPECT_EQ(m.metallicRoughness.texture, 1);
    EXPECT_EQ(m.metallicRoughness.texCoord, 1u);
    EXPECT_EQ(m.metallicRoughness.uvTransform, glm::mat3(1.0f));

    ASSERT_EQ(s.samplers.size(), 2u);
    EXPECT_EQ(s.samplers[0].minFilter, nerva::scene::Filter::Linear);
    EXPECT_TRUE(s.samplers[0].mipmaps);
    EXPECT_EQ(s.samplers[0].wrapS, nerva::scene::WrapMode::Repeat);
    EXPECT_EQ(s.samplers[1].magFilter, nerva::scene::Filter::Nearest);
    EXPECT_EQ(s.samplers[1].minFilter, nerva::scene::Filter::Nearest);
    EXPECT_TRUE(s.samplers[1].mipmaps);
    EXPECT_EQ(s.samplers[1].wrapS, nerva::scene::WrapMode::ClampToEdge);
    EXPECT_EQ(s.samplers[1].wrapT, nerva::scene::WrapMode::MirroredRepeat);
    ASSERT_EQ(s.textures.size(), 2u);
    EXPECT_EQ(s.textures[0].sampler, 0u); // no sampler: the default
    EXPECT_EQ(s.textures[1].sampler, 1u); // file sampler 0 comes after the default

    ASSERT_EQ(s.images.size(), 2u);
    EXPECT_TRUE(s.images[0].srgb);  // baseColor and emissive
    EXPECT_FALSE(s.images[1].srgb); // normal map
    EXPECT_EQ(s.images[0].name, "image[0]");
    EXPECT_EQ(s.images[0].rgba8, (std::vector<uint8_t>{255, 0, 0, 255, 0, 255, 0, 128}));
}

TEST(GltfLoader, ImagesOfAnyChannelCountAndDepthBecomeRgba8) {
    TempDir dir;
    GltfBuilder b;
    writeFile(dir.file("grey.png"), makePng(2, 1, 1, 8, {10, 200}));
    writeFile(dir.file("grey alpha.png"), makePng(1, 1, 2, 16, {0x8000, 0xFFFF}));
    const std::vector<uint8_t> rgb16 = makePng(1, 2, 3, 16, {0x1234, 0xABCD, 0xFFFF, 0, 0, 0});
    b.push("images", {{"uri", "grey.png"}});
    b.push("images", {{"uri", "grey%20alpha.png"}});
    b.push("images",
           {{"bufferView", b.addView(rgb16.data(), rgb16.size())}, {"mimeType", "image/png"}});
    b.addMesh("m", json::array({b.triangle()})); // gives the file a buffer
    for (const std::string& path :
         {b.writeEmbedded(dir.file("img.gltf")), b.writeGlb(dir.file("img.glb"))}) {
        const Scene s = loadGltf(path);
        ASSERT_EQ(s.images.size(), 3u);
        EXPECT_EQ(s.images[0].name, "grey.png");
        EXPECT_EQ(s.images[0].width, 2u);
        EXPECT_EQ(s.images[0].height, 1u);
        EXPECT_EQ(s.images[0].rgba8, (std::vector<uint8_t>{10, 10, 10, 255, 200, 200, 200, 255}));
        EXPECT_EQ(s.images[1].rgba8, (std::vector<uint8_t>{128, 128, 128, 255}));
        EXPECT_EQ(s.images[2].name, "image[2]");
        EXPECT_EQ(s.images[2].width, 1u);
        EXPECT_EQ(s.images[2].height, 2u);
        EXPECT_EQ(s.images[2].rgba8, (std::vector<uint8_t>{0x12, 0xAB, 0xFF, 255, 0, 0, 0, 255}));
        EXPECT_FALSE(s.images[0].srgb); // not used by any colour slot
    }
}

TEST(GltfLoader, MaterialFactorsAndEmissiveStrength) {
    TempDir dir;
    GltfBuilder b;
    b.doc["extensionsUsed"] = {"KHR_materials_emissive_strength", "KHR_materials_specular"};
    b.push("materials",
           {{"name", "glow"},
            {"emissiveFactor", {1, 0.5, 0}},
            {"extensions", {{"KHR_materials_emissive_strength", {{"emissiveStrength", 4}}}}},
            {"pbrMetallicRoughness",
             {{"baseColorFactor", {0.5, 0.25, 1, 0.75}},
              {"metallicFactor", 0.2},
              {"roughnessFactor", 0.6}}},
            {"alphaMode", "MASK"},
            {"alphaCutoff", 0.3},
            {"doubleSided", true}});
    b.push("materials", {{"name", "plain"}, {"alphaMode", "BLEND"}});
    b.push("materials", {{"name", "satin"},
                         {"extensions", {{"KHR_materials_specular", {{"specularFactor", 0.25}}}}}});
    b.push("materials", {{"name", "tinted"},
                         {"extensions",
                          {{"KHR_materials_specular", {{"specularColorFactor", {1, 0.5, 0.5}}}}}}});
    const Scene s = loadGltf(b.writeEmbedded(dir.file("mat.gltf")));
    ASSERT_EQ(s.materials.size(), 4u);
    const auto& glow = s.materials[0];
    expectNear(glow.emissiveFactor, {1, 0.5f, 0});
    EXPECT_FLOAT_EQ(glow.emissiveStrength, 4.0f);
    EXPECT_FLOAT_EQ(glow.baseColorFactor.g, 0.25f);
    EXPECT_FLOAT_EQ(glow.baseColorFactor.a, 0.75f);
    EXPECT_FLOAT_EQ(glow.metallicFactor, 0.2f);
    EXPECT_FLOAT_EQ(glow.roughnessFactor, 0.6f);
    EXPECT_EQ(glow.alphaMode, nerva::scene::AlphaMode::Mask);
    EXPECT_FLOAT_EQ(glow.alphaCutoff, 0.3f);
    EXPECT_TRUE(glow.doubleSided);
    const auto& plain = s.materials[1];
    EXPECT_FLOAT_EQ(plain.emissiveStrength, 1.0f);
    expectNear(plain.emissiveFactor, {0, 0, 0});
    EXPECT_EQ(plain.baseColorFactor, glm::vec4(1.0f));
    EXPECT_EQ(plain.alphaMode, nerva::scene::AlphaMode::Blend);
    EXPECT_FALSE(plain.doubleSided);
    EXPECT_FLOAT_EQ(plain.specularFactor, 1.0f);
    EXPECT_FLOAT_EQ(s.materials[2].specularFactor, 0.25f);
    EXPECT_FLOAT_EQ(s.materials[3].specularFactor, 1.0f);
    expectNear(s.materials[3].specularColorFactor, {1, 0.5f, 0.5f});
    // The specular colour is read (for the layered materials): no warning.
    EXPECT_TRUE(s.warnings.empty());
}

} // namespace
