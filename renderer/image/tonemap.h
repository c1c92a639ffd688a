// From linear radiance to display values: exposure, tone mapping and the sRGB
// transfer function. What an 8-bit PNG of a render holds is exactly
// toDisplay(render) quantised to 8 bits; golden-image tests compare through
// toDisplay() so that HDR and LDR files meet on the same (display) scale.
#pragma once

#include <cstddef> // before image.h, which uses size_t

#include "renderer/image/image.h"

#include <cstdint>
#include <string>

namespace nerva {

enum class Tonemap {
    Clamp,    // clip to [0, 1]
    Aces,     // Narkowicz's fit of the ACES filmic curve, applied per channel
    Reinhard, // x / (1 + x) per channel: keeps more highlight detail, less contrast
};

// "clamp", "aces", "reinhard" (the command-line and viewer spelling).
const char* tonemapName(Tonemap tonemap);
// The tonemap called `name`; false when there is none.
bool tonemapFromName(const std::string& name, Tonemap& tonemap);

// How an image is written. exposure/tonemap/keepAlpha apply to display-referred
// outputs (PNG/JPEG) and to toDisplay(); halfFloat applies to EXR only.
struct WriteOptions {
    float exposure = 0.0f; // stops; radiance is scaled by 2^exposure first
    Tonemap tonemap = Tonemap::Aces;
    bool keepAlpha = false; // otherwise display alpha is 1
    bool halfFloat = false; // EXR channels as fp16 instead of fp32
    // The image already holds display values (the path tracer's inspection
    // views: colour maps, normals as colours): display-referred outputs
    // clamp them to [0, 1] without exposure, tone mapping or sRGB encoding.
    bool displayValues = false;
};

// sRGB transfer functions (IEC 61966-2-1) on [0, 1]; inputs outside are clamped.
float srgbToLinear(float encoded);
float linearToSrgb(float linear);
// 8-bit forms: exact table lookup one way, rounding to nearest the other.
float srgb8ToLinear(uint8_t encoded);
uint8_t linearToSrgb8(float linear);
// A display value in [0, 1] to 8 bits (rounding to nearest, clamped).
uint8_t quantize8(float display);

// Narkowicz's ACES fit x(2.51x + 0.03) / (x(2.43x + 0.59) + 0.14), clamped to
// [0, 1]; no exposure built in.
float tonemapAces(float linear);
// One linear channel value to a display value in [0, 1] (before the sRGB
// encoding). NaN and negative values give 0, +inf gives 1.
float applyTonemap(float linear, Tonemap tonemap);

// Linear radiance to sRGB-encoded display values in [0, 1]: scale by
// 2^exposure, tone map, encode. Alpha is clamped to [0, 1] when keepAlpha,
// else 1. This is exactly what a PNG written with the same options holds
// before 8-bit quantisation.
ImageRGBA32F toDisplay(const ImageRGBA32F& linear, const WriteOptions& options = {});

} // namespace nerva
