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
    // SIGINT once training runs (its log has lines), not during start-up.
    const fs::path log = scratch() / "interrupted.csv";
    const RunResult r = nerva::test::runCommand(
        "sh -c '" + bake + " --log " + log.string() + " & pid=$!; n=0; while [ $n -lt 100 ] && " +
            "[ $(cat " + log.string() + " 2>/dev/null | wc -l) -lt 20 ]; do sleep 0.1; " +
            "n=$((n+1)); done; kill -INT $pid; wait $pid; echo rc=$?'",
        scratch());
    ASSERT_NE(r.out.find("rc=130"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(out.string() + ".ckpt"));
    EXPECT_FALSE(fs::exists(out));

    const RunResult resumed =
        nerva::test::runCommand(bake + " --resume --log " + log.string(), scratch());
    EXPECT_EQ(resumed.exitCode, 0) << resumed.err;
    EXPECT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out.string() + ".ckpt"));
}

std::string shaderBall() {
    return std::string(NERVA_SOURCE_DIR_FOR_TESTS) + "/assets/scenes/shaderball/shaderball.gltf";
}

// scene.gltf#Material bakes one glTF material; a material that names a
// layered JSON (NERVA_materials_layered) gets the same content hash as that
// JSON baked directly.
TEST(CliBake, BakesGltfMaterialsByName) {
    const fs::path pedestal = scratch() / "pedestal.nmat";
    RunResult r = runCli("bake " + shaderBall() + "#pedestal_dark_grey -o " + pedestal.string() +
                         kTiny + " --quiet");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const nerva::formats::NmatAsset a = nerva::formats::readNmat(pedestal.string());
    EXPECT_EQ(a.name, "pedestal_dark_grey");
    EXPECT_EQ(a.sourceHash.size(), 8u);

    const fs::path viaGltf = scratch() / "velvet-gltf.nmat",
                   viaJson = scratch() / "velvet-json.nmat";
    r = runCli("bake " + shaderBall() + "#velvet -o " + viaGltf.string() + kTiny + " --quiet");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = runCli("bake " + library("velvet.json") + " -o " + viaJson.string() + kTiny + " --quiet");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string h1 = nerva::formats::readNmat(viaGltf.string()).sourceHash;
    EXPECT_EQ(h1, nerva::formats::readNmat(viaJson.string()).sourceHash);
    EXPECT_NE(h1, a.sourceHash);
}

TEST(CliBake, UnknownGltfMaterialOrNoNameIsExitTwo) {
    const fs::path out = scratch() / "unknown.nmat";
    RunResult r = runCli("bake " + shaderBall() + "#no_such -o " + out.string() + kTiny);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("shaderball.gltf"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("car_paint"), std::string::npos) << r.err; // lists what it has
    EXPECT_FALSE(fs::exists(out));
    r = runCli("bake " + shaderBall() + " -o " + out.string() + kTiny);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("#MaterialName"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
}

// A material whose texture file is missing: the error names the material
// file and the texture, nothing is written.
TEST(CliBake, MissingTextureIsExitTwo) {
    const fs::path src = scratch() / "untextured.json";
    std::ofstream(src) << R"({"nerva_layered_material": 1, "name": "untextured", "layers": [
        {"type": "diffuse", "color": {"texture": "textures/missing.png"}}]})";
    const fs::path out = scratch() / "untextured.nmat";
    const RunResult r = runCli("bake " + src.string() + " -o " + out.string() + kTiny);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("untextured.json"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("missing.png"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out));
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
