// The JSON description of layered materials (docs/layered-materials.md):
// a full round trip, defaults, the complex IOR and uv transforms
// (bad input: test_layered_json_errors.cpp).
#include "layered_json_fixture.h"

#include <cmath>
#include <complex>

namespace {

using namespace nerva::layeredtest;
using namespace nerva::material;
using namespace nerva::shared;
using nlohmann::json;

TEST_F(LayeredJson, FullMaterialRoundTrip) {
    const json j = material(json::array({
        {{"type", "diffuse"},
         {"color", {{"texture", "tex/base.png"}, {"factor", {0.5, 0.6, 0.7}}}},
         {"roughness", 0.25},
         {"normal", {{"texture", "tex/normal.png"}, {"scale", 0.8}}}},
        {{"type", "specular"},
         {"weight", 0.9},
         {"roughness", {{"texture", "tex/rough.png"}, {"channel", "g"}, {"factor", 0.5}}},
         {"anisotropy", 0.3},
         {"rotation", 0.25},
         {"ior", 1.4},
         {"tint", {0.9, 0.8, 0.7}}},
        {{"type", "conductor"},
         {"coverage", {{"texture", "tex/rough.png"}, {"channel", "b"}, {"colorSpace", "srgb"}}},
         {"f0", {0.9, 0.7, 0.3}},
         {"f82Tint", {0.8, 0.9, 1.0}},
         {"roughness", 0.4},
         {"anisotropy", 0.0},
         {"rotation", 0.5}},
        {{"type", "flakes"},
         {"coverage", 0.6},
         {"color", {0.9, 0.9, 0.95}},
         {"roughness", 0.1},
         {"spread", 0.3},
         {"density", 600}},
        {{"type", "coat"},
         {"weight", 1.0},
         {"roughness", {{"texture", "tex/rough.png"}, {"channel", "a"}, {"factor", 0.1}}},
         {"ior", 1.6},
         {"tint", {{"texture", "tex/base.png"}, {"colorSpace", "linear"}}},
         {"thickness", 2.5},
         {"normal", {{"texture", "tex/coat_normal.png"}, {"uv", {{"texCoord", 1}}}}}},
        {{"type", "sheen"}, {"weight", 0.5}, {"color", {0.2, 0.3, 0.4}}, {"roughness", 0.7}},
    }));
    const LayeredMaterialDesc d = parse(j);
    EXPECT_EQ(d.name, "test");
    EXPECT_EQ(d.source, file());
    EXPECT_EQ(d.layers, kLayerDiffuse | kLayerSpecular | kLayerConductor | kLayerFlakes |
                            kLayerCoat | kLayerSheen);
    const auto& p = d.params;

    expectVec(p[kParamDiffuseColor].value, {0.5f, 0.6f, 0.7f});
    EXPECT_EQ(p[kParamDiffuseColor].texture.path, tex("base.png"));
    EXPECT_TRUE(p[kParamDiffuseColor].texture.srgb);
    EXPECT_FALSE(p[kParamDiffuseColor].texture.normalMap);
    EXPECT_FLOAT_EQ(p[kParamDiffuseRoughness].value.x, 0.25f);
    EXPECT_FALSE(p[kParamDiffuseRoughness].texture.present());
    EXPECT_FLOAT_EQ(p[kParamBaseNormal].value.x, 0.8f);
    EXPECT_EQ(p[kParamBaseNormal].texture.path, tex("normal.png"));
    EXPECT_TRUE(p[kParamBaseNormal].texture.normalMap);
    EXPECT_FALSE(p[kParamBaseNormal].texture.srgb);

    EXPECT_FLOAT_EQ(p[kParamSpecularWeight].value.x, 0.9f);
    EXPECT_FLOAT_EQ(p[kParamSpecularRoughness].value.x, 0.5f);
    EXPECT_EQ(p[kParamSpecularRoughness].texture.path, tex("rough.png"));
    EXPECT_EQ(p[kParamSpecularRoughness].texture.channel, 1u);
    EXPECT_FALSE(p[kParamSpecularRoughness].texture.srgb);
    EXPECT_FLOAT_EQ(p[kParamSpecularAnisotropy].value.x, 0.3f);
    EXPECT_FLOAT_EQ(p[kParamSpecularRotation].value.x, 0.25f);
    EXPECT_FLOAT_EQ(p[kParamSpecularIor].value.x, 1.4f);
    expectVec(p[kParamSpecularTint].value, {0.9f, 0.8f, 0.7f});

    EXPECT_FLOAT_EQ(p[kParamConductorCoverage].value.x, 1.0f);
    EXPECT_EQ(p[kParamConductorCoverage].texture.channel, 2u);
    EXPECT_TRUE(p[kParamConductorCoverage].texture.srgb);
    expectVec(p[kParamConductorF0].value, {0.9f, 0.7f, 0.3f});
    expectVec(p[kParamConductorF82Tint].value, {0.8f, 0.9f, 1.0f});
    EXPECT_FLOAT_EQ(p[kParamConductorRoughness].value.x, 0.4f);
    EXPECT_FLOAT_EQ(p[kParamConductorAnisotropy].value.x, 0.0f);
    EXPECT_FLOAT_EQ(p[kParamConductorRotation].value.x, 0.5f);

    EXPECT_FLOAT_EQ(p[kParamFlakeCoverage].value.x, 0.6f);
    expectVec(p[kParamFlakeColor].value, {0.9f, 0.9f, 0.95f});
    EXPECT_FLOAT_EQ(p[kParamFlakeRoughness].value.x, 0.1f);
    EXPECT_FLOAT_EQ(p[kParamFlakeSpread].value.x, 0.3f);
    EXPECT_FLOAT_EQ(p[kParamFlakeDensity].value.x, 600.0f);

    EXPECT_FLOAT_EQ(p[kParamCoatWeight].value.x, 1.0f);
    EXPECT_FLOAT_EQ(p[kParamCoatRoughness].value.x, 0.1f);
    EXPECT_EQ(p[kParamCoatRoughness].texture.channel, 3u);
    EXPECT_FLOAT_EQ(p[kParamCoatIor].value.x, 1.6f);
    expectVec(p[kParamCoatTint].value, glm::vec3(1.0f));
    EXPECT_EQ(p[kParamCoatTint].texture.path, tex("base.png"));
    EXPECT_FALSE(p[kParamCoatTint].texture.srgb);
    EXPECT_FLOAT_EQ(p[kParamCoatThickness].value.x, 2.5f);
    EXPECT_EQ(p[kParamCoatNormal].texture.path, tex("coat_normal.png"));
    EXPECT_TRUE(p[kParamCoatNormal].texture.normalMap);
    EXPECT_EQ(p[kParamCoatNormal].texture.texCoord, 1u);
    EXPECT_FLOAT_EQ(p[kParamCoatNormal].value.x, 1.0f);

    EXPECT_FLOAT_EQ(p[kParamSheenWeight].value.x, 0.5f);
    expectVec(p[kParamSheenColor].value, {0.2f, 0.3f, 0.4f});
    EXPECT_FLOAT_EQ(p[kParamSheenRoughness].value.x, 0.7f);

    // The same material from a file.
    std::ofstream(file()) << j.dump(2);
    const LayeredMaterialDesc loaded = loadLayeredMaterialJson(file());
    EXPECT_EQ(loaded.layers, d.layers);
    for (uint32_t s = 0; s < kParamCount; ++s) {
        EXPECT_EQ(loaded.params[s].value, d.params[s].value) << "slot " << s;
        EXPECT_EQ(loaded.params[s].texture.path, d.params[s].texture.path) << "slot " << s;
    }
}

TEST_F(LayeredJson, DefaultsApplied) {
    const LayeredMaterialDesc d = parse(material(json::array({diffuse(), {{"type", "coat"}}})));
    EXPECT_EQ(d.layers, kLayerDiffuse | kLayerCoat);
    const LayeredMaterialDesc def = defaultLayeredMaterial();
    EXPECT_EQ(def.layers, 0u);
    for (uint32_t s = 0; s < kParamCount; ++s) {
        EXPECT_EQ(d.params[s].value, def.params[s].value) << "slot " << s;
        EXPECT_FALSE(d.params[s].texture.present()) << "slot " << s;
    }
    const auto& p = def.params;
    expectVec(p[kParamDiffuseColor].value, glm::vec3(0.8f));
    EXPECT_TRUE(p[kParamDiffuseColor].texture.srgb);
    EXPECT_FALSE(p[kParamDiffuseRoughness].texture.srgb);
    EXPECT_FLOAT_EQ(p[kParamDiffuseRoughness].value.x, 0.0f);
    EXPECT_FLOAT_EQ(p[kParamBaseNormal].value.x, 1.0f);
    EXPECT_TRUE(p[kParamBaseNormal].texture.normalMap);
    EXPECT_FLOAT_EQ(p[kParamSpecularRoughness].value.x, 0.3f);
    EXPECT_FLOAT_EQ(p[kParamSpecularIor].value.x, 1.5f);
    expectVec(p[kParamConductorF0].value, {0.95f, 0.64f, 0.54f});
    expectVec(p[kParamConductorF82Tint].value, glm::vec3(1.0f));
    EXPECT_FLOAT_EQ(p[kParamFlakeCoverage].value.x, 0.5f);
    EXPECT_FLOAT_EQ(p[kParamFlakeDensity].value.x, 500.0f);
    EXPECT_FLOAT_EQ(p[kParamCoatRoughness].value.x, 0.03f);
    EXPECT_FLOAT_EQ(p[kParamCoatThickness].value.x, 1.0f);
    EXPECT_TRUE(p[kParamCoatNormal].texture.normalMap);
    EXPECT_FLOAT_EQ(p[kParamSheenRoughness].value.x, 0.3f);
    EXPECT_TRUE(p[kParamSheenColor].texture.srgb);
}

TEST_F(LayeredJson, ComplexIorOfGold) {
    const glm::vec3 n(0.143f, 0.374f, 1.442f), k(3.983f, 2.386f, 1.603f);
    const LayeredMaterialDesc d = parse(material(json::array(
        {{{"type", "conductor"}, {"ior", {n.x, n.y, n.z}}, {"extinction", {k.x, k.y, k.z}}}})));
    const glm::vec3 f0 = d.params[kParamConductorF0].value;
    const glm::vec3 tint = d.params[kParamConductorF82Tint].value;
    for (int i = 0; i < 3; ++i) {
        const double ni = n[i], ki = k[i];
        const double exact = ((ni - 1) * (ni - 1) + ki * ki) / ((ni + 1) * (ni + 1) + ki * ki);
        EXPECT_NEAR(f0[i], exact, 1e-5) << i;
        EXPECT_GE(tint[i], 0.0f) << i;
        EXPECT_LE(tint[i], 1.0f) << i;
    }
    EXPECT_GT(f0.r, f0.b); // gold is yellow
    // The F82-tint model pinned at mu = 1/7 reproduces the exact conductor
    // Fresnel there (where the tint is not clamped).
    const double mu = 1.0 / 7.0;
    for (int i = 0; i < 3; ++i) {
        const std::complex<double> eta(n[i], k[i]);
        const std::complex<double> cosT = std::sqrt(1.0 - (1.0 - mu * mu) / (eta * eta));
        const double rp = std::norm((eta * mu - cosT) / (eta * mu + cosT));
        const double rs = std::norm((mu - eta * cosT) / (mu + eta * cosT));
        const double schlick = f0[i] + (1 - f0[i]) * std::pow(1 - mu, 5);
        if (tint[i] < 1.0f) {
            EXPECT_NEAR(tint[i] * schlick, 0.5 * (rp + rs), 1e-4) << i;
        }
    }
}

TEST_F(LayeredJson, UvTransformMatchesKhrTextureTransform) {
    // The extension's example: offset [0, 1], rotation 90 degrees, scale 0.5
    // use the lower-left quadrant of the image (v down): the unit square's
    // corners land on (0, 1), (0, 0.5), (0.5, 1), (0.5, 0.5).
    const json uv = {{"offset", {0, 1}}, {"rotation", 90}, {"scale", {0.5, 0.5}}};
    const LayeredMaterialDesc d = parse(material(json::array(
        {{{"type", "diffuse"}, {"color", {{"texture", "tex/base.png"}, {"uv", uv}}}}})));
    const glm::mat3& m = d.params[kParamDiffuseColor].texture.uvTransform;
    auto apply = [&](float u, float v) { return glm::vec2(m * glm::vec3(u, v, 1.0f)); };
    const glm::vec2 c00 = apply(0, 0), c10 = apply(1, 0), c01 = apply(0, 1), c11 = apply(1, 1);
    EXPECT_NEAR(c00.x, 0.0f, 1e-6f);
    EXPECT_NEAR(c00.y, 1.0f, 1e-6f);
    EXPECT_NEAR(c10.x, 0.0f, 1e-6f);
    EXPECT_NEAR(c10.y, 0.5f, 1e-6f);
    EXPECT_NEAR(c01.x, 0.5f, 1e-6f);
    EXPECT_NEAR(c01.y, 1.0f, 1e-6f);
    EXPECT_NEAR(c11.x, 0.5f, 1e-6f);
    EXPECT_NEAR(c11.y, 0.5f, 1e-6f);
    EXPECT_EQ(d.params[kParamDiffuseColor].texture.texCoord, 0u);

    // A general case by hand: T * R * S with columns (sx c, -sx s), (sy s, sy c), offset.
    const float c = std::cos(glm::radians(30.0f)), s = std::sin(glm::radians(30.0f));
    const glm::mat3 expected(2 * c, -2 * s, 0, 3 * s, 3 * c, 0, 0.1f, 0.2f, 1);
    const glm::mat3 got = layeredUvTransform({0.1f, 0.2f}, 30.0f, {2.0f, 3.0f});
    for (int col = 0; col < 3; ++col)
        for (int row = 0; row < 3; ++row)
            EXPECT_NEAR(got[col][row], expected[col][row], 1e-6f) << col << row;
}

TEST_F(LayeredJson, UnreadableFile) {
    const std::string missing = (dir_ / "missing.json").string();
    try {
        loadLayeredMaterialJson(missing);
        ADD_FAILURE() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()), missing + ": cannot open");
    }
}

} // namespace
