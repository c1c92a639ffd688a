// Golden images: each entry of tests/golden/goldens.json is rendered headless
// (fixed size, seed and spp; neural materials rendered neural unless the entry
// says "materials": "reference") and compared with tests/golden/<name>.png using
// FLIP, PSNR and a per-pixel tolerance, with thresholds from the same file.
// On failure, test/reference/FLIP-map PNGs go to <build>/golden-output/.
// NERVA_UPDATE_GOLDENS=1 writes the references instead (see
// tools/scripts/update-goldens.sh); do that only on purpose, with the reason
// in the commit message.
#include "neural/core/error.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/image/metrics.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "tests/support/vk_test_env.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace nerva {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = NERVA_SOURCE_DIR_FOR_TESTS;
const fs::path kGoldenDir = kSource / "tests" / "golden";

struct Golden {
    std::string name, scene, camera;
    std::string env; // environment map under assets/ ("" = the procedural sky)
    uint32_t width = 128, height = 128, spp = 16, seed = 1, maxBounces = 4;
    bool neuralMaterials = true; // "materials": "neural" (default) or "reference"
    double maxFlip = 0.05, minPsnr = 30.0;
    double pixelTolerance = 0.1, maxPixelFraction = 0.01; // share of pixels off by more
};

// gtest prints parameters in test names and logs: the name is enough.
void PrintTo(const Golden& g, std::ostream* os) {
    *os << g.name;
}

std::vector<Golden> loadGoldens() {
    std::ifstream in(kGoldenDir / "goldens.json");
    if (!in) return {};
    const nlohmann::json j = nlohmann::json::parse(in);
    std::vector<Golden> out;
    for (const auto& e : j.at("goldens")) {
        Golden g;
        g.name = e.at("name");
        g.scene = e.at("scene");
        g.camera = e.value("camera", "");
        g.env = e.value("env", "");
        g.width = e.value("width", g.width);
        g.height = e.value("height", g.height);
        g.spp = e.value("spp", g.spp);
        g.seed = e.value("seed", g.seed);
        g.maxBounces = e.value("max_bounces", g.maxBounces);
        const std::string materials = e.value("materials", "neural");
        if (materials != "neural" && materials != "reference")
            throw std::runtime_error("goldens.json: " + g.name + ": bad \"materials\"");
        g.neuralMaterials = materials == "neural";
        const auto& t = e.at("thresholds");
        g.maxFlip = t.value("max_flip", g.maxFlip);
        g.minPsnr = t.value("min_psnr", g.minPsnr);
        g.pixelTolerance = t.value("pixel_tolerance", g.pixelTolerance);
        g.maxPixelFraction = t.value("max_pixel_fraction", g.maxPixelFraction);
        out.push_back(g);
    }
    return out;
}

class GoldenTest : public test::VulkanTest, public ::testing::WithParamInterface<Golden> {};

TEST_P(GoldenTest, MatchesReference) {
    const Golden& g = GetParam();
    const scene::Scene model = scene::loadGltf((kSource / "assets" / g.scene).string());
    std::vector<std::string> warnings;
    gpu::GpuSceneOptions options;
    options.strictNeural = true; // a neural material that falls back is a failure here
    gpu::GpuScene gpuScene(ctx(), model, warnings, options);
    if (!g.env.empty())
        gpuScene.setEnvironment(loadEnvironmentMap((kSource / "assets" / g.env).string()));
    static ShaderCompiler compiler;
    static pt::PathTracer tracer(ctx(), compiler);
    pt::RenderSettings s;
    s.width = g.width;
    s.height = g.height;
    s.spp = g.spp;
    s.seed = g.seed;
    s.maxBounces = g.maxBounces;
    s.neuralMaterials = g.neuralMaterials;
    s.camera = g.camera.empty() ? model.cameras.at(0)
                                : model.cameras.at(scene::findCamera(model, g.camera));
    const ImageRGBA32F display = toDisplay(tracer.render(gpuScene, s).beauty);

    const fs::path reference = kGoldenDir / (g.name + ".png");
    if (const char* u = std::getenv("NERVA_UPDATE_GOLDENS"); u && std::string(u) == "1") {
        writeDisplayImage(reference.string(), display);
        GTEST_SKIP() << "wrote " << reference;
    }
    ASSERT_TRUE(fs::exists(reference))
        << reference << " is missing: run tools/scripts/update-goldens.sh";
    // Compare what the PNG would hold: quantise the test image the same way.
    const fs::path outDir = fs::path(NERVA_BUILD_DIR_FOR_TESTS) / "golden-output";
    fs::create_directories(outDir);
    const fs::path testPng = outDir / (g.name + ".test.png");
    writeDisplayImage(testPng.string(), display);
    const ImageRGBA32F test = readDisplayImage(testPng.string());
    const ImageRGBA32F ref = readDisplayImage(reference.string());

    const FlipResult flip = computeFlip(ref, test);
    const double p = psnr(ref, test);
    const double off = fractionAbove(ref, test, g.pixelTolerance);
    RecordProperty("flip", std::to_string(flip.mean));
    RecordProperty("psnr", std::to_string(p));
    const bool ok = flip.mean <= g.maxFlip && p >= g.minPsnr && off <= g.maxPixelFraction;
    if (!ok) {
        fs::copy_file(reference, outDir / (g.name + ".ref.png"),
                      fs::copy_options::overwrite_existing);
        writeFlipErrorMap((outDir / (g.name + ".flip.png")).string(), flip);
    } else {
        fs::remove(testPng);
    }
    EXPECT_LE(flip.mean, g.maxFlip) << g.name << ": FLIP; images in " << outDir;
    EXPECT_GE(p, g.minPsnr) << g.name << ": PSNR; images in " << outDir;
    EXPECT_LE(off, g.maxPixelFraction) << g.name << ": share of pixels off by more than "
                                       << g.pixelTolerance << "; images in " << outDir;
}

INSTANTIATE_TEST_SUITE_P(Goldens, GoldenTest, ::testing::ValuesIn(loadGoldens()),
                         [](const ::testing::TestParamInfo<Golden>& i) { return i.param.name; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);

TEST(GoldenConfig, ListsAtLeastTheDemoAndThreeFocusedScenes) {
    const auto goldens = loadGoldens();
    EXPECT_GE(goldens.size(), 4u);
    bool demo = false;
    for (const Golden& g : goldens)
        demo = demo || g.scene.find("demo") != std::string::npos;
    EXPECT_TRUE(demo);
}

} // namespace
} // namespace nerva
