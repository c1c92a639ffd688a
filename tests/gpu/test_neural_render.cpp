// Neural materials in the path tracer (shaders/pathtrace/surface_bsdf.glsl):
//  - a network shape the shaders were not specialised for gets its own
//    pipeline on demand, and the specialised and generic shaders render the
//    same image;
//  - the per-material switch (RenderSettings::referenceMaterials) and the
//    global one (neuralMaterials = false) give the reference render exactly;
//  - a corrupt .nmat: the material falls back to its reference with a
//    warning naming the file, or, strict, an error naming it;
//  - each library material on the shader ball, neural vs reference at equal
//    spp: mean FLIP within the measured bound of tests/data/neural_flip.json.
#include "neural/core/error.h"
#include "neural/formats/nmat.h"
#include "neural/material/layered_json.h"
#include "neural/material/trainer.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "tests/support/test_scenes.h"
#include "tests/support/vk_test_env.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace nerva {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = NERVA_SOURCE_DIR_FOR_TESTS;

fs::path tempDir() {
    const fs::path d = fs::path(NERVA_BUILD_DIR_FOR_TESTS) / "neural-render-test";
    fs::create_directories(d);
    return d;
}

// A tiny bake of velvet with a 2x16 decoder (the library's are 2x32), written
// to a file: a shape the path tracer has no pipeline for yet.
const std::string& tinyNmat() {
    static const std::string path = [] {
        material::LayeredMaterialSet set;
        set.add(
            material::loadLayeredMaterialJson((kSource / "assets/materials/velvet.json").string()));
        material::BakeOptions o;
        o.iterations = 100;
        o.batch = 256;
        o.latentResolution = 16;
        o.decoder = "2x16";
        o.warmup = 5;
        o.threads = 2;
        material::Trainer t(set, 0, o);
        while (!t.done())
            t.step();
        const std::string p = (tempDir() / "velvet_2x16.nmat").string();
        formats::writeNmat(t.toNmat("velvet", "velvet.json", "", {}), p);
        return p;
    }();
    return path;
}

const std::string kLibraryVelvet = (kSource / "assets/materials/neural/velvet.nmat").string();

// A sphere under the procedural sky with one material, neural from `nmat`;
// `unused` adds a second, unreferenced material neural from that file.
scene::Scene sphereScene(const std::string& nmat, const std::string& unused = "") {
    scene::Scene s;
    scene::Material m = test::lambert({0.6f, 0.3f, 0.2f});
    m.name = "ball";
    m.neuralUri = nmat;
    test::addObject(s, test::uvSphere({0, 0, 0}, 1.0f), m);
    if (!unused.empty()) {
        scene::Material u = test::lambert({0.2f, 0.2f, 0.2f});
        u.name = "unused";
        u.neuralUri = unused;
        s.materials.push_back(u);
    }
    s.cameras.push_back(test::lookAt({0, 0.6f, 3.2f}, {0, 0, 0}, 0.7f));
    return s;
}

pt::RenderSettings smallSettings(const scene::Scene& s) {
    pt::RenderSettings r;
    r.width = r.height = 32;
    r.spp = 4;
    r.seed = 3;
    r.maxBounces = 2;
    r.camera = s.cameras[0];
    return r;
}

ShaderCompiler& compiler() {
    static ShaderCompiler c;
    return c;
}

double maxAbsDiff(const ImageRGBA32F& a, const ImageRGBA32F& b) {
    double m = 0.0;
    for (size_t i = 0; i < a.texels.size(); ++i)
        if (i % 4 != 3) m = std::max(m, double(std::abs(a.texels[i] - b.texels[i])));
    return m;
}

class NeuralRender : public test::VulkanTest {};

TEST_F(NeuralRender, UnspecialisedShapeCompilesOnDemandAndMatchesTheGenericShaders) {
    pt::PathTracer tracer(ctx(), compiler());
    std::vector<std::string> w;
    // Alone, the 2x16 material is the scene's shared shape: specialised shaders.
    const scene::Scene alone = sphereScene(tinyNmat());
    gpu::GpuScene a(ctx(), alone, w, {true});
    const pt::RenderSettings s = smallSettings(alone);
    const pt::PipelineVariant va = tracer.variantFor(a, s);
    ASSERT_TRUE(va.neural.has_value());
    EXPECT_EQ(va.neural->decoderHidden, 2u);
    EXPECT_EQ(va.neural->decoderWidth, 16u);
    const ImageRGBA32F specialised = tracer.render(a, s).beauty;
    // Next to a 2x32 material (unused, same image expected): no shared shape,
    // the generic shaders with loop bounds from the records.
    const scene::Scene mixed = sphereScene(tinyNmat(), kLibraryVelvet);
    gpu::GpuScene b(ctx(), mixed, w, {true});
    EXPECT_FALSE(tracer.variantFor(b, s).neural.has_value());
    const ImageRGBA32F generic = tracer.render(b, s).beauty;
    double mean = 0.0;
    for (size_t i = 0; i < specialised.texels.size(); ++i)
        if (i % 4 != 3) mean += specialised.texels[i];
    mean /= double(specialised.texels.size() / 4 * 3);
    EXPECT_GT(mean, 0.01) << "the neural sphere rendered black";
    const double diff = maxAbsDiff(specialised, generic);
    std::printf("specialised vs generic shaders: max |difference| %.3g (mean pixel %.3f)\n", diff,
                mean);
    EXPECT_LE(diff, 1e-4 * std::max(1.0, mean));
}

TEST_F(NeuralRender, ReferenceSwitchesGiveTheReferenceRender) {
    pt::PathTracer tracer(ctx(), compiler());
    std::vector<std::string> w;
    const scene::Scene model = sphereScene(kLibraryVelvet);
    gpu::GpuScene g(ctx(), model, w, {true});
    pt::RenderSettings s = smallSettings(model);
    const ImageRGBA32F neural = tracer.render(g, s).beauty;
    s.neuralMaterials = false;
    const ImageRGBA32F reference = tracer.render(g, s).beauty;
    s.neuralMaterials = true;
    s.referenceMaterials = {0};
    const ImageRGBA32F perMaterial = tracer.render(g, s).beauty;
    EXPECT_EQ(maxAbsDiff(reference, perMaterial), 0.0);
    // The ball's reference is orange Lambert, its neural version velvet.
    EXPECT_GT(maxAbsDiff(reference, neural), 0.05);
}

// The inspection views: every hit pixel of the neural sphere shows a colour
// of the level palette (the ball covers many levels' footprints only at
// grazing angles, so mostly one or two), the reference sphere grey.
TEST_F(NeuralRender, DebugViewsShowLevelsAndLatents) {
    pt::PathTracer tracer(ctx(), compiler());
    std::vector<std::string> w;
    const scene::Scene model = sphereScene(kLibraryVelvet);
    gpu::GpuScene g(ctx(), model, w, {true});
    pt::RenderSettings s = smallSettings(model);
    s.spp = 1;
    s.debugView = shared::kDebugViewLatentLevel;
    const ImageRGBA32F level = tracer.render(g, s).beauty;
    const float* centre = level.at(16, 16);
    const bool inPalette = (centre[0] == 1.0f || centre[0] == 0.0f || centre[0] == 0.6f) &&
                           (centre[2] == 0.0f || centre[2] == 1.0f);
    EXPECT_TRUE(inPalette) << centre[0] << " " << centre[1] << " " << centre[2];
    s.debugView = shared::kDebugViewLatents;
    s.debugChannel = 2;
    const ImageRGBA32F latents = tracer.render(g, s).beauty;
    const float* latent = latents.at(16, 16);
    for (int c = 0; c < 3; ++c) {
        EXPECT_GE(latent[c], 0.0f);
        EXPECT_LE(latent[c], 1.0f);
    }
    s.neuralMaterials = false;
    const ImageRGBA32F reference = tracer.render(g, s).beauty;
    const float* grey = reference.at(16, 16);
    EXPECT_FLOAT_EQ(grey[0], 0.18f);
    EXPECT_FLOAT_EQ(grey[1], 0.18f);
}

TEST_F(NeuralRender, CorruptNmatFallsBackWithAWarningOrFailsWhenStrict) {
    std::string bytes;
    {
        std::ifstream in(kLibraryVelvet, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GT(bytes.size(), 4096u);
    bytes[bytes.size() / 2] ^= 0x5a; // a payload byte: the chunk checksum fails
    const std::string corrupt = (tempDir() / "corrupt.nmat").string();
    std::ofstream(corrupt, std::ios::binary) << bytes;

    const scene::Scene model = sphereScene(corrupt);
    std::vector<std::string> warnings;
    gpu::GpuScene g(ctx(), model, warnings);
    EXPECT_EQ(g.neural().set, nullptr);
    ASSERT_EQ(g.neural().ofMaterial.size(), 1u);
    EXPECT_EQ(g.neural().ofMaterial[0], -1);
    bool named = false;
    for (const std::string& w : warnings)
        named = named || (w.find(corrupt) != std::string::npos &&
                          w.find("falls back to its reference") != std::string::npos);
    EXPECT_TRUE(named) << "no warning naming " << corrupt;

    std::vector<std::string> w2;
    try {
        gpu::GpuScene strict(ctx(), model, w2, {true});
        ADD_FAILURE() << "strict loading accepted a corrupt .nmat";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(corrupt), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
    }
}

// Neural vs reference on the shader ball, each library material's close-up,
// at equal spp (both converge to within the noise; the difference that stays
// is the neural approximation, the alpha floor included). The bounds in
// tests/data/neural_flip.json are the values measured on lavapipe plus a
// margin; NERVA_PRINT_FLIP=1 prints them for an update.
TEST_F(NeuralRender, ShaderBallNeuralMatchesReferenceWithinMeasuredFlip) {
    std::ifstream in(kSource / "tests/data/neural_flip.json");
    ASSERT_TRUE(in) << "tests/data/neural_flip.json is missing";
    const nlohmann::json bounds = nlohmann::json::parse(in);
    const scene::Scene model =
        scene::loadGltf((kSource / "assets/scenes/shaderball/shaderball.gltf").string());
    std::vector<std::string> w;
    gpu::GpuScene g(ctx(), model, w, {true});
    g.setEnvironment(loadEnvironmentMap((kSource / "assets/env/sunset.hdr").string()));
    pt::PathTracer tracer(ctx(), compiler());
    pt::RenderSettings s;
    s.width = s.height = bounds.at("size").get<uint32_t>();
    s.spp = bounds.at("spp").get<uint32_t>();
    s.seed = 7;
    s.maxBounces = 4;
    for (const auto& [name, bound] : bounds.at("max_flip").items()) {
        s.camera = model.cameras.at(scene::findCamera(model, name));
        s.neuralMaterials = false;
        const ImageRGBA32F ref = toDisplay(tracer.render(g, s).beauty);
        s.neuralMaterials = true;
        s.seed = 8; // independent noise
        const ImageRGBA32F neural = toDisplay(tracer.render(g, s).beauty);
        s.seed = 7;
        const double flip = computeFlip(ref, neural).mean;
        std::printf("%-16s neural vs reference mean FLIP %.4f (bound %.4f)\n", name.c_str(), flip,
                    bound.get<double>());
        EXPECT_LE(flip, bound.get<double>()) << name;
    }
}

} // namespace
} // namespace nerva
