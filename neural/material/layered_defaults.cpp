// defaultLayeredMaterial(): every parameter at the default of the table in
// docs/layered-materials.md, no layer present, no texture.
#include "neural/material/layered_material.h"

namespace nerva::material {

namespace {

void scalar(LayeredMaterialDesc& d, uint32_t slot, float value) {
    d.params[slot].value = glm::vec3(value, 0.0f, 0.0f);
}

// Colour slots: a texture read by them is sRGB unless the description says
// otherwise.
void colour(LayeredMaterialDesc& d, uint32_t slot, glm::vec3 value) {
    d.params[slot].value = value;
    d.params[slot].texture.srgb = true;
}

// Normal maps: value.x is the xy scale (1), texels are linear tangent-space
// normals.
void normalMap(LayeredMaterialDesc& d, uint32_t slot) {
    d.params[slot].value = glm::vec3(1.0f, 0.0f, 0.0f);
    d.params[slot].texture.normalMap = true;
    d.params[slot].texture.srgb = false;
}

} // namespace

LayeredMaterialDesc defaultLayeredMaterial() {
    using namespace shared;
    LayeredMaterialDesc d;
    d.layers = 0;

    colour(d, kParamDiffuseColor, glm::vec3(0.8f));
    scalar(d, kParamDiffuseRoughness, 0.0f);
    normalMap(d, kParamBaseNormal);

    scalar(d, kParamSpecularWeight, 1.0f);
    scalar(d, kParamSpecularRoughness, 0.3f);
    scalar(d, kParamSpecularAnisotropy, 0.0f);
    scalar(d, kParamSpecularRotation, 0.0f);
    scalar(d, kParamSpecularIor, 1.5f);
    colour(d, kParamSpecularTint, glm::vec3(1.0f));

    scalar(d, kParamConductorCoverage, 1.0f);
    colour(d, kParamConductorF0, glm::vec3(0.95f, 0.64f, 0.54f));
    colour(d, kParamConductorF82Tint, glm::vec3(1.0f));
    scalar(d, kParamConductorRoughness, 0.3f);
    scalar(d, kParamConductorAnisotropy, 0.0f);
    scalar(d, kParamConductorRotation, 0.0f);

    scalar(d, kParamFlakeCoverage, 0.5f);
    colour(d, kParamFlakeColor, glm::vec3(0.9f));
    scalar(d, kParamFlakeRoughness, 0.2f);
    scalar(d, kParamFlakeSpread, 0.2f);
    scalar(d, kParamFlakeDensity, 500.0f);

    scalar(d, kParamCoatWeight, 1.0f);
    scalar(d, kParamCoatRoughness, 0.03f);
    scalar(d, kParamCoatIor, 1.5f);
    colour(d, kParamCoatTint, glm::vec3(1.0f));
    scalar(d, kParamCoatThickness, 1.0f);
    normalMap(d, kParamCoatNormal);

    scalar(d, kParamSheenWeight, 1.0f);
    colour(d, kParamSheenColor, glm::vec3(1.0f));
    scalar(d, kParamSheenRoughness, 0.3f);
    return d;
}

} // namespace nerva::material
