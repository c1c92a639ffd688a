// Procedural textures for the asset generator: deterministic (own hash, PRNG
// and noise; no clocks, no global state), tileable unless said otherwise,
// 8-bit, row 0 at the top. Colours given as Rgb are sRGB-encoded in 0..1, the
// way they land in baseColor/emissive images; data maps (normal, occlusion,
// metallic-roughness) are linear.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nerva::assetgen {

struct Image8 {
    int width = 0, height = 0, channels = 3;
    std::vector<uint8_t> texels; // width * height * channels

    Image8() = default;
    Image8(int w, int h, int c)
        : width(w), height(h), channels(c), texels(size_t(w) * size_t(h) * size_t(c), 0) {}
    uint8_t* at(int x, int y) { return &texels[(size_t(y) * width + x) * channels]; }
    bool empty() const { return texels.empty(); }
};

struct HeightField {
    int width = 0, height = 0;
    std::vector<float> values;

    HeightField(int w, int h) : width(w), height(h), values(size_t(w) * size_t(h), 0.0f) {}
    float& at(int x, int y) { return values[size_t(y) * width + x]; }
    // Wraps around, for tileable maps.
    float wrapped(int x, int y) const {
        x = ((x % width) + width) % width;
        y = ((y % height) + height) % height;
        return values[size_t(y) * width + x];
    }
};

struct Rgb {
    float r = 0.0f, g = 0.0f, b = 0.0f;
};

// PCG32 (O'Neill): a small, fast generator with a fixed seed and stream.
class Pcg32 {
  public:
    explicit Pcg32(uint64_t seed, uint64_t stream = 54u);
    uint32_t next();
    float uniform(); // [0, 1)

  private:
    uint64_t state_ = 0, increment_ = 0;
};

// A well-mixed 32-bit hash of a lattice point (a splitmix64 finaliser).
uint32_t hashCoords(int x, int y, uint32_t seed);
inline float hash01(int x, int y, uint32_t seed) {
    return (hashCoords(x, y, seed) >> 8) * (1.0f / 16777216.0f);
}

// Value noise in [0, 1] and gradient (Perlin-style) noise in about [-1, 1],
// periodic with the given lattice periods (integers) so that textures tile.
float valueNoise(float x, float y, int periodX, int periodY, uint32_t seed);
float gradientNoise(float x, float y, int periodX, int periodY, uint32_t seed);
// Fractal sum of gradient noise octaves, each doubling frequency and period.
float fbm(float x, float y, int periodX, int periodY, int octaves, uint32_t seed);

// A set of matching maps for one glTF material; empty images are not made.
struct PbrSet {
    Image8 baseColor, normal, metallicRoughness, occlusion;
};

Image8 makeChecker(int size, int cells, Rgb a, Rgb b);
// Colour ramp cells (red along u, green along v), grid lines and an "F"
// glyph in the top-left corner, to make uv orientation and transforms visible.
Image8 makeUvTest(int size);
// Running-bond bricks: colour, normal, roughness, occlusion.
PbrSet makeBricks(int size, uint32_t seed);
// Wooden planks with noisy growth rings along u: colour, normal, roughness.
PbrSet makeWood(int size, uint32_t seed);
// Scratched metal with dielectric patina patches: colour, normal, metallic-roughness.
PbrSet makeWornMetal(int size, Rgb metal, Rgb patina, uint32_t seed);
// Glowing grid lines on black.
Image8 makeEmissiveGrid(int size, int cells, Rgb glow);
// RGBA: a metal sheet with round holes (alpha 0), staggered rows.
Image8 makePerforatedSheet(int size, int holes, Rgb colour, uint32_t seed);
// RGBA: one leaf, stem at the bottom, transparent around it (not tileable).
Image8 makeLeaf(int size, uint32_t seed);

// Tangent-space normal map (glTF: +X right, +Y up in the image) of a
// tileable height field; strength = texels per unit of height.
Image8 normalMapFromHeight(const HeightField& height, float strength);

// PNG file bytes (stb_image_write; deterministic).
std::vector<uint8_t> encodePng(const Image8& image);

} // namespace nerva::assetgen
