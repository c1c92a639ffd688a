// The glTF BSDF settings the chi-squared tests run on (CPU in
// tests/unit/test_bsdf_chi2.cpp, GPU in tests/gpu/test_bsdf_chi2.cpp), and
// the chi-squared test of a histogram against gltfPdf (C++ build).
#pragma once

#include "shaders/shared/bsdf_gltf.h"
#include "tests/support/direction_chi2.h"

#include <cmath>
#include <string>
#include <vector>

namespace nerva::test {

struct GltfMaterialCase {
    const char* name;
    shared::GltfBsdf bsdf;
};

struct GltfChi2Setting {
    std::string name; // "<material>, wo cos <c>"
    shared::GltfBsdf bsdf;
    shared::vec3 wo;
};

inline shared::GltfBsdf gltfBsdf(shared::vec3 baseColor, float metallic, float roughness,
                                 float specular) {
    shared::GltfBsdf m;
    m.baseColor = baseColor;
    m.metallic = metallic;
    m.roughness = roughness;
    m.specular = specular;
    return m;
}

inline std::vector<GltfMaterialCase> gltfChi2Materials() {
    using shared::vec3;
    return {
        {"rough dielectric", gltfBsdf(vec3(0.7f, 0.5f, 0.3f), 0.0f, 0.7f, 1.0f)},
        {"smooth dielectric", gltfBsdf(vec3(0.8f, 0.2f, 0.2f), 0.0f, 0.2f, 1.0f)},
        {"rough metal", gltfBsdf(vec3(0.95f, 0.64f, 0.54f), 1.0f, 0.8f, 1.0f)},
        {"medium metal", gltfBsdf(vec3(0.9f, 0.9f, 0.85f), 1.0f, 0.4f, 1.0f)},
        {"smooth metal", gltfBsdf(vec3(0.95f, 0.93f, 0.88f), 1.0f, 0.2f, 1.0f)},
        {"half metal", gltfBsdf(vec3(0.3f, 0.6f, 0.9f), 0.5f, 0.35f, 1.0f)},
        {"lambert", gltfBsdf(vec3(0.6f, 0.7f, 0.5f), 0.0f, 0.5f, 0.0f)},
    };
}

// Local direction from cos(theta) and phi.
inline shared::vec3 directionFromCosPhi(float cosTheta, float phi) {
    const float s = std::sqrt(std::max(0.0f, 1.0f - cosTheta * cosTheta));
    return shared::vec3(s * std::cos(phi), s * std::sin(phi), cosTheta);
}

// Every material with wo at normal incidence, at 45 degrees and grazing
// (cos 0.15); phi of wo off the bin edges so no symmetry hides an error.
inline std::vector<GltfChi2Setting> gltfChi2Settings() {
    struct Wo {
        const char* name;
        float cosTheta, phi;
    };
    const Wo wos[] = {
        {"normal", 1.0f, 0.0f}, {"45 deg", 0.70710678f, 0.7f}, {"cos 0.15", 0.15f, 2.1f}};
    std::vector<GltfChi2Setting> settings;
    for (const GltfMaterialCase& m : gltfChi2Materials())
        for (const Wo& wo : wos)
            settings.push_back({std::string(m.name) + ", wo " + wo.name, m.bsdf,
                                directionFromCosPhi(wo.cosTheta, wo.phi)});
    return settings;
}

// gltfPdf (C++ build) as a DirectionPdf for wo.
inline DirectionPdf gltfPdfOf(const shared::GltfBsdf& bsdf, shared::vec3 wo) {
    return [bsdf, wo](double x, double y, double z) {
        return double(shared::gltfPdf(bsdf, wo, shared::vec3(float(x), float(y), float(z))));
    };
}

// The chi-squared test of `histogram` against gltfPdf for wo.
inline Chi2Result gltfChi2Test(const DirectionHistogram& histogram, const shared::GltfBsdf& bsdf,
                               shared::vec3 wo) {
    const std::vector<double> p =
        binProbabilities(histogram.binning(), gltfPdfOf(bsdf, wo), double(histogram.total()));
    return directionChi2Test(histogram, p);
}

} // namespace nerva::test
