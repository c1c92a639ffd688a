// nerva bench neural: neural materials against their layered references,
// all measured in one run on one device.
//   CPU shading: ns per shade of the C++ build of the shared shading code
//     (one thread, median of 5): reference = layered fetch + eval + pdf +
//     sample; neural = latent level + fetch + sampler network + decoder for
//     eval + mixture pdf + mixture sample + decoder for its weight (what a hit
//     does for one light and the continuation).
//   GPU frame: ms per 1-spp frame of the shader-ball scene with the material
//     on every ball (median of --frames), reference and neural.
//   GPU shading: the same with direct light only (same rays for every
//     material) minus that frame with a Lambert-only material.
//     Every scene keeps the same neural network shape, so one pipeline serves
//     all (no recompilation between the measurements).
//   Quality: mean FLIP of neural vs reference at --flip-spp (--flip-size, the
//     material's close-up camera), next to the noise floor: the reference
//     against itself rendered with another seed (what is left of the noise).
//   Memory: the neural material's bytes on the device (RGBA16F latents with
//     their mips + fp32 weights) against the reference's texture bytes.
#include "arg_parser.h"
#include "bench_common.h"
#include "commands.h"

#include "neural/core/error.h"
#include "neural/formats/nmat.h"
#include "neural/material/layered_json.h"
#include "neural/material/material_set.h"
#include "neural/material/neural_eval_cpu.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "renderer/vk/context.h"
#include "shaders/shared/layered/layered_bsdf.h"

#include <cstdio>

namespace nerva::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Median ns per shade of `shade(input)` over `repeats` passes.
template <typename Shade>
double nsPerShade(const std::vector<ShadeInput>& in, int repeats, Shade&& shade) {
    std::vector<double> ns;
    volatile float sink = 0.0f;
    for (int r = 0; r < repeats; ++r) {
        float acc = 0.0f;
        const auto t0 = Clock::now();
        for (const ShadeInput& e : in)
            acc += shade(e);
        sink = sink + acc;
        ns.push_back(std::chrono::duration<double>(Clock::now() - t0).count() * 1e9 /
                     double(in.size()));
    }
    return medianOf(ns);
}

double layeredNs(const std::string& json, const std::vector<ShadeInput>& in, size_t& texBytes) {
    material::LayeredMaterialSet set;
    set.add(material::loadLayeredMaterialJson(json));
    texBytes = set.textureBytes();
    const shared::LayeredView v = set.view();
    return nsPerShade(in, 5, [&](const ShadeInput& e) {
        const shared::LayeredPoint p = shared::layeredFetch(v, 0u, e.tc);
        const shared::vec3 f = shared::layeredEval(p, v.tables, e.wo, e.wi);
        const float pdf = shared::layeredPdf(p, v.tables, e.wo, e.wi);
        const shared::LobeSample s = shared::layeredSample(p, v.tables, e.wo, e.u);
        return f.x + pdf + s.weight.y;
    });
}

double neuralNs(const formats::NmatAsset& asset, const std::vector<ShadeInput>& in) {
    const material::NeuralMaterialPack pack(std::span<const formats::NmatAsset>(&asset, 1));
    const shared::NeuralView v = pack.view();
    const shared::GpuNeuralMaterial& m = pack.records()[0];
    return nsPerShade(in, 5, [&](const ShadeInput& e) {
        const uint level = shared::neuralLatentLevel(m, e.tc.footprint0, e.u.x);
        const shared::NeuralLatent z = shared::neuralFetchLatent(v, m, e.tc.uv0, level);
        const shared::SamplerMixture mix = shared::neuralSamplerMixture(v, m, z, e.wo);
        const shared::vec3 f = shared::neuralEval(v, m, z, e.wo, e.wi);
        const float pdf = shared::samplerMixturePdf(mix, e.wo, e.wi);
        shared::LobeSample s = shared::samplerMixtureSample(mix, e.wo, e.u);
        if (s.pdf > 0.0f) s.weight = shared::neuralEval(v, m, z, e.wo, s.wi) / s.pdf;
        return f.x + pdf + s.weight.y;
    });
}

bool hasCamera(const scene::Scene& s, const std::string& name) {
    return std::any_of(s.cameras.begin(), s.cameras.end(),
                       [&](const scene::Camera& c) { return c.name == name; });
}

struct Measured {
    std::string name;
    double cpuRef = 0, cpuNeural = 0;       // ns per shade
    double frameRef = 0, frameNeural = 0;   // ms per frame
    double directRef = 0, directNeural = 0; // ms per direct-light-only frame
    double flip = -1;                       // neural vs reference; < 0: not measured
    double flipFloor = -1;                  // reference vs reference with another seed (noise)
    size_t refBytes = 0, neuralBytes = 0, fileBytes = 0;
};

} // namespace

int benchNeural(const ArgParser& args) {
    const std::string scenePath =
        args.get("--scene", std::string(NERVA_ASSET_DIR) + "/scenes/shaderball/shaderball.gltf");
    const scene::Scene model = scene::loadGltf(scenePath);
    const uint32_t frames = args.getUint("--frames", 8, 3, 1000);
    const uint32_t shades = args.getUint("--shades", 100000, 1000, 100000000);
    const uint32_t flipSpp = args.getUint("--flip-spp", 256, 0, 1u << 20);
    uint32_t flipW = 128, flipH = 128;
    args.getSize("--flip-size", flipW, flipH);
    pt::RenderSettings rs;
    rs.width = rs.height = 256;
    args.getSize("--size", rs.width, rs.height);
    rs.camera = model.cameras[scene::findCamera(model, args.get("--camera", "main"))];
    rs.spp = 1;
    rs.seed = 1;

    // The materials with a neural version, in scene order.
    std::vector<const scene::Material*> mats;
    for (const scene::Material& m : model.materials)
        if (!m.neuralUri.empty() && !m.layeredUri.empty()) mats.push_back(&m);
    if (mats.empty())
        throw Error(scenePath + ": no material with NERVA_materials_neural and _layered");
    const std::string lambert = writeLambertMaterial();

    BenchGpu bench(args);
    const vk::Context& ctx = bench.ctx;
    pt::PathTracer& tracer = bench.tracer;
    const EnvironmentMap& envMap = bench.env;
    rs.neuralPrecision = pt::NeuralPrecision::Auto;

    // Median frame time of `m` (every ball's layered and neural files
    // replaced when given), neural or reference.
    auto frameMs = [&](const scene::Scene& m, bool neural, uint32_t bounces) {
        pt::RenderSettings s = rs;
        s.neuralMaterials = neural;
        s.maxBounces = bounces;
        return medianFrameMs(ctx, tracer, m, envMap, s, frames, {true});
    };
    auto wearing = [&](const std::string& layered, const std::string& neural) {
        scene::Scene m = model;
        for (scene::Material& mat : m.materials)
            if (!mat.neuralUri.empty()) {
                if (!layered.empty()) mat.layeredUri = layered;
                if (!neural.empty()) mat.neuralUri = neural;
            }
        return m;
    };

    const std::vector<ShadeInput> inputs = shadeInputs(shades);
    std::printf("scene %s on %s; neural decoder %s\n", scenePath.c_str(), ctx.report().name.c_str(),
                tracer.neuralPrecision(rs.neuralPrecision).second.c_str());
    std::printf("CPU: %u shades, one thread, median of 5. GPU: %ux%u, 1 spp per frame, median of "
                "%u frames, every ball wearing the material (camera %s)\n",
                shades, rs.width, rs.height, frames, args.get("--camera", "main").c_str());
    // Shading cost: frames of direct light only (camera ray, one shade, the
    // environment's shadow ray; --max-bounces 0), so that every material
    // traces the same rays (with bounces, path lengths follow the albedo),
    // minus the same frame with Lambert on every ball, rendered as reference
    // with the first material's network so that the pipeline is the same.
    const double baseMs = frameMs(wearing(lambert, mats[0]->neuralUri), false, 0);
    std::printf("baseline (Lambert, direct light only) frame %.2f ms\n\n", baseMs);
    std::fflush(stdout);

    std::vector<Measured> rows;
    for (const scene::Material* mat : mats) {
        Measured r;
        r.name = mat->name;
        const formats::NmatAsset asset = formats::readNmat(mat->neuralUri);
        r.cpuRef = layeredNs(mat->layeredUri, inputs, r.refBytes);
        r.cpuNeural = neuralNs(asset, inputs);
        const scene::Scene all = wearing(mat->layeredUri, mat->neuralUri);
        r.frameRef = frameMs(all, false, rs.maxBounces);
        r.frameNeural = frameMs(all, true, rs.maxBounces);
        r.directRef = frameMs(all, false, 0);
        r.directNeural = frameMs(all, true, 0);
        // What GpuNeuralMaterials uploads: fp16 latents (all levels), fp32 weights.
        for (const formats::NmatLatentLevel& l : asset.levels)
            r.neuralBytes += l.texels.size() * 2;
        for (const formats::NmatNetwork& n : asset.networks)
            r.neuralBytes += n.params.size() * sizeof(float);
        r.fileBytes = std::filesystem::file_size(mat->neuralUri);
        if (flipSpp > 0 && hasCamera(model, mat->name)) {
            std::vector<std::string> w;
            gpu::GpuScene g(ctx, model, w, {true});
            g.setEnvironment(envMap);
            pt::RenderSettings s = rs;
            s.width = flipW;
            s.height = flipH;
            s.spp = flipSpp;
            s.camera = model.cameras[scene::findCamera(model, mat->name)];
            // Reference with seeds 1 and 2, neural with seed 2: the noise
            // floor (reference vs itself) next to the neural's difference.
            s.neuralMaterials = false;
            const ImageRGBA32F ref = toDisplay(tracer.render(g, s).beauty);
            s.seed = 2;
            const ImageRGBA32F ref2 = toDisplay(tracer.render(g, s).beauty);
            s.neuralMaterials = true;
            const ImageRGBA32F neural = toDisplay(tracer.render(g, s).beauty);
            r.flip = computeFlip(ref, neural).mean;
            r.flipFloor = computeFlip(ref, ref2).mean;
        }
        rows.push_back(r);
        std::printf("%-16s CPU %7.0f / %7.0f ns (x%.2f)  frame %8.2f / %8.2f ms  shading %8.2f / "
                    "%8.2f ms (x%.2f)  FLIP %.4f (noise floor %.4f)\n",
                    r.name.c_str(), r.cpuRef, r.cpuNeural, r.cpuRef / r.cpuNeural, r.frameRef,
                    r.frameNeural, r.directRef - baseMs, r.directNeural - baseMs,
                    (r.directRef - baseMs) / (r.directNeural - baseMs), r.flip, r.flipFloor);
        std::fflush(stdout);
    }
    // All materials at once: the scene as it is.
    const double allRef = frameMs(model, false, rs.maxBounces),
                 allNeural = frameMs(model, true, rs.maxBounces);
    const double allDirectRef = frameMs(model, false, 0), allDirectNeural = frameMs(model, true, 0);

    std::printf(
        "\n| material | CPU shade ref / neural (ns) | x | GPU frame ref / neural (ms) | x | "
        "GPU shading ref / neural (ms) | x | mean FLIP (%u spp, %ux%u) | FLIP noise floor | "
        "memory ref / neural (MB) | .nmat MB |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
        flipSpp, flipW, flipH);
    for (const Measured& r : rows)
        std::printf(
            "| %s | %.0f / %.0f | %.2f | %.2f / %.2f | %.2f | %.2f / %.2f | %.2f | %s | %s | "
            "%.2f / %.2f | %.2f |\n",
            r.name.c_str(), r.cpuRef, r.cpuNeural, r.cpuRef / r.cpuNeural, r.frameRef,
            r.frameNeural, r.frameRef / r.frameNeural, r.directRef - baseMs,
            r.directNeural - baseMs, (r.directRef - baseMs) / (r.directNeural - baseMs),
            r.flip >= 0 ? std::to_string(r.flip).substr(0, 6).c_str() : "-",
            r.flipFloor >= 0 ? std::to_string(r.flipFloor).substr(0, 6).c_str() : "-",
            double(r.refBytes) / 1e6, double(r.neuralBytes) / 1e6, double(r.fileBytes) / 1e6);
    std::printf(
        "| all five (scene as is) | | | %.2f / %.2f | %.2f | %.2f / %.2f | %.2f | | | | |\n",
        allRef, allNeural, allRef / allNeural, allDirectRef - baseMs, allDirectNeural - baseMs,
        (allDirectRef - baseMs) / (allDirectNeural - baseMs));
    return 0;
}

} // namespace nerva::cli
