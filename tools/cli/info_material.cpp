// nerva info MATERIAL.json: a summary of a layered material description
// (docs/layered-materials.md), layers bottom to top.
#include "commands.h"

#include "neural/material/layered_json.h"

#include <cstdio>

namespace nerva::cli {

namespace {

using material::LayeredParamKind;

std::string describe(const material::ParamDesc& p, LayeredParamKind kind) {
    char buf[96];
    const material::TextureRef& t = p.texture;
    if (kind == LayeredParamKind::Normal) {
        if (!t.present()) return "none";
        std::snprintf(buf, sizeof buf, " (scale %g)", p.value.x);
        return "texture " + t.path + buf;
    }
    if (kind == LayeredParamKind::Colour)
        std::snprintf(buf, sizeof buf, "[%g, %g, %g]", p.value.x, p.value.y, p.value.z);
    else
        std::snprintf(buf, sizeof buf, "%g", p.value.x);
    if (!t.present()) return buf;
    std::string s = "texture " + t.path;
    if (kind == LayeredParamKind::Scalar) s += std::string(" channel ") + "rgba"[t.channel & 3u];
    s += t.srgb ? ", srgb" : ", linear";
    s += std::string(", factor ") + buf;
    if (t.texCoord != 0) s += ", uv set 1";
    if (t.uvTransform != glm::mat3(1.0f)) s += ", uv transformed";
    return s;
}

} // namespace

int infoLayeredMaterial(const std::string& path) {
    const material::LayeredMaterialDesc d = material::loadLayeredMaterialJson(path);
    std::string order;
    for (const material::LayeredLayerInfo& l : material::layeredLayerTypes())
        if (d.layers & l.bit) order += (order.empty() ? "" : ", ") + std::string(l.type);
    std::printf("%s\n  layered material \"%s\", layers (bottom to top): %s\n", path.c_str(),
                d.name.c_str(), order.c_str());
    bool baseNormalShown = false; // one slot shared by diffuse and conductor
    for (const material::LayeredLayerInfo& l : material::layeredLayerTypes()) {
        if (!(d.layers & l.bit)) continue;
        std::printf("  %s\n", l.type);
        for (const material::LayeredParamInfo& p : l.params) {
            if (p.slot == shared::kParamBaseNormal) {
                if (baseNormalShown) continue;
                baseNormalShown = true;
            }
            std::printf("    %-11s %s\n", p.key, describe(d.params[p.slot], p.kind).c_str());
        }
    }
    return 0;
}

} // namespace nerva::cli
