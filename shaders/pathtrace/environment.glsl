// The environment as a light: radiance in a world direction and its
// importance-sampling pdf (shared/env_sampling.h), rotation and intensity
// from FrameGlobals.
#ifndef NERVA_PATHTRACE_ENVIRONMENT_GLSL
#define NERVA_PATHTRACE_ENVIRONMENT_GLSL

#include "pathtrace/common.glsl"
#include "shared/environment.h"
#include "shared/sampling.h"

vec3 environmentRadiance(FrameGlobals g, vec3 dir) {
    // The map's own frame: world = Ry(rotation) local.
    if (g.envProcedural != 0u) return proceduralSky(envRotateY(dir, -g.env.rotation)) * g.envIntensity;
    return envLookupBilinear(g.env, dir) * g.envIntensity;
}

#endif
