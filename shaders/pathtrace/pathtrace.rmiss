#version 460
// A path ray escaped: add the environment, weighted against the chance that
// environment sampling would have found the same direction, and end the path.
#include "pathtrace/environment.glsl"

layout(location = 0) rayPayloadInEXT PathPayload payload;

void main() {
    FrameGlobals g = globals();
    // The field-steps and normals views show misses black.
    if (payload.depth == 0u &&
        (g.debugView == kDebugViewFieldSteps || g.debugView == kDebugViewNormals)) {
        payload.done = 1u;
        return;
    }
    vec3 dir = gl_WorldRayDirectionEXT;
    float w = 1.0;
    if (payload.depth > 0u) {
        if (g.samplingMode == kSamplingLight) w = 0.0;
        else if (g.samplingMode == kSamplingMis)
            w = powerHeuristic(payload.lastBsdfPdf, envPdf(g.env, dir));
    }
    if (w > 0.0)
        payload.radiance +=
            clampContribution(payload.throughput * environmentRadiance(g, dir) * w, g.clampLuminance);
    payload.done = 1u;
}
