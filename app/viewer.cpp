#include "viewer.h"

#include "render_command.h"

#include "neural/core/error.h"
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
    panels_ =
        std::make_unique<Panels>(args.scene, args.screenshot, args.environment, imgui_->uiScale());
    settings_.spp = int(args.spp);
    settings_.samplesPerFrame = int(args.samplesPerFrame);
    settings_.maxBounces = int(args.maxBounces);
    settings_.exposure = args.exposure;
    settings_.scale = args.scale > 0.0f ? args.scale : (ctx_->report().type == "CPU" ? 0.5f : 1.0f);
    settings_.vsync = args.vsync;
    glfwSetWindowUserPointer(window, &pendingDrop);
    glfwSetDropCallback(window, onDrop);
    loadScene(args.scene, args.camera);
    if (!args.environment.empty()) setEnvironment(args.environment);
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
        accumulating_ = false; // new shaders: start the image again
        shaderError_.clear();
    } catch (const Error& e) {
        shaderError_ = e.what();
        std::fprintf(stderr, "nerva-view: %s\n", e.what());
    }
    info_.shaderError = shaderError_;
}

void Viewer::setEnvironment(const std::string& path) {
    try {
        std::unique_ptr<EnvironmentMap> map;
        if (!path.empty()) map = std::make_unique<EnvironmentMap>(loadEnvironmentMap(path));
        vkDeviceWaitIdle(ctx_->device());
        if (map)
            gpuScene_->setEnvironment(*map);
        else
            gpuScene_->setEnvironment(bakeProceduralSky(512, 256), true);
        environment_ = std::move(map);
        environmentName_ = path.empty() ? "procedural sky" : path;
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
        gpuScene_ = std::make_unique<gpu::GpuScene>(*ctx_, s, gpuWarnings);
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
    settings_.referenceMaterial.assign(scene_.materials.size(), 0);
    for (size_t m = 0; m < scene_.materials.size(); ++m) {
        info_.materials.push_back(scene_.materials[m].name.empty() ? "material " + std::to_string(m)
                                                                   : scene_.materials[m].name);
        const gpu::SceneNeuralMaterials& n = gpuScene_->neural();
        const int32_t record = m < n.ofMaterial.size() ? n.ofMaterial[m] : -1;
        info_.materialNeuralFile.push_back(record >= 0 ? n.files[size_t(record)] : "");
    }
    if (gpuScene_->neural().set && tracer_)
        info_.neuralDecoder = tracer_->neuralPrecision(pt::NeuralPrecision::Auto).second;
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
    } else if (moved && (ImGui::IsMouseDown(1) || ImGui::IsMouseDown(2)) &&
               (startedInView(1) || startedInView(2))) {
        controller_.pan(io.MouseDelta.x, io.MouseDelta.y, viewHeight);
        info_.camera = -1;
    }
    const ImVec2 m = io.MousePos;
    if (io.MouseWheel != 0.0f && m.x >= viewX && m.x < viewX + viewWidth) {
        controller_.zoom(io.MouseWheel);
        info_.camera = -1;
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
    const AccumKey key{width,
                       height,
                       settings_.maxBounces,
                       settings_.samplingMode,
                       settings_.envRotationDegrees,
                       settings_.envIntensity,
                       controller_.version(),
                       sceneGeneration_,
                       settings_.materialsVersion};
    if (!accumulating_ || key != key_) {
        pt::RenderSettings rs;
        rs.width = width;
        rs.height = height;
        rs.seed = args_.seed;
        rs.maxBounces = uint32_t(settings_.maxBounces);
        rs.camera = controller_.camera();
        rs.envIntensity = settings_.envIntensity;
        rs.envRotation = glm::radians(settings_.envRotationDegrees);
        rs.samplingMode = uint32_t(settings_.samplingMode);
        rs.neuralMaterials = settings_.neuralMaterials;
        rs.debugView = uint32_t(settings_.debugView);
        rs.debugChannel = uint32_t(settings_.debugChannel);
        for (size_t m = 0; m < settings_.referenceMaterial.size(); ++m)
            if (settings_.referenceMaterial[m]) rs.referenceMaterials.push_back(uint32_t(m));
        tracer_->begin(*gpuScene_, rs);
        key_ = key;
        accumulating_ = true;
    }
    const uint32_t done = tracer_->samplesDone();
    const uint32_t target = uint32_t(settings_.spp);
    if (done < target) {
        const uint32_t n = std::min(uint32_t(settings_.samplesPerFrame), target - done);
        const auto t0 = Clock::now();
        const uint64_t rays = tracer_->addSamples(n);
        const double ms = msSince(t0);
        beauty_ = tracer_->readBeauty();
        stats_.traceMs = ms;
        stats_.mraysPerSecond = ms > 0.0 ? double(rays) / ms * 1e-3 : 0.0;
        showDisplay();
    } else if (settings_.exposure != shownExposure_) {
        showDisplay();
    }
    stats_.samples = tracer_->samplesDone();
    stats_.target = target;
    stats_.renderWidth = width;
    stats_.renderHeight = height;
}

void Viewer::showDisplay() {
    WriteOptions o;
    o.exposure = settings_.exposure;
    const ImageRGBA32F display = toDisplay(beauty_, o);
    std::vector<uint8_t> rgba(display.texels.size());
    for (size_t i = 0; i < rgba.size(); ++i)
        rgba[i] = quantize8(display.texels[i]);
    presenter_->setView(display.width, display.height, rgba.data());
    shownExposure_ = settings_.exposure;
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
    bool f12Was = false;
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
        if (act.useSky) setEnvironment("");
        if (act.restoreViewpoint >= 0) restoreViewpoint(size_t(act.restoreViewpoint));
        const bool f12 = glfwGetKey(window_, GLFW_KEY_F12) == GLFW_PRESS;
        const bool f12Pressed = f12 && !f12Was;
        f12Was = f12;

        const auto viewX = int32_t(sidebarWidth(imgui_->uiScale()));
        const uint32_t viewW = uint32_t(std::max(fbw - viewX, 1));
        const uint32_t viewH = uint32_t(fbh);
        handleMouse(float(viewX), float(viewW), float(viewH));
        flyWithKeys(ImGui::GetIO().DeltaTime);
        presenter_->setVsync(settings_.vsync);
        const uint32_t renderW = std::max(1u, uint32_t(std::lround(viewW * settings_.scale)));
        const uint32_t renderH = std::max(1u, uint32_t(std::lround(viewH * settings_.scale)));
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
        if (args_.frames > 0)
            std::printf("frame %u: %.1f ms, %u/%u spp\n", frames, ms, stats_.samples,
                        stats_.target);
        ++frames;
        const bool exiting = args_.frames > 0 && frames >= args_.frames;
        if (act.printCommand || exiting) {
            // Any view can be reproduced headless with this line.
            const std::string cmd = renderCommandLine(
                info_.path, settings_, controller_.camera(),
                info_.camera >= 0 ? info_.cameras[size_t(info_.camera)] : std::string(),
                stats_.renderWidth, stats_.renderHeight, args_.seed,
                environment_ ? environmentName_ : std::string(), info_.materials);
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
