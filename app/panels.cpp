#include "panels.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace nerva::view {
namespace {

void copyInto(char (&dst)[1024], const std::string& s) {
    std::snprintf(dst, sizeof dst, "%s", s.c_str());
}

const ImVec4 kErrorColour(1.0f, 0.35f, 0.3f, 1.0f);
const ImVec4 kWarningColour(1.0f, 0.8f, 0.3f, 1.0f);

} // namespace

Panels::Panels(const std::string& scenePath, const std::string& screenshotPath,
               const std::string& environmentPath, float uiScale)
    : uiScale_(uiScale) {
    copyInto(scenePath_, scenePath);
    copyInto(environmentPath_, environmentPath);
    copyInto(screenshotPath_, screenshotPath.empty() ? "nerva-view.png" : screenshotPath);
}

PanelActions Panels::draw(float windowHeight, ViewSettings& s, const SceneInfo& scene,
                          const FrameStats& stats) {
    PanelActions act;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(sidebarWidth(uiScale_), windowHeight));
    ImGui::Begin("nerva-view", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::PushItemWidth(-120.0f * uiScale_);

    if (ImGui::CollapsingHeader("Scene", ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::InputText("file", scenePath_, sizeof scenePath_);
        if (ImGui::Button("Load")) act.loadScene = true;
        if (!scene.shaderError.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
            ImGui::TextWrapped("shader: %s", scene.shaderError.c_str());
            ImGui::PopStyleColor();
        }
        if (!scene.error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
            ImGui::TextWrapped("%s", scene.error.c_str());
            ImGui::PopStyleColor();
        } else {
            ImGui::Text("%llu triangles", static_cast<unsigned long long>(scene.triangles));
        }
        // Nodes, fields and lights; click selects, F or the button frames.
        static const char* kKinds[] = {"Nodes", "Fields", "Lights"};
        for (int kind = 0; kind < 3; ++kind) {
            int count = 0;
            for (const scene::SceneItem& item : scene.items)
                count += int(item.kind) == kind;
            if (count == 0) continue;
            if (!ImGui::TreeNode(kKinds[kind], "%s (%d)", kKinds[kind], count)) continue;
            for (size_t i = 0; i < scene.items.size(); ++i) {
                if (int(scene.items[i].kind) != kind) continue;
                ImGui::PushID(int(i));
                if (ImGui::Selectable(scene.items[i].label.c_str(), selected_ == int(i),
                                      ImGuiSelectableFlags_AllowDoubleClick)) {
                    selected_ = int(i);
                    if (ImGui::IsMouseDoubleClicked(0)) act.frameItem = selected_;
                }
                ImGui::PopID();
            }
            ImGui::TreePop();
        }
        if (selected_ >= int(scene.items.size())) selected_ = -1;
        ImGui::BeginDisabled(selected_ < 0);
        if (ImGui::Button("Frame selection (F)")) act.frameItem = selected_;
        ImGui::EndDisabled();
        for (const std::string& w : scene.warnings) {
            ImGui::PushStyleColor(ImGuiCol_Text, kWarningColour);
            ImGui::TextWrapped("warning: %s", w.c_str());
            ImGui::PopStyleColor();
        }
    }

    if (ImGui::CollapsingHeader("Camera", ImGuiTreeNodeFlags_DefaultOpen)) {
        const char* current =
            scene.camera >= 0 ? scene.cameras[size_t(scene.camera)].c_str() : "free orbit";
        if (ImGui::BeginCombo("camera", current)) {
            if (ImGui::Selectable("free orbit", scene.camera < 0)) act.selectCamera = -1;
            for (size_t i = 0; i < scene.cameras.size(); ++i) {
                ImGui::PushID(int(i));
                if (ImGui::Selectable(scene.cameras[i].c_str(), scene.camera == int(i)))
                    act.selectCamera = int(i);
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        if (ImGui::Button("Reset view")) act.resetView = true;
        ImGui::SameLine();
        if (ImGui::Button("Save viewpoint")) act.saveViewpoint = true;
        for (size_t i = 0; i < scene.viewpoints.size(); ++i) {
            ImGui::PushID(1000 + int(i));
            if (ImGui::SmallButton(scene.viewpoints[i].c_str())) act.restoreViewpoint = int(i);
            ImGui::PopID();
            if ((i + 1) % 4 != 0 && i + 1 < scene.viewpoints.size()) ImGui::SameLine();
        }
        if (!scene.viewpointsError.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
            ImGui::TextWrapped("%s", scene.viewpointsError.c_str());
            ImGui::PopStyleColor();
        }
        ImGui::TextDisabled("drag: orbit, right drag: pan, wheel: zoom");
        ImGui::TextDisabled("keys: W/S forward/back, A/D left/right, Q/E down/up");
    }

    if (ImGui::CollapsingHeader("Render settings", ImGuiTreeNodeFlags_DefaultOpen)) {
        pt::RenderConfig& r = s.render;
        int spp = int(r.spp), bounces = int(r.maxBounces), sampling = int(r.samplingMode);
        ImGui::SliderInt("spp target", &spp, 1, 4096, "%d", ImGuiSliderFlags_Logarithmic);
        ImGui::SliderInt("samples/frame", &s.samplesPerFrame, 1, 16);
        ImGui::SliderFloat("frame budget", &s.frameBudgetMs, 0.0f, 1000.0f, "%.0f ms");
        ImGui::SliderInt("max bounces", &bounces, 0, 16);
        ImGui::SliderFloat("exposure", &r.exposure, -8.0f, 8.0f, "%.2f stops");
        if (ImGui::BeginCombo("tonemap", tonemapName(r.tonemap))) {
            for (Tonemap t : {Tonemap::Clamp, Tonemap::Aces, Tonemap::Reinhard})
                if (ImGui::Selectable(tonemapName(t), r.tonemap == t)) r.tonemap = t;
            ImGui::EndCombo();
        }
        ImGui::Text("environment: %s", scene.environment.c_str());
        ImGui::InputText("env file", environmentPath_, sizeof environmentPath_);
        if (ImGui::Button("Load env")) act.loadEnvironment = true;
        ImGui::SameLine();
        if (ImGui::Button("Sky")) act.useSky = true;
        if (!scene.environmentError.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
            ImGui::TextWrapped("%s", scene.environmentError.c_str());
            ImGui::PopStyleColor();
        }
        ImGui::SliderFloat("env rotation", &r.envRotationDegrees, -180.0f, 180.0f, "%.0f deg");
        ImGui::SliderFloat("env intensity", &r.envIntensity, 0.0f, 8.0f, "%.2f");
        const char* modes[] = {"mis", "light", "bsdf"};
        ImGui::Combo("sampling", &sampling, modes, 3);
        ImGui::SliderFloat("render scale", &s.scale, 0.1f, 1.0f, "%.2f");
        ImGui::Checkbox("vsync", &s.vsync);
        r.spp = uint32_t(std::max(spp, 1));
        r.maxBounces = uint32_t(std::clamp(bounces, 0, 64));
        r.samplingMode = uint32_t(std::clamp(sampling, 0, 2));
        s.samplesPerFrame = std::clamp(s.samplesPerFrame, 1, 64);
        s.scale = std::clamp(s.scale, 0.1f, 1.0f);
        r.envIntensity = std::max(r.envIntensity, 0.0f);
    }

    if (ImGui::CollapsingHeader("Inspect", ImGuiTreeNodeFlags_DefaultOpen)) {
        pt::RenderConfig& r = s.render;
        // Inspection: the tracer's debug views, or neural vs reference FLIP.
        const char* views[] = {"radiance",    "latent channels", "latent level",
                               "field steps", "normals",         "FLIP neural vs ref"};
        int view = s.flipView ? int(Inspect::NeuralFlip) : int(r.debugView);
        if (ImGui::Combo("show", &view, views, 6)) {
            s.flipView = view == int(Inspect::NeuralFlip);
            r.debugView = s.flipView ? 0u : uint32_t(view);
        }
        if (r.debugView == uint32_t(Inspect::LatentChannels)) {
            int channel = int(r.debugChannel);
            ImGui::SliderInt("channels from", &channel, 0, 5);
            r.debugChannel = uint32_t(std::clamp(channel, 0, 5));
        }
        if (s.flipView) {
            if (stats.flipMean >= 0.0)
                ImGui::Text("mean FLIP %.4f (%u spp each)", stats.flipMean, stats.flipSamples);
            else
                ImGui::TextDisabled("FLIP: accumulating");
        }
    }

    if (!scene.materials.empty() &&
        ImGui::CollapsingHeader("Materials", ImGuiTreeNodeFlags_DefaultOpen)) {
        // Reference vs neural, for all materials and per material.
        pt::RenderConfig& r = s.render;
        ImGui::Checkbox("neural materials", &r.neuralMaterials);
        if (!scene.neuralDecoder.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
            ImGui::TextWrapped("decoder %s", scene.neuralDecoder.c_str());
            ImGui::PopStyleColor();
        }
        for (size_t i = 0; i < scene.materials.size(); ++i) {
            ImGui::PushID(int(i));
            const std::string& nmat = scene.materialNeuralFile[i];
            if (nmat.empty()) {
                ImGui::TextDisabled("%s (reference only)", scene.materials[i].c_str());
            } else {
                const std::string& key = scene.materialKeys[i];
                auto& refs = r.referenceMaterials;
                const auto it = std::find(refs.begin(), refs.end(), key);
                bool neural = it == refs.end();
                ImGui::BeginDisabled(!r.neuralMaterials);
                if (ImGui::Checkbox(scene.materials[i].c_str(), &neural)) {
                    if (neural)
                        refs.erase(it);
                    else
                        refs.push_back(key);
                }
                ImGui::EndDisabled();
                if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                    ImGui::SetTooltip("%s", nmat.c_str());
            }
            ImGui::PopID();
        }
    }

    if (ImGui::CollapsingHeader("Statistics", ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::Text("frame       %.1f ms", stats.frameMs);
        ImGui::Text("trace       %.1f ms", stats.traceMs);
        ImGui::Text("Mrays/s     %.2f", stats.mraysPerSecond);
        if (stats.rowsDone > 0 && stats.renderHeight > 0)
            ImGui::Text("samples     %u / %u (+%.0f%%)", stats.samples, stats.target,
                        100.0 * stats.rowsDone / stats.renderHeight);
        else
            ImGui::Text("samples     %u / %u", stats.samples, stats.target);
        ImGui::ProgressBar(stats.target ? float(stats.samples) / float(stats.target) : 0.0f);
        ImGui::Text("render      %u x %u%s", stats.renderWidth, stats.renderHeight,
                    stats.preview ? " (preview while moving)" : "");
        if (scene.fields > 0)
            ImGui::Text("fields      %zu: %.1f steps/call (%llu calls)", scene.fields,
                        stats.fieldStepsPerCall, static_cast<unsigned long long>(stats.fieldCalls));
        ImGui::Text("GPU memory  %.1f MB (%.1f device-local, %u allocations)", stats.memoryMB,
                    stats.deviceLocalMB, stats.allocations);
        ImGui::TextWrapped("device      %s", scene.device.c_str());
    }

    if (ImGui::CollapsingHeader("Screenshot", ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::InputText("png", screenshotPath_, sizeof screenshotPath_);
        if (ImGui::Button("Save (F12)")) act.screenshot = true;
        ImGui::SameLine();
        if (ImGui::Button("Print render command")) act.printCommand = true;
        if (!message_.empty()) ImGui::TextWrapped("%s", message_.c_str());
    }
    ImGui::PopItemWidth();
    ImGui::End();
    return act;
}

} // namespace nerva::view
