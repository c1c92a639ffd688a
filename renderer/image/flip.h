// LDR-FLIP: the perceptual difference evaluator of Andersson, Nilsson,
// Akenine-Möller, Oskarsson, Åström and Fairchild, "FLIP: A Difference
// Evaluator for Alternating Images" (HPG 2020), implemented from the paper.
//
// Inputs are display values: sRGB-encoded RGB in [0, 1] (values outside are
// clamped; alpha is ignored), e.g. from toDisplay() or readDisplayImage().
// The per-pixel error is in [0, 1]; 0 means indistinguishable.
//
// Colour pipeline: sRGB -> linear -> YCxCz, spatial filtering with the
// contrast sensitivity functions (Gaussian sums in opponent space sized by
// pixels per degree), back to linear RGB clamped to the RGB cube, CIELab with
// the Hunt adjustment, HyAB distance, power 0.7 and the redistribution
// (p_c = 0.4, p_t = 0.95, c_max from Hunt-adjusted green vs blue).
// Feature pipeline: edges and points from first and second derivatives of a
// Gaussian (σ = 0.5 · 0.082° · ppd) on normalized luminance, power 0.5.
// Combined per pixel as ΔE_c^(1 − ΔE_f).
#pragma once

#include <cstddef> // before image.h, which uses size_t

#include "renderer/image/image.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nerva {

// 0.7 m viewing distance, 0.7 m wide 4K monitor: the paper's default,
// about 67 pixels per degree.
constexpr float kFlipDefaultPixelsPerDegree = 67.0f;

struct FlipResult {
    float mean = 0.0f;
    std::vector<float> errorMap; // width*height, row 0 at the top, values in [0, 1]
    uint32_t width = 0;
    uint32_t height = 0;
};

// Throws nerva::Error when the sizes differ, an image is empty or
// pixelsPerDegree is not a positive number.
FlipResult computeFlip(const ImageRGBA32F& reference, const ImageRGBA32F& test,
                       float pixelsPerDegree = kFlipDefaultPixelsPerDegree);

// The error map through the magma-like colour map (colormap.h), as a display
// image (alpha 1).
ImageRGBA32F flipErrorImage(const FlipResult& result);
// ... written as a PNG (or JPEG) by path extension.
void writeFlipErrorMap(const std::string& path, const FlipResult& result);

} // namespace nerva
