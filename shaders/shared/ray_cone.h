// Texture level of detail from ray cones (Akenine-Möller et al., "Improved
// Shader and Texture Level of Detail Using Ray Cones", JCGT 2021).
//
// A cone starts at the camera with width 0 and spread = the angle of one
// pixel; at each hit its width grows by spread * distance. The footprint of
// the cone on the surface, measured in texture-coordinate units, is the one
// quantity texture sampling needs and neural materials will use to choose a
// latent level: rayConeUvFootprint() is that single shared function.
// Curvature is not tracked (the spread is kept through bounces), which is
// exact for planar reflectors and conservative on convex ones.
#ifndef NERVA_SHARED_RAY_CONE_H
#define NERVA_SHARED_RAY_CONE_H

#include "prelude.h"

NERVA_SHARED_BEGIN

// Width of the footprint in uv units: the cone width divided by the cosine
// of incidence (the ellipse's long axis), scaled by the triangle's uv-to-world
// length ratio sqrt(uvArea / worldArea).
NERVA_FN float rayConeUvFootprint(float coneWidth, float cosIncidence, float uvArea,
                                  float worldArea) {
    float stretch = coneWidth / max(abs(cosIncidence), 1e-3f);
    return stretch * sqrt(max(uvArea, 0.0f) / max(worldArea, 1e-20f));
}

// Mip level for a texture of texSize texels across uv [0, 1]^2.
NERVA_FN float lodForFootprint(float uvFootprint, vec2 texSize) {
    return log2(max(uvFootprint * sqrt(texSize.x * texSize.y), 1e-8f));
}

NERVA_SHARED_END

#endif
