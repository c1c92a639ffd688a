// Helpers shared by the image I/O translation units (not a public interface).
#pragma once

#include "neural/core/error.h"
#include "renderer/image/image.h"

#include <cstdint>
#include <limits>
#include <string>

namespace nerva::image_detail {

inline std::string sizeText(uint32_t w, uint32_t h) {
    return std::to_string(w) + "x" + std::to_string(h);
}

inline void checkWritable(const std::string& path, const ImageRGBA32F& img) {
    if (img.width == 0 || img.height == 0)
        throw errorAt(path,
                      "cannot write an empty image (" + sizeText(img.width, img.height) + ")");
    if (img.texels.size() != size_t(img.width) * img.height * 4)
        throw errorAt(path, "image texel count does not match its size " +
                                sizeText(img.width, img.height));
    if (img.width > uint32_t(std::numeric_limits<int>::max() / 4) ||
        img.height > uint32_t(std::numeric_limits<int>::max() / 4))
        throw errorAt(path, "image too large to write (" + sizeText(img.width, img.height) + ")");
}

} // namespace nerva::image_detail
