// `nerva bake SOURCE -o OUT.nmat`: trains a neural material from a layered
// reference material (a JSON file or scene.gltf#Material, bake_source.h) on
// the CPU (neural/material/trainer.h).
#include "arg_parser.h"
#include "bake_source.h"
#include "commands.h"
#include "interrupt_guard.h"
#include "optimisation_loop.h"

#include "neural/core/error.h"
#include "neural/formats/nmat.h"
#include "neural/material/layered_json.h"
#include "neural/material/material_set.h"
#include "neural/material/trainer.h"

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
    "usage: nerva bake SOURCE -o OUT.nmat [options]\n"
    "  SOURCE is a layered material (.json) or scene.gltf#MaterialName\n"
    "  --preview | --final   budget presets (about 1 min / 10 min on 2 cores; default preview)\n"
    "  --iterations N        training iterations (overrides the preset)\n"
    "  --batch N             samples per iteration\n"
    "  --latent-size N       texels across the finest latent level\n"
    "  --decoder LxW         decoder hidden layers, e.g. 2x16, 2x32, 3x64\n"
    "  --seed N              training seed (default 1); same seed, same result\n"
    "  --min-alpha A         widen the reference's GGX lobes to alpha >= A in the targets\n"
    "                        (default 0.02; 0 = the exact reference)\n"
    "                        (near-mirror lobes cannot be learned by a small decoder)\n"
    "  --threads N           worker threads (default: all cores); does not change the result\n"
    "  --resume              continue from OUT.nmat.ckpt (made with the same options)\n"
    "  --log FILE.csv        write iteration,phase,loss,lr,seconds,sampler_loss\n"
    "  --quiet               no progress line\n"
    "Ctrl-C writes OUT.nmat.ckpt and exits with code 130; --resume continues from it.\n";

// Fails early (exit 2) when `out` cannot be written: a probe file next to it.
void checkWritable(const std::string& out) {
    const std::string probe = out + ".probe-" + std::to_string(::getpid());
    std::ofstream f(probe, std::ios::binary);
    const bool ok = bool(f);
    f.close();
    std::error_code ec;
    std::filesystem::remove(probe, ec);
    if (!ok) throw Error(out + ": cannot write (the folder does not exist or is not writable)");
}

} // namespace

int cmdBake(const Args& argv) {
    const ArgParser args("bake", argv,
                         {"-o", "--output", "--iterations", "--batch", "--latent-size", "--decoder",
                          "--seed", "--threads", "--log", "--min-alpha"},
                         {"--preview", "--final", "--resume", "--quiet", "--help", "-h"});
    const std::string out = args.get("-o", args.get("--output"));
    if (const int rc = checkUsage(args, kUsage, out); rc >= 0) return rc;
    if (args.has("--preview") && args.has("--final"))
        throw Error("bake: --preview and --final exclude each other");
    material::BakeOptions opt =
        args.has("--final") ? material::BakeOptions::final() : material::BakeOptions::preview();
    opt.iterations = args.getUint("--iterations", uint32_t(opt.iterations), 1);
    opt.batch = args.getUint("--batch", opt.batch, 1, 1u << 20);
    opt.latentResolution = args.getUint("--latent-size", opt.latentResolution, 1, 4096);
    opt.decoder = args.get("--decoder", opt.decoder);
    opt.seed = args.getUint("--seed", uint32_t(opt.seed));
    opt.minLobeAlpha = args.getFloat("--min-alpha", opt.minLobeAlpha);
    if (!(opt.minLobeAlpha >= 0.0f && opt.minLobeAlpha <= 1.0f))
        throw Error("bake: --min-alpha must be in [0, 1]");
    opt.threads = args.getUint("--threads", 0, 0, 256);
    const bool quiet = args.has("--quiet");

    const std::string source = args.positional()[0];
    const BakeSource src = loadBakeSource(source);
    checkWritable(out);
    const std::string ckpt = out + ".ckpt";
    material::Trainer trainer(src.set, 0, opt);
    if (args.has("--resume")) trainer.loadCheckpoint(ckpt);

    const std::unique_ptr<std::ofstream> log =
        openCsvLog(args, "iteration,phase,loss,lr,seconds,sampler_loss");
    const bool tty = !quiet && isatty(fileno(stderr));
    const LoopClock clock(trainer.progress().iteration);
    InterruptGuard guard;
    while (!trainer.done()) {
        if (checkpointOnInterrupt("bake", trainer, ckpt, opt.iterations, tty)) return 130;
        const material::TrainPhase phase =
            trainer.progress().iteration < trainer.encoderIterations()
                ? material::TrainPhase::Encoder
                : material::TrainPhase::Latent;
        const double loss = trainer.step();
        const material::TrainProgress p = trainer.progress();
        const double elapsed = clock.elapsed();
        if (log)
            *log << p.iteration << ',' << material::trainPhaseName(phase) << ',' << loss << ','
                 << p.lr << ',' << elapsed << ',' << p.samplerLoss << '\n';
        if (tty && LoopClock::redraw(p.iteration, p.total)) {
            const double eta = clock.eta(elapsed, p.iteration, p.total);
            std::fprintf(stderr,
                         "\rbaking %llu/%llu [%s] loss %.4f, %.0f samples/s, %.1f s, ETA %.1f s   ",
                         static_cast<unsigned long long>(p.iteration),
                         static_cast<unsigned long long>(p.total), material::trainPhaseName(phase),
                         p.lossEma, p.samplesPerSecond, elapsed, eta);
        }
    }
    if (tty) std::fputc('\n', stderr);
    if (log) log->close();

    const material::BrdfReport report =
        trainer.evaluate(material::Trainer::heldOutSeed(opt.seed), 4096);
    const double seconds = clock.elapsed();
    nlohmann::json metrics = report.toJson();
    metrics["final_loss_ema"] = trainer.progress().lossEma;
    metrics["seconds_this_run"] = seconds;
    const std::string& name = src.name;
    formats::writeNmat(trainer.toNmat(name, source, src.hash, metrics), out);
    std::error_code ec;
    std::filesystem::remove(ckpt, ec);
    std::printf("%s", report.format().c_str());
    std::printf("%s: %s, %llu iterations of %u samples, latents %u, decoder %s, %.1f s\n",
                out.c_str(), name.c_str(), static_cast<unsigned long long>(opt.iterations),
                opt.batch, opt.latentResolution, opt.decoder.c_str(), seconds);
    return 0;
}

} // namespace nerva::cli
