// Everything that defines a rendered view, as `nerva render`'s options spell
// it: one struct for the headless renderer and the viewer. `nerva render`
// parses it from its command line; nerva-view takes the same options, edits
// the struct in its panels and prints it back as a `nerva render` line that
// reproduces the view (renderCommandLine). Values are those of the command
// line (degrees, stops, names); resolving them against a loaded scene gives
// the path tracer's RenderSettings.
#pragma once

#include "renderer/image/tonemap.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/scene_model.h"

#include <glm/glm.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nerva::pt {

struct RenderConfig {
    std::string scene; // glTF file
    uint32_t width = 256, height = 256;
    uint32_t spp = 16;
    uint32_t seed = 0;
    uint32_t maxBounces = 4;
    // --camera: a glTF camera's name or index; empty: the scene's first
    // camera, else one framing the scene.
    std::string camera;
    // --look-from/--look-at/--up/--fov: a perspective camera instead (each
    // missing one taken from the camera above).
    std::optional<glm::vec3> lookFrom, lookAt, up;
    std::optional<float> fovDegrees; // vertical
    std::string env = "sky";         // sky | constant | a .hdr/.exr file
    glm::vec3 envColor{1.0f};        // of `constant`
    float envIntensity = 1.0f;
    float envRotationDegrees = 0.0f; // about +Y
    float exposure = 0.0f;           // stops, display-referred outputs only
    Tonemap tonemap = Tonemap::Aces; // display-referred outputs only
    uint32_t samplingMode = 0;       // shared::kSamplingMis, kSamplingLight, kSamplingBsdf
    uint32_t rrDepth = 3;
    float clampLuminance = 0.0f;
    bool neuralMaterials = true;
    std::vector<std::string> referenceMaterials; // names (or indices) of the scene's materials
    NeuralPrecision neuralPrecision = NeuralPrecision::Auto;
    uint32_t debugView = 0;    // shared::kDebugView*
    uint32_t debugChannel = 0; // first latent channel of the latents view
    bool strict = false;       // an unusable neural material is an error
    // --field FILE --at X,Y,Z --scale S --field-material M: one more field.
    std::string field;
    glm::vec3 fieldAt{0.0f};
    float fieldScale = 1.0f;
    std::string fieldMaterial;

    bool operator==(const RenderConfig&) const = default;
};

// The options RenderConfig reads, each with whether it takes a value (the
// scene is positional and not among them).
const std::map<std::string, bool>& renderConfigOptions();
// Sets the option `name` (one of renderConfigOptions(); "1" for flags).
// Throws Error("COMMAND: option NAME ...") for a bad value.
void applyRenderOption(RenderConfig& config, const std::string& command, const std::string& name,
                       const std::string& value);
// Checks that concern several options (--at without --field, a look-at that
// spans no view); throws Error("COMMAND: ...").
void checkRenderConfig(const RenderConfig& config, const std::string& command);
// The options that give `config` back through applyRenderOption, defaults
// left out, in a fixed order (name and value as separate items).
std::vector<std::string> renderConfigArgs(const RenderConfig& config);
// "nerva render 'SCENE' -o OUT OPTIONS", quoted for a POSIX shell.
std::string renderCommandLine(const RenderConfig& config, const std::string& out);

// The names of the debug views (--debug-view), indexed by shared::kDebugView*
// ("" for the radiance); latents take ":K" for the first channel.
std::string debugViewName(uint32_t debugView, uint32_t debugChannel);

// ---- resolved against a scene ----

// The camera the config names; throws Error for an unknown camera.
scene::Camera configCamera(const RenderConfig& config, const scene::Scene& scene);
// referenceMaterials as material indices; throws Error for an unknown name.
std::vector<uint32_t> configReferenceMaterials(const RenderConfig& config,
                                               const scene::Scene& scene);
// The path tracer's settings (camera and materials resolved as above).
RenderSettings configRenderSettings(const RenderConfig& config, const scene::Scene& scene);
// The environment map, or nullopt for the procedural sky; a file that fails
// to load throws its reader's Error.
std::optional<EnvironmentMap> configEnvironment(const RenderConfig& config);
// Adds --field's field to the scene (reads the .ntri; a bad file throws its
// reader's one-line Error) and grows the scene bounds by its box.
void addConfigField(scene::Scene& scene, const RenderConfig& config, const std::string& command);

} // namespace nerva::pt
