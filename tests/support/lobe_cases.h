// The lobes of shaders/shared/lobes (C++ builds) at the parameter settings
// the lobe tests run on (tests/unit/test_lobes_*.cpp), behind one interface.
#pragma once

#include "shaders/shared/lobes/dielectric_lobe.h"
#include "shaders/shared/lobes/diffuse.h"
#include "shaders/shared/lobes/ggx_aniso.h"
#include "shaders/shared/lobes/sheen.h"

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace nerva::test {

struct LobeCase {
    std::string name;
    std::function<shared::vec3(shared::vec3 wo, shared::vec3 wi)> eval;
    std::function<float(shared::vec3 wo, shared::vec3 wi)> pdf;
    std::function<shared::LobeSample(shared::vec3 wo, shared::vec2 u)> sample;
};

inline LobeCase conductorCase(const std::string& name, shared::vec3 f0, shared::vec3 tint,
                              float roughness, float anisotropy) {
    shared::ConductorLobe l;
    l.f0 = f0;
    l.f82Tint = tint;
    l.alpha = shared::ggxAnisoAlpha(roughness, anisotropy);
    return {name, [l](shared::vec3 o, shared::vec3 i) { return shared::conductorEval(l, o, i); },
            [l](shared::vec3 o, shared::vec3 i) { return shared::conductorPdf(l, o, i); },
            [l](shared::vec3 o, shared::vec2 u) { return shared::conductorSample(l, o, u); }};
}

inline LobeCase dielectricCase(const std::string& name, float eta, float roughness,
                               float anisotropy) {
    shared::DielectricReflectionLobe l;
    l.eta = eta;
    l.alpha = shared::ggxAnisoAlpha(roughness, anisotropy);
    return {
        name,
        [l](shared::vec3 o, shared::vec3 i) {
            return shared::vec3(shared::dielectricReflectionEval(l, o, i));
        },
        [l](shared::vec3 o, shared::vec3 i) { return shared::dielectricReflectionPdf(l, o, i); },
        [l](shared::vec3 o, shared::vec2 u) {
            return shared::dielectricReflectionSample(l, o, u);
        }};
}

inline LobeCase lambertCase(const std::string& name, shared::vec3 albedo) {
    return {
        name,
        [albedo](shared::vec3 o, shared::vec3 i) { return shared::lambertEval(albedo, o, i); },
        [](shared::vec3 o, shared::vec3 i) { return shared::diffusePdf(o, i); },
        [albedo](shared::vec3 o, shared::vec2 u) { return shared::lambertSample(albedo, o, u); }};
}

inline LobeCase orenNayarCase(const std::string& name, shared::vec3 albedo, float sigma) {
    shared::OrenNayarLobe l;
    l.albedo = albedo;
    l.sigma = sigma;
    return {name, [l](shared::vec3 o, shared::vec3 i) { return shared::orenNayarEval(l, o, i); },
            [](shared::vec3 o, shared::vec3 i) { return shared::diffusePdf(o, i); },
            [l](shared::vec3 o, shared::vec2 u) { return shared::orenNayarSample(l, o, u); }};
}

inline LobeCase sheenCase(const std::string& name, shared::vec3 color, float roughness) {
    shared::SheenLobe l;
    l.color = color;
    l.roughness = roughness;
    return {name, [l](shared::vec3 o, shared::vec3 i) { return shared::sheenEval(l, o, i); },
            [](shared::vec3 o, shared::vec3 i) { return shared::sheenPdf(o, i); },
            [l](shared::vec3 o, shared::vec2 u) { return shared::sheenSample(l, o, u); }};
}

// Coloured lobes at typical settings: low and high roughness, anisotropy,
// a dielectric seen from the denser side (total internal reflection).
inline std::vector<LobeCase> lobeCases() {
    using shared::vec3;
    const vec3 gold(1.0f, 0.78f, 0.34f), goldTint(0.95f, 0.9f, 0.8f);
    return {
        conductorCase("conductor r 0.3", gold, goldTint, 0.3f, 0.0f),
        conductorCase("conductor r 0.8", vec3(0.9f, 0.6f, 0.5f), vec3(1.0f), 0.8f, 0.0f),
        conductorCase("conductor r 0.5 aniso 0.8", gold, goldTint, 0.5f, 0.8f),
        conductorCase("conductor r 0.9 aniso 0.5", vec3(0.6f), vec3(0.5f), 0.9f, 0.5f),
        dielectricCase("dielectric 1.5 r 0.3", 1.5f, 0.3f, 0.0f),
        dielectricCase("dielectric 1.5 r 0.8", 1.5f, 0.8f, 0.0f),
        dielectricCase("dielectric 2.4 r 0.5 aniso 0.6", 2.4f, 0.5f, 0.6f),
        dielectricCase("dielectric 1/1.5 r 0.5", 1.0f / 1.5f, 0.5f, 0.0f),
        lambertCase("lambert", vec3(0.7f, 0.5f, 0.3f)),
        orenNayarCase("oren-nayar 0.5", vec3(0.6f, 0.7f, 0.5f), 0.5f),
        orenNayarCase("oren-nayar 1", vec3(0.9f), 1.0f),
        sheenCase("sheen r 0.3", vec3(0.9f, 0.6f, 0.8f), 0.3f),
        sheenCase("sheen r 1", vec3(1.0f), 1.0f),
    };
}

// White (or F = 1) lobes at the extremes of their parameters: their
// directional albedo must not exceed 1.
inline std::vector<LobeCase> lobeExtremeCases() {
    using shared::vec3;
    const vec3 one(1.0f);
    std::vector<LobeCase> cases;
    for (float r : {0.0f, 0.05f, 0.5f, 1.0f})
        for (float a : {0.0f, 0.95f}) {
            const std::string p = " r " + std::to_string(r) + " aniso " + std::to_string(a);
            cases.push_back(conductorCase("conductor f0 1" + p, one, one, r, a));
            cases.push_back(conductorCase("conductor tint 1.5" + p, vec3(0.9f), vec3(1.5f), r, a));
            for (float eta : {1.01f, 1.5f, 3.0f, 1.0f / 1.5f, 1.0f / 3.0f})
                cases.push_back(dielectricCase("dielectric " + std::to_string(eta) + p, eta, r, a));
        }
    cases.push_back(lambertCase("lambert", one));
    for (float sigma : {0.0f, 0.5f, 1.0f})
        cases.push_back(orenNayarCase("oren-nayar " + std::to_string(sigma), one, sigma));
    for (float r : {0.0f, 0.1f, 0.3f, 0.6f, 1.0f})
        cases.push_back(sheenCase("sheen r " + std::to_string(r), one, r));
    return cases;
}

// Local direction from cos(theta) and phi.
inline shared::vec3 lobeDirection(float cosTheta, float phi) {
    const float s = std::sqrt(std::max(0.0f, 1.0f - cosTheta * cosTheta));
    return shared::vec3(s * std::cos(phi), s * std::sin(phi), cosTheta);
}

} // namespace nerva::test
