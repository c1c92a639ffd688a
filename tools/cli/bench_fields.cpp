// nerva bench fields: the tri-plane SDF fields of the demo meshes
// (neural/field/demo_meshes.h, docs/fields.md) against the meshes they were
// fitted to, in one run:
//   Fitting: seconds (sample pools + iterations, all cores) and the four
//            quality metrics (Chamfer-L1, normal consistency, F-score, IoU;
//            field_metrics.h) at 128^2 x 16 and 256^2 x 32.
//   Speed:   median ms per 1-spp frame of the 128^2 x 16 field and of the
//            same mesh as triangles, in the same scene (the object on a
//            ground quad, a sun, a constant sky; Lambert grey) and run, with
//            the field's intersection-shader calls per frame and
//            sphere-tracing steps (field evaluations) per call.
//   Quality: mean FLIP of the field render against the triangle render
//            (same seed) at --flip-spp, and between two seeds of the
//            triangle render (the noise floor at that spp).
#include "arg_parser.h"
#include "bench_common.h"
#include "commands.h"

#include "neural/core/error.h"
#include "neural/field/demo_meshes.h"
#include "neural/field/field_fit.h"
#include "neural/formats/ntri.h"
#include "renderer/gpu/gpu_fields.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/image/tonemap.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/scene_builders.h"
#include "renderer/vk/context.h"

#include <glm/gtc/matrix_transform.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nerva::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct FitResult {
    uint32_t resolution = 0, channels = 0;
    uint64_t iterations = 0;
    double seconds = 0.0; // pools + iterations
    double metricSeconds = 0.0;
    field::FieldMetrics metrics;
    formats::NtriAsset asset;
};

FitResult fit(const field::TriangleMesh& mesh, const std::string& name, uint32_t resolution,
              uint32_t channels, bool quick) {
    field::FitOptions o; // the defaults of `nerva fit` otherwise
    o.resolution = resolution;
    o.channels = channels;
    if (quick) {
        // A smoke run: the numbers mean little, the code paths are all taken.
        o.iterations = 200;
        o.poolSize = 1u << 16;
    }
    FitResult r;
    r.resolution = resolution;
    r.channels = channels;
    r.iterations = o.iterations;
    const auto t0 = Clock::now();
    field::FieldFitter fitter(mesh, o, name);
    while (!fitter.done())
        fitter.step();
    r.seconds = secondsSince(t0);
    const auto t1 = Clock::now();
    r.metrics = fitter.evaluate();
    r.metricSeconds = secondsSince(t1);
    r.asset = fitter.toNtri(name, "", r.metrics.toJson());
    return r;
}

using scene::lambert;
using scene::quad;

// The two scenes of one mesh: identical ground, sun and material, the object
// as triangles in one and as the field in the other; the mesh stands on the
// ground (y = 0). Also the camera that frames it.
struct ScenePair {
    scene::Scene triangles, field;
    scene::Camera camera;
};

ScenePair makeScenes(const field::TriangleMesh& mesh, const formats::NtriAsset& asset) {
    glm::vec3 lo(1e30f), hi(-1e30f);
    for (const glm::vec3& p : mesh.positions) {
        lo = glm::min(lo, p);
        hi = glm::max(hi, p);
    }
    const float size = glm::length(hi - lo);
    const glm::mat4 lift = glm::translate(glm::mat4(1.0f), {0.0f, -lo.y, 0.0f});

    ScenePair s;
    scene::Scene& base = s.triangles;
    base.materials = {lambert(glm::vec3(0.5f)), lambert({0.7f, 0.6f, 0.5f})};
    scene::Primitive ground = quad({-3.0f * size, 0.0f, -3.0f * size}, {0.0f, 0.0f, 6.0f * size},
                                   {6.0f * size, 0.0f, 0.0f});
    ground.material = 0;
    base.meshes.push_back({"ground", {ground}});
    base.instances.push_back({0, glm::mat4(1.0f), "ground"});
    scene::Light sun;
    sun.type = scene::LightType::Directional;
    sun.intensity = 2.5f;
    sun.direction = glm::normalize(glm::vec3(0.4f, -1.0f, -0.3f));
    base.lights.push_back(sun);
    s.field = base;

    // Triangles without normals: the shader uses the face normal, the mesh's
    // own geometry (flat facets at 20k-90k triangles).
    scene::Primitive object;
    object.positions = mesh.positions;
    for (const glm::uvec3& t : mesh.triangles)
        object.indices.insert(object.indices.end(), {t.x, t.y, t.z});
    object.material = 1;
    s.triangles.meshes.push_back({"object", {object}});
    s.triangles.instances.push_back({1, lift, "object"});

    // Field box -> world: undo the fit's normalisation (p_field = (p_mesh -
    // centre) * scale), then the same lift.
    scene::Field f;
    f.asset = std::make_shared<const formats::NtriAsset>(asset);
    f.uri = asset.sourceName;
    f.toWorld = lift * glm::scale(glm::translate(glm::mat4(1.0f), {asset.centre[0], asset.centre[1],
                                                                   asset.centre[2]}),
                                  glm::vec3(1.0f / asset.scale));
    f.material = 1;
    f.node = "object";
    s.field.fields.push_back(f);

    const glm::vec3 centre = glm::vec3(lift * glm::vec4(0.5f * (lo + hi), 1.0f));
    s.camera.name = "bench";
    s.camera.yfov = 0.7f;
    s.camera.toWorld = glm::inverse(
        glm::lookAt(centre + glm::vec3(0.0f, 1.2f, 3.2f) * size * 0.6f, centre, {0, 1, 0}));
    return s;
}

struct FrameResult {
    double ms = 0.0;    // median per 1-spp frame
    double calls = 0.0; // field intersection calls per frame
    double steps = 0.0; // field evaluations per call
};

FrameResult frameTimes(const vk::Context& ctx, pt::PathTracer& tracer, const scene::Scene& s,
                       const pt::RenderSettings& rs, uint32_t frames) {
    std::vector<std::string> warnings;
    gpu::GpuScene g(ctx, s, warnings);
    g.setEnvironment(constantEnvironment(glm::vec3(0.4f, 0.45f, 0.5f)));
    tracer.begin(g, rs);
    tracer.addSamples(1); // compiles (lavapipe JITs on first use) and warms up
    g.fields().resetStats();
    std::vector<double> ms;
    for (uint32_t f = 0; f < frames; ++f) {
        const auto t0 = Clock::now();
        tracer.addSamples(1);
        ms.push_back(1e3 * secondsSince(t0));
    }
    const gpu::FieldStats st = g.fields().stats();
    return {medianOf(ms), double(st.calls) / double(frames), st.stepsPerCall()};
}

ImageRGBA32F renderDisplay(const vk::Context& ctx, pt::PathTracer& tracer, const scene::Scene& s,
                           pt::RenderSettings rs) {
    std::vector<std::string> warnings;
    gpu::GpuScene g(ctx, s, warnings);
    g.setEnvironment(constantEnvironment(glm::vec3(0.4f, 0.45f, 0.5f)));
    return tracer.render(g, rs).beauty;
}

} // namespace

int benchFields(const ArgParser& args) {
    pt::RenderSettings rs;
    rs.width = rs.height = 192;
    args.getSize("--size", rs.width, rs.height);
    const bool quick = args.has("--quick");
    const uint32_t frames = args.getUint("--frames", quick ? 3 : 5, 1, 1000);
    const uint32_t flipSpp = args.getUint("--flip-spp", quick ? 4 : 16, 0, 1u << 16);
    rs.spp = 1;

    vk::ContextOptions vkOptions;
    vkOptions.device = args.get("--device");
    vk::Context ctx(vkOptions);
    ShaderCompiler compiler;
    pt::PathTracer tracer(ctx, compiler);
    const fs::path imageDir = fs::temp_directory_path() / "nerva-bench";
    fs::create_directories(imageDir);

    struct MeshRow {
        std::string name;
        size_t triangles = 0;
        std::vector<FitResult> fits;
        FrameResult tri, fld;
        double flip = -1.0, flipFloor = -1.0; // < 0: not measured
    };
    std::vector<MeshRow> rows;
    std::printf("nerva bench fields%s: %ux%u, 1-spp frames (median of %u), FLIP at %u spp, on %s\n",
                quick ? " --quick" : "", rs.width, rs.height, frames, flipSpp,
                ctx.report().name.c_str());
    for (const char* name : {"torus_knot", "csg_part"}) {
        MeshRow row;
        row.name = name;
        const field::TriangleMesh mesh =
            row.name == "torus_knot" ? field::makeTorusKnot() : field::makeCsgPart();
        row.triangles = mesh.triangles.size();
        for (const auto& [res, ch] : {std::pair(128u, 16u), std::pair(256u, 32u)}) {
            row.fits.push_back(fit(mesh, row.name, res, ch, quick));
            const FitResult& f = row.fits.back();
            std::printf("%s %u^2 x %u: fit %.1f s (%llu iterations), metrics %.1f s\n", name, res,
                        ch, f.seconds, static_cast<unsigned long long>(f.iterations),
                        f.metricSeconds);
            std::fflush(stdout);
        }
        // The demo's resolution is the one rendered.
        const ScenePair scenes = makeScenes(mesh, row.fits.front().asset);
        pt::RenderSettings frame = rs;
        frame.camera = scenes.camera;
        row.tri = frameTimes(ctx, tracer, scenes.triangles, frame, frames);
        row.fld = frameTimes(ctx, tracer, scenes.field, frame, frames);
        std::printf("%s: triangles %.1f ms/frame, field %.1f ms/frame\n", name, row.tri.ms,
                    row.fld.ms);
        std::fflush(stdout);
        if (flipSpp > 0) {
            pt::RenderSettings still = frame;
            still.spp = flipSpp;
            const ImageRGBA32F tri = renderDisplay(ctx, tracer, scenes.triangles, still);
            const ImageRGBA32F fld = renderDisplay(ctx, tracer, scenes.field, still);
            still.seed = 1;
            const ImageRGBA32F tri2 = renderDisplay(ctx, tracer, scenes.triangles, still);
            row.flip = computeFlip(toDisplay(tri), toDisplay(fld)).mean;
            row.flipFloor = computeFlip(toDisplay(tri), toDisplay(tri2)).mean;
            const fs::path a = imageDir / (row.name + "_triangles.png"),
                           b = imageDir / (row.name + "_field.png");
            writeImage(a.string(), tri);
            writeImage(b.string(), fld);
            std::printf("%s: FLIP %.4f (noise floor %.4f); wrote %s and %s\n", name, row.flip,
                        row.flipFloor, a.string().c_str(), b.string().c_str());
            std::fflush(stdout);
        }
        rows.push_back(std::move(row));
    }

    std::printf("\n| mesh | triangles | field | iterations | fit s | Chamfer-L1 | normal cons. | "
                "F-score | IoU |\n|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (const MeshRow& r : rows)
        for (const FitResult& f : r.fits)
            std::printf("| %s | %zu | %u² × %u | %llu | %.1f | %.5f | %.4f | %.4f | %.4f |\n",
                        r.name.c_str(), r.triangles, f.resolution, f.channels,
                        static_cast<unsigned long long>(f.iterations), f.seconds,
                        f.metrics.chamferL1, f.metrics.normalConsistency, f.metrics.fScore,
                        f.metrics.iou);
    std::printf(
        "\n%ux%u, 1 spp per frame, %u bounces, median of %u frames; the 128² × 16 field\n\n",
        rs.width, rs.height, rs.maxBounces, frames);
    std::printf("| mesh | triangles ms | field ms | field / triangles | field calls per frame | "
                "steps per call | FLIP field vs triangles (%u spp) | FLIP noise floor |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|\n",
                flipSpp);
    for (const MeshRow& r : rows) {
        const auto flip = [](double v) {
            char text[32] = "-";
            if (v >= 0) std::snprintf(text, sizeof text, "%.4f", v);
            return std::string(text);
        };
        std::printf("| %s | %.1f | %.1f | %.1f | %.0f | %.1f | %s | %s |\n", r.name.c_str(),
                    r.tri.ms, r.fld.ms, r.fld.ms / r.tri.ms, r.fld.calls, r.fld.steps,
                    flip(r.flip).c_str(), flip(r.flipFloor).c_str());
    }
    return 0;
}

} // namespace nerva::cli
