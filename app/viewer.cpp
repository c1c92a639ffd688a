#include "viewer.h"

#include "render_command.h"

#include "neural/core/error.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/image/tonemap.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "shaders/shared/scene_types.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>
#include <glm/gtc/matrix_transform.hpp>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace nerva::view {
namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

vk::ContextOptions contextOptions(const ViewerArgs& args) {
    vk::ContextOptions o;
    o.validation = args.validation;
    o.device = args.device;
    o.swapchain = true;
    uint32_t count = 0;
    const char** names = glfwGetRequiredInstanceExtensions(&count);
    for (uint32_t i = 0; i < count; ++i)
        o.instanceExtensions.emplace_back(names[i]);
    return o;
}

void onDrop(GLFWwindow* window, int count, const char** paths) {
    auto* pending = static_cast<std::string*>(glfwGetWindowUserPointer(window));
    if (pending && count > 0) *pending = paths[0];
}

std::string pendingDrop; // set by onDrop, consumed by the frame loop

} // namespace

Viewer::Viewer(GLFWwindow* window, const ViewerArgs& args) : window_(window), args_(args) {
    ctx_ = std::make_unique<vk::Context>(contextOptions(args));
    const std::string shaderDir =
        args.shaderDir.empty() ? std::string(NERVA_SHADER_DIR) : args.shaderDir;
    compiler_ = std::make_unique<ShaderCompiler>(shaderDir);
    shaderWatcher_ = std::make_unique<ShaderWatcher>(shaderDir);
    buildTracer();
    presenter_ = std::make_unique<Presenter>(*ctx_, window, args.vsync);
    imgui_ = std::make_unique<ImGuiLayer>(*ctx_, window, presenter_->renderPass(),
                                          presenter_->imageCount(), args.uiScale);
    const pt::RenderConfig& r = args.render;
    const bool envFile = r.env != "sky" && r.env != "constant";
    panels_ =
        std::make_unique<Panels>(r.scene, args.screenshot, envFile ? r.env : "", imgui_->uiScale());
    settings_.render = r;
    settings_.render.env = "sky"; // until setEnvironment() has loaded it
    settings_.samplesPerFrame = int(args.samplesPerFrame);
    settings_.frameBudgetMs = args.frameBudgetMs;
    settings_.scale = args.scale > 0.0f ? args.scale : (ctx_->report().type == "CPU" ? 0.5f : 1.0f);
    settings_.vsync = args.vsync;
    glfwSetWindowUserPointer(window, &pendingDrop);
    glfwSetDropCallback(window, onDrop);
    loadScene(r.scene, r.camera);
    if (r.lookFrom || r.lookAt || r.fovDegrees) { // --look-from/--look-at/--fov
        try {
            pt::RenderConfig start = r;
            start.width = args.width;
            start.height = args.height;
            const scene::Camera cam = pt::configCamera(start, scene_);
            controller_.reset(cam, glm::length(start.lookAt.value_or(glm::vec3(cam.toWorld[3])) -
                                               glm::vec3(cam.toWorld[3])));
            info_.camera = -1;
        } catch (const std::exception& e) {
            info_.error = e.what();
        }
    }
    if (r.env != "sky") setEnvironment(r.env);
    settings_.flipView = args.neuralFlip;
    if (!args.frame.empty()) { // --frame NAME: select and frame a node, field or light
        int found = -1;
        for (size_t i = 0; i < info_.items.size() && found < 0; ++i)
            if (info_.items[i].label == args.frame) found = int(i);
        if (found >= 0)
            frameItem(found);
        else
            info_.error = "--frame: no node, field or light named '" + args.frame + "'";
    }
    if (args.viewpoint >= 0) {
        if (size_t(args.viewpoint) < viewpoints_.size())
            restoreViewpoint(size_t(args.viewpoint));
        else
            panels_->setMessage("no saved viewpoint " + std::to_string(args.viewpoint));
    }
}

Viewer::~Viewer() {
    vkDeviceWaitIdle(ctx_->device());
    glfwSetDropCallback(window_, nullptr);
    imgui_.reset();
    presenter_.reset();
    gpuScene_.reset();
    tracer_.reset();
}

void Viewer::buildTracer() {
    try {
        auto tracer = std::make_unique<pt::PathTracer>(*ctx_, *compiler_);
        vkDeviceWaitIdle(ctx_->device());
        tracer_ = std::move(tracer);
        refTracer_.reset();    // rebuilt with the new shaders when the FLIP view needs it
        accumulating_ = false; // new shaders: start the image again
        shaderError_.clear();
    } catch (const Error& e) {
        shaderError_ = e.what();
        std::fprintf(stderr, "nerva-view: %s\n", e.what());
    }
    info_.shaderError = shaderError_;
}

void Viewer::setEnvironment(const std::string& env) {
    try {
        pt::RenderConfig c = settings_.render;
        c.env = env;
        std::unique_ptr<EnvironmentMap> map;
        if (std::optional<EnvironmentMap> m = pt::configEnvironment(c))
            map = std::make_unique<EnvironmentMap>(std::move(*m));
        vkDeviceWaitIdle(ctx_->device());
        if (map)
            gpuScene_->setEnvironment(*map);
        else
            gpuScene_->setEnvironment(bakeProceduralSky(512, 256), true);
        environment_ = std::move(map);
        environmentName_ = env == "sky" ? "procedural sky" : env;
        settings_.render.env = env;
        info_.environment = environmentName_;
        info_.environmentError.clear();
        ++sceneGeneration_; // restarts the accumulation
    } catch (const std::exception& e) {
        info_.environmentError = e.what();
        std::fprintf(stderr, "nerva-view: %s\n", e.what());
    }
}

void Viewer::flyWithKeys(double seconds) {
    if (ImGui::GetIO().WantCaptureKeyboard) return; // typing into a field
    auto key = [&](int k) { return glfwGetKey(window_, k) == GLFW_PRESS ? 1.0f : 0.0f; };
    const glm::vec3 dir(key(GLFW_KEY_D) - key(GLFW_KEY_A), key(GLFW_KEY_E) - key(GLFW_KEY_Q),
                        key(GLFW_KEY_W) - key(GLFW_KEY_S));
    if (dir == glm::vec3(0.0f)) return;
    // Half the scene's size per second, whatever its scale.
    const float radius = std::max(0.5f * glm::length(scene_.boundsMax - scene_.boundsMin), 0.1f);
    controller_.fly(dir * (0.5f * radius * float(std::min(seconds, 0.25))));
    info_.camera = -1;
    lastCameraMove_ = Clock::now();
}

void Viewer::saveViewpoint() {
    if (info_.path.empty()) return;
    viewpoints_.push_back(viewpointOf(controller_.camera(), controller_.pivotDistance(),
                                      "view " + std::to_string(viewpoints_.size() + 1)));
    try {
        saveViewpoints(viewpointsPath(info_.path), viewpoints_);
        panels_->setMessage("saved " + viewpoints_.back().name + " to " +
                            viewpointsPath(info_.path));
    } catch (const std::exception& e) {
        viewpoints_.pop_back();
        panels_->setMessage(e.what());
    }
    info_.viewpoints.clear();
    for (const Viewpoint& v : viewpoints_)
        info_.viewpoints.push_back(v.name);
}

void Viewer::frameItem(int index) {
    if (index < 0 || size_t(index) >= info_.items.size()) return;
    const scene::SceneItem& item = info_.items[size_t(index)];
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    const float aspect =
        std::max(float(w) - sidebarWidth(imgui_->uiScale()), 1.0f) / float(std::max(h, 1));
    // A point (a light) gets a twentieth of the scene's size around it.
    const float sceneRadius = 0.5f * glm::length(scene_.boundsMax - scene_.boundsMin);
    controller_.frame(item.boundsMin, item.boundsMax, std::max(0.05f * sceneRadius, 1e-2f), aspect);
    panels_->select(index);
    info_.camera = -1;
}

void Viewer::restoreViewpoint(size_t index) {
    if (index >= viewpoints_.size()) return;
    const Viewpoint& v = viewpoints_[index];
    controller_.reset(cameraOf(v), glm::length(v.at - v.from));
    info_.camera = -1;
}

void Viewer::loadScene(const std::string& path, const std::string& cameraName) {
    vkDeviceWaitIdle(ctx_->device());
    gpuScene_.reset();
    info_ = SceneInfo{};
    info_.path = path;
    info_.shaderError = shaderError_;
    info_.device = ctx_->report().name;
    std::vector<std::string> gpuWarnings;
    try {
        scene::Scene s = path.empty() ? scene::Scene{} : scene::loadGltf(path);
        gpu::GpuSceneOptions options;
        options.strictNeural = settings_.render.strict; // --strict: a bad .nmat is a load error
        gpuScene_ = std::make_unique<gpu::GpuScene>(*ctx_, s, gpuWarnings, options);
        scene_ = std::move(s);
    } catch (const std::exception& e) {
        // The viewer stays up with an empty scene and shows what went wrong.
        info_.error = e.what();
        std::fprintf(stderr, "nerva-view: %s\n", e.what());
        scene_ = scene::Scene{};
        gpuWarnings.clear();
        gpuScene_ = std::make_unique<gpu::GpuScene>(*ctx_, scene_, gpuWarnings);
    }
    if (environment_) gpuScene_->setEnvironment(*environment_);
    info_.environment = environmentName_;
    info_.warnings = scene_.warnings;
    info_.warnings.insert(info_.warnings.end(), gpuWarnings.begin(), gpuWarnings.end());
    info_.triangles = gpuScene_->triangleCount();
    info_.fields = gpuScene_->fields().count();
    for (size_t m = 0; m < scene_.materials.size(); ++m) {
        const std::string& name = scene_.materials[m].name;
        info_.materials.push_back(name.empty() ? "material " + std::to_string(m) : name);
        info_.materialKeys.push_back(name.empty() ? std::to_string(m) : name);
        const gpu::SceneNeuralMaterials& n = gpuScene_->neural();
        const int32_t record = m < n.ofMaterial.size() ? n.ofMaterial[m] : -1;
        info_.materialNeuralFile.push_back(record >= 0 ? n.files[size_t(record)] : "");
    }
    if (gpuScene_->neural().set && tracer_)
        info_.neuralDecoder = tracer_->neuralPrecision(pt::NeuralPrecision::Auto).second;
    info_.items = scene::sceneItems(scene_);
    panels_->select(-1);
    for (size_t i = 0; i < scene_.cameras.size(); ++i)
        info_.cameras.push_back(scene_.cameras[i].name.empty() ? "camera " + std::to_string(i)
                                                               : scene_.cameras[i].name);
    viewpoints_.clear();
    if (info_.error.empty() && !path.empty()) {
        try {
            viewpoints_ = loadViewpoints(viewpointsPath(path));
        } catch (const std::exception& e) {
            info_.viewpointsError = e.what(); // the scene still shows
        }
    }
    for (const Viewpoint& v : viewpoints_)
        info_.viewpoints.push_back(v.name);
    ++sceneGeneration_;
    accumulating_ = false;
    int camera = scene_.cameras.empty() ? -1 : 0;
    if (!cameraName.empty()) {
        try {
            camera = int(scene::findCamera(scene_, cameraName));
        } catch (const std::exception& e) {
            info_.error = e.what();
        }
    }
    selectCamera(camera);
}

void Viewer::selectCamera(int index) {
    const glm::vec3 centre = 0.5f * (scene_.boundsMin + scene_.boundsMax);
    const float radius = std::max(0.5f * glm::length(scene_.boundsMax - scene_.boundsMin), 1e-2f);
    scene::Camera cam;
    if (index >= 0 && size_t(index) < scene_.cameras.size()) {
        cam = scene_.cameras[size_t(index)];
    } else if (scene_.instances.empty()) {
        cam.toWorld =
            glm::inverse(glm::lookAt(glm::vec3(0, 1, 5), glm::vec3(0), glm::vec3(0, 1, 0)));
        index = -1;
    } else {
        int w = 0, h = 0;
        glfwGetFramebufferSize(window_, &w, &h);
        const float aspect =
            std::max(float(w) - sidebarWidth(imgui_->uiScale()), 1.0f) / float(std::max(h, 1));
        cam = scene::defaultCamera(scene_, aspect);
        index = -1;
    }
    // The orbit pivot: the scene centre's depth along the view, else its radius.
    const glm::vec3 eye(cam.toWorld[3]);
    const glm::vec3 forward = -glm::normalize(glm::vec3(cam.toWorld[2]));
    const float depth = glm::dot(centre - eye, forward);
    controller_.reset(cam, depth > 1e-3f ? depth : radius);
    info_.camera = index;
}

void Viewer::handleMouse(float viewX, float viewWidth, float viewHeight) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantCaptureMouse) return;
    auto startedInView = [&](int button) {
        const ImVec2 p = io.MouseClickedPos[button];
        return p.x >= viewX && p.x < viewX + viewWidth && p.y >= 0 && p.y < viewHeight;
    };
    const bool moved = io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f;
    if (moved && ImGui::IsMouseDown(0) && startedInView(0)) {
        controller_.orbit(io.MouseDelta.x, io.MouseDelta.y);
        info_.camera = -1;
        lastCameraMove_ = Clock::now();
    } else if (moved && (ImGui::IsMouseDown(1) || ImGui::IsMouseDown(2)) &&
               (startedInView(1) || startedInView(2))) {
        controller_.pan(io.MouseDelta.x, io.MouseDelta.y, viewHeight);
        info_.camera = -1;
        lastCameraMove_ = Clock::now();
    }
    const ImVec2 m = io.MousePos;
    if (io.MouseWheel != 0.0f && m.x >= viewX && m.x < viewX + viewWidth) {
        controller_.zoom(io.MouseWheel);
        info_.camera = -1;
        lastCameraMove_ = Clock::now();
    }
}

void Viewer::traceAndDisplay(uint32_t width, uint32_t height) {
    if (!tracer_) { // shaders never compiled: an empty view, the error is in the panel
        if (beauty_.width != width || beauty_.height != height) {
            beauty_ = ImageRGBA32F(width, height);
            showDisplay();
        }
        return;
    }
    // What restarts the accumulation: the view's config but for what only
    // the display does with it, the size, the camera and the scene.
    pt::RenderConfig config = settings_.render;
    config.exposure = 0.0f;
    config.tonemap = Tonemap::Aces;
    config.width = width;
    config.height = height;
    const bool flip = settings_.flipView;
    const AccumKey key{config, controller_.version(), sceneGeneration_, flip};
    if (!accumulating_ || !(key == key_)) {
        // A sample's cost per pixel is kept across camera moves and sizes,
        // measured again when the scene or the FLIP view changes.
        if (key.sceneGeneration != key_.sceneGeneration || key.flipView != key_.flipView)
            msPerPixel_ = sampleMsPerPixel_ = -1.0;
        bandsMs_ = 0.0;
        // The camera is the controller's; the config's names the start only.
        config.camera.clear();
        config.lookFrom.reset();
        config.lookAt.reset();
        config.fovDegrees.reset();
        pt::RenderSettings rs;
        try {
            rs = pt::configRenderSettings(config, scene_);
        } catch (const std::exception& e) { // a --reference-materials name the scene lacks
            info_.error = e.what();
            settings_.render.referenceMaterials.clear();
            config.referenceMaterials.clear();
            rs = pt::configRenderSettings(config, scene_);
        }
        rs.camera = controller_.camera();
        tracer_->begin(*gpuScene_, rs);
        if (flip) { // the same view with every material's reference, beside it
            if (!refTracer_) refTracer_ = std::make_unique<pt::PathTracer>(*ctx_, *compiler_);
            pt::RenderSettings ref = rs;
            ref.neuralMaterials = false;
            refTracer_->begin(*gpuScene_, ref);
        }
        stats_.flipMean = -1.0;
        gpuScene_->fields().resetStats();
        key_ = key;
        accumulating_ = true;
    }
    const uint32_t done = tracer_->samplesDone();
    const uint32_t target = settings_.render.spp;
    if (done < target) {
        // Whole samples while one fits the frame budget, else the next band
        // of rows sized to it, so the UI keeps drawing however slow a
        // sample is (the demo's fields on lavapipe: ~20 s at 475x360).
        const double budget = settings_.frameBudgetMs;
        const double pixels = double(width) * height;
        // Rows differ in cost (sky against fields), so whole samples only
        // once a whole one has been timed and fit, and each band is sized by
        // what its rows cost the last time they were traced (rows not yet
        // traced at this size: the last band's rate; at first a sixteenth).
        // One table per size, so the preview while moving leaves the full
        // view's timings in place.
        if (rowMsBySize_.size() > 16) rowMsBySize_.clear();
        std::vector<double>& rowMs = rowMsBySize_[uint64_t(width) << 32 | height];
        if (rowMs.size() != height) rowMs.assign(height, -1.0);
        const bool banded = budget > 0.0 && (tracer_->rowCursor() > 0 || sampleMsPerPixel_ < 0.0 ||
                                             sampleMsPerPixel_ * pixels > budget);
        const auto t0 = Clock::now();
        uint64_t rays = 0;
        if (!banded) {
            const uint32_t n = std::min(uint32_t(settings_.samplesPerFrame), target - done);
            rays = tracer_->addSamples(n);
            if (flip) rays += refTracer_->addSamples(n);
            msPerPixel_ = sampleMsPerPixel_ = msSince(t0) / n / pixels;
            rowMs.assign(height, msPerPixel_ * width);
        } else {
            const uint32_t first = tracer_->rowCursor();
            uint32_t rows = 0;
            if (msPerPixel_ < 0.0) {
                rows = std::max(height / 16, 1u);
            } else {
                // Rows not timed yet may be far dearer than the last band's
                // (a field below the sky): at most twice as many of them.
                double planned = 0.0;
                uint32_t untimed = 0;
                while (first + rows < height) {
                    const double r = rowMs[first + rows];
                    if (r < 0.0 && ++untimed > 2 * lastBandRows_) break;
                    planned += r >= 0.0 ? r : msPerPixel_ * width;
                    if (rows > 0 && planned > budget) break;
                    ++rows;
                }
                rows = std::max(rows, 1u);
            }
            lastBandRows_ = rows;
            const uint32_t sampleBefore = tracer_->samplesDone();
            rays = tracer_->addRows(rows);
            if (flip) rays += refTracer_->addRows(rows);
            const double bandMs = msSince(t0);
            msPerPixel_ = bandMs / (double(width) * rows);
            std::fill_n(rowMs.begin() + first, rows, bandMs / rows);
            bandsMs_ += bandMs;
            if (tracer_->samplesDone() != sampleBefore) { // a whole sample, band by band
                sampleMsPerPixel_ = bandsMs_ / pixels;
                bandsMs_ = 0.0;
            }
        }
        const double ms = msSince(t0);
        beauty_ = tracer_->readBeauty();
        if (flip) {
            referenceBeauty_ = refTracer_->readBeauty();
            stats_.flipSamples = refTracer_->samplesDone();
        }
        stats_.traceMs = ms;
        if (info_.fields > 0) {
            const gpu::FieldStats fs = gpuScene_->fields().stats();
            stats_.fieldCalls = fs.calls;
            stats_.fieldStepsPerCall = fs.stepsPerCall();
        }
        stats_.mraysPerSecond = ms > 0.0 ? double(rays) / ms * 1e-3 : 0.0;
        showDisplay();
    } else if (settings_.render.exposure != shownExposure_ ||
               settings_.render.tonemap != shownTonemap_) {
        showDisplay();
    }
    stats_.samples = tracer_->samplesDone();
    stats_.rowsDone = tracer_->rowCursor();
    stats_.target = target;
    stats_.renderWidth = width;
    stats_.renderHeight = height;
}

void Viewer::showDisplay() {
    WriteOptions o;
    o.exposure = settings_.render.exposure;
    o.tonemap = settings_.render.tonemap;
    o.displayValues = settings_.render.debugView != 0; // colour maps, shown as they are
    ImageRGBA32F display = toDisplay(beauty_, o);
    if (settings_.flipView && referenceBeauty_.width == beauty_.width &&
        referenceBeauty_.height == beauty_.height && beauty_.width > 0) {
        // FLIP of the displayed neural render against the reference's, as
        // its error map (black: indistinguishable, bright: visible).
        const FlipResult f = computeFlip(toDisplay(referenceBeauty_, o), display);
        stats_.flipMean = f.mean;
        display = flipErrorImage(f);
    }
    std::vector<uint8_t> rgba(display.texels.size());
    for (size_t i = 0; i < rgba.size(); ++i)
        rgba[i] = quantize8(display.texels[i]);
    presenter_->setView(display.width, display.height, rgba.data());
    shownExposure_ = settings_.render.exposure;
    shownTonemap_ = settings_.render.tonemap;
}

void Viewer::saveScreenshot(const Screenshot& shot, const std::string& path) {
    if (shot.width == 0) {
        panels_->setMessage("this swapchain cannot be read back; no screenshot");
        return;
    }
    try {
        // EXR/HDR: the render's linear radiance (what `nerva render` would
        // write); PNG/JPEG: the window as shown, panels included.
        if (!isDisplayReferred(imageFormatOf(path))) {
            writeImage(path, beauty_);
            panels_->setMessage("saved " + path);
            std::printf("nerva-view: screenshot %s (%ux%u, linear)\n", path.c_str(), beauty_.width,
                        beauty_.height);
            return;
        }
        ImageRGBA32F img(shot.width, shot.height);
        for (size_t i = 0; i < shot.rgba.size(); ++i)
            img.texels[i] = float(shot.rgba[i]) / 255.0f;
        writeDisplayImage(path, img);
        panels_->setMessage("saved " + path);
        std::printf("nerva-view: screenshot %s (%ux%u)\n", path.c_str(), shot.width, shot.height);
    } catch (const std::exception& e) {
        panels_->setMessage(e.what());
        std::fprintf(stderr, "nerva-view: %s\n", e.what());
    }
}

int Viewer::run() {
    uint32_t frames = 0;
    bool f12Was = false, fWas = false;
    auto last = Clock::now();
    while (!glfwWindowShouldClose(window_)) {
        glfwPollEvents();
        int fbw = 0, fbh = 0;
        glfwGetFramebufferSize(window_, &fbw, &fbh);
        if (fbw == 0 || fbh == 0) { // minimised: wait, trace nothing
            glfwWaitEvents();
            continue;
        }
        if (!pendingDrop.empty()) {
            loadScene(pendingDrop, "");
            pendingDrop.clear();
        }
        if (shaderWatcher_->changed()) buildTracer();
        imgui_->newFrame();
        const PanelActions act = panels_->draw(float(fbh), settings_, info_, stats_);
        if (act.loadScene) loadScene(panels_->scenePath(), "");
        if (act.selectCamera >= -1) selectCamera(act.selectCamera);
        if (act.resetView) selectCamera(info_.camera);
        if (act.saveViewpoint) saveViewpoint();
        if (act.loadEnvironment) setEnvironment(panels_->environmentPath());
        if (act.useSky) setEnvironment("sky");
        if (act.restoreViewpoint >= 0) restoreViewpoint(size_t(act.restoreViewpoint));
        const bool fKey =
            glfwGetKey(window_, GLFW_KEY_F) == GLFW_PRESS && !ImGui::GetIO().WantCaptureKeyboard;
        if (act.frameItem >= 0 || (fKey && !fWas && panels_->selected() >= 0))
            frameItem(act.frameItem >= 0 ? act.frameItem : panels_->selected());
        fWas = fKey;
        const bool f12 = glfwGetKey(window_, GLFW_KEY_F12) == GLFW_PRESS;
        const bool f12Pressed = f12 && !f12Was;
        f12Was = f12;

        const auto viewX = int32_t(sidebarWidth(imgui_->uiScale()));
        const uint32_t viewW = uint32_t(std::max(fbw - viewX, 1));
        const uint32_t viewH = uint32_t(fbh);
        handleMouse(float(viewX), float(viewW), float(viewH));
        flyWithKeys(ImGui::GetIO().DeltaTime);
        presenter_->setVsync(settings_.vsync);
        // While the camera moves, a scene whose sample would not fit the
        // frame budget is previewed at a lower resolution that does (down to
        // an eighth); 0.3 s after the last move the full view accumulates.
        float scale = settings_.scale;
        const double fullPixels = double(viewW) * viewH * scale * scale;
        // Rows differ in cost (sky against fields), so the preview goes by
        // whole samples, or by the last band until one is complete.
        const double perPixel = sampleMsPerPixel_ > 0.0 ? sampleMsPerPixel_ : msPerPixel_;
        const double fullMs = perPixel * fullPixels;
        stats_.preview = settings_.frameBudgetMs > 0.0f && perPixel > 0.0 &&
                         fullMs > settings_.frameBudgetMs && msSince(lastCameraMove_) < 300.0;
        if (stats_.preview)
            scale *= std::max(float(std::sqrt(settings_.frameBudgetMs / fullMs)), 0.125f);
        const uint32_t renderW = std::max(1u, uint32_t(std::lround(viewW * scale)));
        const uint32_t renderH = std::max(1u, uint32_t(std::lround(viewH * scale)));
        traceAndDisplay(renderW, renderH);
        ImGui::Render();

        const bool lastFrame = args_.frames > 0 && frames + 1 >= args_.frames;
        const bool exitShot = lastFrame && !args_.screenshot.empty();
        const bool wantShot = act.screenshot || f12Pressed || exitShot;
        Screenshot shot;
        const bool drawn = presenter_->frame(
            viewX, 0, viewW, viewH, [&](VkCommandBuffer cmd) { imgui_->draw(cmd); },
            wantShot ? &shot : nullptr);
        if (!drawn) continue;
        if (wantShot) saveScreenshot(shot, exitShot ? args_.screenshot : panels_->screenshotPath());
        const double ms = msSince(last);
        last = Clock::now();
        stats_.frameMs = frames == 0 ? ms : 0.8 * stats_.frameMs + 0.2 * ms;
        const vk::MemoryInUse memory = vk::memoryInUse();
        stats_.memoryMB = double(memory.bytes) / (1 << 20);
        stats_.deviceLocalMB = double(memory.deviceLocalBytes) / (1 << 20);
        stats_.allocations = memory.allocations;
        if (args_.frames > 0) {
            std::printf("frame %u: %.1f ms, %u/%u spp (+%u rows), %.1f MB in %u allocations\n",
                        frames, ms, stats_.samples, stats_.target, stats_.rowsDone, stats_.memoryMB,
                        stats_.allocations);
            if (settings_.flipView && stats_.flipMean >= 0.0)
                std::printf("neural vs reference: mean FLIP %.4f at %u spp each\n", stats_.flipMean,
                            stats_.flipSamples);
        }
        ++frames;
        const bool exiting = args_.frames > 0 && frames >= args_.frames;
        if (act.printCommand || exiting) {
            // Any view can be reproduced headless with this line.
            std::string gltfCamera;
            if (info_.camera >= 0) {
                const std::string& name = scene_.cameras[size_t(info_.camera)].name;
                gltfCamera = name.empty() ? std::to_string(info_.camera) : name;
            }
            const std::string cmd = pt::renderCommandLine(
                viewConfig(settings_, info_.path, controller_.camera(), gltfCamera,
                           stats_.renderWidth, stats_.renderHeight),
                "view.png");
            std::printf("render command: %s\n", cmd.c_str());
            std::fflush(stdout);
            panels_->setMessage(cmd);
        }
        if (exiting) break;
    }
    vkDeviceWaitIdle(ctx_->device());
    if (ctx_->validationErrors() > 0) {
        std::fprintf(stderr, "nerva-view: error: %u Vulkan validation errors (see above)\n",
                     ctx_->validationErrors());
        return 3;
    }
    return 0;
}

} // namespace nerva::view
