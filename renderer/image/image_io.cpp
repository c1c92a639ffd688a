#include "renderer/image/image_io.h"

#include "neural/core/error.h"

#include <stb_image.h>
#include <stb_image_write.h>
#include <tinyexr.h>

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

std::string sizeText(uint32_t w, uint32_t h) {
    return std::to_string(w) + "x" + std::to_string(h);
}

void checkWritable(const std::string& path, const ImageRGBA32F& img) {
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

// ---- EXR through tinyexr -----------------------------------------------------

std::string takeExrError(const char* err) {
    std::string text = err ? err : "unknown error";
    if (err) FreeEXRErrorMessage(err);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.pop_back();
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

// A parsed EXR header and its loaded pixels, freed on scope exit.
struct ExrFile {
    EXRHeader header;
    EXRImage image;
    bool imageLoaded = false;

    ExrFile() {
        InitEXRHeader(&header);
        InitEXRImage(&image);
    }
    ~ExrFile() {
        if (imageLoaded) FreeEXRImage(&image);
        FreeEXRHeader(&header);
    }
    ExrFile(const ExrFile&) = delete;
    ExrFile& operator=(const ExrFile&) = delete;

    void parse(const std::string& path, const std::vector<uint8_t>& bytes) {
        EXRVersion version;
        if (ParseEXRVersionFromMemory(&version, bytes.data(), bytes.size()) != TINYEXR_SUCCESS)
            throw errorAt(path, "not an OpenEXR file");
        if (version.multipart || version.non_image)
            throw errorAt(path, "multi-part and deep OpenEXR files are not supported");
        const char* err = nullptr;
        if (ParseEXRHeaderFromMemory(&header, &version, bytes.data(), bytes.size(), &err) !=
            TINYEXR_SUCCESS)
            throw errorAt(path, "bad OpenEXR header: " + takeExrError(err));
    }

    void load(const std::string& path, const std::vector<uint8_t>& bytes) {
        for (int c = 0; c < header.num_channels; ++c)
            if (header.pixel_types[c] == TINYEXR_PIXELTYPE_HALF)
                header.requested_pixel_types[c] = TINYEXR_PIXELTYPE_FLOAT;
        const char* err = nullptr;
        // On failure tinyexr frees the image itself (without clearing it), but
        // only the planes of image.num_channels, which it sets on success:
        // preset it so that a truncated file does not leak its planes.
        image.num_channels = header.num_channels;
        const int rc = LoadEXRImageFromMemory(&image, &header, bytes.data(), bytes.size(), &err);
        imageLoaded = rc == TINYEXR_SUCCESS;
        if (rc != TINYEXR_SUCCESS)
            throw errorAt(path, "cannot decode OpenEXR data: " + takeExrError(err));
        if (image.width <= 0 || image.height <= 0) throw errorAt(path, "image has zero size");
    }

    int channel(const std::string& name) const {
        for (int c = 0; c < header.num_channels; ++c)
            if (name == header.channels[c].name) return c;
        return -1;
    }

    // Value of channel c at pixel i of a scanline image / tile buffer.
    float value(unsigned char* const* planes, int c, size_t i) const {
        if (header.pixel_types[c] == TINYEXR_PIXELTYPE_UINT)
            return float(reinterpret_cast<const uint32_t*>(planes[c])[i]);
        return reinterpret_cast<const float*>(planes[c])[i];
    }

    // Copies channels src[0..3] (-1 = absent) into RGBA; absent alpha is 1.
    ImageRGBA32F extract(const int src[4]) const {
        ImageRGBA32F img(uint32_t(image.width), uint32_t(image.height));
        auto put = [&](unsigned char* const* planes, size_t from, size_t to) {
            for (int k = 0; k < 4; ++k)
                img.texels[to * 4 + size_t(k)] = src[k] >= 0 ? value(planes, src[k], from) : 1.0f;
        };
        if (!header.tiled) {
            for (size_t i = 0; i < size_t(image.width) * size_t(image.height); ++i)
                put(image.images, i, i);
            return img;
        }
        for (int t = 0; t < image.num_tiles; ++t) {
            const EXRTile& tile = image.tiles[t];
            for (int y = 0; y < tile.height; ++y)
                for (int x = 0; x < tile.width; ++x) {
                    const int px = tile.offset_x * header.tile_size_x + x;
                    const int py = tile.offset_y * header.tile_size_y + y;
                    if (px >= image.width || py >= image.height) continue;
                    put(tile.images, size_t(y) * size_t(header.tile_size_x) + size_t(x),
                        size_t(py) * size_t(image.width) + size_t(px));
                }
        }
        return img;
    }
};

std::vector<std::string> layerNamesOf(const EXRHeader& header) {
    std::vector<std::string> names;
    for (int c = 0; c < header.num_channels; ++c) {
        const std::string name = header.channels[c].name;
        const size_t dot = name.rfind('.');
        names.push_back(dot == std::string::npos ? std::string() : name.substr(0, dot));
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::string channelList(const EXRHeader& header) {
    std::string list;
    for (int c = 0; c < header.num_channels; ++c)
        list += (c ? ", " : "") + std::string(header.channels[c].name);
    return list;
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

void writeExrLayers(const std::string& path, uint32_t width, uint32_t height,
                    const std::vector<ExrLayer>& layers, bool halfFloat) {
    if (layers.empty()) throw errorAt(path, "no layers to write");
    // Channel name -> (layer, component). std::map keeps the names sorted, as
    // OpenEXR's channel list is.
    std::map<std::string, std::pair<const ImageRGBA32F*, int>> channels;
    static const char* kComponents[4] = {"R", "G", "B", "A"};
    for (const auto& [name, img] : layers) {
        const std::string where =
            name.empty() ? std::string("beauty layer") : "layer '" + name + "'";
        if (!img) throw errorAt(path, where + " has no image");
        checkWritable(path, *img);
        if (img->width != width || img->height != height)
            throw errorAt(path, where + " is " + sizeText(img->width, img->height) + ", expected " +
                                    sizeText(width, height));
        for (int k = 0; k < 4; ++k) {
            const std::string channel = name.empty() ? kComponents[k] : name + "." + kComponents[k];
            if (channel.size() > 255) throw errorAt(path, "channel name too long: " + channel);
            if (!channels.emplace(channel, std::make_pair(img, k)).second)
                throw errorAt(path, where + " is given twice");
        }
    }

    const size_t pixels = size_t(width) * height;
    std::vector<std::vector<float>> planes;
    std::vector<EXRChannelInfo> infos(channels.size());
    std::vector<int> pixelTypes(channels.size(), TINYEXR_PIXELTYPE_FLOAT);
    std::vector<int> requested(channels.size(),
                               halfFloat ? TINYEXR_PIXELTYPE_HALF : TINYEXR_PIXELTYPE_FLOAT);
    for (const auto& [channel, source] : channels) {
        std::memset(&infos[planes.size()], 0, sizeof(EXRChannelInfo));
        std::memcpy(infos[planes.size()].name, channel.c_str(), channel.size() + 1);
        std::vector<float>& plane = planes.emplace_back(pixels);
        for (size_t i = 0; i < pixels; ++i)
            plane[i] = source.first->texels[i * 4 + size_t(source.second)];
    }
    std::vector<unsigned char*> planePointers;
    for (auto& plane : planes)
        planePointers.push_back(reinterpret_cast<unsigned char*>(plane.data()));

    EXRHeader header;
    InitEXRHeader(&header);
    header.num_channels = int(infos.size());
    header.channels = infos.data();
    header.pixel_types = pixelTypes.data();
    header.requested_pixel_types = requested.data();
    header.compression_type = TINYEXR_COMPRESSIONTYPE_ZIP;
    EXRImage image;
    InitEXRImage(&image);
    image.num_channels = int(infos.size());
    image.images = planePointers.data();
    image.width = int(width);
    image.height = int(height);

    unsigned char* memory = nullptr;
    const char* err = nullptr;
    const size_t size = SaveEXRImageToMemory(&image, &header, &memory, &err);
    if (size == 0 || !memory)
        throw errorAt(path, "cannot encode OpenEXR image: " + takeExrError(err));
    try {
        writeFileAtomic(path, memory, size);
    } catch (...) {
        std::free(memory);
        throw;
    }
    std::free(memory);
}

std::vector<std::string> exrLayerNames(const std::string& path) {
    const std::vector<uint8_t> bytes = readFileBytes(path);
    ExrFile file;
    file.parse(path, bytes);
    return layerNamesOf(file.header);
}

ImageRGBA32F readExrLayer(const std::string& path, const std::string& layer) {
    const std::vector<uint8_t> bytes = readFileBytes(path);
    ExrFile file;
    file.parse(path, bytes);
    const std::string prefix = layer.empty() ? std::string() : layer + ".";
    int src[4] = {file.channel(prefix + "R"), file.channel(prefix + "G"),
                  file.channel(prefix + "B"), file.channel(prefix + "A")};
    if (src[0] < 0 || src[1] < 0 || src[2] < 0) {
        // A single grey channel in the layer (e.g. "Y" or "depth.Z").
        std::vector<int> inLayer;
        for (int c = 0; c < file.header.num_channels; ++c) {
            const std::string name = file.header.channels[c].name;
            const size_t dot = name.rfind('.');
            if ((dot == std::string::npos ? std::string() : name.substr(0, dot)) == layer)
                inLayer.push_back(c);
        }
        if (inLayer.size() != 1) {
            const std::string what = layer.empty()
                                         ? "no R, G, B channels"
                                         : "no layer '" + layer + "' with R, G, B channels";
            throw errorAt(path, what + " (channels: " + channelList(file.header) + ")");
        }
        src[0] = src[1] = src[2] = inLayer[0];
        src[3] = -1;
    }
    file.load(path, bytes);
    return file.extract(src);
}

std::vector<uint8_t> readFileBytes(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw errorAt(path, "is a folder, not a file");
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw errorAt(path, std::string("cannot open file (") + std::strerror(errno) + ")");
    std::vector<uint8_t> bytes;
    uint8_t buffer[1 << 16];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0)
        bytes.insert(bytes.end(), buffer, buffer + n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw errorAt(path, "read error");
    if (bytes.empty()) throw errorAt(path, "file is empty");
    return bytes;
}

void writeFileAtomic(const std::string& path, const void* data, size_t size) {
    const fs::path target(path);
    if (target.filename().empty()) throw errorAt(path, "not a file name");
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw errorAt(path, "cannot write: folder '" + folder.string() + "' does not exist");
    if (fs::is_directory(target, ec)) throw errorAt(path, "cannot write: it is a folder");

    static std::atomic<uint64_t> counter{0};
    static const uint64_t salt = (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
    const fs::path temp =
        folder / ("." + target.filename().string() + "." +
                  std::to_string((salt + counter.fetch_add(1)) % 100000000000ull) + ".tmp");
    std::FILE* f = std::fopen(temp.c_str(), "wbx"); // x: never reuse an existing file
    if (!f) throw errorAt(path, std::string("cannot create file (") + std::strerror(errno) + ")");
    errno = 0;
    bool ok = std::fwrite(data, 1, size, f) == size;
    ok = std::fflush(f) == 0 && ok;
    const int writeErrno = errno;
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
        const int code = writeErrno ? writeErrno : errno;
        fs::remove(temp, ec);
        throw errorAt(path, std::string("write failed (") +
                                (code ? std::strerror(code) : "unknown error") + ")");
    }
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw errorAt(path, "cannot replace file (" + ec.message() + ")");
    }
}

} // namespace nerva
