// `nerva`: one command-line tool with git-style subcommands.
#include "commands.h"

#include "neural/core/error.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>

namespace {

struct Subcommand {
    const char* name;
    int (*run)(const nerva::cli::Args&);
    const char* summary;
};

constexpr Subcommand kSubcommands[] = {
    {"render", nerva::cli::cmdRender, "render a glTF scene headless to PNG/EXR"},
    {"compare", nerva::cli::cmdCompare, "compare two images (RMSE, PSNR, FLIP)"},
    {"info", nerva::cli::cmdInfo, "print what a scene file holds and the Vulkan devices"},
    {"bench", nerva::cli::cmdBench, "measure convergence and speed (medians of repeats)"},
    {"bake", nerva::cli::cmdBake, "train a neural material (.nmat) from a layered material"},
    {"fit", nerva::cli::cmdFit, "fit a tri-plane field (.ntri) to a triangle mesh"},
};

void printUsage(FILE* out) {
    std::fprintf(out, "usage: nerva <command> [arguments]\n\ncommands:\n");
    for (const Subcommand& c : kSubcommands)
        std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
    std::fprintf(out, "\n'nerva <command> --help' describes a command.\n");
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        printUsage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string_view name = argv[1];
    for (const Subcommand& c : kSubcommands) {
        if (name != c.name) continue;
        try {
            return c.run(nerva::cli::Args(argv + 2, argv + argc));
        } catch (const nerva::Error& e) {
            std::fprintf(stderr, "nerva %s: error: %s\n", c.name, e.what());
            return 2;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "nerva %s: internal error: %s\n", c.name, e.what());
            return 3;
        }
    }
    std::fprintf(stderr, "nerva: unknown command '%s'\n", argv[1]);
    printUsage(stderr);
    return 2;
}
