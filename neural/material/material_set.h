// A set of reference layered materials packed for the shared eval
// (shaders/shared/layered/layered_types.h): GpuLayeredMaterial records, the
// RGBA8 texel images they read (full mip chains, one texel buffer) and the
// directional-albedo tables, laid out identically for the CPU (view()) and
// for an upload to the GPU (the vectors as they are).
#pragma once

#include "neural/material/albedo_tables.h"
#include "neural/material/layered_material.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace nerva::material {

// An image the caller has already decoded (a glTF scene's), named by
// TextureRef::sceneImage. 8-bit RGBA, row 0 = the top of the image as in
// the file (v = 0 at the top, as glTF). Only read during add().
struct ImageSource {
    std::string name; // for messages
    uint32_t width = 0;
    uint32_t height = 0;
    const uint8_t* rgba8 = nullptr; // width * height * 4 bytes
};

// How the texels of an image are decoded, and so how its mips are averaged.
enum class TexelEncoding : uint32_t {
    Linear = 0,    // data: plain averages
    Srgb = 1,      // colour: averaged in linear space, re-encoded to sRGB
    NormalMap = 2, // n = 2c - 1: vectors averaged and renormalised
};

// Size of the mip level after one of size n: halved rounding up, at least 1
// (5 -> 3 -> 2 -> 1). Texel (x, y) of the next level is the 2x2 box
// (2x..2x+1, 2y..2y+1) of the previous one, coordinates clamped to it.
constexpr uint32_t nextMipSize(uint32_t n) {
    return n <= 1 ? 1 : (n + 1) / 2;
}
// Number of levels of a full chain down to 1x1.
uint32_t mipLevelCount(uint32_t width, uint32_t height);

// The RGBA8 texels (packed r | g << 8 | b << 16 | a << 24) of a full mip
// chain, level 0 (a copy of `rgba8`, row 0 first) and every smaller level
// right after, as GpuTexelImage documents.
std::vector<uint32_t> buildMipChain(const uint8_t* rgba8, uint32_t width, uint32_t height,
                                    TexelEncoding encoding);

// The albedo tables of computeAlbedoTables(), computed on first use (thread
// safe) and shared by every set of the process.
const AlbedoTableSet& sharedAlbedoTables();

// Copyable; the albedo tables are shared, not copied.
class LayeredMaterialSet {
  public:
    LayeredMaterialSet();

    // Packs one material and returns its index. Textures with a `path` are
    // decoded with stb_image; those with a `sceneImage` read
    // sceneImages[sceneImage] (pass the same list to every add() of a set).
    // Each image is stored once per (file or scene image, encoding): a
    // normal map is NormalMap, else an sRGB ref is Srgb, else Linear.
    // Throws nerva::Error (one line naming the file) when an image cannot be
    // read or a ref is invalid; the set is then unchanged.
    uint32_t add(const LayeredMaterialDesc& desc, const std::vector<ImageSource>& sceneImages = {});

    size_t size() const { return materials_.size(); }
    const std::vector<shared::GpuLayeredMaterial>& materials() const { return materials_; }
    const std::vector<shared::GpuTexelImage>& images() const { return images_; }
    const std::vector<uint32_t>& texels() const { return texels_; }
    // Name of each image (its path, or the scene image's name).
    const std::vector<std::string>& imageNames() const { return imageNames_; }
    const AlbedoTableSet& tables() const { return *tables_; }

    // Pointers into this set's vectors and the shared tables, for the C++
    // build of the shared eval. Invalidated by add() (and by moving or
    // destroying the set).
    shared::LayeredView view() const;

    // CRC-32 of everything the shared eval reads from this set: the material
    // records, the image records and every texel. Of a set holding one
    // material it identifies that material's content (the .nmat source hash),
    // whatever its files are called.
    uint32_t contentCrc() const;

    // Bytes of the texel buffer (every image once, mips included).
    size_t textureBytes() const { return texels_.size() * sizeof(uint32_t); }
    // Bytes of the images one material reads (each once; images shared with
    // other materials count for each of them).
    size_t textureBytes(uint32_t material) const { return materialTextureBytes_.at(material); }

  private:
    // (path, scene image, scene pixels, encoding); path "" for scene images.
    using ImageKey = std::tuple<std::string, int, const uint8_t*, uint32_t>;

    // A decoded image file with its mip chain, or why it failed.
    struct PreparedImage {
        uint32_t width = 0, height = 0;
        std::vector<uint32_t> chain;
        std::string error;
    };
    static PreparedImage prepareImage(const std::string& path, TexelEncoding encoding);
    // Decodes and mip-maps the new images of `desc` on all cores.
    void prepareFiles(const LayeredMaterialDesc& desc, const std::vector<ImageSource>& sceneImages);

    int32_t imageFor(const TextureRef& ref, TexelEncoding encoding,
                     const std::vector<ImageSource>& sceneImages, const std::string& where);

    std::vector<shared::GpuLayeredMaterial> materials_;
    std::vector<shared::GpuTexelImage> images_;
    std::vector<uint32_t> texels_;
    std::vector<std::string> imageNames_;
    std::vector<size_t> materialTextureBytes_;
    std::map<ImageKey, int32_t> imageIndex_;
    std::map<ImageKey, PreparedImage> prepared_; // during add() only
    const AlbedoTableSet* tables_;
};

} // namespace nerva::material
