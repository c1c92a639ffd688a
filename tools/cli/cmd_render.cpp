// nerva render: load a glTF scene, path trace it headless, write PNG or EXR.
#include "arg_parser.h"
#include "commands.h"
#include "interrupt_guard.h"

#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/image_io.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/pathtracer/render_config.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "renderer/shader/shader_compiler.h"
#include "renderer/vk/context.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>
#include <set>

#include <unistd.h>

namespace nerva::cli {
namespace {

constexpr const char* kUsage =
    "usage: nerva render SCENE.gltf|.glb -o OUT.png|.exr|.hdr [options]\n"
    "  --size WxH            image size (default 256x256)\n"
    "  --spp N               samples per pixel (default 16)\n"
    "  --seed S              random seed (default 0); same seed, same image\n"
    "  --max-bounces B       path segments after the camera ray (default 4)\n"
    "  --camera NAME|INDEX   a camera of the scene (default: the first, else one framing the "
    "scene)\n"
    "  --look-from X,Y,Z --look-at X,Y,Z [--up X,Y,Z] [--fov DEGREES]\n"
    "                        camera override (vertical field of view, default 45)\n"
    "  --env sky|constant|FILE.hdr|FILE.exr  environment (default sky, importance sampled);\n"
    "                        --env-color R,G,B (constant) --env-intensity K --env-rotation "
    "DEGREES\n"
    "  --exposure STOPS      PNG exposure before the tonemap (default 0)\n"
    "  --tonemap aces|reinhard|clamp  PNG tone curve (default aces)\n"
    "  --aov LIST            also write auxiliary outputs: albedo,normal,depth,samples,variance;\n"
    "                        EXR output gets them as layers, other formats as OUT.<aov>.exr\n"
    "  --sampling mis|light|bsdf  how paths find light (default mis)\n"
    "  --rr-depth N          Russian roulette from path depth N (default 3, 0 = off)\n"
    "  --clamp L             clamp each contribution's luminance to L (biased; default off)\n"
    "  --field FILE.ntri     add a tri-plane SDF field (docs/fields.md), its box [-1,1]^3\n"
    "                        placed at --at X,Y,Z (default 0,0,0) scaled by --scale S (default "
    "1),\n"
    "                        shaded with --field-material NAME|INDEX (default material)\n"
    "  --materials neural|reference  render materials that have a neural version\n"
    "                        (NERVA_materials_neural) with it (default) or with their reference\n"
    "  --reference-materials A,B  these materials (names or indices) render their reference\n"
    "  --neural-precision auto|fp32|fp16  the neural decoder's arithmetic (default auto)\n"
    "  --debug-view latents[:K]|level|steps|normals  show, instead of radiance, neural\n"
    "                        materials' latent channels K..K+2 (default 0), the latent level\n"
    "                        chosen per pixel, fields' sphere-tracing steps as a heat map, or\n"
    "                        the first hit's shading normal\n"
    "  --strict              a neural material that cannot be used is an error (exit 2)\n"
    "                        instead of a warning and its reference\n"
    "  --device INDEX|NAME   Vulkan device (see 'nerva info')\n"
    "  --validation          enable the Vulkan validation layer\n"
    "  --quiet               no progress output\n"
    "Ctrl-C stops after the current batch and writes the samples done (exit code 130).\n";

const std::vector<std::string> kAovNames = {"albedo", "normal", "depth", "samples", "variance"};

std::vector<std::string> parseAovs(const std::string& list) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < list.size()) {
        const size_t comma = std::min(list.find(',', start), list.size());
        const std::string name = list.substr(start, comma - start);
        if (std::find(kAovNames.begin(), kAovNames.end(), name) == kAovNames.end())
            throw Error("render: unknown AOV '" + name +
                        "' (known: albedo, normal, depth, samples, variance)");
        out.push_back(name);
        start = comma + 1;
    }
    return out;
}

const ImageRGBA32F& aovImage(const pt::RenderOutput& r, const std::string& name) {
    if (name == "albedo") return r.albedo;
    if (name == "normal") return r.normal;
    if (name == "depth") return r.depth;
    if (name == "samples") return r.samples;
    return r.variance;
}

// The beauty image, plus AOVs as EXR layers of the same file (EXR output) or
// as OUT.<aov>.exr files beside it. Every file is written atomically; AOV
// files are written first so the main output appears last.
void writeOutputs(const std::string& out, const pt::RenderOutput& r,
                  const std::vector<std::string>& aovs, const WriteOptions& write) {
    if (aovs.empty()) return writeImage(out, r.beauty, write);
    if (imageFormatOf(out) == ImageFormat::Exr) {
        std::vector<ExrLayer> layers = {{"", &r.beauty}};
        for (const std::string& a : aovs)
            layers.push_back({a, &aovImage(r, a)});
        return writeExrLayers(out, r.beauty.width, r.beauty.height, layers);
    }
    const std::string stem = out.substr(0, out.rfind('.'));
    for (const std::string& a : aovs)
        writeImage(stem + "." + a + ".exr", aovImage(r, a));
    writeImage(out, r.beauty, write);
}

} // namespace

int cmdRender(const Args& argv) {
    // Every option but these few is the view's (pt::RenderConfig), shared
    // with nerva-view, which prints a view back as this command line.
    std::set<std::string> valued = {"-o", "--output", "--device", "--aov"};
    std::set<std::string> flags = {"--validation", "--quiet", "--help", "-h"};
    for (const auto& [name, takesValue] : pt::renderConfigOptions())
        (takesValue ? valued : flags).insert(name);
    const ArgParser args("render", argv, valued, flags);
    const std::string out = args.get("-o", args.get("--output"));
    if (const int rc = checkUsage(args, kUsage, out); rc >= 0) return rc;
    imageFormatOf(out); // unsupported extension: fail before any work

    pt::RenderConfig config;
    config.scene = args.positional()[0];
    for (const auto& [name, value] : args.values())
        if (pt::renderConfigOptions().count(name))
            pt::applyRenderOption(config, "render", name, value);
    pt::checkRenderConfig(config, "render");
    const std::string& scenePath = config.scene;
    // The environment is read before any Vulkan work, so a bad map fails fast.
    const std::optional<EnvironmentMap> envMap = pt::configEnvironment(config);
    const std::vector<std::string> aovs = parseAovs(args.get("--aov"));
    WriteOptions write;
    write.exposure = config.exposure;
    write.tonemap = config.tonemap;
    write.displayValues = config.debugView != 0; // colour maps, shown as they are
    const bool quiet = args.has("--quiet");
    const InterruptGuard interruptGuard; // from here on Ctrl-C keeps what is done

    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    scene::Scene sceneModel = scene::loadGltf(scenePath);
    pt::addConfigField(sceneModel, config, "render");
    const pt::RenderSettings settings = pt::configRenderSettings(config, sceneModel);
    for (const std::string& w : sceneModel.warnings)
        std::fprintf(stderr, "warning: %s: %s\n", scenePath.c_str(), w.c_str());

    vk::ContextOptions vkOptions;
    vkOptions.validation = args.has("--validation");
    vkOptions.device = args.get("--device");
    vk::Context ctx(vkOptions);
    ShaderCompiler compiler;
    std::vector<std::string> gpuWarnings;
    gpu::GpuSceneOptions sceneOptions;
    sceneOptions.strictNeural = config.strict;
    gpu::GpuScene gpuScene(ctx, sceneModel, gpuWarnings, sceneOptions);
    if (envMap) gpuScene.setEnvironment(*envMap);
    for (const std::string& w : gpuWarnings)
        std::fprintf(stderr, "warning: %s: %s\n", scenePath.c_str(), w.c_str());
    pt::PathTracer tracer(ctx, compiler);
    const double setup = std::chrono::duration<double>(Clock::now() - t0).count();

    const bool tty = isatty(fileno(stderr));
    pt::RenderStats stats;
    gpuScene.fields().resetStats();
    const auto renderStart = Clock::now();
    const pt::RenderOutput result =
        tracer.render(gpuScene, settings, &stats, [&](uint32_t done, uint32_t total) {
            if (interrupted()) return false; // Ctrl-C: keep what is done
            if (quiet || !tty) return true;
            // The ETA extrapolates the samples after the first (which carries
            // the shader JIT on lavapipe).
            const double elapsed =
                std::chrono::duration<double>(Clock::now() - renderStart).count();
            const double eta = done > 1 ? elapsed / done * (total - done) : 0.0;
            std::fprintf(stderr, "\rrendering %u/%u spp, %.1f s, ETA %.1f s   ", done, total,
                         elapsed, eta);
            return true;
        });
    if (!quiet && tty) std::fputc('\n', stderr);
    if (ctx.validationErrors() > 0) {
        std::fprintf(
            stderr,
            "nerva render: error: %u Vulkan validation errors (see above); no image written\n",
            ctx.validationErrors());
        return 3;
    }
    writeOutputs(out, result, aovs, write);
    if (stats.samples < settings.spp) {
        std::fprintf(stderr, "nerva render: interrupted: wrote %s with %u of %u spp\n", out.c_str(),
                     stats.samples, settings.spp);
        return 130;
    }
    std::printf("%s: %ux%u, %u spp, %u bounces on %s\n", out.c_str(), settings.width,
                settings.height, settings.spp, settings.maxBounces, ctx.report().name.c_str());
    std::printf("triangles %llu, setup %.2f s, render %.2f s (first sample %.2f s), %.3f Mrays/s\n",
                static_cast<unsigned long long>(gpuScene.triangleCount()), setup, stats.seconds,
                stats.firstSampleSeconds, stats.mraysPerSecond);
    if (const gpu::GpuNeuralMaterials* n = gpuScene.neural().set.get()) {
        std::printf("neural materials %u (%s), decoder %s\n", n->materialCount(),
                    settings.neuralMaterials ? "rendered" : "not used: --materials reference",
                    tracer.neuralPrecision(settings.neuralPrecision).second.c_str());
    }
    if (gpuScene.fields().count() > 0) {
        const gpu::FieldStats fs = gpuScene.fields().stats();
        std::printf("fields %zu: %llu intersection calls, %.1f sphere-tracing steps per call\n",
                    gpuScene.fields().count(), static_cast<unsigned long long>(fs.calls),
                    fs.stepsPerCall());
    }
    return 0;
}

int cmdInfo(const Args& argv) {
    const ArgParser args("info", argv, {}, {"--help", "-h"});
    if (args.has("--help") || args.has("-h")) {
        std::puts("usage: nerva info [SCENE.gltf|.glb|MATERIAL.json|MATERIAL.nmat|FIELD.ntri]\n"
                  "  without a file: lists Vulkan devices and what each lacks for Nerva\n"
                  "  MATERIAL.json: a layered "
                  "material (docs/layered-materials.md)\n  MATERIAL.nmat: a neural material "
                  "(docs/nmat-format.md)\n  FIELD.ntri: a tri-plane field (docs/ntri-format.md)");
        return 0;
    }
    if (args.positional().empty()) {
        for (const vk::DeviceReport& d : vk::listDevices()) {
            std::printf("device %u: %s (%s), Vulkan %u.%u, driver %s\n", d.index, d.name.c_str(),
                        d.type.c_str(), VK_API_VERSION_MAJOR(d.apiVersion),
                        VK_API_VERSION_MINOR(d.apiVersion), d.driver.c_str());
            if (d.missing.empty())
                std::puts("  suitable: ray-tracing pipeline and all required features");
            for (const std::string& m : d.missing)
                std::printf("  missing: %s\n", m.c_str());
        }
        return 0;
    }
    for (const std::string& path : args.positional()) {
        if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
            infoLayeredMaterial(path);
            continue;
        }
        if (path.size() > 5 && path.compare(path.size() - 5, 5, ".nmat") == 0) {
            infoNeuralMaterial(path);
            continue;
        }
        if (path.size() > 5 && path.compare(path.size() - 5, 5, ".ntri") == 0) {
            infoTriplaneField(path);
            continue;
        }
        const scene::Scene s = scene::loadGltf(path);
        std::printf("%s\n  meshes %zu, instances %zu, triangles %zu, materials %zu, textures %zu, "
                    "images %zu\n",
                    path.c_str(), s.meshes.size(), s.instances.size(), scene::triangleCount(s),
                    s.materials.size(), s.textures.size(), s.images.size());
        std::printf("  bounds (%.3g, %.3g, %.3g) - (%.3g, %.3g, %.3g)\n", s.boundsMin.x,
                    s.boundsMin.y, s.boundsMin.z, s.boundsMax.x, s.boundsMax.y, s.boundsMax.z);
        for (size_t i = 0; i < s.cameras.size(); ++i)
            std::printf("  camera %zu: %s\n", i, s.cameras[i].name.c_str());
        for (const scene::Light& l : s.lights)
            std::printf("  light: %s (%s)\n", l.name.c_str(),
                        l.type == scene::LightType::Directional ? "directional"
                        : l.type == scene::LightType::Point     ? "point"
                                                                : "spot");
        for (const std::string& w : s.warnings)
            std::printf("  warning: %s\n", w.c_str());
    }
    return 0;
}

} // namespace nerva::cli
