// Reading and writing images, chosen by file extension (case-insensitive):
//
//   .png        8-bit sRGB (16-bit read too); display-referred
//   .jpg .jpeg  8-bit sRGB; display-referred
//   .exr        linear float (fp32 or fp16 channels; read: RGB, RGBA or one grey channel)
//   .hdr        Radiance RGBE, linear
//
// readImage() always returns linear values (sRGB files are decoded). Writes go
// to a temporary file in the target folder and are renamed into place, so a
// failed write never leaves a partial file. Every failure throws nerva::Error
// with one line naming the file.
#pragma once

#include <cstddef> // before image.h, which uses size_t

#include "renderer/image/image.h"
#include "renderer/image/tonemap.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nerva {

enum class ImageFormat { Png, Jpeg, Exr, Hdr };

// The format a path names by its extension; throws for anything else.
ImageFormat imageFormatOf(const std::string& path);
// PNG and JPEG hold display values (tone mapped, sRGB-encoded); EXR and HDR
// hold linear radiance.
bool isDisplayReferred(ImageFormat format);

// Linear RGBA. Alpha is 1 where the file has none.
ImageRGBA32F readImage(const std::string& path);

// sRGB-encoded display values in [0, 1], the scale FLIP and golden images use:
// display-referred files as stored (options ignored), linear files through
// toDisplay(image, options).
ImageRGBA32F readDisplayImage(const std::string& path, const WriteOptions& options = {});

// Linear RGBA to any format above. PNG/JPEG get toDisplay(img, options) in
// 8 bits (PNG as RGBA, JPEG as RGB at quality 95); EXR gets all four channels
// (fp16 with options.halfFloat); HDR gets RGB.
void writeImage(const std::string& path, const ImageRGBA32F& img, const WriteOptions& options = {});

// Already display-encoded values in [0, 1] (e.g. from toDisplay() or a colour
// map) to PNG or JPEG, 8 bits, alpha as given (PNG only).
void writeDisplayImage(const std::string& path, const ImageRGBA32F& display);

// A multi-layer EXR (AOVs): layer "name" becomes channels name.R, name.G,
// name.B, name.A; the layer with an empty name is the beauty image, written as
// plain R, G, B, A. Every layer must be width x height.
using ExrLayer = std::pair<std::string, const ImageRGBA32F*>;
void writeExrLayers(const std::string& path, uint32_t width, uint32_t height,
                    const std::vector<ExrLayer>& layers, bool halfFloat = false);
// The layers an EXR holds ("" for plain R, G, B channels), sorted.
std::vector<std::string> exrLayerNames(const std::string& path);
// One layer of an EXR as linear RGBA ("" = the beauty image). A layer with a
// single channel is read as grey; missing alpha is 1.
ImageRGBA32F readExrLayer(const std::string& path, const std::string& layer);

// The whole file; throws naming the path when it cannot be read.
std::vector<uint8_t> readFileBytes(const std::string& path);
// Writes bytes to a temporary file next to path, then renames it over path.
// On failure nothing is left behind and an existing file at path is untouched.
void writeFileAtomic(const std::string& path, const void* data, size_t size);

} // namespace nerva
