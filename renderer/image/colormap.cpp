#include "renderer/image/colormap.h"

#include "neural/core/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace nerva {

namespace {

// Anchor colours at t = 0, 1/8, ..., 1 (sRGB-encoded, 0..255), picked so that
// lightness rises steadily while the hue swings from violet through magenta
// to orange and ends in a pale yellow; linear interpolation between them.
constexpr int kAnchors = 9;
constexpr float kMagma[kAnchors][3] = {
    {0, 0, 4},     {29, 17, 71},   {81, 18, 124},   {131, 38, 129},  {182, 55, 122},
    {230, 82, 98}, {250, 137, 98}, {254, 196, 136}, {252, 253, 191},
};

} // namespace

std::array<float, 3> magmaColor(float t) {
    if (std::isnan(t)) t = 1.0f;
    const float x = std::clamp(t, 0.0f, 1.0f) * float(kAnchors - 1);
    const int i = std::min(int(x), kAnchors - 2);
    const float f = x - float(i);
    std::array<float, 3> rgb{};
    for (int c = 0; c < 3; ++c)
        rgb[size_t(c)] = ((1.0f - f) * kMagma[i][c] + f * kMagma[i + 1][c]) / 255.0f;
    return rgb;
}

ImageRGBA32F colorize(const std::vector<float>& values, uint32_t width, uint32_t height, float lo,
                      float hi) {
    if (values.size() != size_t(width) * height)
        throw errorAt("colorize", "value count does not match " + std::to_string(width) + "x" +
                                      std::to_string(height));
    ImageRGBA32F img(width, height);
    const float scale = hi > lo ? 1.0f / (hi - lo) : 0.0f;
    for (size_t i = 0; i < values.size(); ++i) {
        const std::array<float, 3> rgb = magmaColor((values[i] - lo) * scale);
        std::copy(rgb.begin(), rgb.end(), &img.texels[i * 4]);
        img.texels[i * 4 + 3] = 1.0f;
    }
    return img;
}

} // namespace nerva
