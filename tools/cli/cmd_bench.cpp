// nerva bench: performance and convergence measurements. Ratios come from one
// run; times are medians over repeats. Never a timed test.
#include "arg_parser.h"
#include "commands.h"

#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/metrics.h"
#include "renderer/image/plot.h"
#include "renderer/image/tonemap.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "renderer/vk/context.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace nerva::cli {

int benchMaterials(const ArgParser& args); // bench_materials.cpp
int benchTraining(const ArgParser& args);  // bench_training.cpp
int benchNeural(const ArgParser& args);    // bench_neural.cpp
int benchFields(const ArgParser& args);    // bench_fields.cpp
int benchDecoder(const ArgParser& args);   // bench_decoder.cpp

namespace {

constexpr const char* kUsage =
    "usage: nerva bench convergence|decoder|materials|neural|training [options]\n"
    "  RMSE against a high-spp reference versus samples per pixel and time, with MIS\n"
    "  and with BSDF sampling only; prints a table and writes PNG plots. RMSE is\n"
    "  given on linear radiance (sensitive to rare bright paths, e.g. caustics of\n"
    "  the sun through glossy metal) and on the tonemapped display image (plotted).\n"
    "  --scene PATH        glTF scene (default assets/scenes/demo/demo.gltf)\n"
    "  --camera NAME       (default: main, else the first)\n"
    "  --size WxH          (default 96x96)\n"
    "  --reference-spp N   (default 2048)\n"
    "  --spp LIST          comma-separated sample counts (default 16,64,256)\n"
    "  --repeats R         seeds per point; RMSE and time are medians (default 1)\n"
    "  --plot OUT.png      (default convergence.png)\n"
    "  --env FILE.hdr|.exr environment map (default: the procedural sky)\n"
    "  --device INDEX|NAME\n"
    "\n"
    "nerva bench materials [--scene SHADERBALL.gltf] [--size WxH] [--frames N]\n"
    "                      [--shades N] [--camera NAME] [--env FILE]\n"
    "  Shading cost of each layered material the scene names (NERVA_materials_layered):\n"
    "  CPU ns per shade (fetch + eval + pdf + sample, one thread, median of 5) and GPU\n"
    "  ms per 1-spp frame of the scene with that material on every ball (median of\n"
    "  --frames, default 8, at --size, default 256x256), each against a Lambert-only\n"
    "  material measured in the same run.\n"
    "\n"
    "nerva bench fields [--size WxH] [--frames N] [--flip-spp N] [--quick] [--device D]\n"
    "  The demo meshes (torus knot, CSG part) as tri-plane fields: fitting time and quality\n"
    "  (Chamfer-L1, normal consistency, F-score, IoU) at 128^2x16 and 256^2x32; frame time of\n"
    "  the field against the same mesh as triangles in one run, sphere-tracing steps per\n"
    "  intersection call, FLIP of the field render against the triangle render. --quick:\n"
    "  short fits (a smoke run).\n"
    "\n"
    "nerva bench neural [--scene SHADERBALL.gltf] [--size WxH] [--frames N] [--shades N]\n"
    "                   [--camera NAME] [--env FILE] [--flip-spp N] [--flip-size WxH]\n"
    "  Each neural material (NERVA_materials_neural) against its layered reference, in\n"
    "  one run: CPU ns per shade of the shared code (one thread, median of 5), GPU ms per\n"
    "  1-spp frame with it on every ball and the shading part of it (a direct-light-only\n"
    "  frame minus the same with a Lambert baseline), mean FLIP of converged renders on its "
    "close-up camera (--flip-spp,\n"
    "  default 256, 0 = skip; --flip-size, default 128x128), device bytes; then the scene\n"
    "  with all of them at once.\n"
    "\n"
    "nerva bench training [--decoder 2x32] [--batch N] [--threads N] [--seconds S]\n"
    "                     [--repeats R]\n"
    "  Training throughput (forward + L1-log loss + backward + Adam, samples/s) of our\n"
    "  trainer against PyTorch on the CPU (python3-torch) on the same decoder, batch and\n"
    "  thread count (default 4096, 2), alternating in one run; medians and the ratio.\n"
    "\n"
    "nerva bench decoder [--count N] [--repeats R] [--device INDEX|NAME]\n"
    "  Neural decoder evaluations per second on each library material (batch of --count\n"
    "  queries of one material, default 262144; GPU timestamps, median of --repeats,\n"
    "  default 5): scalar fp32 kernel against the cooperative-matrix kernel (fp16 x fp16\n"
    "  -> fp32) where the device has one, the ratio, and why the matrix path is or is\n"
    "  not available.\n";

std::vector<uint32_t> parseList(const std::string& s) {
    std::vector<uint32_t> out;
    size_t start = 0;
    while (start < s.size()) {
        const size_t comma = std::min(s.find(',', start), s.size());
        const std::string item = s.substr(start, comma - start);
        char* end = nullptr;
        const unsigned long v = std::strtoul(item.c_str(), &end, 10);
        if (item.empty() || *end || v == 0 || v > (1u << 20))
            throw Error("bench: --spp expects a list of positive counts, got '" + s + "'");
        out.push_back(uint32_t(v));
        start = comma + 1;
    }
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

int benchConvergence(const ArgParser& args) {
    const std::string scenePath =
        args.get("--scene", std::string(NERVA_ASSET_DIR) + "/scenes/demo/demo.gltf");
    const scene::Scene model = scene::loadGltf(scenePath);
    pt::RenderSettings base;
    base.width = base.height = 96;
    args.getSize("--size", base.width, base.height);
    const uint32_t refSpp = args.getUint("--reference-spp", 2048, 1, 1u << 20);
    const std::vector<uint32_t> spps = parseList(args.get("--spp", "16,64,256"));
    const uint32_t repeats = args.getUint("--repeats", 1, 1, 100);
    const std::string plot = args.get("--plot", "convergence.png");
    if (args.has("--camera"))
        base.camera = model.cameras[scene::findCamera(model, args.get("--camera"))];
    else if (!model.cameras.empty()) {
        base.camera = model.cameras[0];
        for (const scene::Camera& c : model.cameras)
            if (c.name == "main") base.camera = c;
    } else
        base.camera = scene::defaultCamera(model, float(base.width) / float(base.height));

    vk::ContextOptions vkOptions;
    vkOptions.device = args.get("--device");
    vk::Context ctx(vkOptions);
    ShaderCompiler compiler;
    std::vector<std::string> warnings;
    gpu::GpuScene gpuScene(ctx, model, warnings);
    if (args.has("--env")) gpuScene.setEnvironment(loadEnvironmentMap(args.get("--env")));
    pt::PathTracer tracer(ctx, compiler);

    std::printf("scene %s, %ux%u on %s\n", scenePath.c_str(), base.width, base.height,
                ctx.report().name.c_str());
    std::printf("reference: %u spp with MIS ...\n", refSpp);
    std::fflush(stdout);
    pt::RenderSettings ref = base;
    ref.spp = refSpp;
    ref.seed = 0x5eed;
    pt::RenderStats refStats;
    const ImageRGBA32F reference = tracer.render(gpuScene, ref, &refStats).beauty;
    const ImageRGBA32F referenceDisplay = toDisplay(reference);
    std::printf("reference took %.1f s\n\n", refStats.seconds);

    struct Mode {
        const char* name;
        uint32_t sampling;
        std::array<float, 3> color;
    };
    const Mode modes[] = {{"MIS", shared::kSamplingMis, {0.85f, 0.2f, 0.1f}},
                          {"BSDF only", shared::kSamplingBsdf, {0.1f, 0.3f, 0.85f}}};
    std::vector<PlotSeries> bySpp, byTime;
    std::printf("%-10s %8s %12s %14s %10s\n", "sampling", "spp", "RMSE linear", "RMSE display",
                "time (s)");
    for (const Mode& m : modes) {
        PlotSeries s{m.name, m.color, {}}, t{m.name, m.color, {}};
        for (uint32_t spp : spps) {
            std::vector<double> errors, displayErrors, times;
            for (uint32_t r = 0; r < repeats; ++r) {
                pt::RenderSettings run = base;
                run.spp = spp;
                run.seed = 1000 + r;
                run.samplingMode = m.sampling;
                pt::RenderStats st;
                const ImageRGBA32F img = tracer.render(gpuScene, run, &st).beauty;
                errors.push_back(rmse(reference, img));
                displayErrors.push_back(rmse(referenceDisplay, toDisplay(img)));
                times.push_back(st.seconds);
            }
            const double e = median(errors), d = median(displayErrors), time = median(times);
            std::printf("%-10s %8u %12.6f %14.6f %10.3f\n", m.name, spp, e, d, time);
            std::fflush(stdout);
            s.points.push_back({double(spp), d});
            t.points.push_back({time, d});
        }
        bySpp.push_back(s);
        byTime.push_back(t);
    }
    writeLogLogPlot(plot, bySpp, "display RMSE vs samples per pixel", "samples per pixel", "RMSE");
    const std::string timePlot = plot.substr(0, plot.rfind('.')) + ".time.png";
    writeLogLogPlot(timePlot, byTime, "display RMSE vs render time", "seconds", "RMSE");
    std::printf("\nwrote %s and %s\n", plot.c_str(), timePlot.c_str());
    return 0;
}

} // namespace

int cmdBench(const Args& argv) {
    const ArgParser args("bench", argv,
                         {"--scene", "--camera", "--size", "--reference-spp", "--spp", "--repeats",
                          "--plot", "--device", "--env", "--frames", "--shades", "--decoder",
                          "--batch", "--threads", "--seconds", "--flip-spp", "--flip-size",
                          "--count"},
                         {"--help", "-h", "--quick"});
    if (args.has("--help") || args.has("-h")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (args.positional().size() == 1 && args.positional()[0] == "materials")
        return benchMaterials(args);
    if (args.positional().size() == 1 && args.positional()[0] == "neural") return benchNeural(args);
    if (args.positional().size() == 1 && args.positional()[0] == "fields") return benchFields(args);
    if (args.positional().size() == 1 && args.positional()[0] == "decoder")
        return benchDecoder(args);
    if (args.positional().size() == 1 && args.positional()[0] == "training")
        return benchTraining(args);
    if (args.positional().size() != 1 || args.positional()[0] != "convergence") {
        std::fputs(kUsage, stderr);
        return 2;
    }
    return benchConvergence(args);
}

} // namespace nerva::cli
