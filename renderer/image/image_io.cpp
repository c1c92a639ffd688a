#include "renderer/image/image_io.h"

#include "neural/core/error.h"
#include "renderer/image/image_io_internal.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <map>
#include <random>

namespace nerva {

namespace fs = std::filesystem;

namespace {

using image_detail::checkWritable;
using image_detail::sizeText;

// ---- PNG / JPEG through stb (HDR is written by stb, read by HdrReader) ----

bool hasPrefix(const std::vector<uint8_t>& bytes, std::initializer_list<uint8_t> magic) {
    return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
}

std::string stbReason() {
    const char* reason = stbi_failure_reason();
    return reason ? std::string(" (") + reason + ")" : std::string();
}

int byteCount(const std::string& path, const std::vector<uint8_t>& bytes) {
    if (bytes.size() > size_t(std::numeric_limits<int>::max()))
        throw errorAt(path, "file too large to decode");
    return int(bytes.size());
}

// 8- or 16-bit PNG/JPEG. linearize: decode the sRGB colour channels to linear.
ImageRGBA32F decodeLdr(const std::string& path, ImageFormat format, bool linearize) {
    const std::vector<uint8_t> bytes = readFileBytes(path);
    const bool isPng = hasPrefix(bytes, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    const bool isJpeg = hasPrefix(bytes, {0xff, 0xd8, 0xff});
    if (format == ImageFormat::Png && !isPng) throw errorAt(path, "not a PNG file");
    if (format == ImageFormat::Jpeg && !isJpeg) throw errorAt(path, "not a JPEG file");
    const int len = byteCount(path, bytes);
    int w = 0, h = 0, channels = 0;
    const bool is16 = stbi_is_16_bit_from_memory(bytes.data(), len) != 0;
    void* data =
        is16 ? static_cast<void*>(stbi_load_16_from_memory(bytes.data(), len, &w, &h, &channels, 4))
             : static_cast<void*>(stbi_load_from_memory(bytes.data(), len, &w, &h, &channels, 4));
    if (!data) throw errorAt(path, "cannot decode image" + stbReason());
    if (w <= 0 || h <= 0) {
        stbi_image_free(data);
        throw errorAt(path, "image has zero size");
    }
    ImageRGBA32F img(static_cast<uint32_t>(w), static_cast<uint32_t>(h));
    for (size_t i = 0; i < img.texels.size(); ++i) {
        const bool colour = linearize && i % 4 != 3;
        if (is16) {
            const float v = float(static_cast<const uint16_t*>(data)[i]) / 65535.0f;
            img.texels[i] = colour ? srgbToLinear(v) : v;
        } else {
            const uint8_t v = static_cast<const uint8_t*>(data)[i];
            img.texels[i] = colour ? srgb8ToLinear(v) : float(v) / 255.0f;
        }
    }
    stbi_image_free(data);
    return img;
}

// Radiance RGBE, decoded here rather than by stb_image, whose decoder loops
// forever on some truncated run-length encoded files. Every read is checked
// against the end of the data.
class HdrReader {
  public:
    HdrReader(const std::string& path, const std::vector<uint8_t>& bytes)
        : path_(path), bytes_(bytes) {}

    ImageRGBA32F decode() {
        const std::string magic = line();
        if (magic.rfind("#?", 0) != 0) throw errorAt(path_, "not a Radiance HDR file");
        for (std::string l = line(); !l.empty(); l = line())
            if (l.rfind("FORMAT=", 0) == 0 && l != "FORMAT=32-bit_rle_rgbe")
                throw errorAt(path_, "unsupported HDR pixel format '" + l.substr(7) + "'");
        char ySign = 0, xSign = 0;
        long h = 0, w = 0;
        const std::string resolution = line();
        char tail = 0;
        if (std::sscanf(resolution.c_str(), "%cY %ld %cX %ld%c", &ySign, &h, &xSign, &w, &tail) !=
                4 ||
            (ySign != '-' && ySign != '+') || xSign != '+')
            throw errorAt(path_, "unsupported HDR resolution line '" + resolution + "'");
        if (w <= 0 || h <= 0 || w > (1 << 20) || h > (1 << 20))
            throw errorAt(path_,
                          "bad HDR image size " + std::to_string(w) + "x" + std::to_string(h));
        ImageRGBA32F img(static_cast<uint32_t>(w), static_cast<uint32_t>(h));
        std::vector<uint8_t> rgbe(size_t(w) * 4);
        for (long y = 0; y < h; ++y) {
            scanline(rgbe, size_t(w));
            const uint32_t row = ySign == '-' ? uint32_t(y) : uint32_t(h - 1 - y);
            for (size_t x = 0; x < size_t(w); ++x) {
                const uint8_t* e = &rgbe[x * 4];
                float* p = img.at(uint32_t(x), row);
                const float scale = e[3] ? std::ldexp(1.0f, int(e[3]) - 136) : 0.0f;
                p[0] = float(e[0]) * scale;
                p[1] = float(e[1]) * scale;
                p[2] = float(e[2]) * scale;
                p[3] = 1.0f;
            }
        }
        return img;
    }

  private:
    uint8_t byte() {
        if (pos_ >= bytes_.size()) throw errorAt(path_, "HDR data ends early (truncated file?)");
        return bytes_[pos_++];
    }

    std::string line() {
        std::string text;
        for (uint8_t c = byte(); c != '\n'; c = byte()) {
            if (text.size() > 4096) throw errorAt(path_, "not a Radiance HDR file");
            text += char(c);
        }
        return text;
    }

    // One scanline of w RGBE pixels: flat, or the run-length encoding that
    // starts with 2, 2, w >> 8, w & 255 and stores the four components apart.
    void scanline(std::vector<uint8_t>& out, size_t w) {
        const bool rle = w >= 8 && w < 32768 && pos_ + 4 <= bytes_.size() && bytes_[pos_] == 2 &&
                         bytes_[pos_ + 1] == 2 &&
                         ((size_t(bytes_[pos_ + 2]) << 8) | bytes_[pos_ + 3]) == w;
        if (!rle) {
            for (size_t i = 0; i < w * 4; ++i)
                out[i] = byte();
            return;
        }
        pos_ += 4;
        for (size_t c = 0; c < 4; ++c)
            for (size_t x = 0; x < w;) {
                const uint8_t count = byte();
                const bool run = count > 128;
                const size_t n = run ? size_t(count - 128) : size_t(count);
                if (n == 0 || x + n > w) throw errorAt(path_, "corrupt HDR run-length data");
                const uint8_t value = run ? byte() : 0;
                for (size_t i = 0; i < n; ++i, ++x)
                    out[x * 4 + c] = run ? value : byte();
            }
    }

    const std::string& path_;
    const std::vector<uint8_t>& bytes_;
    size_t pos_ = 0;
};

ImageRGBA32F decodeHdr(const std::string& path) {
    const std::vector<uint8_t> bytes = readFileBytes(path);
    return HdrReader(path, bytes).decode();
}

void appendBytes(void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    const auto* bytes = static_cast<const uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

void encodeHdr(const std::string& path, const ImageRGBA32F& img) {
    std::vector<float> rgb(size_t(img.width) * img.height * 3);
    for (size_t i = 0; i < size_t(img.width) * img.height; ++i)
        for (size_t c = 0; c < 3; ++c) {
            const float v = img.texels[i * 4 + c];
            rgb[i * 3 + c] = std::isfinite(v) && v > 0.0f ? v : (v > 0.0f ? 3.0e38f : 0.0f);
        }
    std::vector<uint8_t> out;
    if (!stbi_write_hdr_to_func(appendBytes, &out, int(img.width), int(img.height), 3, rgb.data()))
        throw errorAt(path, "cannot encode HDR image");
    writeFileAtomic(path, out.data(), out.size());
}

} // namespace

// ---- public ----------------------------------------------------------------

ImageFormat imageFormatOf(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".png") return ImageFormat::Png;
    if (ext == ".jpg" || ext == ".jpeg") return ImageFormat::Jpeg;
    if (ext == ".exr") return ImageFormat::Exr;
    if (ext == ".hdr") return ImageFormat::Hdr;
    throw errorAt(path, "unsupported image format '" + ext +
                            "' (expected .png, .jpg, .jpeg, .exr or .hdr)");
}

bool isDisplayReferred(ImageFormat format) {
    return format == ImageFormat::Png || format == ImageFormat::Jpeg;
}

ImageRGBA32F readImage(const std::string& path) {
    const ImageFormat format = imageFormatOf(path);
    switch (format) {
    case ImageFormat::Png:
    case ImageFormat::Jpeg:
        return decodeLdr(path, format, true);
    case ImageFormat::Exr:
        return readExrLayer(path, "");
    case ImageFormat::Hdr:
        return decodeHdr(path);
    }
    throw errorAt(path, "unsupported image format");
}

ImageRGBA32F readDisplayImage(const std::string& path, const WriteOptions& options) {
    const ImageFormat format = imageFormatOf(path);
    if (isDisplayReferred(format)) return decodeLdr(path, format, false);
    return toDisplay(readImage(path), options);
}

void writeImage(const std::string& path, const ImageRGBA32F& img, const WriteOptions& options) {
    const ImageFormat format = imageFormatOf(path);
    checkWritable(path, img);
    switch (format) {
    case ImageFormat::Png:
    case ImageFormat::Jpeg:
        writeDisplayImage(path, toDisplay(img, options));
        return;
    case ImageFormat::Exr:
        writeExrLayers(path, img.width, img.height, {{std::string(), &img}}, options.halfFloat);
        return;
    case ImageFormat::Hdr:
        encodeHdr(path, img);
        return;
    }
}

void writeDisplayImage(const std::string& path, const ImageRGBA32F& display) {
    const ImageFormat format = imageFormatOf(path);
    if (!isDisplayReferred(format))
        throw errorAt(path, "display images are written as PNG or JPEG only");
    checkWritable(path, display);
    const int channels = format == ImageFormat::Png ? 4 : 3;
    std::vector<uint8_t> pixels(size_t(display.width) * display.height * size_t(channels));
    for (size_t i = 0; i < size_t(display.width) * display.height; ++i)
        for (size_t c = 0; c < size_t(channels); ++c)
            pixels[i * size_t(channels) + c] = quantize8(display.texels[i * 4 + c]);
    std::vector<uint8_t> out;
    const int w = int(display.width), h = int(display.height);
    const int ok = format == ImageFormat::Png
                       ? stbi_write_png_to_func(appendBytes, &out, w, h, 4, pixels.data(), w * 4)
                       : stbi_write_jpg_to_func(appendBytes, &out, w, h, 3, pixels.data(), 95);
    if (!ok || out.empty()) throw errorAt(path, "cannot encode image");
    writeFileAtomic(path, out.data(), out.size());
}

} // namespace nerva
