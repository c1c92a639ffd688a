// LayeredMaterialSet: mip chains, texel packing, image dedupe, parameter
// records, errors (the glTF mapping: test_gltf_layered.cpp).
#include "gltf_fixtures.h"

#include "neural/core/error.h"
#include "neural/material/material_set.h"

#include <chrono>
#include <cmath>
#include <iostream>

namespace {

using namespace nerva::gltftest;
using nerva::material::buildMipChain;
using nerva::material::ImageSource;
using nerva::material::LayeredMaterialDesc;
using nerva::material::LayeredMaterialSet;
using nerva::material::TexelEncoding;
namespace sh = nerva::shared;

uint8_t ch(uint32_t texel, int c) {
    return uint8_t(texel >> (8 * c));
}

std::vector<uint8_t> solid(uint32_t w, uint32_t h, uint8_t v) {
    return std::vector<uint8_t>(size_t(w) * h * 4, v);
}

TEST(LayeredMaterialSet, AlbedoTablesAreSharedAndTimed) {
    const auto start = std::chrono::steady_clock::now();
    const auto& tables = nerva::material::sharedAlbedoTables();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "[ timing   ] computeAlbedoTables (first use in this process): " << seconds
              << " s\n";
    EXPECT_EQ(tables.ggx.size(), size_t(sh::kAlbedoCosSize * sh::kAlbedoRoughSize));
    LayeredMaterialSet a, b;
    EXPECT_EQ(&a.tables(), &b.tables());
    EXPECT_EQ(a.view().tables.ggx, tables.ggx.data());
}

TEST(LayeredMaterialSet, MipChainOfNonPowerOfTwoImages) {
    EXPECT_EQ(nerva::material::mipLevelCount(5, 3), 4u); // 5x3, 3x2, 2x1, 1x1
    EXPECT_EQ(nerva::material::mipLevelCount(1, 1), 1u);
    EXPECT_EQ(nerva::material::mipLevelCount(8, 1), 4u);
    EXPECT_EQ(buildMipChain(solid(5, 3, 7).data(), 5, 3, TexelEncoding::Linear).size(),
              size_t(15 + 6 + 2 + 1));

    // A 5x1 ramp: the last texel of level 1 averages texel 4 with itself.
    std::vector<uint8_t> rgba(5 * 4, 255);
    for (int x = 0; x < 5; ++x)
        rgba[size_t(4 * x)] = uint8_t(10 * x);
    const std::vector<uint32_t> chain = buildMipChain(rgba.data(), 5, 1, TexelEncoding::Linear);
    ASSERT_EQ(chain.size(), size_t(5 + 3 + 2 + 1));
    EXPECT_EQ(ch(chain[0], 0), 0);
    EXPECT_EQ(chain[4], 40u | 255u << 8 | 255u << 16 | 255u << 24); // packing r | g<<8 | ..
    EXPECT_EQ(ch(chain[5], 0), 5);                                  // (0 + 10) / 2
    EXPECT_EQ(ch(chain[6], 0), 25);                                 // (20 + 30) / 2
    EXPECT_EQ(ch(chain[7], 0), 40); // (40 + 40) / 2, clamped neighbour
    EXPECT_EQ(ch(chain[8], 0), 15); // (5 + 25) / 2
    EXPECT_EQ(ch(chain[9], 0), 40);
    EXPECT_EQ(ch(chain[10], 0), 28); // (15 + 40 + 15 + 40 + 2) / 4

    // Offsets and levels in the set: images follow each other.
    const std::vector<uint8_t> a = solid(5, 3, 100), b = solid(4, 4, 50);
    const std::vector<ImageSource> images = {{"a", 5, 3, a.data()}, {"b", 4, 4, b.data()}};
    LayeredMaterialDesc d;
    d.params[sh::kParamDiffuseColor].texture.sceneImage = 0;
    d.params[sh::kParamSpecularRoughness].texture.sceneImage = 1;
    LayeredMaterialSet set;
    EXPECT_EQ(set.add(d, images), 0u);
    ASSERT_EQ(set.images().size(), 2u);
    const sh::GpuTexelImage& i0 = set.images()[0];
    EXPECT_EQ(i0.offset, 0u);
    EXPECT_EQ(i0.width, 5u);
    EXPECT_EQ(i0.height, 3u);
    EXPECT_EQ(i0.levels, 4u);
    const sh::GpuTexelImage& i1 = set.images()[1];
    EXPECT_EQ(i1.offset, 24u);
    EXPECT_EQ(i1.levels, 3u); // 4x4, 2x2, 1x1
    EXPECT_EQ(set.texels().size(), size_t(24 + 16 + 4 + 1));
    EXPECT_EQ(set.textureBytes(), set.texels().size() * 4);
    EXPECT_EQ(set.textureBytes(0), set.textureBytes());
    EXPECT_EQ(set.texels()[23], 100u | 100u << 8 | 100u << 16 | 100u << 24);
}

TEST(LayeredMaterialSet, SrgbMipsAverageInLinearSpace) {
    // A 2x2 black/white checker: linear average 0.5, sRGB encoded 0.735 -> 188.
    std::vector<uint8_t> checker = {0,   0,   0,   255, 255, 255, 255, 255,
                                    255, 255, 255, 255, 0,   0,   0,   255};
    const std::vector<uint32_t> srgb = buildMipChain(checker.data(), 2, 2, TexelEncoding::Srgb);
    ASSERT_EQ(srgb.size(), 5u);
    for (int c = 0; c < 3; ++c)
        EXPECT_EQ(ch(srgb[4], c), 188) << c;
    EXPECT_EQ(ch(srgb[4], 3), 255);
    const std::vector<uint32_t> linear = buildMipChain(checker.data(), 2, 2, TexelEncoding::Linear);
    EXPECT_EQ(ch(linear[4], 0), 128);
    // Level 0 is the image unchanged, row 0 first.
    EXPECT_EQ(srgb[0], 0xFF000000u);
    EXPECT_EQ(srgb[1], 0xFFFFFFFFu);
}

TEST(LayeredMaterialSet, NormalMapMipsRenormalise) {
    // +x and +z: the decoded average (0.5, 0, 0.5) renormalises to
    // (0.707, 0, 0.707) -> 0.5 + 0.5 n = (218, 128, 218); a plain average
    // would give (191, 128, 191), a vector of length 0.71.
    std::vector<uint8_t> normals = {255, 128, 128, 255, 128, 128, 255, 255};
    const std::vector<uint32_t> chain =
        buildMipChain(normals.data(), 2, 1, TexelEncoding::NormalMap);
    ASSERT_EQ(chain.size(), 3u);
    const glm::vec3 n =
        glm::vec3(ch(chain[2], 0), ch(chain[2], 1), ch(chain[2], 2)) * (2.0f / 255.0f) - 1.0f;
    EXPECT_NEAR(glm::length(n), 1.0f, 0.01f);
    EXPECT_NEAR(n.x, n.z, 0.01f);
    EXPECT_EQ(ch(chain[2], 0), 218);
    EXPECT_EQ(ch(chain[2], 2), 218);
    // Opposite normals cancel: the unperturbed normal.
    std::vector<uint8_t> opposite = {255, 0, 255, 255, 0, 255, 0, 255}; // (1,-1,1), -(1,-1,1)
    const std::vector<uint32_t> flat =
        buildMipChain(opposite.data(), 2, 1, TexelEncoding::NormalMap);
    EXPECT_EQ(ch(flat[2], 2), 255);
}

TEST(LayeredMaterialSet, ImagesAreSharedPerFileAndEncoding) {
    TempDir dir;
    writeFile(dir.file("mr.png"), makePng(3, 2, 3, 8, std::vector<uint16_t>(18, 200)));
    writeFile(dir.file("n.png"), makePng(1, 1, 3, 8, {128, 128, 255}));
    LayeredMaterialDesc d;
    d.name = "dedupe";
    d.layers = sh::kLayerDiffuse | sh::kLayerSpecular | sh::kLayerConductor;
    d.params[sh::kParamSpecularRoughness].texture.path = dir.file("mr.png");
    d.params[sh::kParamSpecularRoughness].texture.channel = 1;
    d.params[sh::kParamConductorCoverage].texture.path = dir.file("./mr.png"); // same file
    d.params[sh::kParamConductorCoverage].texture.channel = 2;
    d.params[sh::kParamDiffuseColor].texture.path = dir.file("mr.png");
    d.params[sh::kParamDiffuseColor].texture.srgb = true; // same file, other encoding
    d.params[sh::kParamBaseNormal].texture.path = dir.file("n.png");
    d.params[sh::kParamBaseNormal].texture.normalMap = true;
    d.params[sh::kParamBaseNormal].texture.srgb = true; // normal maps are never sRGB

    LayeredMaterialSet set;
    set.add(d);
    ASSERT_EQ(set.images().size(), 3u);
    const sh::GpuLayeredMaterial& m = set.materials()[0];
    EXPECT_EQ(m.layers, d.layers);
    EXPECT_EQ(m.params[sh::kParamSpecularRoughness].image,
              m.params[sh::kParamConductorCoverage].image);
    EXPECT_NE(m.params[sh::kParamDiffuseColor].image, m.params[sh::kParamSpecularRoughness].image);
    EXPECT_EQ(m.params[sh::kParamSpecularRoughness].flags, 1u << sh::kParamChannelShift);
    EXPECT_EQ(m.params[sh::kParamConductorCoverage].flags, 2u << sh::kParamChannelShift);
    EXPECT_EQ(m.params[sh::kParamDiffuseColor].flags, sh::kParamFlagSrgb);
    EXPECT_EQ(m.params[sh::kParamBaseNormal].flags, sh::kParamFlagNormalMap);
    EXPECT_EQ(set.textureBytes(0), set.textureBytes());
    EXPECT_EQ(set.texels()[size_t(set.images()[0].offset)],
              200u | 200u << 8 | 200u << 16 | 255u << 24);

    // Another material on the same files adds no image.
    const size_t bytes = set.textureBytes();
    EXPECT_EQ(set.add(d), 1u);
    EXPECT_EQ(set.images().size(), 3u);
    EXPECT_EQ(set.textureBytes(), bytes);
    EXPECT_EQ(set.textureBytes(1), bytes);
    EXPECT_EQ(set.view().materials, set.materials().data());
    EXPECT_EQ(set.view().texels, set.texels().data());
}

TEST(LayeredMaterialSet, ParamRecordsCarryValuesFlagsAndUvRows) {
    const float c = std::cos(0.3f), s = std::sin(0.3f);
    // T(0.1, 0.2) R(0.3) S(2, 3) as KHR_texture_transform builds it (column-major).
    const glm::mat3 transform(2 * c, -2 * s, 0, 3 * s, 3 * c, 0, 0.1f, 0.2f, 1);
    const std::vector<uint8_t> pixels = solid(2, 2, 255);
    LayeredMaterialDesc d;
    d.layers = sh::kLayerDiffuse | sh::kLayerSheen;
    d.params[sh::kParamDiffuseColor].value = glm::vec3(0.5f, 0.25f, 1.0f);
    d.params[sh::kParamSheenRoughness].value = glm::vec3(0.7f, 0.0f, 0.0f);
    nerva::material::TextureRef& t = d.params[sh::kParamSheenRoughness].texture;
    t.sceneImage = 0;
    t.channel = 3;
    t.texCoord = 1;
    t.uvTransform = transform;
    LayeredMaterialSet set;
    set.add(d, {{"white", 2, 2, pixels.data()}});
    const sh::GpuLayeredMaterial& m = set.materials()[0];
    const sh::GpuLayerParam& p = m.params[sh::kParamSheenRoughness];
    EXPECT_EQ(p.image, 0);
    EXPECT_FLOAT_EQ(p.value.x, 0.7f);
    EXPECT_EQ(p.flags, sh::kParamFlagTexCoord1 | 3u << sh::kParamChannelShift);
    for (const glm::vec2 uv : {glm::vec2(0.0f), glm::vec2(0.3f, 0.9f), glm::vec2(-2.0f, 5.0f)}) {
        const glm::vec3 expected = transform * glm::vec3(uv, 1.0f);
        const glm::vec3 h(uv, 1.0f);
        EXPECT_NEAR(glm::dot(glm::vec3(p.row0), h), expected.x, 1e-5f);
        EXPECT_NEAR(glm::dot(glm::vec3(p.row1), h), expected.y, 1e-5f);
    }
    EXPECT_FLOAT_EQ(p.row0.x, 2 * c);
    EXPECT_FLOAT_EQ(p.row0.y, 3 * s);
    EXPECT_FLOAT_EQ(p.row0.z, 0.1f);
    const sh::GpuLayerParam& constant = m.params[sh::kParamDiffuseColor];
    EXPECT_EQ(constant.image, -1);
    EXPECT_EQ(constant.flags, 0u);
    EXPECT_EQ(glm::vec3(constant.value), glm::vec3(0.5f, 0.25f, 1.0f));
    EXPECT_EQ(glm::vec3(constant.row0), glm::vec3(1, 0, 0));
    EXPECT_EQ(glm::vec3(constant.row1), glm::vec3(0, 1, 0));
}

TEST(LayeredMaterialSet, UnreadableImagesAreOneLineErrorsAndLeaveTheSetAlone) {
    TempDir dir;
    writeFile(dir.file("ok.png"), makePng(1, 1, 3, 8, {1, 2, 3}));
    writeFile(dir.file("bad.png"), bytesOf("not a png"));
    LayeredMaterialSet set;
    for (const std::string& name : {std::string("missing.png"), std::string("bad.png")}) {
        LayeredMaterialDesc d;
        d.params[sh::kParamDiffuseColor].texture.path = dir.file("ok.png");
        d.params[sh::kParamSheenColor].texture.path = dir.file(name);
        try {
            set.add(d);
            ADD_FAILURE() << "no error for " << name;
        } catch (const nerva::Error& e) {
            const std::string what = e.what();
            EXPECT_EQ(what.rfind(dir.file(name) + ": cannot decode image (", 0), 0u) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos);
        }
        EXPECT_EQ(set.size(), 0u);
        EXPECT_TRUE(set.images().empty());
        EXPECT_TRUE(set.texels().empty());
    }
    LayeredMaterialDesc d;
    d.source = "car.json";
    d.params[sh::kParamDiffuseColor].texture.sceneImage = 2;
    try {
        set.add(d);
        ADD_FAILURE() << "no error for a missing scene image";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()), "car.json: scene image 2 is out of range (0 images)");
    }
    d.params[sh::kParamDiffuseColor].texture.sceneImage = -1;
    d.params[sh::kParamDiffuseColor].texture.path = dir.file("ok.png");
    EXPECT_EQ(set.add(d), 0u); // the failed adds left no trace
    EXPECT_EQ(set.images().size(), 1u);
}

} // namespace
