#version 460
// A shadow ray reached its light unoccluded.
#include "pathtrace/common.glsl"

layout(location = 1) rayPayloadInEXT uint visible;

void main() { visible = 1u; }
