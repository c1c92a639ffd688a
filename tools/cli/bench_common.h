// Helpers shared by the `nerva bench` shading measurements
// (bench_materials.cpp, bench_neural.cpp): medians, the random shading inputs
// both measure on, and the Lambert-only baseline material.
#pragma once

#include "arg_parser.h"

#include "renderer/gpu/gpu_scene.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/vk/context.h"
#include "shaders/shared/layered/layered_fetch.h"
#include "shaders/shared/rng.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace nerva::cli {

inline double medianOf(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// One shading query: uv with a small footprint, two directions above the
// horizon, three random numbers (deterministic: the same inputs every run).
struct ShadeInput {
    shared::LayeredUv tc;
    shared::vec3 wo, wi, u;
};

inline std::vector<ShadeInput> shadeInputs(uint32_t n) {
    std::vector<ShadeInput> in(n);
    for (uint32_t i = 0; i < n; ++i) {
        uint rng = shared::rngSeed(0xbe7c4u, 0u, i);
        auto next = [&] { return shared::rngNext(rng); };
        auto dir = [&] {
            const float z = 0.05f + 0.95f * next(), phi = shared::kTwoPi * next();
            const float s = std::sqrt(1.0f - z * z);
            return shared::vec3(s * std::cos(phi), s * std::sin(phi), z);
        };
        ShadeInput& e = in[i];
        e.tc = shared::layeredUvFinest(shared::vec2(next(), next()));
        e.tc.footprint0 = e.tc.footprint1 = 1e-4f * (1.0f + 10.0f * next());
        e.wo = dir();
        e.wi = dir();
        e.u = shared::vec3(next(), next(), next());
    }
    return in;
}

// A Lambert-only material file (the baseline), written to a temporary folder.
inline std::string writeLambertMaterial() {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "nerva-bench";
    std::filesystem::create_directories(dir);
    const std::filesystem::path p = dir / "lambert.json";
    std::ofstream(p) << R"({"nerva_layered_material": 1, "name": "lambert",
  "layers": [{"type": "diffuse", "color": [0.5, 0.5, 0.5]}]})";
    return p.string();
}

// What the GPU benches render with: the device of --device, a path tracer,
// and the environment of --env (default the sunset map of the assets).
struct BenchGpu {
    explicit BenchGpu(const ArgParser& args)
        : ctx(options(args)), tracer(ctx, compiler),
          env(loadEnvironmentMap(
              args.get("--env", std::string(NERVA_ASSET_DIR) + "/env/sunset.hdr"))) {}
    static vk::ContextOptions options(const ArgParser& args) {
        vk::ContextOptions o;
        o.device = args.get("--device");
        return o;
    }
    vk::Context ctx;
    ShaderCompiler compiler;
    pt::PathTracer tracer;
    EnvironmentMap env;
};

// Median ms per 1-spp frame of `model` under `settings` over `frames`
// frames, after one frame that compiles the pipeline (first time) and warms up.
inline double medianFrameMs(const vk::Context& ctx, pt::PathTracer& tracer,
                            const scene::Scene& model, const EnvironmentMap& env,
                            const pt::RenderSettings& settings, uint32_t frames,
                            const gpu::GpuSceneOptions& options = {}) {
    std::vector<std::string> warnings;
    gpu::GpuScene scene(ctx, model, warnings, options);
    scene.setEnvironment(env);
    tracer.begin(scene, settings);
    tracer.addSamples(1);
    std::vector<double> ms;
    for (uint32_t f = 0; f < frames; ++f) {
        const auto t0 = std::chrono::steady_clock::now();
        tracer.addSamples(1);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    return medianOf(ms);
}

} // namespace nerva::cli
