// Running the project's programs from tests: a per-process scratch folder,
// whole-file reads, and a shell command with stdout/stderr captured.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace nerva::test {

// A fresh folder for this test process (named by `tag` and the pid).
inline std::filesystem::path scratchDir(const std::string& tag) {
    namespace fs = std::filesystem;
    fs::path p = fs::temp_directory_path() / ("nerva-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

inline std::string readAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

struct RunResult {
    int exitCode = -1;     // -1 when the process did not exit normally
    bool signaled = false; // killed by a signal (a crash)
    std::string out, err;
};

// Runs `command` through the shell, capturing its output in `dir`.
inline RunResult runCommand(const std::string& command, const std::filesystem::path& dir) {
    const auto out = dir / "stdout.txt", err = dir / "stderr.txt";
    const int status = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
    RunResult r;
    r.signaled = WIFSIGNALED(status);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = readAll(out);
    r.err = readAll(err);
    return r;
}

#ifdef NERVA_CLI
// The scratch folder of this test process's CLI runs (ctest runs every test
// in its own process).
inline const std::filesystem::path& cliScratch() {
    static const std::filesystem::path d = scratchDir("cli");
    return d;
}

// Runs `nerva ARGS` through the shell, output captured in cliScratch().
inline RunResult runCli(const std::string& args) {
    return runCommand(std::string(NERVA_CLI) + " " + args, cliScratch());
}
#endif

} // namespace nerva::test
