#version 460
// A path ray escaped: add the environment and end the path.
#include "pathtrace/common.glsl"
#include "shared/environment.h"

layout(location = 0) rayPayloadInEXT PathPayload payload;

void main() {
    FrameGlobals g = globals();
    payload.radiance += payload.throughput *
                        environmentRadiance(g.envMode, g.envColor, g.envIntensity, gl_WorldRayDirectionEXT);
    payload.done = 1u;
}
