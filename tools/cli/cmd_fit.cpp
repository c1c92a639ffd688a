// `nerva fit MESH -o OUT.ntri`: fits a tri-plane field (.ntri) to a triangle
// mesh on the CPU (neural/field/field_fit.h) and reports Chamfer-L1, normal
// consistency, F-score and IoU against the mesh.
#include "arg_parser.h"
#include "commands.h"
#include "interrupt_guard.h"
#include "optimisation_loop.h"

#include "neural/core/error.h"
#include "neural/field/field_fit.h"
#include "neural/field/mesh_io.h"
#include "neural/formats/ntri.h"
#include "renderer/scene/gltf_loader.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include <unistd.h>

namespace nerva::cli {
namespace {

constexpr const char* kUsage =
    "usage: nerva fit MESH -o OUT.ntri [options]\n"
    "  MESH                  .obj, .ply, .off, or a .gltf/.glb scene (all instances, world space)\n"
    "  --node NAME           glTF: only the mesh instances placed by node NAME\n"
    "  --kind K              sdf (default) or occupancy\n"
    "  --resolution N        plane texels per side (default 128)\n"
    "  --channels N          features per texel (default 16)\n"
    "  --multires            add coarser plane levels at 1/2 and 1/4 resolution\n"
    "  --iterations N        optimisation steps (default 3000)\n"
    "  --batch N             samples per step (default 8192)\n"
    "  --lr-planes X         planes' learning rate (default 0.02)\n"
    "  --lr-mlp X            MLP's learning rate (default 0.005)\n"
    "  --tv X                total-variation weight on the planes (default 0.1)\n"
    "  --u8                  store the planes as 8 bits per value (default fp16)\n"
    "  --eval-grid N         cells per side for the metrics (default 128)\n"
    "  --pool N              points per sample pool (default 262144)\n"
    "  --seed N              seed (default 1); same seed, same result for any --threads\n"
    "  --threads N           worker threads (default: all cores)\n"
    "  --resume              continue from OUT.ntri.ckpt (made with the same options)\n"
    "  --log FILE.csv        write iteration,loss,loss_ema,lr,seconds\n"
    "  --quiet               no progress line\n"
    "Ctrl-C writes OUT.ntri.ckpt and exits with code 130; --resume continues from it.\n";

std::string lowerExtension(const std::string& path) {
    std::string e = std::filesystem::path(path).extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    return e;
}

// The instances of a glTF scene (all, or those placed by node `node`) as
// one world-space triangle soup.
field::TriangleMesh loadGltfMesh(const std::string& path, const std::string& node) {
    const scene::Scene s = scene::loadGltf(path);
    field::TriangleMesh m;
    bool found = false;
    for (const scene::Instance& inst : s.instances) {
        if (!node.empty() && inst.node != node) continue;
        found = true;
        for (const scene::Primitive& p : s.meshes.at(inst.mesh).primitives) {
            const uint32_t base = uint32_t(m.positions.size());
            for (const glm::vec3& v : p.positions)
                m.positions.push_back(glm::vec3(inst.toWorld * glm::vec4(v, 1.0f)));
            for (size_t i = 0; i + 2 < p.indices.size(); i += 3)
                m.triangles.push_back(glm::uvec3(p.indices[i], p.indices[i + 1], p.indices[i + 2]) +
                                      base);
        }
    }
    if (!node.empty() && !found)
        throw errorAt(path, "no node named \"" + node + "\" places a mesh");
    if (m.triangles.empty()) throw errorAt(path, "the scene has no triangles");
    field::validateMesh(m, path);
    return m;
}

field::TriangleMesh loadMesh(const std::string& path, const std::string& node) {
    const std::string e = lowerExtension(path);
    if (e == ".gltf" || e == ".glb") return loadGltfMesh(path, node);
    if (!node.empty()) throw Error("fit: --node applies to glTF scenes only");
    return field::loadMeshFile(path);
}

void checkWritable(const std::string& out) {
    const std::string probe = out + ".probe-" + std::to_string(::getpid());
    std::ofstream f(probe, std::ios::binary);
    const bool ok = bool(f);
    f.close();
    std::error_code ec;
    std::filesystem::remove(probe, ec);
    if (!ok) throw Error(out + ": cannot write (the folder does not exist or is not writable)");
}

std::string fileHash(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", formats::crc32(bytes.data(), bytes.size()));
    return hex;
}

} // namespace

int cmdFit(const Args& argv) {
    const ArgParser args("fit", argv,
                         {"-o", "--output", "--kind", "--resolution", "--channels", "--iterations",
                          "--batch", "--lr-planes", "--lr-mlp", "--tv", "--eval-grid", "--pool",
                          "--node", "--seed", "--threads", "--log"},
                         {"--multires", "--u8", "--resume", "--quiet", "--help", "-h"});
    const std::string out = args.get("-o", args.get("--output"));
    if (const int rc = checkUsage(args, kUsage, out); rc >= 0) return rc;
    field::FitOptions opt;
    opt.kind = field::parseFieldKind(args.get("--kind", "sdf"), "fit: --kind");
    opt.resolution = args.getUint("--resolution", opt.resolution, 2, 4096);
    opt.channels = args.getUint("--channels", opt.channels, 1, 64);
    opt.levels = args.has("--multires") ? 3 : 1;
    opt.iterations = args.getUint("--iterations", uint32_t(opt.iterations), 1);
    opt.batch = args.getUint("--batch", opt.batch, 1, 1u << 20);
    opt.lrPlanes = args.getFloat("--lr-planes", opt.lrPlanes);
    opt.lrMlp = args.getFloat("--lr-mlp", opt.lrMlp);
    opt.planeTv = args.getFloat("--tv", opt.planeTv);
    opt.poolSize = args.getUint("--pool", opt.poolSize, 1, 1u << 24);
    opt.seed = args.getUint("--seed", uint32_t(opt.seed));
    opt.threads = args.getUint("--threads", 0, 0, 256);
    field::FieldMetricOptions metricOptions;
    metricOptions.grid = args.getUint("--eval-grid", metricOptions.grid, 8, 512);
    const bool quiet = args.has("--quiet");

    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    const std::string source = args.positional()[0];
    const field::TriangleMesh mesh = loadMesh(source, args.get("--node"));
    checkWritable(out);
    const std::string ckpt = out + ".ckpt";
    field::FieldFitter fitter(mesh, opt, source);
    if (args.has("--resume")) fitter.loadCheckpoint(ckpt);

    const std::unique_ptr<std::ofstream> log =
        openCsvLog(args, "iteration,loss,loss_ema,lr,seconds");
    const bool tty = !quiet && isatty(fileno(stderr));
    const LoopClock clock(fitter.progress().iteration);
    InterruptGuard guard;
    while (!fitter.done()) {
        if (checkpointOnInterrupt("fit", fitter, ckpt, opt.iterations, tty)) return 130;
        const double loss = fitter.step();
        const field::FitProgress p = fitter.progress();
        const double elapsed = clock.elapsed();
        if (log)
            *log << p.iteration << ',' << loss << ',' << p.lossEma << ',' << p.lr << ',' << elapsed
                 << '\n';
        if (tty && LoopClock::redraw(p.iteration, p.total)) {
            std::fprintf(stderr, "\rfitting %llu/%llu loss %.5f, %.1f s, ETA %.1f s   ",
                         static_cast<unsigned long long>(p.iteration),
                         static_cast<unsigned long long>(p.total), p.lossEma, elapsed,
                         clock.eta(elapsed, p.iteration, p.total));
        }
    }
    if (tty) std::fputc('\n', stderr);
    if (log) log->close();
    const double fitSeconds = clock.elapsed();

    const auto tEval = Clock::now();
    const field::FieldMetrics metrics = fitter.evaluate(metricOptions);
    const double evalSeconds = std::chrono::duration<double>(Clock::now() - tEval).count();
    nlohmann::json m = metrics.toJson();
    m["final_loss_ema"] = fitter.progress().lossEma;
    m["fit_seconds_this_run"] = fitSeconds;
    m["metrics_grid"] = metricOptions.grid;
    formats::writeNtri(fitter.toNtri(source, fileHash(source), m, args.has("--u8")), out);
    std::error_code ec;
    std::filesystem::remove(ckpt, ec);
    const double total = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("%s", metrics.format().c_str());
    std::printf("%s: %s field %u^2 x %u%s, %llu iterations of %u samples, fit %.1f s, "
                "metrics %.1f s, total %.1f s\n",
                out.c_str(), field::fieldKindName(opt.kind), opt.resolution, opt.channels,
                opt.levels > 1 ? " (multires)" : "",
                static_cast<unsigned long long>(opt.iterations), opt.batch, fitSeconds, evalSeconds,
                total);
    return 0;
}

} // namespace nerva::cli
