#include "renderer/pathtracer/render_config.h"

#include "neural/core/option_values.h"
#include "neural/formats/ntri.h"
#include "renderer/scene/scene_queries.h"
#include "shaders/shared/scene_types.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace nerva::pt {
namespace {

const char* const kSamplingNames[] = {"mis", "light", "bsdf"};
const char* const kPrecisionNames[] = {"auto", "fp32", "fp16"};
// --debug-view names by shared::kDebugView* (radiance has none).
const char* const kDebugViewNames[] = {"", "latents", "level", "steps", "normals"};
constexpr uint32_t kDebugViews = shared::kDebugViewNormals + 1;
static_assert(std::size(kDebugViewNames) == kDebugViews, "a name per shared::kDebugView*");

// Shortest text that reads back as the same float.
std::string num(float v) {
    if (v == 0.0f) v = 0.0f; // no "-0"
    char buf[32];
    for (int precision = 6; precision <= 9; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, double(v));
        if (std::strtof(buf, nullptr) == v) break;
    }
    return buf;
}

std::string vec(glm::vec3 v) {
    return num(v.x) + "," + num(v.y) + "," + num(v.z);
}

// Comma-separated items, empty ones dropped.
std::vector<std::string> splitList(const std::string& list) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < list.size()) {
        const size_t end = std::min(list.find(',', start), list.size());
        if (end > start) out.push_back(list.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Single quotes for a POSIX shell where the text needs them.
std::string shellWord(const std::string& s) {
    const bool plain =
        !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"
                                          "NOPQRSTUVWXYZ0123456789_.,:/=+-") == std::string::npos;
    if (plain) return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The index of `name` in `names`, or -1.
template <size_t N> int indexOf(const char* const (&names)[N], const std::string& name) {
    for (size_t i = 0; i < N; ++i)
        if (name == names[i]) return int(i);
    return -1;
}

} // namespace

const std::map<std::string, bool>& renderConfigOptions() {
    static const std::map<std::string, bool> options = {
        {"--size", true},
        {"--spp", true},
        {"--seed", true},
        {"--max-bounces", true},
        {"--camera", true},
        {"--look-from", true},
        {"--look-at", true},
        {"--up", true},
        {"--fov", true},
        {"--env", true},
        {"--env-color", true},
        {"--env-intensity", true},
        {"--env-rotation", true},
        {"--exposure", true},
        {"--tonemap", true},
        {"--sampling", true},
        {"--rr-depth", true},
        {"--clamp", true},
        {"--materials", true},
        {"--reference-materials", true},
        {"--neural-precision", true},
        {"--debug-view", true},
        {"--strict", false},
        {"--field", true},
        {"--at", true},
        {"--scale", true},
        {"--field-material", true},
    };
    return options;
}

void applyRenderOption(RenderConfig& c, const std::string& command, const std::string& name,
                       const std::string& v) {
    auto bad = [&](const std::string& what) { return Error(command + ": " + name + " " + what); };
    if (name == "--size") {
        const glm::uvec2 size = parseSizeOption(command, name, v);
        c.width = size.x;
        c.height = size.y;
    } else if (name == "--spp") {
        c.spp = parseUintOption(command, name, v, 1, 1u << 20);
    } else if (name == "--seed") {
        c.seed = parseUintOption(command, name, v);
    } else if (name == "--max-bounces") {
        c.maxBounces = parseUintOption(command, name, v, 0, 1024);
    } else if (name == "--camera") {
        c.camera = v;
    } else if (name == "--look-from") {
        c.lookFrom = parseVec3Option(command, name, v);
    } else if (name == "--look-at") {
        c.lookAt = parseVec3Option(command, name, v);
    } else if (name == "--up") {
        c.up = parseVec3Option(command, name, v);
    } else if (name == "--fov") {
        const float fov = parseFloatOption(command, name, v);
        if (!(fov > 0.1f && fov < 179.0f)) throw bad("must be in (0.1, 179) degrees");
        c.fovDegrees = fov;
    } else if (name == "--env") {
        if (v.empty()) throw bad("needs sky, constant or a .hdr/.exr file");
        c.env = v;
    } else if (name == "--env-color") {
        c.envColor = parseVec3Option(command, name, v);
    } else if (name == "--env-intensity") {
        c.envIntensity = parseFloatOption(command, name, v);
    } else if (name == "--env-rotation") {
        c.envRotationDegrees = parseFloatOption(command, name, v);
    } else if (name == "--exposure") {
        c.exposure = parseFloatOption(command, name, v);
    } else if (name == "--tonemap") {
        if (!tonemapFromName(v, c.tonemap)) throw bad("must be 'aces', 'reinhard' or 'clamp'");
    } else if (name == "--sampling") {
        const int mode = indexOf(kSamplingNames, v);
        if (mode < 0) throw bad("must be 'mis', 'light' or 'bsdf'");
        c.samplingMode = uint32_t(mode);
    } else if (name == "--rr-depth") {
        c.rrDepth = parseUintOption(command, name, v, 0, 1024);
    } else if (name == "--clamp") {
        c.clampLuminance = parseFloatOption(command, name, v);
        if (c.clampLuminance < 0.0f) throw bad("must not be negative");
    } else if (name == "--materials") {
        if (v != "neural" && v != "reference") throw bad("must be 'neural' or 'reference'");
        c.neuralMaterials = v == "neural";
    } else if (name == "--reference-materials") {
        c.referenceMaterials = splitList(v);
    } else if (name == "--neural-precision") {
        const int p = indexOf(kPrecisionNames, v);
        if (p < 0) throw bad("must be 'auto', 'fp32' or 'fp16'");
        c.neuralPrecision = NeuralPrecision(p);
    } else if (name == "--debug-view") {
        const bool latentsAt =
            v.rfind("latents:", 0) == 0 && v.size() == 9 && v[8] >= '0' && v[8] <= '5';
        const int view = latentsAt ? int(shared::kDebugViewLatents) : indexOf(kDebugViewNames, v);
        if (view <= 0)
            throw bad("must be 'latents', 'latents:K' (K 0-5), 'level', 'steps' or 'normals'");
        c.debugView = uint32_t(view);
        c.debugChannel = latentsAt ? uint32_t(v[8] - '0') : 0u;
    } else if (name == "--strict") {
        c.strict = true;
    } else if (name == "--field") {
        c.field = v;
    } else if (name == "--at") {
        c.fieldAt = parseVec3Option(command, name, v);
    } else if (name == "--scale") {
        c.fieldScale = parseFloatOption(command, name, v);
        if (!(c.fieldScale > 0.0f)) throw bad("must be positive and finite");
    } else if (name == "--field-material") {
        c.fieldMaterial = v;
    } else {
        throw Error(command + ": '" + name + "' is not a render option");
    }
}

void checkRenderConfig(const RenderConfig& c, const std::string& command) {
    if (c.field.empty()) {
        if (c.fieldAt != glm::vec3(0.0f)) throw Error(command + ": --at needs --field");
        if (c.fieldScale != 1.0f) throw Error(command + ": --scale needs --field");
        if (!c.fieldMaterial.empty()) throw Error(command + ": --field-material needs --field");
    }
    if (c.debugView >= kDebugViews) throw Error(command + ": unknown debug view");
}

std::string debugViewName(uint32_t debugView, uint32_t debugChannel) {
    if (debugView >= kDebugViews) return "";
    if (debugView == shared::kDebugViewLatents)
        return std::string("latents:") + char('0' + std::min(debugChannel, 5u));
    return kDebugViewNames[debugView];
}

std::vector<std::string> renderConfigArgs(const RenderConfig& c) {
    const RenderConfig d;
    std::vector<std::string> a;
    auto add = [&](const char* name, const std::string& value) {
        a.push_back(name);
        a.push_back(value);
    };
    add("--size", std::to_string(c.width) + "x" + std::to_string(c.height));
    add("--spp", std::to_string(c.spp));
    add("--seed", std::to_string(c.seed));
    add("--max-bounces", std::to_string(c.maxBounces));
    if (!c.camera.empty()) add("--camera", c.camera);
    if (c.lookFrom) add("--look-from", vec(*c.lookFrom));
    if (c.lookAt) add("--look-at", vec(*c.lookAt));
    if (c.up) add("--up", vec(*c.up));
    if (c.fovDegrees) add("--fov", num(*c.fovDegrees));
    if (c.env != d.env) add("--env", c.env);
    if (c.envColor != d.envColor) add("--env-color", vec(c.envColor));
    if (c.envIntensity != d.envIntensity) add("--env-intensity", num(c.envIntensity));
    if (c.envRotationDegrees != d.envRotationDegrees)
        add("--env-rotation", num(c.envRotationDegrees));
    if (c.exposure != d.exposure) add("--exposure", num(c.exposure));
    if (c.tonemap != d.tonemap) add("--tonemap", tonemapName(c.tonemap));
    add("--sampling", kSamplingNames[std::min(c.samplingMode, 2u)]);
    if (c.rrDepth != d.rrDepth) add("--rr-depth", std::to_string(c.rrDepth));
    if (c.clampLuminance != d.clampLuminance) add("--clamp", num(c.clampLuminance));
    if (!c.neuralMaterials) add("--materials", "reference");
    if (!c.referenceMaterials.empty()) {
        std::string names;
        for (const std::string& m : c.referenceMaterials)
            names += (names.empty() ? "" : ",") + m;
        add("--reference-materials", names);
    }
    if (c.neuralPrecision != d.neuralPrecision)
        add("--neural-precision", kPrecisionNames[int(c.neuralPrecision)]);
    if (c.debugView != 0) add("--debug-view", debugViewName(c.debugView, c.debugChannel));
    if (c.strict) a.push_back("--strict");
    if (!c.field.empty()) {
        add("--field", c.field);
        if (c.fieldAt != d.fieldAt) add("--at", vec(c.fieldAt));
        if (c.fieldScale != d.fieldScale) add("--scale", num(c.fieldScale));
        if (!c.fieldMaterial.empty()) add("--field-material", c.fieldMaterial);
    }
    return a;
}

std::string renderCommandLine(const RenderConfig& c, const std::string& out) {
    std::string cmd = "nerva render " + shellWord(c.scene) + " -o " + shellWord(out);
    for (const std::string& arg : renderConfigArgs(c))
        cmd += " " + shellWord(arg);
    return cmd;
}

scene::Camera configCamera(const RenderConfig& c, const scene::Scene& s) {
    scene::Camera cam;
    if (!c.camera.empty())
        cam = s.cameras[scene::findCamera(s, c.camera)];
    else if (!s.cameras.empty())
        cam = s.cameras[0];
    else
        cam = scene::defaultCamera(s, float(c.width) / float(c.height));
    if (c.lookFrom || c.lookAt) {
        const glm::vec3 from = c.lookFrom.value_or(glm::vec3(cam.toWorld[3]));
        const glm::vec3 at = c.lookAt.value_or(from - glm::vec3(cam.toWorld[2]));
        const glm::vec3 up = c.up.value_or(glm::vec3(0, 1, 0));
        if (glm::length(at - from) < 1e-6f || glm::length(glm::cross(at - from, up)) < 1e-6f)
            throw Error(
                "render: --look-from, --look-at and --up must span a view (they are parallel)");
        cam.toWorld = glm::inverse(glm::lookAt(from, at, up));
        cam.perspective = true;
        cam.name = "override";
        cam.yfov = glm::radians(45.0f);
    }
    if (c.fovDegrees) {
        cam.yfov = glm::radians(*c.fovDegrees);
        cam.perspective = true;
    }
    return cam;
}

std::vector<uint32_t> configReferenceMaterials(const RenderConfig& c, const scene::Scene& s) {
    std::vector<uint32_t> out;
    for (const std::string& item : c.referenceMaterials) {
        const auto named = std::find_if(s.materials.begin(), s.materials.end(),
                                        [&](const scene::Material& m) { return m.name == item; });
        if (named != s.materials.end()) {
            out.push_back(uint32_t(named - s.materials.begin()));
        } else if (item.find_first_not_of("0123456789") == std::string::npos && item.size() < 9 &&
                   std::stoul(item) < s.materials.size()) {
            out.push_back(uint32_t(std::stoul(item)));
        } else {
            throw Error("render: --reference-materials: '" + item +
                        "' is not a material of the scene");
        }
    }
    return out;
}

RenderSettings configRenderSettings(const RenderConfig& c, const scene::Scene& s) {
    RenderSettings r;
    r.width = c.width;
    r.height = c.height;
    r.spp = c.spp;
    r.seed = c.seed;
    r.maxBounces = c.maxBounces;
    r.camera = configCamera(c, s);
    r.envIntensity = c.envIntensity;
    r.envRotation = glm::radians(c.envRotationDegrees);
    r.samplingMode = c.samplingMode;
    r.rrDepth = c.rrDepth;
    r.clampLuminance = c.clampLuminance;
    r.neuralMaterials = c.neuralMaterials;
    r.referenceMaterials = configReferenceMaterials(c, s);
    r.neuralPrecision = c.neuralPrecision;
    r.debugView = c.debugView;
    r.debugChannel = c.debugChannel;
    return r;
}

std::optional<EnvironmentMap> configEnvironment(const RenderConfig& c) {
    if (c.env == "sky") return std::nullopt;
    if (c.env == "constant") return constantEnvironment(c.envColor);
    return loadEnvironmentMap(c.env);
}

void addConfigField(scene::Scene& s, const RenderConfig& c, const std::string& command) {
    if (c.field.empty()) return;
    scene::Field f;
    f.uri = c.field;
    f.node = "--field";
    f.toWorld = glm::scale(glm::translate(glm::mat4(1.0f), c.fieldAt), glm::vec3(c.fieldScale));
    if (!c.fieldMaterial.empty()) {
        for (size_t i = 0; i < s.materials.size() && f.material < 0; ++i)
            if (s.materials[i].name == c.fieldMaterial || std::to_string(i) == c.fieldMaterial)
                f.material = int32_t(i);
        if (f.material < 0)
            throw Error(command + ": --field-material '" + c.fieldMaterial +
                        "' is not a material of the scene");
    }
    f.asset = std::make_shared<const formats::NtriAsset>(formats::readNtri(f.uri));
    const glm::vec3 lo = c.fieldAt - glm::vec3(c.fieldScale);
    const glm::vec3 hi = c.fieldAt + glm::vec3(c.fieldScale);
    const bool empty = s.instances.empty() && s.fields.empty();
    s.boundsMin = empty ? lo : glm::min(s.boundsMin, lo);
    s.boundsMax = empty ? hi : glm::max(s.boundsMax, hi);
    s.fields.push_back(std::move(f));
}

} // namespace nerva::pt
