// The default environment: a smooth analytic sky gradient (zenith blue to a
// bright horizon, a dark warm ground below), cheap and noise-free. It is
// baked into an environment map for importance sampling (env_sampling.h),
// while its radiance is evaluated analytically (no texel blocks on screen).
#ifndef NERVA_SHARED_ENVIRONMENT_H
#define NERVA_SHARED_ENVIRONMENT_H

#include "prelude.h"

NERVA_SHARED_BEGIN

NERVA_FN vec3 proceduralSky(vec3 dir) {
    float y = dir.y;
    vec3 zenith = vec3(0.25f, 0.45f, 0.90f);
    vec3 horizon = vec3(0.85f, 0.90f, 1.00f);
    vec3 ground = vec3(0.20f, 0.18f, 0.16f);
    if (y >= 0.0f) return mix(horizon, zenith, pow(y, 0.5f));
    return mix(horizon * 0.5f, ground, saturate(-y * 4.0f));
}

NERVA_SHARED_END

#endif
