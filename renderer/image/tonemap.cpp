#include "renderer/image/tonemap.h"

#include "neural/core/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace nerva {

namespace {

float clamp01(float v) {
    // NaN compares false both ways, so it ends up at 0.
    return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
}

std::array<float, 256> makeSrgb8Table() {
    std::array<float, 256> table{};
    for (int i = 0; i < 256; ++i)
        table[size_t(i)] = srgbToLinear(float(i) / 255.0f);
    return table;
}

} // namespace

float srgbToLinear(float encoded) {
    const float c = clamp01(encoded);
    if (c <= 0.04045f) return c / 12.92f;
    return float(std::pow((double(c) + 0.055) / 1.055, 2.4));
}

float linearToSrgb(float linear) {
    const float c = clamp01(linear);
    if (c <= 0.0031308f) return c * 12.92f;
    // In double so that 1 maps to exactly 1.
    return float(1.055 * std::pow(double(c), 1.0 / 2.4) - 0.055);
}

float srgb8ToLinear(uint8_t encoded) {
    static const std::array<float, 256> table = makeSrgb8Table();
    return table[encoded];
}

uint8_t quantize8(float display) {
    return uint8_t(std::lround(clamp01(display) * 255.0f));
}

uint8_t linearToSrgb8(float linear) {
    return quantize8(linearToSrgb(linear));
}

float tonemapAces(float linear) {
    // Large inputs would overflow x*x into inf/inf; the curve is flat there.
    const float x = std::min(linear, 1.0e4f);
    const float mapped = (x * (2.51f * x + 0.03f)) / (x * (2.43f * x + 0.59f) + 0.14f);
    return clamp01(mapped);
}

float applyTonemap(float linear, Tonemap tonemap) {
    if (!(linear > 0.0f)) return 0.0f; // negative, zero and NaN
    if (std::isinf(linear)) return 1.0f;
    switch (tonemap) {
    case Tonemap::Aces:
        return tonemapAces(linear);
    case Tonemap::Reinhard:
        return linear / (1.0f + linear);
    case Tonemap::Clamp:
        break;
    }
    return clamp01(linear);
}

const char* tonemapName(Tonemap tonemap) {
    switch (tonemap) {
    case Tonemap::Aces:
        return "aces";
    case Tonemap::Reinhard:
        return "reinhard";
    case Tonemap::Clamp:
        break;
    }
    return "clamp";
}

bool tonemapFromName(const std::string& name, Tonemap& tonemap) {
    for (Tonemap t : {Tonemap::Clamp, Tonemap::Aces, Tonemap::Reinhard})
        if (name == tonemapName(t)) {
            tonemap = t;
            return true;
        }
    return false;
}

ImageRGBA32F toDisplay(const ImageRGBA32F& linear, const WriteOptions& options) {
    if (linear.texels.size() != size_t(linear.width) * linear.height * 4)
        throw errorAt("toDisplay", "texel count does not match " + std::to_string(linear.width) +
                                       "x" + std::to_string(linear.height));
    ImageRGBA32F out(linear.width, linear.height);
    const float scale = std::exp2(options.exposure);
    const size_t pixels = size_t(linear.width) * linear.height;
    for (size_t i = 0; i < pixels; ++i) {
        const float* src = &linear.texels[i * 4];
        float* dst = &out.texels[i * 4];
        for (int c = 0; c < 3; ++c)
            dst[c] = options.displayValues
                         ? (src[c] > 0.0f ? std::min(src[c], 1.0f) : 0.0f) // NaN too
                         : linearToSrgb(applyTonemap(src[c] * scale, options.tonemap));
        dst[3] = options.keepAlpha ? clamp01(src[3]) : 1.0f;
    }
    return out;
}

} // namespace nerva
