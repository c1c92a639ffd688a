// End-to-end checks of nerva-view: under Xvfb on lavapipe (validation on) it
// renders frames, writes a screenshot that shows the panels and, in the view
// region, the same image as `nerva render`; without a display it says so and
// exits with code 2; a scene that fails to load leaves it up with the error
// shown.
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <cstdio>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef NERVA_VIEW

namespace {

namespace fs = std::filesystem;

const fs::path kSource = NERVA_SOURCE_DIR_FOR_TESTS;
const fs::path kDemo = kSource / "assets" / "scenes" / "demo" / "demo.gltf";
// Triangles only: tests that need some scene but not the demo's fields (whose
// shaders cost tens of seconds per process on lavapipe) view this one.
const fs::path kSpheres = kSource / "assets" / "scenes" / "tests" / "spheres.gltf";
constexpr uint32_t kSidebar = 330; // app/panels.h kSidebarWidth
constexpr uint32_t kWidth = 650, kHeight = 240;

using nerva::test::readAll;
using nerva::test::RunResult;

fs::path scratch() {
    static const fs::path d = nerva::test::scratchDir("view-test");
    return d;
}

RunResult run(const std::string& cmd) {
    if (!std::getenv("XDG_RUNTIME_DIR")) { // Vulkan WSI wants one
        const fs::path xdg = scratch() / "xdg";
        fs::create_directories(xdg);
        ::chmod(xdg.c_str(), 0700);
        ::setenv("XDG_RUNTIME_DIR", xdg.c_str(), 1);
    }
    return nerva::test::runCommand(cmd, scratch());
}

bool haveXvfb() {
    return std::system("command -v xvfb-run >/dev/null 2>&1") == 0;
}

std::string underXvfb(const std::string& args) {
    return "xvfb-run -a -s \"-screen 0 1280x800x24\" " + std::string(NERVA_VIEW) + " " + args;
}

nerva::ImageRGBA32F crop(const nerva::ImageRGBA32F& img, uint32_t x0, uint32_t w) {
    nerva::ImageRGBA32F out(w, img.height);
    for (uint32_t y = 0; y < img.height; ++y)
        for (uint32_t x = 0; x < w; ++x)
            for (int c = 0; c < 4; ++c)
                out.at(x, y)[c] = img.at(x0 + x, y)[c];
    return out;
}

// Pixels drawn in the panels' error colour (app/panels.cpp kErrorColour).
size_t errorRedPixels(const nerva::ImageRGBA32F& img) {
    size_t red = 0;
    for (size_t i = 0; i < img.texels.size(); i += 4)
        if (img.texels[i] > 0.8f && img.texels[i + 1] < 0.5f && img.texels[i + 2] < 0.5f) ++red;
    return red;
}

size_t distinctColours(const nerva::ImageRGBA32F& img) {
    std::set<uint32_t> colours;
    for (size_t i = 0; i < img.texels.size(); i += 4)
        colours.insert(uint32_t(std::lround(img.texels[i] * 255)) << 16 |
                       uint32_t(std::lround(img.texels[i + 1] * 255)) << 8 |
                       uint32_t(std::lround(img.texels[i + 2] * 255)));
    return colours.size();
}

TEST(Viewer, NoDisplayExitsWithCode2) {
    const RunResult r =
        run("env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(NERVA_VIEW) + " " + kDemo.string());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("nerva render"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line expected: " << r.err;
}

TEST(Viewer, ScreenshotShowsPanelsAndMatchesHeadlessRender) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    const fs::path shot = scratch() / "view.png", ref = scratch() / "ref.png";
    const std::string size = std::to_string(kWidth) + "x" + std::to_string(kHeight);
    // 4 spp at 2 whole samples per frame (no frame budget): the accumulation
    // is complete by frame 2.
    const RunResult v = run(underXvfb(
        kDemo.string() + " --size " + size +
        " --scale 1 --spp 4 --samples-per-frame 2 --frame-budget 0 --frames 3 --screenshot " +
        shot.string()));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    ASSERT_TRUE(fs::exists(shot)) << v.out << v.err;
    // The viewer prints the `nerva render` line that reproduces its view;
    // run exactly that (with our binary and output path).
    const std::string tag = "render command: nerva render ";
    const size_t at = v.out.find(tag);
    ASSERT_NE(at, std::string::npos) << v.out;
    std::string cmd = v.out.substr(at + tag.size());
    cmd = cmd.substr(0, cmd.find('\n'));
    const size_t o = cmd.find(" -o view.png");
    ASSERT_NE(o, std::string::npos) << cmd;
    cmd.replace(o, std::string(" -o view.png").size(), " -o " + ref.string());
    EXPECT_NE(
        cmd.find("--size " + std::to_string(kWidth - kSidebar) + "x" + std::to_string(kHeight)),
        std::string::npos)
        << cmd;
    const RunResult h = run(std::string(NERVA_CLI) + " render " + cmd + " --quiet");
    ASSERT_EQ(h.exitCode, 0) << h.err;

    const nerva::ImageRGBA32F screen = nerva::readDisplayImage(shot.string());
    ASSERT_EQ(screen.width, kWidth);
    ASSERT_EQ(screen.height, kHeight);
    const nerva::ImageRGBA32F view = crop(screen, kSidebar, kWidth - kSidebar);
    const nerva::ImageRGBA32F panel = crop(screen, 0, kSidebar);
    const nerva::ImageRGBA32F headless = nerva::readDisplayImage(ref.string());

    // Not blank: the render region has structure.
    EXPECT_GT(distinctColours(view), 200u);
    // The UI is drawn: the panel holds text and widgets, not one flat colour,
    // and looks nothing like the render beside it.
    EXPECT_GT(distinctColours(panel), 8u);
    const nerva::ImageRGBA32F headlessLeft = crop(headless, 0, kSidebar);
    EXPECT_GT(nerva::computeFlip(headlessLeft, panel).mean, 0.1f);
    // The view region is the headless render of the same camera and spp.
    const float flip = nerva::computeFlip(headless, view).mean;
    EXPECT_LT(flip, 0.01f) << "FLIP between viewer and nerva render: " << flip;
}

// --ui-scale 2 (what a HiDPI monitor's content scale gives): the sidebar is
// twice as wide, so the render region and the printed command shrink by as
// much, and the panel still draws.
TEST(Viewer, UiScaleWidensTheSidebar) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    const fs::path shot = scratch() / "view-ui2.png";
    const RunResult v = run(underXvfb(kSpheres.string() +
                                      " --size 900x400 --ui-scale 2 --scale 1 --spp 1 --frames 2 " +
                                      "--screenshot " + shot.string()));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    EXPECT_NE(v.out.find("--size " + std::to_string(900 - 2 * kSidebar) + "x400"),
              std::string::npos)
        << v.out;
    const nerva::ImageRGBA32F screen = nerva::readDisplayImage(shot.string());
    EXPECT_GT(distinctColours(crop(screen, 0, 2 * kSidebar)), 8u);
}

TEST(Viewer, BadSceneShowsErrorAndStaysUp) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    const fs::path shot = scratch() / "bad.png";
    const fs::path missing = scratch() / "no-such-scene.gltf";
    const RunResult v = run(
        underXvfb(missing.string() + " --size 650x240 --frames 2 --screenshot " + shot.string()));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    EXPECT_NE(v.err.find("no-such-scene.gltf"), std::string::npos) << v.err;
    ASSERT_TRUE(fs::exists(shot));
    // The error is drawn in the panel in red (app/panels.cpp kErrorColour).
    const nerva::ImageRGBA32F panel = crop(nerva::readDisplayImage(shot.string()), 0, kSidebar);
    EXPECT_GT(errorRedPixels(panel), 20u);
}

TEST(Viewer, ExrScreenshotHoldsTheLinearRender) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    const fs::path shot = scratch() / "linear.exr";
    const RunResult v = run(underXvfb(
        kSpheres.string() + " --size 650x240 --scale 1 --frame-budget 0 --frames 2 --screenshot " +
        shot.string()));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    const nerva::ImageRGBA32F img = nerva::readImage(shot.string());
    EXPECT_EQ(img.width, 650u - kSidebar); // the render region only, no panels
    EXPECT_EQ(img.height, 240u);
    float brightest = 0.0f;
    for (size_t i = 0; i < img.texels.size(); i += 4)
        brightest = std::max(brightest, img.texels[i]);
    EXPECT_GT(brightest, 0.2f);
}

// The viewer takes nerva render's view options (one config struct) and
// prints them back in its render command.
TEST(Viewer, TakesAndPrintsNervaRendersViewOptions) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    const std::string view = "--max-bounces 2 --seed 5 --env constant --env-color 0.5,0.25,1 "
                             "--env-intensity 2 --tonemap reinhard --materials reference "
                             "--sampling light --rr-depth 0 --clamp 8";
    const RunResult v =
        run(underXvfb(kSpheres.string() + " --size 650x240 --spp 1 --frames 1 " + view));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    for (const char* printed :
         {"--seed 5 --max-bounces 2", "--env constant --env-color 0.5,0.25,1 --env-intensity 2",
          "--tonemap reinhard --sampling light --rr-depth 0 --clamp 8 --materials reference"})
        EXPECT_NE(v.out.find(printed), std::string::npos) << printed << "\n" << v.out;
    // A bad value is the same one-line error as nerva render's, exit code 2.
    const RunResult bad = run(underXvfb(kSpheres.string() + " --frames 1 --tonemap filmic"));
    EXPECT_EQ(bad.exitCode, 2) << bad.out << bad.err;
    EXPECT_NE(bad.err.find("nerva-view: --tonemap must be 'aces', 'reinhard' or 'clamp'"),
              std::string::npos)
        << bad.err;
}

TEST(Viewer, StartsFromASavedViewpoint) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    // A copy of a scene with a viewpoints file beside it.
    const fs::path dir = scratch() / "views-scene";
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const char* f : {"spheres.gltf", "spheres.bin"})
        fs::copy_file(kSpheres.parent_path() / f, dir / f);
    const fs::path scene = dir / "spheres.gltf";
    std::ofstream(scene.string() + ".views.json")
        << R"({"version": 1, "views": [{"name": "high", "from": [0, 6, 6], "at": [0, 0, 0],)"
        << R"( "up": [0, 1, 0], "yfov_degrees": 40}]})";
    const RunResult v = run(underXvfb(scene.string() + " --size 650x240 --frames 2 --viewpoint 0"));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    const size_t from = v.out.find("--look-from ");
    ASSERT_NE(from, std::string::npos) << v.out;
    float x = 0, y = 0, z = 0;
    ASSERT_EQ(std::sscanf(v.out.c_str() + from, "--look-from %f,%f,%f", &x, &y, &z), 3) << v.out;
    EXPECT_NEAR(x, 0.0f, 1e-4f);
    EXPECT_NEAR(y, 6.0f, 1e-4f);
    EXPECT_NEAR(z, 6.0f, 1e-4f);
    EXPECT_NE(v.out.find("--fov 40"), std::string::npos) << v.out;

    // A malformed file: the scene still shows, the problem is named.
    std::ofstream(scene.string() + ".views.json")
        << R"({"version": 1, "views": [{"from": [0, 1]}]})";
    const fs::path shot = scratch() / "views-bad.png";
    const RunResult b =
        run(underXvfb(scene.string() + " --size 650x240 --frame-budget 0 --frames 2 --screenshot " +
                      shot.string()));
    ASSERT_EQ(b.exitCode, 0) << b.out << b.err;
    const nerva::ImageRGBA32F view =
        crop(nerva::readDisplayImage(shot.string()), kSidebar, 650 - kSidebar);
    EXPECT_GT(distinctColours(view), 200u) << "the scene should still render";
}

TEST(Viewer, ShaderCompileErrorIsShownNotFatal) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    // A copy of the shaders with a syntax error in the closest-hit stage.
    const fs::path shaders = scratch() / "broken-shaders";
    fs::remove_all(shaders);
    fs::copy(kSource / "shaders", shaders, fs::copy_options::recursive);
    std::ofstream(shaders / "pathtrace" / "pathtrace.rchit", std::ios::app)
        << "\nthis is not glsl\n";
    const fs::path shot = scratch() / "broken.png";
    const RunResult v =
        run(underXvfb(kSpheres.string() + " --size 650x240 --frames 2 --shader-dir " +
                      shaders.string() + " --screenshot " + shot.string()));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    EXPECT_NE(v.err.find("pathtrace.rchit:"), std::string::npos) << v.err;
    ASSERT_TRUE(fs::exists(shot));
    const nerva::ImageRGBA32F panel = crop(nerva::readDisplayImage(shot.string()), 0, kSidebar);
    EXPECT_GT(errorRedPixels(panel), 20u) << "the compile error is not drawn in the panel";
}

// Frame-the-selection and the live FLIP view, on the shader ball: --frame
// puts the named node at the centre of the view (the printed camera looks at
// its box's centre), and --neural-flip renders neural and reference side by
// side and shows their FLIP map (dark: agreement) with its mean.
TEST(Viewer, FramesTheSelectionAndShowsNeuralVsReferenceFlip) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    const fs::path scene = kSource / "assets" / "scenes" / "shaderball" / "shaderball.gltf";
    const fs::path shot = scratch() / "flip-view.png";
    const RunResult v = run(underXvfb(scene.string() +
                                      " --size 650x240 --scale 0.5 --spp 2 --frames 3 "
                                      "--frame-budget 0 "
                                      "--frame shaderball_velvet --neural-flip --screenshot " +
                                      shot.string()));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;

    const auto items = nerva::scene::sceneItems(nerva::scene::loadGltf(scene.string()));
    const auto velvet = std::find_if(
        items.begin(), items.end(), [](const auto& it) { return it.label == "shaderball_velvet"; });
    ASSERT_NE(velvet, items.end());
    const glm::vec3 centre = 0.5f * (velvet->boundsMin + velvet->boundsMax);
    const size_t at = v.out.rfind("--look-at ");
    const size_t from = v.out.rfind("--look-from ");
    ASSERT_NE(at, std::string::npos) << v.out;
    ASSERT_NE(from, std::string::npos) << v.out;
    glm::vec3 a, f;
    ASSERT_EQ(std::sscanf(v.out.c_str() + at, "--look-at %f,%f,%f", &a.x, &a.y, &a.z), 3);
    ASSERT_EQ(std::sscanf(v.out.c_str() + from, "--look-from %f,%f,%f", &f.x, &f.y, &f.z), 3);
    // The view direction passes through the centre of the framed node.
    const glm::vec3 dir = glm::normalize(a - f), toCentre = centre - f;
    EXPECT_LT(glm::length(toCentre - dir * glm::dot(toCentre, dir)), 1e-3f) << v.out;

    // The FLIP of neural vs reference is reported and small (2 spp: mostly
    // noise) and the view shows the error map, dark where they agree.
    const size_t flip = v.out.rfind("mean FLIP ");
    ASSERT_NE(flip, std::string::npos) << v.out;
    const float mean = std::strtof(v.out.c_str() + flip + 10, nullptr);
    EXPECT_GT(mean, 0.0f);
    EXPECT_LT(mean, 0.25f);
    const nerva::ImageRGBA32F view =
        crop(nerva::readDisplayImage(shot.string()), kSidebar, 650 - kSidebar);
    double luminance = 0.0;
    for (size_t i = 0; i < view.texels.size(); i += 4)
        luminance += (view.texels[i] + view.texels[i + 1] + view.texels[i + 2]) / 3.0;
    luminance /= double(view.texels.size() / 4);
    EXPECT_LT(luminance, 0.3) << "an error map is mostly dark";
    EXPECT_GT(distinctColours(view), 50u) << "but not blank";
}

// A sample slower than the frame budget is traced in bands of rows: frames
// end with part of a sample done, and the samples still complete.
TEST(Viewer, SlowSamplesAreTracedInBandsWithinTheFrameBudget) {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed";
    // 10 us is below a 320x240 sample on any device (a submission alone
    // takes longer), so every frame after the first traces one row: 240 rows
    // in 15 (the first band, a sixteenth) + 225 frames.
    const RunResult v =
        run(underXvfb(kSpheres.string() + " --size 650x240 --scale 1 --spp 1 --frame-budget 0.01 "
                                          "--frames 250"));
    ASSERT_EQ(v.exitCode, 0) << v.out << v.err;
    size_t partial = 0;
    for (size_t at = v.out.find("0/1 spp (+"); at != std::string::npos;
         at = v.out.find("0/1 spp (+", at + 1))
        partial += v.out.compare(at, 13, "0/1 spp (+0 r") != 0;
    EXPECT_GE(partial, 2u) << "frames should end inside a sample:\n" << v.out;
    EXPECT_NE(v.out.find("1/1 spp (+0 rows)"), std::string::npos) << "the sample should complete:\n"
                                                                  << v.out;
}

} // namespace

#endif // NERVA_VIEW
