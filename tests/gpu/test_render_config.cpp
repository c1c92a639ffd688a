// pt::RenderConfig, the view shared by `nerva render` and nerva-view: every
// option reads back to the same config from the line it prints, bad values
// are one-line errors naming the option, and names resolve against a scene.
// (No device needed; it lives with the renderer library's tests.)
#include "renderer/pathtracer/render_config.h"

#include "neural/core/error.h"
#include "renderer/scene/gltf_loader.h"
#include "shaders/shared/scene_types.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace nerva {
namespace {

using pt::RenderConfig;

// What applyRenderOption makes of a list of options (name value ...).
RenderConfig parse(const std::vector<std::string>& args) {
    RenderConfig c;
    for (size_t i = 0; i < args.size(); ++i) {
        const bool valued = pt::renderConfigOptions().at(args[i]);
        pt::applyRenderOption(c, "render", args[i], valued ? args[i + 1] : "1");
        if (valued) ++i;
    }
    pt::checkRenderConfig(c, "render");
    return c;
}

std::string errorOf(const std::vector<std::string>& args) {
    try {
        parse(args);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(RenderConfig, EveryOptionReadsBackFromThePrintedLine) {
    RenderConfig c;
    c.width = 320;
    c.height = 180;
    c.spp = 64;
    c.seed = 7;
    c.maxBounces = 2;
    c.camera = "close up";
    c.lookFrom = glm::vec3(0.1f, 1.0f / 3.0f, -2.0f);
    c.lookAt = glm::vec3(0.0f, 0.5f, 0.0f);
    c.up = glm::vec3(0.0f, 1.0f, 0.0f);
    c.fovDegrees = 37.25f;
    c.env = "dir with space/sunset.hdr";
    c.envColor = glm::vec3(0.5f, 0.25f, 1.0f);
    c.envIntensity = 2.5f;
    c.envRotationDegrees = -90.0f;
    c.exposure = -1.5f;
    c.tonemap = Tonemap::Reinhard;
    c.samplingMode = shared::kSamplingBsdf;
    c.rrDepth = 0;
    c.clampLuminance = 10.0f;
    c.neuralMaterials = false;
    c.referenceMaterials = {"car_paint", "3"};
    c.neuralPrecision = pt::NeuralPrecision::Fp16;
    c.debugView = shared::kDebugViewLatents;
    c.debugChannel = 4;
    c.strict = true;
    c.field = "fields/knot.ntri";
    c.fieldAt = glm::vec3(1.0f, 0.0f, -1.0f);
    c.fieldScale = 0.75f;
    c.fieldMaterial = "steel";
    EXPECT_EQ(parse(pt::renderConfigArgs(c)), c);

    // Defaults print only what `nerva render` always states.
    const std::vector<std::string> plain = pt::renderConfigArgs(RenderConfig{});
    EXPECT_EQ(plain, (std::vector<std::string>{"--size", "256x256", "--spp", "16", "--seed", "0",
                                               "--max-bounces", "4", "--sampling", "mis"}));
    EXPECT_EQ(parse(plain), RenderConfig{});
    // Every option is printed by some config (no option is parse-only).
    std::string all;
    for (const std::string& a : pt::renderConfigArgs(c))
        all += a + " ";
    for (const auto& [name, valued] : pt::renderConfigOptions())
        EXPECT_NE(all.find(name + " "), std::string::npos) << name;
}

TEST(RenderConfig, EveryDebugViewHasAName) {
    for (uint32_t v : {shared::kDebugViewLatents, shared::kDebugViewLatentLevel,
                       shared::kDebugViewFieldSteps, shared::kDebugViewNormals}) {
        RenderConfig c;
        c.debugView = v;
        c.debugChannel = v == shared::kDebugViewLatents ? 2u : 0u;
        const RenderConfig back = parse(pt::renderConfigArgs(c));
        EXPECT_EQ(back.debugView, v);
        EXPECT_EQ(back.debugChannel, c.debugChannel);
    }
    EXPECT_EQ(pt::debugViewName(shared::kDebugViewFieldSteps, 0), "steps");
    EXPECT_EQ(pt::debugViewName(shared::kDebugViewNormals, 0), "normals");
}

TEST(RenderConfig, CommandLineQuotesOnlyWhatTheShellWouldSplit) {
    RenderConfig c;
    c.scene = "my scenes/it's.gltf";
    c.referenceMaterials = {"a b"};
    const std::string line = pt::renderCommandLine(c, "out.png");
    EXPECT_EQ(line.rfind("nerva render 'my scenes/it'\\''s.gltf' -o out.png --size 256x256", 0), 0u)
        << line;
    EXPECT_NE(line.find("--reference-materials 'a b'"), std::string::npos) << line;
}

TEST(RenderConfig, BadValuesAreOneLineErrorsNamingTheOption) {
    EXPECT_EQ(errorOf({"--spp", "0"}),
              "render: option --spp expects a whole number in [1, 1048576], got '0'");
    EXPECT_EQ(errorOf({"--size", "12"}),
              "render: option --size expects WIDTHxHEIGHT (1..16384), got '12'");
    EXPECT_EQ(errorOf({"--look-at", "1,2"}), "render: option --look-at expects x,y,z, got '1,2'");
    EXPECT_EQ(errorOf({"--fov", "180"}), "render: --fov must be in (0.1, 179) degrees");
    EXPECT_EQ(errorOf({"--tonemap", "filmic"}),
              "render: --tonemap must be 'aces', 'reinhard' or 'clamp'");
    EXPECT_EQ(errorOf({"--sampling", "path"}),
              "render: --sampling must be 'mis', 'light' or 'bsdf'");
    EXPECT_EQ(errorOf({"--clamp", "-1"}), "render: --clamp must not be negative");
    EXPECT_EQ(errorOf({"--materials", "layered"}),
              "render: --materials must be 'neural' or 'reference'");
    EXPECT_EQ(errorOf({"--debug-view", "latents:6"}),
              "render: --debug-view must be 'latents', 'latents:K' (K 0-5), 'level', 'steps' or "
              "'normals'");
    EXPECT_EQ(errorOf({"--at", "1,0,0"}), "render: --at needs --field");
    EXPECT_EQ(errorOf({"--scale", "2"}), "render: --scale needs --field");
}

TEST(RenderConfig, NamesResolveAgainstTheScene) {
    const scene::Scene s = scene::loadGltf(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                                           "/assets/scenes/tests/spheres.gltf");
    ASSERT_GE(s.materials.size(), 2u);
    RenderConfig c;
    c.referenceMaterials = {s.materials[1].name, "0"};
    EXPECT_EQ(pt::configReferenceMaterials(c, s), (std::vector<uint32_t>{1, 0}));
    c.referenceMaterials = {"no such material"};
    EXPECT_THROW(pt::configReferenceMaterials(c, s), Error);

    // --look-from/--look-at: a perspective camera at `from` looking at `at`.
    c = RenderConfig{};
    c.lookFrom = glm::vec3(0.0f, 1.0f, 5.0f);
    c.lookAt = glm::vec3(0.0f, 1.0f, 0.0f);
    c.fovDegrees = 30.0f;
    const scene::Camera cam = pt::configCamera(c, s);
    EXPECT_TRUE(cam.perspective);
    EXPECT_NEAR(cam.yfov, glm::radians(30.0f), 1e-6f);
    EXPECT_NEAR(glm::length(glm::vec3(cam.toWorld[3]) - *c.lookFrom), 0.0f, 1e-5f);
    EXPECT_NEAR(glm::dot(-glm::vec3(cam.toWorld[2]), glm::vec3(0, 0, -1)), 1.0f, 1e-5f);
    c.lookAt = glm::vec3(0.0f, 3.0f, 5.0f); // straight up, parallel to --up
    EXPECT_THROW(pt::configCamera(c, s), Error);
    c = RenderConfig{};
    c.camera = "no such camera";
    EXPECT_THROW(pt::configCamera(c, s), Error);

    // The settings carry the config's values in the tracer's units.
    c = RenderConfig{};
    c.envRotationDegrees = 90.0f;
    c.maxBounces = 1;
    const pt::RenderSettings r = pt::configRenderSettings(c, s);
    EXPECT_NEAR(r.envRotation, 0.5f * 3.14159265f, 1e-6f);
    EXPECT_EQ(r.maxBounces, 1u);
}

TEST(Tonemap, NamesAndReinhard) {
    for (Tonemap t : {Tonemap::Clamp, Tonemap::Aces, Tonemap::Reinhard}) {
        Tonemap back = Tonemap::Clamp;
        ASSERT_TRUE(tonemapFromName(tonemapName(t), back));
        EXPECT_EQ(back, t);
    }
    Tonemap unused;
    EXPECT_FALSE(tonemapFromName("filmic", unused));
    EXPECT_FLOAT_EQ(applyTonemap(1.0f, Tonemap::Reinhard), 0.5f);
    EXPECT_FLOAT_EQ(applyTonemap(3.0f, Tonemap::Reinhard), 0.75f);
    EXPECT_EQ(applyTonemap(-1.0f, Tonemap::Reinhard), 0.0f);
}

} // namespace
} // namespace nerva
