// The encoder's input: a fixed-size vector of the reference layered
// material's parameters at one point (a shared::LayeredPoint, read at the
// footprint of a latent texel so coarse levels see prefiltered parameters),
// each scaled to about [0, 1] or [-1, 1] so no input dominates the first
// layer. Only training uses it (the encoder is dropped afterwards).
//
// Order (kEncoderInputs = 49 floats):
//    0- 2  diffuse colour (linear rgb)            [0, 1]
//    3     diffuse sigma (Oren-Nayar)             [0, 1]
//    4     specular weight                        [0, 1]
//    5- 7  specular tint                          [0, 1]
//    8     specular eta: (eta - 1) / 2            [0, 1]
//    9-10  specular sqrt(alpha_x), sqrt(alpha_y)  [0, 1] (~ perceptual roughness)
//   11-12  specular tangent direction, doubled angle: (t.x^2 - t.y^2, 2 t.x t.y)
//          [-1, 1] (GGX is symmetric under t -> -t, so angle and angle + pi
//          must map to the same input)
//   13     conductor coverage                     [0, 1]
//   14-16  conductor F0                           [0, 1]
//   17-19  conductor F82 tint                     [0, 1]
//   20-21  conductor sqrt(alpha_x), sqrt(alpha_y) [0, 1]
//   22-23  conductor tangent, doubled angle       [-1, 1]
//   24     flake weight of this cell's flake      [0, 1]
//   25     flake aggregate weight                 [0, 1]
//   26-28  flake colour                           [0, 1]
//   29     flake sqrt(alpha) (one flake)          [0, 1]
//   30     flake aggregate sqrt(alpha)            [0, 1]
//   31-32  the cell flake's normal x, y           [-1, 1]
//   33     coat weight                            [0, 1]
//   34     coat roughness                         [0, 1]
//   35     coat eta: (eta - 1) / 2                [0, 1]
//   36-38  coat transmittance at normal incidence, tint^thickness  [0, 1]
//   39     coat thickness / (1 + thickness)       [0, 1)
//   40     sheen weight                           [0, 1]
//   41-43  sheen colour                           [0, 1]
//   44     sheen roughness                        [0, 1]
//   45-46  base normal x, y (tangent space)       [-1, 1]
//   47-48  coat normal x, y                       [-1, 1]
// Absent layers come with weight 0 from layeredFetch and their other
// parameters at whatever it leaves there, which is harmless: the weights
// gate them.
#pragma once

#include "shaders/shared/layered/layered_point.h"

#include <cstdint>

namespace nerva::material {

constexpr uint32_t kEncoderInputs = 49;

// Writes kEncoderInputs floats to out, in the order above.
void encoderInputsFrom(const shared::LayeredPoint& p, float* out);

} // namespace nerva::material
