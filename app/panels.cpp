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
        ImGui::SliderInt("spp target", &s.spp, 1, 4096, "%d", ImGuiSliderFlags_Logarithmic);
        ImGui::SliderInt("samples/frame", &s.samplesPerFrame, 1, 16);
        ImGui::SliderInt("max bounces", &s.maxBounces, 0, 16);
        ImGui::SliderFloat("exposure", &s.exposure, -8.0f, 8.0f, "%.2f stops");
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
        ImGui::SliderFloat("env rotation", &s.envRotationDegrees, -180.0f, 180.0f, "%.0f deg");
        ImGui::SliderFloat("env intensity", &s.envIntensity, 0.0f, 8.0f, "%.2f");
        const char* modes[] = {"mis", "light", "bsdf"};
        ImGui::Combo("sampling", &s.samplingMode, modes, 3);
        ImGui::SliderFloat("render scale", &s.scale, 0.1f, 1.0f, "%.2f");
        ImGui::Checkbox("vsync", &s.vsync);
        s.spp = std::max(s.spp, 1);
        s.samplesPerFrame = std::clamp(s.samplesPerFrame, 1, 64);
        s.maxBounces = std::clamp(s.maxBounces, 0, 64);
        s.scale = std::clamp(s.scale, 0.1f, 1.0f);
        s.envIntensity = std::max(s.envIntensity, 0.0f);
    }

    if (!scene.materials.empty() &&
        ImGui::CollapsingHeader("Materials", ImGuiTreeNodeFlags_DefaultOpen)) {
        // Reference vs neural, for all materials and per material.
        if (ImGui::Checkbox("neural materials", &s.neuralMaterials)) ++s.materialsVersion;
        if (!scene.neuralDecoder.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
            ImGui::TextWrapped("decoder %s", scene.neuralDecoder.c_str());
            ImGui::PopStyleColor();
        }
        const char* views[] = {"radiance", "latent channels", "latent level"};
        if (ImGui::Combo("show", &s.debugView, views, 3)) ++s.materialsVersion;
        if (s.debugView == 1 && ImGui::SliderInt("channels from", &s.debugChannel, 0, 5))
            ++s.materialsVersion;
        s.referenceMaterial.resize(scene.materials.size(), 0);
        for (size_t i = 0; i < scene.materials.size(); ++i) {
            ImGui::PushID(int(i));
            const std::string& nmat = scene.materialNeuralFile[i];
            if (nmat.empty()) {
                ImGui::TextDisabled("%s (reference only)", scene.materials[i].c_str());
            } else {
                bool neural = s.referenceMaterial[i] == 0;
                ImGui::BeginDisabled(!s.neuralMaterials);
                if (ImGui::Checkbox(scene.materials[i].c_str(), &neural)) {
                    s.referenceMaterial[i] = neural ? 0 : 1;
                    ++s.materialsVersion;
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
        ImGui::Text("samples     %u / %u", stats.samples, stats.target);
        ImGui::ProgressBar(stats.target ? float(stats.samples) / float(stats.target) : 0.0f);
        ImGui::Text("render      %u x %u", stats.renderWidth, stats.renderHeight);
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
