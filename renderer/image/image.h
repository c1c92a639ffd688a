// Float RGBA images on the CPU: what the renderer reads back, what files hold,
// what comparisons and metrics work on. Linear radiance unless said otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nerva {

struct ImageRGBA32F {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<float> texels; // width*height*4, row 0 at the top

    ImageRGBA32F() = default;
    ImageRGBA32F(uint32_t w, uint32_t h) : width(w), height(h), texels(size_t(w) * h * 4, 0.0f) {}
    float* at(uint32_t x, uint32_t y) { return &texels[(size_t(y) * width + x) * 4]; }
    const float* at(uint32_t x, uint32_t y) const { return &texels[(size_t(y) * width + x) * 4]; }
};

} // namespace nerva
