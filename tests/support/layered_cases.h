// Constant-parameter layered materials (shaders/shared/layered) for the BSDF
// tests: a CPU LayeredView over records built here, with the albedo tables
// computed once per test binary. Header-only: unit and GPU tests share it.
#pragma once

#include "neural/material/albedo_tables.h"
#include "shaders/shared/layered/layered_bsdf.h"
#include "shaders/shared/layered/layered_fetch.h"

#include <cmath>
#include <string>
#include <vector>

namespace nerva::test {

inline const material::AlbedoTableSet& layeredTestTables() {
    static const material::AlbedoTableSet tables = material::loadOrComputeAlbedoTables();
    return tables;
}

// One material of constants, every slot set (absent layers keep defaults).
struct LayeredCase {
    std::string name;
    shared::GpuLayeredMaterial record{};
    bool whiteFurnace = false; // non-absorbing: albedo must be 1 everywhere
    // A lobe narrower than the chi-squared bins (alpha ~1e-3): its pdf cannot
    // be integrated per bin; sample/eval/pdf consistency covers it.
    bool peaked = false;

    LayeredCase(std::string n) : name(std::move(n)) {
        using namespace shared;
        for (uint32_t s = 0; s < kParamCount; ++s) {
            GpuLayerParam& p = record.params[s];
            p.value = vec3(0.0f);
            p.image = -1;
            p.flags = 0;
            p.row0 = vec3(1.0f, 0.0f, 0.0f);
            p.row1 = vec3(0.0f, 1.0f, 0.0f);
        }
        set(kParamDiffuseColor, vec3(0.8f));
        set(kParamBaseNormal, 1.0f);
        set(kParamSpecularWeight, 1.0f);
        set(kParamSpecularRoughness, 0.3f);
        set(kParamSpecularIor, 1.5f);
        set(kParamSpecularTint, vec3(1.0f));
        set(kParamConductorCoverage, 1.0f);
        set(kParamConductorF0, vec3(0.95f, 0.64f, 0.54f));
        set(kParamConductorF82Tint, vec3(1.0f));
        set(kParamConductorRoughness, 0.3f);
        set(kParamFlakeCoverage, 0.5f);
        set(kParamFlakeColor, vec3(0.9f));
        set(kParamFlakeRoughness, 0.2f);
        set(kParamFlakeSpread, 0.2f);
        set(kParamFlakeDensity, 500.0f);
        set(kParamCoatWeight, 1.0f);
        set(kParamCoatRoughness, 0.03f);
        set(kParamCoatIor, 1.5f);
        set(kParamCoatTint, vec3(1.0f));
        set(kParamCoatThickness, 1.0f);
        set(kParamCoatNormal, 1.0f);
        set(kParamSheenWeight, 1.0f);
        set(kParamSheenColor, vec3(1.0f));
        set(kParamSheenRoughness, 0.3f);
    }
    LayeredCase& layers(uint32_t bits) {
        record.layers = bits;
        return *this;
    }
    LayeredCase& set(uint32_t slot, float v) { return set(slot, shared::vec3(v, 0.0f, 0.0f)); }
    LayeredCase& set(uint32_t slot, shared::vec3 v) {
        record.params[slot].value = v;
        return *this;
    }
    LayeredCase& furnace() {
        whiteFurnace = true;
        return *this;
    }
    LayeredCase& narrow() {
        peaked = true;
        return *this;
    }

    shared::LayeredView view() const {
        return {&record, nullptr, nullptr, layeredTestTables().view()};
    }
    // The point at uv (constants only, so uv matters only for flakes).
    shared::LayeredPoint point(shared::vec2 uv = shared::vec2(0.37f, 0.61f)) const {
        return shared::layeredFetch(view(), 0u, shared::layeredUvFinest(uv));
    }
};

// Materials like the library's, built from constants, and extremes of
// every parameter.
inline std::vector<LayeredCase> layeredCases() {
    using namespace shared;
    std::vector<LayeredCase> c;
    c.emplace_back("lambert under smooth coat (furnace)");
    c.back()
        .layers(kLayerDiffuse | kLayerCoat)
        .set(kParamDiffuseColor, vec3(1.0f))
        .furnace()
        .narrow();
    c.emplace_back("lambert, specular, rough coat, sheen (furnace)");
    c.back()
        .layers(kLayerDiffuse | kLayerSpecular | kLayerCoat | kLayerSheen)
        .set(kParamDiffuseColor, vec3(1.0f))
        .set(kParamCoatRoughness, 0.6f)
        .set(kParamSheenRoughness, 0.5f)
        .furnace();
    c.emplace_back("car paint: diffuse, flakes, coat");
    c.back()
        .layers(kLayerDiffuse | kLayerFlakes | kLayerCoat)
        .set(kParamDiffuseColor, vec3(0.5f, 0.02f, 0.03f))
        .set(kParamFlakeCoverage, 0.7f)
        .narrow();
    c.emplace_back("leather: oren-nayar, anisotropic specular, tinted coat, sheen");
    c.back()
        .layers(kLayerDiffuse | kLayerSpecular | kLayerCoat | kLayerSheen)
        .set(kParamDiffuseColor, vec3(0.3f, 0.15f, 0.08f))
        .set(kParamDiffuseRoughness, 0.8f)
        .set(kParamSpecularRoughness, 0.5f)
        .set(kParamSpecularAnisotropy, 0.6f)
        .set(kParamSpecularRotation, 0.15f)
        .set(kParamCoatWeight, 0.7f)
        .set(kParamCoatRoughness, 0.25f)
        .set(kParamCoatTint, vec3(0.9f, 0.8f, 0.6f))
        .set(kParamSheenWeight, 0.4f)
        .set(kParamSheenColor, vec3(0.6f, 0.5f, 0.4f));
    c.emplace_back("brushed metal: anisotropic conductor, coat, sheen");
    c.back()
        .layers(kLayerConductor | kLayerCoat | kLayerSheen)
        .set(kParamConductorF0, vec3(0.91f, 0.92f, 0.92f))
        .set(kParamConductorF82Tint, vec3(0.95f, 0.93f, 0.88f))
        .set(kParamConductorRoughness, 0.35f)
        .set(kParamConductorAnisotropy, 0.8f)
        .set(kParamConductorRotation, 0.3f)
        .set(kParamCoatWeight, 0.5f)
        .set(kParamSheenWeight, 0.2f)
        .set(kParamSheenColor, vec3(0.5f))
        .narrow();
    c.emplace_back("lacquered wood: diffuse, specular, thick amber coat");
    c.back()
        .layers(kLayerDiffuse | kLayerSpecular | kLayerCoat)
        .set(kParamDiffuseColor, vec3(0.45f, 0.25f, 0.12f))
        .set(kParamCoatTint, vec3(0.85f, 0.6f, 0.3f))
        .set(kParamCoatThickness, 2.0f)
        .narrow();
    c.emplace_back("velvet: diffuse, weak specular, rough sheen");
    c.back()
        .layers(kLayerDiffuse | kLayerSpecular | kLayerSheen)
        .set(kParamDiffuseColor, vec3(0.25f, 0.02f, 0.1f))
        .set(kParamDiffuseRoughness, 1.0f)
        .set(kParamSpecularWeight, 0.2f)
        .set(kParamSheenColor, vec3(0.9f, 0.3f, 0.6f))
        .set(kParamSheenRoughness, 0.8f);
    c.emplace_back("extremes: mirror conductor, white, under ior 3 coat");
    c.back()
        .layers(kLayerDiffuse | kLayerConductor | kLayerCoat)
        .set(kParamConductorCoverage, 0.5f)
        .set(kParamDiffuseColor, vec3(1.0f))
        .set(kParamConductorF0, vec3(1.0f))
        .set(kParamConductorRoughness, 0.0f)
        .set(kParamCoatIor, 3.0f)
        .set(kParamCoatRoughness, 0.0f)
        .narrow();
    c.emplace_back("extremes: roughest everything, white");
    c.back()
        .layers(kLayerDiffuse | kLayerSpecular | kLayerConductor | kLayerFlakes | kLayerCoat |
                kLayerSheen)
        .set(kParamDiffuseColor, vec3(1.0f))
        .set(kParamDiffuseRoughness, 1.0f)
        .set(kParamSpecularRoughness, 1.0f)
        .set(kParamSpecularIor, 3.0f)
        .set(kParamConductorCoverage, 0.3f)
        .set(kParamConductorF0, vec3(1.0f))
        .set(kParamConductorRoughness, 1.0f)
        .set(kParamFlakeColor, vec3(1.0f))
        .set(kParamFlakeRoughness, 1.0f)
        .set(kParamFlakeSpread, 1.0f)
        .set(kParamCoatRoughness, 1.0f)
        .set(kParamSheenRoughness, 1.0f);
    c.emplace_back("extremes: smooth ior 1 specular, thinnest sheen");
    c.back()
        .layers(kLayerDiffuse | kLayerSpecular | kLayerSheen)
        .set(kParamDiffuseColor, vec3(1.0f))
        .set(kParamSpecularRoughness, 0.0f)
        .set(kParamSpecularIor, 1.0f)
        .set(kParamSheenRoughness, 0.0f)
        .narrow();
    return c;
}

inline shared::vec3 layeredDirection(float cosTheta, float phi) {
    const float s = std::sqrt(std::max(0.0f, 1.0f - cosTheta * cosTheta));
    return shared::vec3(s * std::cos(phi), s * std::sin(phi), cosTheta);
}

} // namespace nerva::test
