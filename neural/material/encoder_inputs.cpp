#include "neural/material/encoder_inputs.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace nerva::material {
namespace {

struct Writer {
    float* out;
    uint32_t n = 0;
    void put(float v) { out[n++] = std::isfinite(v) ? v : 0.0f; }
    void put(const glm::vec3& v) {
        put(v.x);
        put(v.y);
        put(v.z);
    }
    void alpha(const glm::vec2& a) {
        put(std::sqrt(std::max(a.x, 0.0f)));
        put(std::sqrt(std::max(a.y, 0.0f)));
    }
    // The tangent's direction in the tangent plane as a doubled angle.
    void tangent(const glm::vec3& t) {
        put(t.x * t.x - t.y * t.y);
        put(2.0f * t.x * t.y);
    }
    void normalXY(const glm::vec3& normal) {
        put(normal.x);
        put(normal.y);
    }
};

float etaInput(float eta) {
    return (eta - 1.0f) * 0.5f;
}

} // namespace

void encoderInputsFrom(const shared::LayeredPoint& p, float* out) {
    Writer w{out};
    w.put(p.diffuseColor);
    w.put(p.diffuseSigma);
    w.put(p.specularWeight);
    w.put(p.specularTint);
    w.put(etaInput(p.specularEta));
    w.alpha(p.specularAlpha);
    w.tangent(p.specularFrame.t);
    w.put(p.conductorCoverage);
    w.put(p.conductorF0);
    w.put(p.conductorTint);
    w.alpha(p.conductorAlpha);
    w.tangent(p.conductorFrame.t);
    w.put(p.flakeCellWeight);
    w.put(p.flakeAggregateWeight);
    w.put(p.flakeColor);
    w.put(std::sqrt(std::max(p.flakeAlpha.x, 0.0f)));
    w.put(std::sqrt(std::max(p.flakeAggregateAlpha.x, 0.0f)));
    w.normalXY(p.flakeFrame.n);
    w.put(p.coatWeight);
    w.put(p.coatRoughness);
    w.put(etaInput(p.coatEta));
    const float th = std::max(p.coatThickness, 0.0f);
    w.put(glm::vec3(std::pow(std::clamp(p.coatTint.x, 0.0f, 1.0f), th),
                    std::pow(std::clamp(p.coatTint.y, 0.0f, 1.0f), th),
                    std::pow(std::clamp(p.coatTint.z, 0.0f, 1.0f), th)));
    w.put(th / (1.0f + th));
    w.put(p.sheenWeight);
    w.put(p.sheenColor);
    w.put(p.sheenRoughness);
    w.normalXY(p.baseFrame.n);
    w.normalXY(p.coatFrame.n);
    assert(w.n == kEncoderInputs);
}

} // namespace nerva::material
