// Colour maps for visualising scalar images (error maps). Colours are display
// values (sRGB-encoded, [0, 1]), ready for writeDisplayImage().
#pragma once

#include <cstddef> // before image.h, which uses size_t

#include "renderer/image/image.h"

#include <array>
#include <cstdint>
#include <vector>

namespace nerva {

// A perceptually ordered dark-to-bright map in the spirit of "magma": black,
// deep violet, magenta, orange, pale yellow. t is clamped to [0, 1]; NaN maps
// to 1 (an error value that cannot be read is shown as the worst).
std::array<float, 3> magmaColor(float t);

// values (width*height, row 0 at the top) mapped from [lo, hi] to colours;
// alpha 1.
ImageRGBA32F colorize(const std::vector<float>& values, uint32_t width, uint32_t height,
                      float lo = 0.0f, float hi = 1.0f);

} // namespace nerva
