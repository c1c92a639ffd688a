// OpenEXR reading and writing through tinyexr: single images, grey
// channels, and multi-layer files (AOVs).
#include "renderer/image/image_io.h"

#include "neural/core/error.h"
#include "renderer/image/image_io_internal.h"

#include <tinyexr.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>

namespace nerva {
namespace {

using image_detail::checkWritable;
using image_detail::sizeText;

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

} // namespace nerva
