// nerva bench training: training throughput (samples per second of forward,
// loss, backward and Adam) of our trainer (neural/nn) against PyTorch on the
// CPU (tools/bench/torch_decoder.py, Debian's python3-torch) on the same
// decoder, batch, loss and optimiser and the same thread count, alternating
// the two in one run; medians over repeats and their ratio.
#include "arg_parser.h"
#include "commands.h"

#include "neural/core/error.h"
#include "neural/nn/throughput.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace nerva::cli {
namespace {

double medianOfValues(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// "2x32" -> hidden widths {32, 32}.
std::vector<uint32_t> parseDecoder(const std::string& s) {
    const size_t x = s.find('x');
    char* end = nullptr;
    const unsigned long n = x == std::string::npos ? 0 : std::strtoul(s.c_str(), &end, 10);
    const unsigned long w = n ? std::strtoul(s.c_str() + x + 1, &end, 10) : 0;
    if (!n || !w || *end || n > 8 || w > 256)
        throw Error("bench: --decoder expects LAYERSxWIDTH like 2x32, got '" + s + "'");
    return std::vector<uint32_t>(n, uint32_t(w));
}

// Runs the PyTorch baseline; nullopt-like negative value with `why` set when
// it cannot run.
double torchSamplesPerSecond(const std::string& widths, size_t batch, unsigned threads,
                             double seconds, std::string& why) {
    const std::string script = std::string(NERVA_ASSET_DIR) + "/../tools/bench/torch_decoder.py";
    // Debian's python3-torch belongs to the system interpreter, which a
    // python3 earlier on PATH (pyenv, venvs) may not see.
    const std::string python =
        std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    const std::string cmd = python + " '" + script + "' --widths " + widths + " --batch " +
                            std::to_string(batch) + " --threads " + std::to_string(threads) +
                            " --seconds " + std::to_string(seconds) + " 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) {
        why = "cannot run python3";
        return -1.0;
    }
    std::string out;
    std::array<char, 512> buf{};
    while (fgets(buf.data(), int(buf.size()), pipe.get()))
        out += buf.data();
    const nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        why = "the PyTorch script printed no result";
        return -1.0;
    }
    if (j.contains("error")) {
        why = j["error"].get<std::string>();
        return -1.0;
    }
    return j.value("samples_per_second", -1.0);
}

} // namespace

int benchTraining(const ArgParser& args) {
    const std::vector<uint32_t> hidden = parseDecoder(args.get("--decoder", "2x32"));
    const size_t batch = args.getUint("--batch", 4096, 32, 1u << 20);
    const unsigned threads = args.getUint("--threads", 2, 1, 256);
    const uint32_t repeats = args.getUint("--repeats", 3, 1, 100);
    const double seconds = double(args.getUint("--seconds", 3, 1, 600));

    std::vector<uint32_t> widths{20};
    widths.insert(widths.end(), hidden.begin(), hidden.end());
    widths.push_back(3);
    std::vector<nn::LayerSpec> spec;
    std::string widthList;
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
        const bool last = i + 2 == widths.size();
        spec.push_back(
            {widths[i], widths[i + 1], true, last ? nn::Activation::Exp3 : nn::Activation::ReLU});
    }
    for (size_t i = 0; i < widths.size(); ++i)
        widthList += (i ? "," : "") + std::to_string(widths[i]);

    std::printf("decoder %s (ReLU, exp(x - 3) output), batch %zu, %u threads, L1-log loss + Adam,\n"
                "%u repeats of %.0f s each, alternating ours and PyTorch\n\n",
                widthList.c_str(), batch, threads, repeats, seconds);
    std::vector<double> ours, torch;
    std::string why;
    for (uint32_t r = 0; r < repeats; ++r) {
        ours.push_back(nn::trainingSamplesPerSecond(spec, batch, threads, seconds));
        std::printf("  ours    %12.0f samples/s\n", ours.back());
        std::fflush(stdout);
        if (why.empty()) {
            const double t = torchSamplesPerSecond(widthList, batch, threads, seconds, why);
            if (t > 0.0) {
                torch.push_back(t);
                std::printf("  PyTorch %12.0f samples/s\n", t);
            } else {
                std::printf("  PyTorch: %s\n", why.c_str());
            }
            std::fflush(stdout);
        }
    }
    const double o = medianOfValues(ours);
    std::printf("\nours (median)    %12.0f samples/s\n", o);
    if (!torch.empty()) {
        const double t = medianOfValues(torch);
        std::printf("PyTorch (median) %12.0f samples/s\nratio ours / PyTorch: %.2fx\n", t, o / t);
    }
    return 0;
}

} // namespace nerva::cli
