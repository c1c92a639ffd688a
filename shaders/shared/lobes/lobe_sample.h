// What every lobe in shaders/shared/lobes returns from sample(), and the
// shared conventions of the lobe library.
//
// Conventions (all lobes):
//   - directions are local to the shading frame: normal +z, tangent +x,
//     bitangent +y (see Frame in ../sampling.h); both point away from the
//     surface;
//   - eval returns f * cos(theta_i) ("fcos"), never f alone;
//   - pdf is in solid-angle measure of wi;
//   - sample takes uniform numbers u in [0, 1)^2 and returns a LobeSample
//     whose weight is eval / pdf (pdf 0: no sample, weight 0);
//   - every lobe is reflection-only and zero unless wo.z > 0 and wi.z > 0;
//     transmission is the layer stack's business.
#ifndef NERVA_SHARED_LOBES_LOBE_SAMPLE_H
#define NERVA_SHARED_LOBES_LOBE_SAMPLE_H

#include "../sampling.h"

NERVA_SHARED_BEGIN

struct LobeSample {
    vec3 wi;
    float pdf;   // 0 = no valid sample
    vec3 weight; // eval / pdf
};

NERVA_FN LobeSample lobeSampleNone() {
    LobeSample s;
    s.wi = vec3(0.0f, 0.0f, 1.0f);
    s.pdf = 0.0f;
    s.weight = vec3(0.0f);
    return s;
}

// Smallest GGX alpha the lobes use: below it float precision breaks the
// microfacet terms (the lobe is then a mirror for every practical purpose).
NERVA_CONST float kLobeMinAlpha = 1e-3f;

NERVA_SHARED_END

#endif
