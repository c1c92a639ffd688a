#include "neural/material/material_set.h"

#include "neural/core/error.h"
#include "neural/formats/nmat.h"

#include <stb_image.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <memory>
#include <thread>

namespace nerva::material {

namespace {

float srgbToLinear(float c) {
    return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

float linearToSrgb(float l) {
    return l <= 0.0031308f ? 12.92f * l : 1.055f * std::pow(l, 1.0f / 2.4f) - 0.055f;
}

uint8_t toByte(float unit) {
    return uint8_t(std::lround(std::clamp(unit, 0.0f, 1.0f) * 255.0f));
}

// The exact sRGB EOTF of every 8-bit code.
const std::array<float, 256>& srgbDecodeTable() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (size_t i = 0; i < t.size(); ++i)
            t[i] = srgbToLinear(float(i) / 255.0f);
        return t;
    }();
    return table;
}

uint32_t pack(const uint8_t c[4]) {
    return uint32_t(c[0]) | uint32_t(c[1]) << 8 | uint32_t(c[2]) << 16 | uint32_t(c[3]) << 24;
}

uint8_t channel(uint32_t texel, int c) {
    return uint8_t(texel >> (8 * c));
}

// One texel of the next level from the four texels of the box.
uint32_t average(const uint32_t t[4], TexelEncoding encoding) {
    uint8_t out[4];
    // Alpha is coverage-like data in every encoding: a plain average.
    out[3] = uint8_t(
        (uint32_t(channel(t[0], 3)) + channel(t[1], 3) + channel(t[2], 3) + channel(t[3], 3) + 2) /
        4);
    switch (encoding) {
    case TexelEncoding::Linear:
        for (int c = 0; c < 3; ++c) {
            out[c] = uint8_t((uint32_t(channel(t[0], c)) + channel(t[1], c) + channel(t[2], c) +
                              channel(t[3], c) + 2) /
                             4);
        }
        break;
    case TexelEncoding::Srgb: {
        const std::array<float, 256>& decode = srgbDecodeTable();
        for (int c = 0; c < 3; ++c) {
            float sum = 0.0f;
            for (int k = 0; k < 4; ++k)
                sum += decode[channel(t[k], c)];
            out[c] = toByte(linearToSrgb(sum * 0.25f));
        }
        break;
    }
    case TexelEncoding::NormalMap: {
        glm::vec3 sum(0.0f);
        for (int k = 0; k < 4; ++k) {
            sum +=
                glm::vec3(channel(t[k], 0), channel(t[k], 1), channel(t[k], 2)) * (2.0f / 255.0f) -
                1.0f;
        }
        const float length = glm::length(sum);
        // Opposite normals cancel out: fall back to the unperturbed normal.
        const glm::vec3 n = length > 1e-6f ? sum / length : glm::vec3(0.0f, 0.0f, 1.0f);
        for (int c = 0; c < 3; ++c)
            out[c] = toByte(0.5f + 0.5f * n[c]);
        break;
    }
    }
    return pack(out);
}

glm::vec3 row(const glm::mat3& m, int r) {
    return {m[0][r], m[1][r], m[2][r]}; // glm is column-major: m[column][row]
}

struct StbiPixels {
    void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

} // namespace

uint32_t mipLevelCount(uint32_t width, uint32_t height) {
    uint32_t levels = 1;
    while (width > 1 || height > 1) {
        width = nextMipSize(width);
        height = nextMipSize(height);
        ++levels;
    }
    return levels;
}

std::vector<uint32_t> buildMipChain(const uint8_t* rgba8, uint32_t width, uint32_t height,
                                    TexelEncoding encoding) {
    size_t total = 0;
    for (uint32_t w = width, h = height;; w = nextMipSize(w), h = nextMipSize(h)) {
        total += size_t(w) * h;
        if (w == 1 && h == 1) break;
    }
    std::vector<uint32_t> texels;
    texels.reserve(total);
    for (size_t i = 0; i < size_t(width) * height; ++i)
        texels.push_back(pack(rgba8 + 4 * i));

    size_t level = 0; // offset of the level being reduced
    uint32_t w = width, h = height;
    while (w > 1 || h > 1) {
        const uint32_t nw = nextMipSize(w), nh = nextMipSize(h);
        for (uint32_t y = 0; y < nh; ++y) {
            const uint32_t y0 = std::min(2 * y, h - 1), y1 = std::min(2 * y + 1, h - 1);
            for (uint32_t x = 0; x < nw; ++x) {
                const uint32_t x0 = std::min(2 * x, w - 1), x1 = std::min(2 * x + 1, w - 1);
                const uint32_t box[4] = {
                    texels[level + size_t(y0) * w + x0], texels[level + size_t(y0) * w + x1],
                    texels[level + size_t(y1) * w + x0], texels[level + size_t(y1) * w + x1]};
                texels.push_back(average(box, encoding));
            }
        }
        level += size_t(w) * h;
        w = nw;
        h = nh;
    }
    return texels;
}

const AlbedoTableSet& sharedAlbedoTables() {
    // C++ guarantees one thread computes a function-local static; the others wait.
    static const AlbedoTableSet tables = loadOrComputeAlbedoTables();
    return tables;
}

LayeredMaterialSet::LayeredMaterialSet() : tables_(&sharedAlbedoTables()) {}

LayeredMaterialSet::PreparedImage LayeredMaterialSet::prepareImage(const std::string& path,
                                                                   TexelEncoding encoding) {
    PreparedImage out;
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, StbiPixels> pixels(stbi_load(path.c_str(), &w, &h, &channels, 4));
    if (!pixels) {
        const char* reason = stbi_failure_reason();
        out.error = std::string("cannot decode image (") + (reason ? reason : "unknown") + ")";
        return out;
    }
    out.width = uint32_t(w);
    out.height = uint32_t(h);
    out.chain = buildMipChain(pixels.get(), out.width, out.height, encoding);
    return out;
}

// Decodes the new image files of `desc` and builds their mip chains on all
// cores (the slow part of loading a textured material); add() then packs them
// in slot order, so the result does not depend on the thread count.
void LayeredMaterialSet::prepareFiles(const LayeredMaterialDesc& desc,
                                      const std::vector<ImageSource>& sceneImages) {
    struct Job {
        ImageKey key;
        TexelEncoding encoding;
        const ImageSource* scene; // null: decode the file key's path
    };
    std::vector<Job> jobs;
    for (const ParamDesc& p : desc.params) {
        const TextureRef& t = p.texture;
        if (!t.present()) continue;
        const TexelEncoding encoding = t.normalMap ? TexelEncoding::NormalMap
                                       : t.srgb    ? TexelEncoding::Srgb
                                                   : TexelEncoding::Linear;
        ImageKey key;
        const ImageSource* scene = nullptr;
        if (!t.path.empty()) {
            std::error_code ec;
            const std::filesystem::path abs = std::filesystem::absolute(t.path, ec);
            const std::string path =
                (ec ? std::filesystem::path(t.path) : abs).lexically_normal().string();
            key = ImageKey{path, -1, nullptr, uint32_t(encoding)};
        } else {
            // Invalid scene refs are reported by imageFor(), in slot order.
            if (size_t(t.sceneImage) >= sceneImages.size()) continue;
            scene = &sceneImages[size_t(t.sceneImage)];
            if (!scene->rgba8 || scene->width == 0 || scene->height == 0) continue;
            key = ImageKey{"", t.sceneImage, scene->rgba8, uint32_t(encoding)};
        }
        if (imageIndex_.count(key) || prepared_.count(key)) continue;
        prepared_.emplace(key, PreparedImage{});
        jobs.push_back({key, encoding, scene});
    }
    const unsigned threads = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()),
                                                unsigned(jobs.size()));
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t j = next++; j < jobs.size(); j = next++)
            if (const ImageSource* src = jobs[j].scene) {
                PreparedImage& out = prepared_.at(jobs[j].key);
                out.width = src->width;
                out.height = src->height;
                out.chain = buildMipChain(src->rgba8, src->width, src->height, jobs[j].encoding);
            } else {
                prepared_.at(jobs[j].key) =
                    prepareImage(std::get<0>(jobs[j].key), jobs[j].encoding);
            }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread& t : pool)
        t.join();
}

shared::LayeredView LayeredMaterialSet::view() const {
    return {materials_.data(), images_.data(), texels_.data(), tables_->view()};
}

int32_t LayeredMaterialSet::imageFor(const TextureRef& ref, TexelEncoding encoding,
                                     const std::vector<ImageSource>& sceneImages,
                                     const std::string& where) {
    ImageKey key;
    const ImageSource* scene = nullptr;
    std::string path;
    if (!ref.path.empty()) {
        std::error_code ec;
        std::filesystem::path p = std::filesystem::absolute(ref.path, ec);
        path = (ec ? std::filesystem::path(ref.path) : p).lexically_normal().string();
        key = ImageKey{path, -1, nullptr, uint32_t(encoding)};
    } else {
        if (size_t(ref.sceneImage) >= sceneImages.size()) {
            throw errorAt(where, "scene image " + std::to_string(ref.sceneImage) +
                                     " is out of range (" + std::to_string(sceneImages.size()) +
                                     " images)");
        }
        scene = &sceneImages[size_t(ref.sceneImage)];
        if (!scene->rgba8 || scene->width == 0 || scene->height == 0) {
            throw errorAt(where, "scene image " + std::to_string(ref.sceneImage) + " ('" +
                                     scene->name + "') has no pixels");
        }
        key = ImageKey{"", ref.sceneImage, scene->rgba8, uint32_t(encoding)};
    }
    auto found = imageIndex_.find(key);
    if (found != imageIndex_.end()) return found->second;

    std::vector<uint32_t> chain;
    shared::GpuTexelImage image{};
    if (scene) {
        auto pre = prepared_.find(key);
        image.width = scene->width;
        image.height = scene->height;
        chain = pre != prepared_.end()
                    ? std::move(pre->second.chain)
                    : buildMipChain(scene->rgba8, scene->width, scene->height, encoding);
    } else {
        auto pre = prepared_.find(key);
        PreparedImage decoded =
            pre != prepared_.end() ? std::move(pre->second) : prepareImage(path, encoding);
        if (!decoded.error.empty()) throw errorAt(ref.path, decoded.error);
        image.width = decoded.width;
        image.height = decoded.height;
        chain = std::move(decoded.chain);
    }
    if (texels_.size() + chain.size() > 0xFFFFFFFFull) {
        throw errorAt(scene ? scene->name : ref.path,
                      "texel buffer of the material set exceeds 2^32 texels");
    }
    image.offset = uint32_t(texels_.size());
    image.levels = mipLevelCount(image.width, image.height);
    texels_.insert(texels_.end(), chain.begin(), chain.end());
    images_.push_back(image);
    imageNames_.push_back(scene ? scene->name : ref.path);
    const int32_t index = int32_t(images_.size() - 1);
    imageIndex_.emplace(key, index);
    return index;
}

uint32_t LayeredMaterialSet::add(const LayeredMaterialDesc& desc,
                                 const std::vector<ImageSource>& sceneImages) {
    const std::string where = !desc.source.empty() ? desc.source
                              : !desc.name.empty() ? "material '" + desc.name + "'"
                                                   : "layered material";
    const size_t imageCount = images_.size(), texelCount = texels_.size();
    shared::GpuLayeredMaterial g{};
    g.layers = desc.layers;
    std::vector<int32_t> used;
    try {
        prepareFiles(desc, sceneImages);
        for (uint32_t slot = 0; slot < shared::kParamCount; ++slot) {
            const ParamDesc& p = desc.params[slot];
            shared::GpuLayerParam& out = g.params[slot];
            out.value = p.value;
            out.image = -1;
            out.flags = 0;
            out.row0 = glm::vec3(1.0f, 0.0f, 0.0f);
            out.row1 = glm::vec3(0.0f, 1.0f, 0.0f);
            const TextureRef& t = p.texture;
            if (!t.present()) continue;
            if (slot == shared::kParamFlakeDensity) {
                throw errorAt(where, "flake density cannot be textured");
            }
            if (t.channel > 3 || t.texCoord > 1) {
                throw errorAt(where, "texture of parameter " + std::to_string(slot) +
                                         " has channel " + std::to_string(t.channel) +
                                         " / texCoord " + std::to_string(t.texCoord) +
                                         " (need 0..3 / 0..1)");
            }
            const TexelEncoding encoding = t.normalMap ? TexelEncoding::NormalMap
                                           : t.srgb    ? TexelEncoding::Srgb
                                                       : TexelEncoding::Linear;
            out.image = imageFor(t, encoding, sceneImages, where);
            if (std::find(used.begin(), used.end(), out.image) == used.end())
                used.push_back(out.image);
            out.flags = (encoding == TexelEncoding::Srgb ? shared::kParamFlagSrgb : 0u) |
                        (encoding == TexelEncoding::NormalMap ? shared::kParamFlagNormalMap : 0u) |
                        (t.texCoord == 1 ? shared::kParamFlagTexCoord1 : 0u) |
                        (t.channel << shared::kParamChannelShift);
            out.row0 = row(t.uvTransform, 0);
            out.row1 = row(t.uvTransform, 1);
        }
    } catch (...) {
        prepared_.clear();
        // Leave the set as it was: drop the images this material added.
        for (auto it = imageIndex_.begin(); it != imageIndex_.end();) {
            it = it->second >= int32_t(imageCount) ? imageIndex_.erase(it) : std::next(it);
        }
        images_.resize(imageCount);
        imageNames_.resize(imageCount);
        texels_.resize(texelCount);
        throw;
    }
    size_t bytes = 0;
    for (int32_t i : used) {
        const shared::GpuTexelImage& img = images_[size_t(i)];
        const size_t end =
            size_t(i) + 1 < images_.size() ? images_[size_t(i) + 1].offset : texels_.size();
        bytes += (end - img.offset) * sizeof(uint32_t);
    }
    prepared_.clear();
    materials_.push_back(g);
    materialTextureBytes_.push_back(bytes);
    return uint32_t(materials_.size() - 1);
}

uint32_t LayeredMaterialSet::contentCrc() const {
    uint32_t crc = 0;
    for (const shared::GpuLayeredMaterial& m : materials_)
        crc = formats::crc32(&m, sizeof m, crc);
    for (const shared::GpuTexelImage& img : images_)
        crc = formats::crc32(&img, sizeof img, crc);
    return formats::crc32(texels_.data(), texels_.size() * sizeof(uint32_t), crc);
}

} // namespace nerva::material
