#include "viewer_args.h"

#include "neural/core/error.h"
#include "neural/core/option_values.h"

#include <set>

namespace nerva::view {

const char* const kViewerUsage =
    "usage: nerva-view [SCENE.gltf|.glb] [options]\n"
    "  --size WxH              window size (default 1280x720)\n"
    "  --spp N                 accumulation target in samples per pixel (default 256)\n"
    "  --samples-per-frame N   samples traced per displayed frame (default 1)\n"
    "  --frame-budget MS       trace time per displayed frame (default 100): a sample that\n"
    "                          takes longer is traced in bands of rows; 0 = whole samples\n"
    "  --scale S               internal render scale of the view, 0.1..1\n"
    "                          (default 1, 0.5 on a CPU device such as lavapipe)\n"
    "  --ui-scale S            size of the UI, 0.5..4 (default: the monitor's DPI scale)\n"
    "  --frame NAME            frame this node, field or light (as the Scene panel lists it)\n"
    "  --neural-flip           show the FLIP map of neural vs reference materials (the\n"
    "                          Inspect panel's \"FLIP neural vs ref\"; renders both)\n"
    "  --viewpoint N           start from saved viewpoint N of SCENE.views.json\n"
    "                          (the Camera panel's \"Save viewpoint\" writes that file)\n"
    "  nerva render's view options: --seed, --max-bounces, --camera, --look-from, --look-at,\n"
    "                          --up, --fov, --env sky|constant|FILE, --env-color, "
    "--env-intensity,\n"
    "                          --env-rotation, --exposure, --tonemap, --sampling, --rr-depth,\n"
    "                          --clamp, --materials, --reference-materials, --neural-precision,\n"
    "                          --debug-view, --strict (see 'nerva render --help'); the\n"
    "                          \"Print render command\" button prints the view back with them\n"
    "  --no-vsync              present without waiting for vertical blank\n"
    "  --frames N              render N frames, then exit\n"
    "  --screenshot OUT        at exit: OUT.png/.jpg the window (render and panels),\n"
    "                          OUT.exr/.hdr the render's linear radiance\n"
    "  --device INDEX|NAME     Vulkan device (see 'nerva info')\n"
    "  --validation            enable the Vulkan validation layer\n"
    "  --shader-dir DIR        compile and hot-reload shaders from DIR (default: the\n"
    "                          source tree's shaders/); edits rebuild the pipeline, a\n"
    "                          compile error is shown and the last good one keeps running\n"
    "Mouse: left drag orbits, right or middle drag pans, wheel zooms. F12: screenshot.\n";

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw Error("nerva-view: " + what);
}

uint32_t toUint(const std::string& flag, const std::string& v, uint32_t lo, uint32_t hi) {
    return parseUintOption("nerva-view", flag, v, lo, hi);
}

float toFloat(const std::string& flag, const std::string& v, float lo, float hi) {
    return parseFloatOption("nerva-view", flag, v, lo, hi);
}

} // namespace

ViewerArgs parseViewerArgs(int argc, char** argv) {
    ViewerArgs a;
    a.render.spp = 256;
    // nerva render's options that mean something else here.
    const std::set<std::string> notHere = {"--size", "--scale", "--field", "--at",
                                           "--field-material"};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) fail(arg + " needs a value");
            return argv[++i];
        };
        const auto shared = pt::renderConfigOptions().find(arg);
        if (arg == "--help" || arg == "-h") {
            a.help = true;
        } else if (shared != pt::renderConfigOptions().end() && !notHere.count(arg)) {
            pt::applyRenderOption(a.render, "nerva-view", arg, shared->second ? value() : "1");
        } else if (arg == "--frame") {
            a.frame = value();
        } else if (arg == "--neural-flip") {
            a.neuralFlip = true;
        } else if (arg == "--viewpoint") {
            a.viewpoint = int(toUint(arg, value(), 0, 9999));
        } else if (arg == "--shader-dir") {
            a.shaderDir = value();
        } else if (arg == "--size") {
            const std::string v = value();
            const size_t x = v.find('x');
            if (x == std::string::npos) fail("--size expects WxH, got '" + v + "'");
            a.width = toUint(arg, v.substr(0, x), 320, 8192);
            a.height = toUint(arg, v.substr(x + 1), 200, 8192);
        } else if (arg == "--frame-budget") {
            a.frameBudgetMs = toFloat(arg, value(), 0.0f, 60000.0f);
        } else if (arg == "--samples-per-frame") {
            a.samplesPerFrame = toUint(arg, value(), 1, 64);
        } else if (arg == "--scale") {
            a.scale = toFloat(arg, value(), 0.1f, 1.0f);
        } else if (arg == "--ui-scale") {
            a.uiScale = toFloat(arg, value(), 0.5f, 4.0f);
        } else if (arg == "--frames") {
            a.frames = toUint(arg, value(), 1, 1u << 30);
        } else if (arg == "--screenshot") {
            a.screenshot = value();
        } else if (arg == "--device") {
            a.device = value();
        } else if (arg == "--no-vsync") {
            a.vsync = false;
        } else if (arg == "--validation") {
            a.validation = true;
        } else if (!arg.empty() && arg[0] == '-') {
            fail("unknown option '" + arg + "'");
        } else if (a.render.scene.empty()) {
            a.render.scene = arg;
        } else {
            fail("more than one scene given ('" + a.render.scene + "', '" + arg + "')");
        }
    }
    pt::checkRenderConfig(a.render, "nerva-view");
    return a;
}

} // namespace nerva::view
