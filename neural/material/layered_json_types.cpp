// The layer types of the JSON description (docs/layered-materials.md) and the
// conductor's complex IOR conversion.
#include "neural/material/layered_json.h"

#include "shaders/shared/lobes/fresnel.h"

#include <algorithm>
#include <cmath>
#include <complex>

namespace nerva::material {

namespace {

using namespace shared;
using K = LayeredParamKind;

constexpr LayeredParamInfo kDiffuse[] = {
    {"color", kParamDiffuseColor, K::Colour, 0.0f, 1.0f},
    {"roughness", kParamDiffuseRoughness, K::Scalar, 0.0f, 1.0f},
    {"normal", kParamBaseNormal, K::Normal, 0.0f, 0.0f},
};
constexpr LayeredParamInfo kSpecular[] = {
    {"weight", kParamSpecularWeight, K::Scalar, 0.0f, 1.0f},
    {"roughness", kParamSpecularRoughness, K::Scalar, 0.0f, 1.0f},
    {"anisotropy", kParamSpecularAnisotropy, K::Scalar, 0.0f, 0.95f},
    {"rotation", kParamSpecularRotation, K::Scalar, 0.0f, 1.0f},
    {"ior", kParamSpecularIor, K::Scalar, 1.0f, 3.0f},
    {"tint", kParamSpecularTint, K::Colour, 0.0f, 1.0f},
};
constexpr LayeredParamInfo kConductor[] = {
    {"coverage", kParamConductorCoverage, K::Scalar, 0.0f, 1.0f},
    {"f0", kParamConductorF0, K::Colour, 0.0f, 1.0f},
    {"f82Tint", kParamConductorF82Tint, K::Colour, 0.0f, 1.0f},
    {"roughness", kParamConductorRoughness, K::Scalar, 0.0f, 1.0f},
    {"anisotropy", kParamConductorAnisotropy, K::Scalar, 0.0f, 0.95f},
    {"rotation", kParamConductorRotation, K::Scalar, 0.0f, 1.0f},
    {"normal", kParamBaseNormal, K::Normal, 0.0f, 0.0f},
};
constexpr LayeredParamInfo kFlakes[] = {
    {"coverage", kParamFlakeCoverage, K::Scalar, 0.0f, 1.0f},
    {"color", kParamFlakeColor, K::Colour, 0.0f, 1.0f},
    {"roughness", kParamFlakeRoughness, K::Scalar, 0.0f, 1.0f},
    {"spread", kParamFlakeSpread, K::Scalar, 0.0f, 1.0f},
    {"density", kParamFlakeDensity, K::Density, 1.0f, 100000.0f},
};
constexpr LayeredParamInfo kCoat[] = {
    {"weight", kParamCoatWeight, K::Scalar, 0.0f, 1.0f},
    {"roughness", kParamCoatRoughness, K::Scalar, 0.0f, 1.0f},
    {"ior", kParamCoatIor, K::Scalar, 1.0f, 3.0f},
    {"tint", kParamCoatTint, K::Colour, 0.0f, 1.0f},
    {"thickness", kParamCoatThickness, K::Scalar, 0.0f, 10.0f},
    {"normal", kParamCoatNormal, K::Normal, 0.0f, 0.0f},
};
constexpr LayeredParamInfo kSheen[] = {
    {"weight", kParamSheenWeight, K::Scalar, 0.0f, 1.0f},
    {"color", kParamSheenColor, K::Colour, 0.0f, 1.0f},
    {"roughness", kParamSheenRoughness, K::Scalar, 0.0f, 1.0f},
};

const LayeredLayerInfo kLayers[] = {
    {"diffuse", kLayerDiffuse, kDiffuse},
    {"specular", kLayerSpecular, kSpecular},
    {"conductor", kLayerConductor, kConductor},
    {"flakes", kLayerFlakes, kFlakes},
    {"coat", kLayerCoat, kCoat},
    {"sheen", kLayerSheen, kSheen},
};

// Exact unpolarised reflectance of a conductor with complex index n + ik
// (from a medium of index 1) at cos(theta) = mu.
double conductorFresnel(double mu, double n, double k) {
    using C = std::complex<double>;
    const C eta(n, k);
    const double sin2i = std::max(0.0, 1.0 - mu * mu);
    const C cosT = std::sqrt(C(1.0) - sin2i / (eta * eta));
    const C rParallel = (eta * mu - cosT) / (eta * mu + cosT);
    const C rPerpendicular = (mu - eta * cosT) / (mu + eta * cosT);
    return 0.5 * (std::norm(rParallel) + std::norm(rPerpendicular));
}

} // namespace

std::span<const LayeredLayerInfo> layeredLayerTypes() {
    return kLayers;
}

ConductorColours conductorColoursFromIor(glm::vec3 n, glm::vec3 k) {
    ConductorColours c;
    for (int i = 0; i < 3; ++i) {
        const double ni = n[i], ki = k[i];
        const double f0 = ((ni - 1.0) * (ni - 1.0) + ki * ki) / ((ni + 1.0) * (ni + 1.0) + ki * ki);
        c.f0[i] = float(f0);
        const double exact = conductorFresnel(double(kF82CosTheta), ni, ki);
        const double schlick = fresnelSchlickScalar(float(f0), kF82CosTheta);
        c.f82Tint[i] = float(std::clamp(schlick > 0.0 ? exact / schlick : 1.0, 0.0, 1.0));
    }
    return c;
}

// KHR_texture_transform: uv' = T(offset) R(rotation) S(scale) uv. The
// extension's GLSL listing writes R as the rows [[cos, sin], [-sin, cos]]; we
// match what its example (offset [0, 1], rotation 90 degrees, scale 0.5 maps
// the unit square onto the lower-left quadrant), its sample model
// (TextureTransformTest) and the implementations do, the same convention as
// the glTF loader (renderer/scene/gltf_materials.cpp):
//   u' = u cos r + v sin r,  v' = -u sin r + v cos r.
// glm is column-major, so R is built from the columns (cos, -sin), (sin, cos).
glm::mat3 layeredUvTransform(glm::vec2 offset, float rotationDegrees, glm::vec2 scale) {
    const double r = double(rotationDegrees) * 3.14159265358979323846 / 180.0;
    const float c = float(std::cos(r)), s = float(std::sin(r));
    const glm::mat3 translation(1, 0, 0, 0, 1, 0, offset.x, offset.y, 1);
    const glm::mat3 rotation(c, -s, 0, s, c, 0, 0, 0, 1);
    const glm::mat3 scaling(scale.x, 0, 0, 0, scale.y, 0, 0, 0, 1);
    return translation * rotation * scaling;
}

} // namespace nerva::material
