// Tri-plane SDF fields in the renderer (docs/fields.md): the shared
// evaluator on the GPU against its C++ build and against the CPU model
// (neural/field/triplane_field.h), a fitted field rendered next to its
// source mesh, shadow rays that see fields, the glTF extension and
// `nerva render --field`.
#include "neural/core/error.h"
#include "neural/field/demo_meshes.h"
#include "neural/field/field_fit.h"
#include "neural/field/field_gpu_data.h"
#include "neural/field/triplane_field.h"
#include "neural/formats/ntri.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/image/tonemap.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "shaders/tests/field_eval_io.h"
#include "tests/support/process.h"
#include "tests/support/test_scenes.h"
#include "tests/support/vk_test_env.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace nerva {
namespace {

using shared::FieldEvalResult;

// An .ntri asset of a randomly initialised field: planes uniform in +-0.5
// (larger than the fitter's 0.01, so the MLP sees features of every size).
formats::NtriAsset randomAsset(uint32_t resolution, uint32_t channels, uint32_t levels) {
    field::TriplaneConfig c;
    c.resolution = resolution;
    c.channels = channels;
    c.levels = levels;
    field::TriplaneField f(c, 7);
    f.initialise(7, 0.5f);
    formats::NtriAsset a;
    a.resolution = resolution;
    a.channels = channels;
    a.levels = levels;
    a.truncation = c.truncation;
    const std::vector<float>& p = f.parameters();
    a.planes.assign(p.begin(), p.begin() + ptrdiff_t(f.planeFloats()));
    for (const nn::LayerSpec& l : f.mlp().layers())
        a.layers.push_back({l.in, l.out, l.bias, nn::activationName(l.activation)});
    a.mlp.assign(p.begin() + ptrdiff_t(f.mlpOffset()), p.end());
    return a;
}

// The same field as a TriplaneField (to compare with the CPU model).
field::TriplaneField modelOf(const formats::NtriAsset& a) {
    field::TriplaneConfig c;
    c.resolution = a.resolution;
    c.channels = a.channels;
    c.levels = a.levels;
    c.truncation = a.truncation;
    c.hidden.clear();
    for (size_t l = 0; l + 1 < a.layers.size(); ++l)
        c.hidden.push_back(a.layers[l].out);
    field::TriplaneField f(c, 1);
    std::vector<float>& p = f.parameters();
    std::copy(a.planes.begin(), a.planes.end(), p.begin());
    std::copy(a.mlp.begin(), a.mlp.end(), p.begin() + ptrdiff_t(f.mlpOffset()));
    return f;
}

float relErr(float a, float b, float scale) {
    return std::abs(a - b) / std::max(scale, 1e-3f);
}

class FieldGpu : public test::VulkanTest {
  protected:
    pt::RenderOutput render(const scene::Scene& s, const pt::RenderSettings& settings,
                            gpu::FieldStats* stats = nullptr, double* seconds = nullptr) {
        static ShaderCompiler compiler;
        static pt::PathTracer tracer(ctx(), compiler);
        std::vector<std::string> warnings;
        gpu::GpuScene gpuScene(ctx(), s, warnings);
        gpuScene.setEnvironment(constantEnvironment(glm::vec3(0.4f, 0.45f, 0.5f)));
        gpuScene.fields().resetStats();
        pt::RenderStats rs;
        pt::RenderOutput out = tracer.render(gpuScene, settings, &rs);
        if (stats) *stats = gpuScene.fields().stats();
        if (seconds) *seconds = rs.seconds - rs.firstSampleSeconds;
        return out;
    }
};

TEST_F(FieldGpu, SdfAndGradientMatchTheCpu) {
    const formats::NtriAsset asset = randomAsset(24, 8, 2);
    const field::FieldGpuData data = field::buildFieldGpuData(asset, 0, "random field");
    const shared::GpuField host = field::hostFieldRecord(data);
    const field::TriplaneField model = modelOf(asset);

    // 10^5 points in [-1.1, 1.1]^3: inside the box and a little outside
    // (clamp-to-edge).
    constexpr size_t kPoints = 100000;
    std::vector<glm::vec3> points(kPoints);
    uint32_t state = 12345;
    auto next = [&] {
        state = state * 747796405u + 2891336453u;
        return float(state >> 8) * (1.0f / 16777216.0f);
    };
    for (glm::vec3& p : points)
        p = glm::vec3(next(), next(), next()) * 2.2f - 1.1f;

    constexpr VkBufferUsageFlags usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
    const vk::Buffer planes =
        vk::createBufferWithData(ctx(), data.planes.data(), data.planes.size() * 4, usage);
    const vk::Buffer mlp =
        vk::createBufferWithData(ctx(), data.mlp.data(), data.mlp.size() * 4, usage);
    const vk::Buffer in =
        vk::createBufferWithData(ctx(), points.data(), points.size() * sizeof(glm::vec3), usage);
    const vk::Buffer out =
        vk::createBuffer(ctx(), kPoints * sizeof(FieldEvalResult), usage, vk::MemoryUse::Readback);
    // The generic build (loop bounds from the record) and the one the
    // renderer specialises on the field's shape (constants, unrolled).
    ShaderCompiler compiler;
    auto run = [&](const ShaderDefines& defines) {
        const vk::ComputePipeline pipeline(ctx(), compiler, "tests/field_eval.comp",
                                           sizeof(shared::FieldKernelPush), defines);
        shared::FieldKernelPush push{};
        push.field = data.record;
        push.field.planes = planes.address;
        push.field.mlp = mlp.address;
        push.points = in.address;
        push.results = out.address;
        push.count = uint32_t(kPoints);
        const auto t0 = std::chrono::steady_clock::now();
        ctx().submitAndWait([&](VkCommandBuffer cmd) {
            pipeline.dispatch(
                cmd, std::min(vk::groupCount(push.count, shared::kFieldKernelLocalSize), 4096u), 1,
                1, push);
            vk::computeToHostBarrier(cmd);
        });
        std::printf("%.2f s for 10^5 points (fieldSdf + fieldGradient)%s\n",
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                    defines.empty() ? "" : ", specialised");
        std::vector<FieldEvalResult> r(kPoints);
        std::memcpy(r.data(), out.mapped, kPoints * sizeof(FieldEvalResult));
        return r;
    };
    const std::vector<FieldEvalResult> generic = run({});
    const std::vector<FieldEvalResult> gpu = run({{"NERVA_FIELD_CHANNELS", "8"},
                                                  {"NERVA_FIELD_LEVELS", "2"},
                                                  {"NERVA_FIELD_LAYERS", "3"},
                                                  {"NERVA_FIELD_HIDDEN", "32"}});

    float worstGpu = 0.0f, worstGradGpu = 0.0f, worstModel = 0.0f, worstGradModel = 0.0f;
    size_t overGrad = 0, overGradModel = 0;
    double sumAbs = 0.0;
    for (size_t i = 0; i < kPoints; ++i) {
        const FieldEvalResult c = shared::fieldEvalPoint(host, points[i]);
        const FieldEvalResult& g = gpu[i];
        for (const FieldEvalResult& o : {generic[i]}) { // the generic build: same numbers
            worstGpu = std::max(worstGpu, relErr(c.sdf, o.sdf, std::abs(c.sdf)));
            for (int k = 0; k < 3; ++k)
                worstGradGpu = std::max(
                    worstGradGpu, relErr(c.gradient[k], o.gradient[k], glm::length(c.gradient)));
        }
        sumAbs += std::abs(c.sdf);
        worstGpu = std::max(worstGpu, relErr(c.sdf, g.sdf, std::abs(c.sdf)));
        worstGpu = std::max(worstGpu, relErr(c.gradValue, g.gradValue, std::abs(c.gradValue)));
        const float gs = glm::length(c.gradient);
        float gradErr = 0.0f;
        for (int k = 0; k < 3; ++k)
            gradErr = std::max(gradErr, relErr(c.gradient[k], g.gradient[k], gs));
        worstGradGpu = std::max(worstGradGpu, gradErr);
        overGrad += gradErr > 1e-4f ? 1 : 0;
        // The header's C++ build against the CPU model (triplane_field.cpp).
        const float v = model.value(points[i]);
        const glm::vec3 mg = model.gradient(points[i]);
        worstModel = std::max(worstModel, relErr(c.sdf, v, std::abs(v)));
        worstModel = std::max(worstModel, relErr(c.gradValue, v, std::abs(v)));
        float modelErr = 0.0f;
        for (int k = 0; k < 3; ++k)
            modelErr = std::max(modelErr, relErr(c.gradient[k], mg[k], glm::length(mg)));
        worstGradModel = std::max(worstGradModel, modelErr);
        overGradModel += modelErr > 1e-4f ? 1 : 0;
    }
    RecordProperty("worst_sdf_gpu", std::to_string(worstGpu));
    RecordProperty("worst_gradient_gpu", std::to_string(worstGradGpu));
    RecordProperty("worst_sdf_model", std::to_string(worstModel));
    RecordProperty("worst_gradient_model", std::to_string(worstGradModel));
    std::printf("mean |sdf| %.4f; worst relative: GPU sdf %.2e, gradient %.2e; model sdf %.2e, "
                "gradient %.2e (%zu over 1e-4)\n",
                sumAbs / kPoints, worstGpu, worstGradGpu, worstModel, worstGradModel,
                overGradModel);
    EXPECT_GT(sumAbs / kPoints, 1e-2) << "the test field must not be trivially flat";
    EXPECT_LE(worstGpu, 1e-4f);
    EXPECT_LE(worstGradGpu, 1e-4f) << overGrad << " points over";
    // The header's forward-mode gradient against the model's reverse mode:
    // the same derivative summed in another order; this random field's large
    // cancelling terms leave a few rounding outliers (measured: worst 1.25e-3,
    // 208 of 10^5 points over 1e-4). The GPU-vs-CPU checks above are exact.
    EXPECT_LE(worstModel, 1e-4f);
    EXPECT_LE(worstGradModel, 5e-3f);
    EXPECT_LE(overGradModel, kPoints / 200) << "points with the gradient over 1e-4";
}

// A small scene: a grey ground quad (y = -0.5), a sun, and either a sphere
// mesh or the field fitted from it at the same place.
struct SphereScene {
    field::TriangleMesh mesh = field::makeIcosphere(3, 0.5f);
    formats::NtriAsset asset;
};

SphereScene& sphereScene() {
    static SphereScene s = [] {
        SphereScene r;
        field::FitOptions o;
        o.resolution = 32;
        o.channels = 8;
        o.iterations = 300;
        o.batch = 4096;
        o.poolSize = 1u << 15;
        field::FieldFitter fitter(r.mesh, o, "icosphere");
        while (!fitter.done())
            fitter.step();
        r.asset = fitter.toNtri("icosphere", "", nlohmann::json::object());
        return r;
    }();
    return s;
}

scene::Primitive primitiveOf(const field::TriangleMesh& m, bool sphereNormals) {
    scene::Primitive p;
    p.positions = m.positions;
    for (const glm::uvec3& t : m.triangles)
        p.indices.insert(p.indices.end(), {t.x, t.y, t.z});
    if (sphereNormals)
        for (const glm::vec3& v : m.positions)
            p.normals.push_back(glm::normalize(v));
    return p;
}

// The field box -> world map that puts a field where its source mesh was.
glm::mat4 meshPlacement(const formats::NtriAsset& a) {
    return glm::scale(glm::translate(glm::mat4(1.0f), {a.centre[0], a.centre[1], a.centre[2]}),
                      glm::vec3(1.0f / a.scale));
}

scene::Scene baseScene(glm::vec3 lightTravel) {
    scene::Scene s;
    test::addObject(s, test::quad({-3, -0.5f, -3}, {0, 0, 6}, {6, 0, 0}),
                    test::lambert(glm::vec3(0.5f)));
    scene::Light sun;
    sun.type = scene::LightType::Directional;
    sun.intensity = 2.5f;
    sun.direction = glm::normalize(lightTravel);
    s.lights.push_back(sun);
    return s;
}

void addField(scene::Scene& s, const formats::NtriAsset& a, const glm::mat4& place,
              const scene::Material& m) {
    scene::Field f;
    f.asset = std::make_shared<const formats::NtriAsset>(a);
    f.uri = "test field";
    f.toWorld = place * meshPlacement(a);
    f.material = int32_t(s.materials.size());
    s.materials.push_back(m);
    s.fields.push_back(f);
}

void maybeWrite(const std::string& name, const ImageRGBA32F& img) {
    if (const char* dir = std::getenv("NERVA_FIELD_TEST_OUT"))
        writeImage(std::string(dir) + "/" + name, img);
}

TEST_F(FieldGpu, FittedFieldRendersLikeItsSourceMesh) {
    const SphereScene& sphere = sphereScene();
    const scene::Material grey = test::lambert({0.7f, 0.6f, 0.5f});
    scene::Scene tri = baseScene({0.4f, -1.0f, -0.3f}), fld = tri;
    test::addObject(tri, primitiveOf(sphere.mesh, true), grey);
    addField(fld, sphere.asset, glm::mat4(1.0f), grey);
    pt::RenderSettings rs;
    rs.width = rs.height = 96;
    rs.spp = 16;
    rs.camera = test::lookAt({0.0f, 0.6f, 2.2f}, {0.0f, -0.1f, 0.0f}, 0.8f);
    gpu::FieldStats stats;
    const pt::RenderOutput a = render(tri, rs), b = render(fld, rs, &stats);
    const ImageRGBA32F da = toDisplay(a.beauty), db = toDisplay(b.beauty);
    maybeWrite("field_sphere_triangles.png", a.beauty);
    maybeWrite("field_sphere_field.png", b.beauty);
    const float flip = computeFlip(da, db).mean;
    // Two renders of the triangle scene with different seeds: the noise floor.
    pt::RenderSettings other = rs;
    other.seed = 1;
    const float noise = computeFlip(da, toDisplay(render(tri, other).beauty)).mean;
    std::printf("FLIP field vs mesh %.4f (noise floor %.4f); %.1f steps per intersection call\n",
                flip, noise, stats.stepsPerCall());
    RecordProperty("flip", std::to_string(flip));
    RecordProperty("flip_noise", std::to_string(noise));
    EXPECT_GT(stats.calls, 0u);
    // Measured on lavapipe: 0.0062 (same seed, so the noise is correlated;
    // two seeds of the triangle scene differ by 0.0187). Bound = measured +
    // margin.
    EXPECT_LT(flip, 0.015f);
}

TEST_F(FieldGpu, ShadowRaysSeeFields) {
    const SphereScene& sphere = sphereScene();
    // The field sphere (radius 0.5) is centred 1.5 above the ground; the sun
    // travels along (-1, -1, 0), so its shadow is centred at x = -1.5, z = 0.
    scene::Scene without = baseScene({-1.0f, -1.0f, 0.0f}), with = without;
    addField(with, sphere.asset, glm::translate(glm::mat4(1.0f), {0.0f, 1.0f, 0.0f}),
             test::lambert(glm::vec3(0.7f)));
    pt::RenderSettings rs;
    rs.width = rs.height = 64;
    rs.spp = 4;
    rs.maxBounces = 0;
    rs.camera.name = "top";
    rs.camera.yfov = glm::radians(90.0f);
    // Straight down from y = 2.5: image right = +x, image up = -z.
    rs.camera.toWorld =
        glm::inverse(glm::lookAt(glm::vec3(0, 2.5f, 0), glm::vec3(0), glm::vec3(0, 0, -1)));
    const pt::RenderOutput a = render(without, rs), b = render(with, rs);
    maybeWrite("field_shadow_without.png", a.beauty);
    maybeWrite("field_shadow_with.png", b.beauty);
    // The shadow centre (x = -1.5, z = 0 on the ground, 3 below the camera):
    // ndc x = -1.5 / 3 = -0.5 -> column 16; row 32. Average a 5x5 window.
    auto mean = [](const ImageRGBA32F& img) {
        double sum = 0.0;
        for (uint32_t y = 30; y < 35; ++y)
            for (uint32_t x = 14; x < 19; ++x) {
                const size_t i = (size_t(y) * img.width + x) * 4;
                sum += shared::luminance(
                    glm::vec3(img.texels[i], img.texels[i + 1], img.texels[i + 2]));
            }
        return sum / 25.0;
    };
    const double lit = mean(a.beauty), shadowed = mean(b.beauty);
    std::printf("ground under the field: %.4f lit, %.4f with the field\n", lit, shadowed);
    EXPECT_GT(lit, 0.1);
    EXPECT_LT(shadowed, 0.5 * lit);
}

TEST_F(FieldGpu, GltfNodeExtensionPlacesAField) {
    const std::filesystem::path dir = test::scratchDir("field-gltf");
    formats::writeNtri(randomAsset(8, 4, 1), (dir / "f.ntri").string());
    const std::string gltf =
        R"({"asset": {"version": "2.0"}, "materials": [{"name": "m"}],
            "nodes": [{"name": "F", "translation": [1, 2, 3], "scale": [2, 2, 2],
                       "extensions": {"NERVA_field": {"uri": "f.ntri", "material": 0}}}],
            "scenes": [{"nodes": [0]}], "extensionsUsed": ["NERVA_field"]})";
    std::ofstream(dir / "s.gltf") << gltf;
    const scene::Scene s = scene::loadGltf((dir / "s.gltf").string());
    ASSERT_EQ(s.fields.size(), 1u);
    EXPECT_EQ(s.fields[0].material, 0);
    EXPECT_EQ(s.fields[0].node, "F");
    EXPECT_FLOAT_EQ(s.fields[0].toWorld[3][1], 2.0f);
    EXPECT_FLOAT_EQ(s.fields[0].toWorld[0][0], 2.0f);
    EXPECT_FLOAT_EQ(s.boundsMax.x, 3.0f); // the field box counts in the bounds
    EXPECT_TRUE(s.warnings.empty());

    std::ofstream(dir / "bad.ntri") << "NTRI garbage";
    std::string text = gltf;
    text.replace(text.find("f.ntri"), 6, "bad.ntri");
    std::ofstream(dir / "bad.gltf") << text;
    try {
        scene::loadGltf((dir / "bad.gltf").string());
        ADD_FAILURE() << "a corrupt .ntri must fail the load";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.ntri"), std::string::npos) << e.what();
    }
}

TEST_F(FieldGpu, RenderCommandTakesAField) {
    const std::filesystem::path dir = test::scratchDir("field-cli");
    const std::string scenePath =
        std::string(NERVA_SOURCE_DIR_FOR_TESTS) + "/assets/scenes/tests/spheres.gltf";
    formats::writeNtri(sphereScene().asset, (dir / "sphere.ntri").string());
    const test::RunResult ok =
        test::runCli("render " + scenePath + " -o " + (dir / "out.png").string() + " --field " +
                     (dir / "sphere.ntri").string() +
                     " --at 0,0.5,0 --scale 0.5 --size 24x24 --spp 1 --quiet --validation");
    EXPECT_EQ(ok.exitCode, 0) << ok.err;
    EXPECT_NE(ok.out.find("fields 1:"), std::string::npos) << ok.out;

    std::ofstream(dir / "bad.ntri") << "not a field at all";
    const test::RunResult bad =
        test::runCli("render " + scenePath + " -o " + (dir / "bad.png").string() + " --field " +
                     (dir / "bad.ntri").string());
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("bad.ntri"), std::string::npos) << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.png"));
}

// Measurement for docs/fields.md (run by hand: --gtest_also_run_disabled_tests):
// the torus knot fitted at 128^2 x 16 (1500 iterations) rendered as a field
// and as triangles, 256x256, 8 spp; frame times, steps per call, FLIP.
TEST_F(FieldGpu, DISABLED_MeasureTorusKnot) {
    const field::TriangleMesh knot = field::makeTorusKnot();
    field::FitOptions o;
    o.iterations = 1500;
    const auto t0 = std::chrono::steady_clock::now();
    field::FieldFitter fitter(knot, o, "knot");
    while (!fitter.done())
        fitter.step();
    std::printf("fit %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    const formats::NtriAsset asset = fitter.toNtri("knot", "", nlohmann::json::object());
    const scene::Material grey = test::lambert({0.7f, 0.6f, 0.5f});
    const field::Aabb box = [&] {
        field::Aabb b{glm::vec3(1e30f), glm::vec3(-1e30f)};
        for (const glm::vec3& p : knot.positions) {
            b.lo = glm::min(b.lo, p);
            b.hi = glm::max(b.hi, p);
        }
        return b;
    }();
    scene::Scene tri = baseScene({0.4f, -1.0f, -0.3f});
    const glm::mat4 lift = glm::translate(glm::mat4(1.0f), {0.0f, -0.5f - box.lo.y, 0.0f});
    scene::Scene fld = tri;
    test::addObject(tri, primitiveOf(knot, false), grey);
    tri.instances.back().toWorld = lift;
    addField(fld, asset, lift, grey);
    pt::RenderSettings rs;
    rs.width = rs.height = 256;
    rs.spp = 8;
    const glm::vec3 c = glm::vec3(lift * glm::vec4(box.centre(), 1.0f));
    rs.camera =
        test::lookAt(c + glm::vec3(0.0f, 1.2f, 3.2f) * glm::length(box.extent()) * 0.6f, c, 0.7f);
    double ta = 0, tb = 0;
    gpu::FieldStats stats;
    const pt::RenderOutput a = render(tri, rs, nullptr, &ta);
    const pt::RenderOutput b = render(fld, rs, &stats, &tb);
    writeImage("/tmp/knot_triangles.png", a.beauty);
    writeImage("/tmp/knot_field.png", b.beauty);
    const float flip = computeFlip(toDisplay(a.beauty), toDisplay(b.beauty)).mean;
    std::printf("triangles %.3f s/spp, field %.3f s/spp (after the first sample); %.1f steps per "
                "call, %llu calls; FLIP %.4f\n",
                ta / (rs.spp - 1), tb / (rs.spp - 1), stats.stepsPerCall(),
                static_cast<unsigned long long>(stats.calls), flip);
}

} // namespace
} // namespace nerva
