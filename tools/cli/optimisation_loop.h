// What the long optimisation commands (`nerva bake`, `nerva fit`) share
// around their step loop: the --log CSV file, Ctrl-C turned into a checkpoint,
// and the clock behind the progress line's elapsed time and ETA.
#pragma once

#include "arg_parser.h"
#include "interrupt_guard.h"

#include "neural/core/error.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

namespace nerva::cli {

// --log FILE.csv (null without it): appended to with --resume, else started
// afresh with the `header` line.
inline std::unique_ptr<std::ofstream> openCsvLog(const ArgParser& args, const char* header) {
    if (!args.has("--log")) return nullptr;
    auto log = std::make_unique<std::ofstream>(
        args.get("--log"), args.has("--resume") ? std::ios::app : std::ios::trunc);
    if (!*log) throw Error(args.get("--log") + ": cannot write");
    if (!args.has("--resume")) *log << header << '\n';
    return log;
}

// After Ctrl-C (an InterruptGuard must be alive): ends the progress line,
// writes the job's checkpoint, says how to continue and returns true (the
// command then exits with 130). `Job` has progress().iteration and
// saveCheckpoint(path).
template <typename Job>
bool checkpointOnInterrupt(const char* command, Job& job, const std::string& checkpoint,
                           uint64_t iterations, bool tty) {
    if (!interrupted()) return false;
    if (tty) std::fputc('\n', stderr);
    job.saveCheckpoint(checkpoint);
    std::fprintf(stderr,
                 "nerva %s: interrupted at iteration %llu of %llu: wrote %s "
                 "(continue with --resume)\n",
                 command, static_cast<unsigned long long>(job.progress().iteration),
                 static_cast<unsigned long long>(iterations), checkpoint.c_str());
    return true;
}

// Seconds since the loop started and the ETA extrapolated from the
// iterations done in this run (a resumed run starts counting anew).
class LoopClock {
  public:
    explicit LoopClock(uint64_t startIteration) : start_(startIteration) {}
    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    }
    double eta(double elapsed, uint64_t iteration, uint64_t total) const {
        return elapsed / double(iteration - start_) * double(total - iteration);
    }
    // The progress line is redrawn every 10 iterations and at the end.
    static bool redraw(uint64_t iteration, uint64_t total) {
        return iteration % 10 == 0 || iteration == total;
    }

  private:
    std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
    uint64_t start_;
};

} // namespace nerva::cli
