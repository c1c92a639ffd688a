// nerva bench materials: the shading cost of each reference layered material,
// the figure neural materials must beat.
//   CPU: ns per shade of the C++ build (fetch with textures + eval + pdf +
//        sample, what a hit does for one light and the continuation), one
//        thread, median over repeats, against a Lambert-only material.
//   GPU: time per frame (1 spp) of the shader-ball scene with that material
//        on every ball, against the same scene with a Lambert-only material,
//        in the same run; medians over frames.
#include "arg_parser.h"
#include "bench_common.h"
#include "commands.h"

#include "neural/material/layered_json.h"
#include "neural/material/material_set.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "renderer/vk/context.h"
#include "shaders/shared/layered/layered_bsdf.h"
#include "shaders/shared/layered/layered_fetch.h"
#include "shaders/shared/rng.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace nerva::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Median ns per shade of material 0 of `set` over `repeats` passes.
double cpuNsPerShade(const material::LayeredMaterialSet& set, const std::vector<ShadeInput>& in,
                     int repeats) {
    const shared::LayeredView v = set.view();
    std::vector<double> ns;
    volatile float sink = 0.0f;
    for (int r = 0; r < repeats; ++r) {
        float acc = 0.0f;
        const auto t0 = Clock::now();
        for (const ShadeInput& e : in) {
            const shared::LayeredPoint p = shared::layeredFetch(v, 0u, e.tc);
            const shared::vec3 f = shared::layeredEval(p, v.tables, e.wo, e.wi);
            const float pdf = shared::layeredPdf(p, v.tables, e.wo, e.wi);
            const shared::LobeSample s = shared::layeredSample(p, v.tables, e.wo, e.u);
            acc += f.x + pdf + s.weight.y;
        }
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        sink = sink + acc;
        ns.push_back(sec * 1e9 / double(in.size()));
    }
    return medianOf(ns);
}

} // namespace

int benchMaterials(const ArgParser& args) {
    const std::string scenePath =
        args.get("--scene", std::string(NERVA_ASSET_DIR) + "/scenes/shaderball/shaderball.gltf");
    scene::Scene model = scene::loadGltf(scenePath);
    const uint32_t frames = args.getUint("--frames", 8, 3, 1000);
    const uint32_t shades = args.getUint("--shades", 200000, 1000, 100000000);
    pt::RenderSettings rs;
    rs.width = rs.height = 256;
    args.getSize("--size", rs.width, rs.height);
    rs.camera = model.cameras[scene::findCamera(model, args.get("--camera", "main"))];
    rs.spp = 1;
    rs.neuralMaterials = false; // the layered references are measured here

    // The materials to measure: every layered material the scene names.
    std::vector<std::string> files;
    for (const scene::Material& m : model.materials)
        if (!m.layeredUri.empty() &&
            std::find(files.begin(), files.end(), m.layeredUri) == files.end())
            files.push_back(m.layeredUri);
    if (files.empty()) throw Error(scenePath + ": no material with NERVA_materials_layered");
    const std::string lambert = writeLambertMaterial();

    BenchGpu bench(args);
    const vk::Context& ctx = bench.ctx;
    pt::PathTracer& tracer = bench.tracer;
    const EnvironmentMap& envMap = bench.env;

    const std::vector<ShadeInput> inputs = shadeInputs(shades);
    // Frame time with every ball wearing `file`.
    auto frameMs = [&](const std::string& file) {
        scene::Scene m = model;
        for (scene::Material& mat : m.materials)
            if (!mat.layeredUri.empty()) mat.layeredUri = file;
        return medianFrameMs(ctx, tracer, m, envMap, rs, frames);
    };
    auto cpuNs = [&](const std::string& file) {
        material::LayeredMaterialSet set;
        set.add(material::loadLayeredMaterialJson(file));
        return std::pair(cpuNsPerShade(set, inputs, 5), set.textureBytes());
    };

    std::printf("scene %s, %ux%u, 1 spp per frame, %u frames, on %s\n", scenePath.c_str(), rs.width,
                rs.height, frames, ctx.report().name.c_str());
    std::printf("CPU: %u shades (fetch + eval + pdf + sample), one thread, median of 5\n\n",
                shades);
    std::printf("%-16s %8s %10s %10s %10s %10s %10s\n", "material", "layers", "CPU ns", "x lambert",
                "GPU ms", "x lambert", "tex MB");
    const auto [baseNs, baseBytes] = cpuNs(lambert);
    const double baseMs = frameMs(lambert);
    std::printf("%-16s %8d %10.0f %10.2f %10.2f %10.2f %10.1f\n", "lambert (base)", 1, baseNs, 1.0,
                baseMs, 1.0, double(baseBytes) / 1e6);
    std::fflush(stdout);
    for (const std::string& file : files) {
        const material::LayeredMaterialDesc d = material::loadLayeredMaterialJson(file);
        const auto [ns, bytes] = cpuNs(file);
        const double ms = frameMs(file);
        std::printf("%-16s %8d %10.0f %10.2f %10.2f %10.2f %10.1f\n", d.name.c_str(),
                    std::popcount(d.layers), ns, ns / baseNs, ms, ms / baseMs, double(bytes) / 1e6);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace nerva::cli
