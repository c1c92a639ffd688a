// End-to-end checks of `nerva render` as a user runs it: same seed, same
// bytes; bad input gives one error line naming the file, exit code 2 and no
// output file.
#include "renderer/image/image_io.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

const fs::path kSource = NERVA_SOURCE_DIR_FOR_TESTS;

using nerva::test::readAll;
using nerva::test::RunResult;

using nerva::test::runCli;

const fs::path& scratch() {
    return nerva::test::cliScratch();
}

std::string base64(const std::vector<uint8_t>& bytes) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string s;
    for (size_t i = 0; i < bytes.size(); i += 3) {
        uint32_t v = uint32_t(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= uint32_t(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) v |= bytes[i + 2];
        s += t[(v >> 18) & 63];
        s += t[(v >> 12) & 63];
        s += i + 1 < bytes.size() ? t[(v >> 6) & 63] : '=';
        s += i + 2 < bytes.size() ? t[v & 63] : '=';
    }
    return s;
}

// A one-triangle scene: three float3 positions then three u16 indices.
std::vector<uint8_t> triangleBuffer(float badValue = 0.0f, uint16_t lastIndex = 2) {
    const float pos[9] = {0, 0, 0, 1, 0, 0, 0, 1, badValue};
    const uint16_t idx[4] = {0, 1, lastIndex, 0};
    std::vector<uint8_t> b(sizeof pos + sizeof idx);
    std::memcpy(b.data(), pos, sizeof pos);
    std::memcpy(b.data() + sizeof pos, idx, sizeof idx);
    return b;
}

std::string triangleGltf(const std::string& bufferUri, const std::string& extra = "",
                         const std::string& material = "") {
    std::ostringstream j;
    j << R"({"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0,1]}],)"
      << R"("nodes":[{"mesh":0},{"camera":0,"name":"main","translation":[0.3,0.3,2]}],)"
      << R"("cameras":[{"type":"perspective","perspective":{"yfov":0.8,"znear":0.01}}],)"
      << R"("meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1)" << material
      << "}]}],"
      << R"("accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]},)"
      << R"({"bufferView":1,"componentType":5123,"count":3,"type":"SCALAR"}],)"
      << R"("bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":36},{"buffer":0,"byteOffset":36,"byteLength":6}],)"
      << R"("buffers":[{"byteLength":44,"uri":")" << bufferUri << "\"}]" << extra << "}";
    return j.str();
}

fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = scratch() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

std::string dataUri(const std::vector<uint8_t>& b) {
    return "data:application/octet-stream;base64," + base64(b);
}

// Asserts the contract for bad input.
// `named` is the file the error must name (default: the scene).
void expectCleanFailure(const fs::path& scene, const std::string& phrase,
                        const std::string& extraArgs = "", fs::path named = {}) {
    if (named.empty()) named = scene;
    const fs::path out = scratch() / "out.png";
    fs::remove(out);
    const RunResult r = runCli("render " + scene.string() + " -o " + out.string() +
                               " --size 16x16 --spp 1 --quiet " + extraArgs);
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_FALSE(fs::exists(out)) << "partial output written";
    std::string err = r.err;
    while (!err.empty() && err.back() == '\n')
        err.pop_back();
    EXPECT_EQ(err.find('\n'), std::string::npos) << "not one line:\n" << r.err;
    EXPECT_NE(err.find(named.filename().string()), std::string::npos)
        << "file not named: " << r.err;
    EXPECT_NE(err.find(phrase), std::string::npos) << "expected '" << phrase << "' in: " << r.err;
}

// The CLI tests render this scene: triangles only (no fields, no neural
// materials), so each `nerva render` process JIT-compiles the small generic
// pipeline; the demo scene's field shaders would cost tens of seconds per
// process on lavapipe (the demo is covered by the golden and viewer tests).
const fs::path kQuickScene = kSource / "assets" / "scenes" / "tests" / "spheres.gltf";

TEST(CliBadInput, MalformedJson) {
    expectCleanFailure(write("malformed.gltf", "{\"asset\": {"), "JSON");
}

TEST(CliBadInput, TruncatedGlb) {
    const std::string json = triangleGltf("");
    std::string glb = "glTF";
    auto u32 = [&](uint32_t v) { glb.append(reinterpret_cast<const char*>(&v), 4); };
    u32(2);
    u32(12 + 8 + 4000); // claims more than the file holds
    u32(uint32_t(json.size()));
    u32(0x4E4F534A);
    glb += json.substr(0, json.size() / 2);
    expectCleanFailure(write("truncated.glb", glb), "truncated.glb");
}

TEST(CliBadInput, MissingBufferFile) {
    expectCleanFailure(write("missing-buffer.gltf", triangleGltf("nowhere.bin")), "nowhere.bin");
}

TEST(CliBadInput, MissingTextureFile) {
    const std::string extra =
        R"(,"materials":[{"pbrMetallicRoughness":{"baseColorTexture":{"index":0}}}],)"
        R"("textures":[{"source":0}],"images":[{"uri":"no-such-texture.png"}])";
    expectCleanFailure(write("missing-texture.gltf",
                             triangleGltf(dataUri(triangleBuffer()), extra, R"(,"material":0)")),
                       "no-such-texture.png");
}

TEST(CliBadInput, OutOfRangeIndex) {
    expectCleanFailure(write("bad-index.gltf", triangleGltf(dataUri(triangleBuffer(0.0f, 7)))),
                       "range");
}

TEST(CliBadInput, NanAndInfVertices) {
    expectCleanFailure(write("nan.gltf", triangleGltf(dataUri(triangleBuffer(std::nanf(""))))),
                       "NaN");
    expectCleanFailure(write("inf.gltf", triangleGltf(dataUri(triangleBuffer(INFINITY)))), "Inf");
}

TEST(CliBadInput, UnknownCamera) {
    expectCleanFailure(write("camera.gltf", triangleGltf(dataUri(triangleBuffer()))), "nope",
                       "--camera nope");
}

TEST(CliBadInput, MissingSceneFile) {
    expectCleanFailure(scratch() / "does-not-exist.gltf", "does-not-exist.gltf");
}

TEST(CliRender, SameSeedSameBytes) {
    const fs::path scene = kQuickScene;
    const fs::path a = scratch() / "a.png", b = scratch() / "b.png";
    const std::string common = " --size 48x48 --spp 2 --seed 7 --quiet --camera main";
    const RunResult ra = runCli("render " + scene.string() + " -o " + a.string() + common);
    ASSERT_EQ(ra.exitCode, 0) << ra.err;
    const RunResult rb = runCli("render " + scene.string() + " -o " + b.string() + common);
    ASSERT_EQ(rb.exitCode, 0) << rb.err;
    EXPECT_EQ(readAll(a), readAll(b));
    EXPECT_NE(ra.out.find("Mrays/s"), std::string::npos) << ra.out;
    const fs::path c = scratch() / "c.png";
    ASSERT_EQ(runCli("render " + scene.string() + " -o " + c.string() +
                     " --size 48x48 --spp 2 --seed 8 --quiet --camera main")
                  .exitCode,
              0);
    EXPECT_NE(readAll(a), readAll(c)) << "another seed should give other noise";
}

TEST(CliRender, WritesExr) {
    const fs::path scene = kQuickScene;
    const fs::path e = scratch() / "d.exr";
    const RunResult r =
        runCli("render " + scene.string() + " -o " + e.string() + " --size 16x16 --spp 1 --quiet");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_GT(fs::file_size(e), 16u * 16u * 4u);
}

TEST(CliBadInput, BadEnvironmentMaps) {
    // Not 2:1, a corrupted header, a NaN texel: each one error line, exit 2.
    const fs::path tri = write("env-scene.gltf", triangleGltf(dataUri(triangleBuffer())));
    auto hdr = [](int w, int h, float value) {
        std::string s = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " + std::to_string(h) + " +X " +
                        std::to_string(w) + "\n";
        int e = 0;
        const float m = std::frexp(value, &e);
        for (int i = 0; i < w * h; ++i) {
            const uint8_t v = uint8_t(m * 256.0f);
            s += char(v), s += char(v), s += char(v), s += char(e + 128);
        }
        return s;
    };
    const fs::path square = write("square.hdr", hdr(4, 4, 1.0f));
    expectCleanFailure(tri, "2:1", "--env " + square.string(), square);
    const fs::path corrupt = write("corrupt.hdr", "#?RADIANCE\nnot a header");
    expectCleanFailure(tri, "", "--env " + corrupt.string(), corrupt);
    // RGBE cannot hold NaN: write an EXR with one NaN texel.
    nerva::ImageRGBA32F img(8, 4);
    std::fill(img.texels.begin(), img.texels.end(), 1.0f);
    img.at(5, 2)[1] = std::nanf("");
    const fs::path nanExr = scratch() / "nan.exr";
    nerva::writeImage(nanExr.string(), img);
    expectCleanFailure(tri, "NaN", "--env " + nanExr.string(), nanExr);
}

TEST(CliRender, CtrlCKeepsTheSamplesDone) {
    // SIGINT after start-up: the render stops after its current batch, writes
    // what it has and exits with 130.
    const fs::path scene = kQuickScene;
    const fs::path out = scratch() / "interrupted.png";
    fs::remove(out);
    const std::string cli = std::string(NERVA_CLI) + " render " + scene.string() + " -o " +
                            out.string() + " --size 32x32 --spp 1000000 --quiet";
    const RunResult r = nerva::test::runCommand(
        "sh -c '" + cli + " & pid=$!; sleep 6; kill -INT $pid; wait $pid; echo rc=$?'", scratch());
    EXPECT_NE(r.out.find("rc=130"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("interrupted: wrote"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(out));
}

TEST(CliRender, WritesAovs) {
    const fs::path scene = kQuickScene;
    const fs::path png = scratch() / "aov.png";
    RunResult r = runCli("render " + scene.string() + " -o " + png.string() +
                         " --size 16x16 --spp 2 --quiet --aov albedo,normal,depth,samples");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const char* a : {"albedo", "normal", "depth", "samples"})
        EXPECT_TRUE(fs::exists(scratch() / (std::string("aov.") + a + ".exr"))) << a;
    const fs::path exr = scratch() / "aov.exr";
    r = runCli("render " + scene.string() + " -o " + exr.string() +
               " --size 16x16 --spp 2 --quiet --aov depth,normal");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string bytes = readAll(exr);
    EXPECT_NE(bytes.find("depth.R"), std::string::npos);
    EXPECT_NE(bytes.find("normal.G"), std::string::npos);
    r = runCli("render " + scene.string() + " -o " + exr.string() + " --aov nonsense");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("nonsense"), std::string::npos);
}

TEST(CliCompare, ThresholdsSetTheExitCode) {
    const fs::path scene = kQuickScene;
    const fs::path a = scratch() / "cmp-a.png", b = scratch() / "cmp-b.png";
    ASSERT_EQ(runCli("render " + scene.string() + " -o " + a.string() +
                     " --size 24x24 --spp 1 --seed 1 --quiet")
                  .exitCode,
              0);
    ASSERT_EQ(runCli("render " + scene.string() + " -o " + b.string() +
                     " --size 24x24 --spp 1 --seed 2 --quiet")
                  .exitCode,
              0);
    RunResult r = runCli("compare " + a.string() + " " + a.string());
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("FLIP"), std::string::npos) << r.out;
    r = runCli("compare " + a.string() + " " + b.string() + " --max-flip 0.0001 --error-map " +
               (scratch() / "cmp-err.png").string());
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_TRUE(fs::exists(scratch() / "cmp-err.png"));
    // reference | test | error map, 4-pixel gaps.
    const fs::path sbs = scratch() / "cmp-sbs.png";
    r = runCli("compare " + a.string() + " " + b.string() + " --side-by-side " + sbs.string());
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const nerva::ImageRGBA32F side = nerva::readImage(sbs.string());
    EXPECT_EQ(side.width, 3u * 24u + 8u);
    EXPECT_EQ(side.height, 24u);
    r = runCli("compare " + a.string() + " " + (scratch() / "missing.png").string());
    EXPECT_EQ(r.exitCode, 2);
}

TEST(CliUsage, UnknownOptionAndBadValues) {
    RunResult r = runCli("render x.gltf -o y.png --frobnicate");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
    r = runCli("render x.gltf -o y.png --size 0x5");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--size"), std::string::npos) << r.err;
    r = runCli("render x.gltf -o y.bmp");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("y.bmp"), std::string::npos) << r.err;
    r = runCli("frobnicate");
    EXPECT_EQ(r.exitCode, 2);
}

} // namespace
