// Simple image difference metrics over the RGB channels (alpha ignored).
// Both images must have the same size; otherwise nerva::Error names both.
#pragma once

#include <cstddef> // before image.h, which uses size_t

#include "renderer/image/image.h"

namespace nerva {

// Root mean squared difference over all RGB values.
double rmse(const ImageRGBA32F& a, const ImageRGBA32F& b);
// 20·log10(peak / rmse) in dB; +infinity for identical images.
double psnr(const ImageRGBA32F& a, const ImageRGBA32F& b, double peak = 1.0);
// Mean over RGB values of |test − reference| / (|reference| + epsilon): a
// relative error that does not explode in dark regions.
double meanAbsRelative(const ImageRGBA32F& reference, const ImageRGBA32F& test,
                       double epsilon = 0.01);
// Largest |a − b| over all RGB values (a per-pixel tolerance check).
double maxAbsDifference(const ImageRGBA32F& a, const ImageRGBA32F& b);
// Fraction of pixels whose largest RGB difference exceeds tolerance.
double fractionAbove(const ImageRGBA32F& a, const ImageRGBA32F& b, double tolerance);

// Throws nerva::Error "<what>: image sizes differ (WxH vs WxH)" unless a and b
// have the same size (and consistent texel counts).
void requireSameSize(const ImageRGBA32F& a, const ImageRGBA32F& b, const char* what);

} // namespace nerva
