// End-to-end checks of `nerva fit` with a tiny budget: an OBJ fits to a
// readable .ntri that `nerva info` prints; Ctrl-C leaves a checkpoint that
// --resume finishes; bad input (missing file, no triangles, NaN vertices,
// all-degenerate triangles, content not matching the extension, unwritable
// output) gives one error line naming the file, exit code 2 and no output.
#include "neural/field/demo_meshes.h"
#include "neural/field/mesh_io.h"
#include "neural/formats/ntri.h"
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
    static const fs::path d = nerva::test::scratchDir("cli-fit-test");
    return d;
}

RunResult runCli(const std::string& args) {
    return nerva::test::runCommand(std::string(NERVA_CLI) + " " + args, scratch());
}

constexpr const char* kTiny = " --resolution 16 --channels 4 --iterations 30 --batch 512 "
                              "--pool 4096 --eval-grid 24 --threads 2 --quiet";

fs::path sphereObj() {
    const fs::path p = scratch() / "sphere.obj";
    if (!fs::exists(p)) nerva::field::saveMeshObj(nerva::field::makeIcosphere(2, 0.8f), p.string());
    return p;
}

fs::path writeFile(const std::string& name, const std::string& text) {
    const fs::path p = scratch() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

TEST(CliFit, FitsObjAndInfoPrintsIt) {
    const fs::path out = scratch() / "sphere.ntri";
    const fs::path log = scratch() / "sphere.csv";
    const RunResult r = runCli("fit " + sphereObj().string() + " -o " + out.string() + kTiny +
                               " --log " + log.string());
    EXPECT_FALSE(r.signaled) << r.err;
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const char* metric : {"chamfer-L1", "normal consistency", "F-score", "IoU", "fit "})
        EXPECT_NE(r.out.find(metric), std::string::npos) << r.out;
    ASSERT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out.string() + ".ckpt"));
    const nerva::formats::NtriAsset a = nerva::formats::readNtri(out.string());
    EXPECT_EQ(a.resolution, 16u);
    EXPECT_EQ(a.channels, 4u);
    EXPECT_TRUE(a.metrics.contains("iou"));
    EXPECT_EQ(a.sourceName, sphereObj().string());
    const std::string csv = nerva::test::readAll(log);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 31) << csv;

    const RunResult info = runCli("info " + out.string());
    EXPECT_EQ(info.exitCode, 0) << info.err;
    EXPECT_NE(info.out.find("tri-plane field"), std::string::npos) << info.out;
}

// A glTF scene: the instances of one node, in world space.
TEST(CliFit, FitsGltfNode) {
    const std::string scene =
        std::string(NERVA_SOURCE_DIR_FOR_TESTS) + "/assets/scenes/shaderball/shaderball.gltf";
    const fs::path out = scratch() / "ball.ntri";
    const RunResult r =
        runCli("fit " + scene + " --node shaderball_car_paint -o " + out.string() + kTiny);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_GT(nerva::formats::readNtri(out.string()).scale, 1.0f); // a ball ~0.7 units across
    const fs::path none = scratch() / "none.ntri";
    const RunResult bad = runCli("fit " + scene + " --node nope -o " + none.string() + kTiny);
    EXPECT_EQ(bad.exitCode, 2) << bad.err;
    EXPECT_NE(bad.err.find("nope"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(none));
}

TEST(CliFit, InterruptAndResume) {
    const fs::path out = scratch() / "interrupted.ntri";
    const std::string fit = std::string(NERVA_CLI) + " fit " + sphereObj().string() + " -o " +
                            out.string() +
                            " --resolution 32 --channels 8 --iterations 200000 --batch 512 "
                            "--pool 4096 --eval-grid 24 --threads 2 --quiet";
    const RunResult r = nerva::test::runCommand(
        "sh -c '" + fit + " & pid=$!; sleep 2; kill -INT $pid; wait $pid; echo rc=$?'", scratch());
    ASSERT_NE(r.out.find("rc=130"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(out.string() + ".ckpt"));
    EXPECT_FALSE(fs::exists(out));
    // A resume with other options is refused (exit 2), the checkpoint kept.
    const RunResult other = nerva::test::runCommand(fit + " --seed 9 --resume", scratch());
    EXPECT_EQ(other.exitCode, 2) << other.err;
    EXPECT_TRUE(fs::exists(out.string() + ".ckpt"));
}

// Exit 2, one stderr line that names `path`, nothing written.
void expectBadInput(const std::string& input, const std::string& named, const fs::path& out) {
    const RunResult r = runCli("fit " + input + " -o " + out.string() + kTiny);
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 2) << input << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << input;
    for (const auto& e : fs::directory_iterator(out.parent_path()))
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos);
}

TEST(CliFit, BadInput) {
    const fs::path out = scratch() / "bad.ntri";
    const std::string missing = (scratch() / "missing.obj").string();
    expectBadInput(missing, missing, out);
    const fs::path empty = writeFile("empty.obj", "# no faces\nv 0 0 0\n");
    expectBadInput(empty.string(), empty.string(), out);
    const fs::path nan = writeFile("nan.obj", "v 0 0 0\nv 1 0 0\nv nan 1 0\nf 1 2 3\n");
    expectBadInput(nan.string(), nan.string(), out);
    const fs::path flat =
        writeFile("flat.obj", "v 0 0 0\nv 1 0 0\nv 2 0 0\nv 3 0 0\nf 1 2 3\nf 2 3 4\n");
    expectBadInput(flat.string(), flat.string(), out);
    const fs::path wrong = writeFile("objtext.ply", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
    expectBadInput(wrong.string(), wrong.string(), out);
    const fs::path unknown = writeFile("mesh.stl", "solid x\nendsolid x\n");
    expectBadInput(unknown.string(), unknown.string(), out);
    const fs::path badGltf = writeFile("scene.gltf", "{ not json");
    expectBadInput(badGltf.string(), badGltf.string(), out);
    const std::string unwritable = (scratch() / "no-such-dir" / "out.ntri").string();
    const RunResult r = runCli("fit " + sphereObj().string() + " -o " + unwritable + kTiny);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find(unwritable), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(scratch() / "no-such-dir"));
    const RunResult kind = runCli("fit " + sphereObj().string() + " -o " + out.string() +
                                  " --kind density_color" + kTiny);
    EXPECT_EQ(kind.exitCode, 2) << kind.err;
    EXPECT_FALSE(fs::exists(out));
}

} // namespace
