// End-to-end checks of `nerva bake` with a tiny budget: a library material
// bakes to a readable .nmat that `nerva info` prints (and the checkpoint is
// gone); bad input gives one error line, exit code 2 and no output file.
#include "neural/formats/nmat.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using nerva::test::RunResult;

fs::path scratch() {
    static const fs::path d = nerva::test::scratchDir("cli-bake-test");
    return d;
}

RunResult runCli(const std::string& args) {
    return nerva::test::runCommand(std::string(NERVA_CLI) + " " + args, scratch());
}

std::string library(const std::string& name) {
    return std::string(NERVA_SOURCE_DIR_FOR_TESTS) + "/assets/materials/" + name;
}

constexpr const char* kTiny = " --iterations 20 --latent-size 8 --batch 256 --threads 2";

TEST(CliBake, BakesLibraryMaterial) {
    const fs::path out = scratch() / "velvet.nmat";
    const fs::path log = scratch() / "velvet.csv";
    const RunResult r = runCli("bake " + library("velvet.json") + " -o " + out.string() + kTiny +
                               " --log " + log.string());
    EXPECT_FALSE(r.signaled) << r.err;
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("PSNR"), std::string::npos) << r.out;
    ASSERT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out.string() + ".ckpt"));
    const nerva::formats::NmatAsset a = nerva::formats::readNmat(out.string());
    EXPECT_EQ(a.levels.size(), 4u);
    EXPECT_EQ(a.levels[0].width, 8u);
    EXPECT_EQ(a.networks.size(), 3u);
    EXPECT_TRUE(a.metrics.contains("levels"));
    EXPECT_EQ(a.training.at("iterations"), 20);

    const std::string csv = nerva::test::readAll(log);
    EXPECT_EQ(csv.rfind("iteration,phase,loss,lr,seconds,sampler_loss\n", 0), 0u) << csv;
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 21) << csv;
    EXPECT_NE(csv.find(",latent,"), std::string::npos) << csv;

    const RunResult info = runCli("info " + out.string());
    EXPECT_EQ(info.exitCode, 0) << info.err;
    EXPECT_FALSE(info.out.empty());
}

// Ctrl-C (SIGINT) mid-bake writes the checkpoint and exits 130 with no
// output; --resume finishes, writes the output and removes the checkpoint.
TEST(CliBake, InterruptAndResume) {
    const fs::path out = scratch() / "interrupted.nmat";
    const std::string bake = std::string(NERVA_CLI) + " bake " + library("velvet.json") + " -o " +
                             out.string() +
                             " --iterations 2500 --latent-size 8 --batch 256 --threads 2 --quiet";
    const RunResult r = nerva::test::runCommand(
        "sh -c '" + bake + " & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo rc=$?'", scratch());
    ASSERT_NE(r.out.find("rc=130"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(out.string() + ".ckpt"));
    EXPECT_FALSE(fs::exists(out));

    const RunResult resumed = nerva::test::runCommand(bake + " --resume", scratch());
    EXPECT_EQ(resumed.exitCode, 0) << resumed.err;
    EXPECT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out.string() + ".ckpt"));
}

TEST(CliBake, BadJsonIsExitTwoAndNoOutput) {
    const fs::path bad = scratch() / "bad.json";
    std::ofstream(bad) << "{\"nerva_layered_material\": 1, \"layers\": [";
    const fs::path out = scratch() / "bad.nmat";
    const RunResult r = runCli("bake " + bad.string() + " -o " + out.string() + kTiny);
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
}

TEST(CliBake, UnwritableOutputAndMissingCheckpoint) {
    const std::string src = library("velvet.json");
    const fs::path out = scratch() / "no-such-folder" / "x.nmat";
    RunResult r = runCli("bake " + src + " -o " + out.string() + kTiny);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_FALSE(fs::exists(out));

    const fs::path fresh = scratch() / "fresh.nmat";
    r = runCli("bake " + src + " -o " + fresh.string() + kTiny + " --resume");
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("checkpoint"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(fresh));
}

} // namespace
