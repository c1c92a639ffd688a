#include "texture_builders.h"

#include "mesh_builders.h"

#include "neural/core/error.h"

#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>

namespace nerva::assetgen {
namespace {

float clamp01(float v) {
    return std::clamp(v, 0.0f, 1.0f);
}
float mix(float a, float b, float t) {
    return a + (b - a) * t;
}
Rgb mix(Rgb a, Rgb b, float t) {
    return {mix(a.r, b.r, t), mix(a.g, b.g, t), mix(a.b, b.b, t)};
}
Rgb scale(Rgb c, float s) {
    return {c.r * s, c.g * s, c.b * s};
}
float smoothstep(float e0, float e1, float x) {
    const float t = clamp01((x - e0) / (e1 - e0));
    return t * t * (3.0f - 2.0f * t);
}
float fract(float x) {
    return x - std::floor(x);
}
uint8_t toByte(float v) {
    return static_cast<uint8_t>(clamp01(v) * 255.0f + 0.5f);
}

void store(Image8& image, int x, int y, Rgb c, float alpha = 1.0f) {
    uint8_t* p = image.at(x, y);
    p[0] = toByte(c.r);
    p[1] = toByte(c.g);
    p[2] = toByte(c.b);
    if (image.channels == 4) p[3] = toByte(alpha);
}

// glTF packs metallic-roughness as G = roughness, B = metallic; R is unused
// (we leave it at 1 so that the image can double as an occlusion map).
void storeMetalRough(Image8& image, int x, int y, float roughness, float metallic) {
    store(image, x, y, {1.0f, roughness, metallic});
}

int wrap(int v, int period) {
    return ((v % period) + period) % period;
}
float fade(float t) {
    return t * t * t * (t * (t * 6.0f - 15.0f) + 10.0f);
}

// Eight unit gradient directions, picked by hash.
constexpr float kGradients[8][2] = {{1, 0},
                                    {-1, 0},
                                    {0, 1},
                                    {0, -1},
                                    {0.7071f, 0.7071f},
                                    {-0.7071f, 0.7071f},
                                    {0.7071f, -0.7071f},
                                    {-0.7071f, -0.7071f}};

} // namespace

Pcg32::Pcg32(uint64_t seed, uint64_t stream) : increment_((stream << 1u) | 1u) {
    next();
    state_ += seed;
    next();
}

uint32_t Pcg32::next() {
    const uint64_t old = state_;
    state_ = old * 6364136223846793005ull + increment_;
    const uint32_t shifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
    const uint32_t rot = static_cast<uint32_t>(old >> 59u);
    return (shifted >> rot) | (shifted << ((32u - rot) & 31u));
}

float Pcg32::uniform() {
    return (next() >> 8) * (1.0f / 16777216.0f);
}

uint32_t hashCoords(int x, int y, uint32_t seed) {
    uint64_t z =
        (uint64_t(uint32_t(x)) << 32 | uint32_t(y)) + uint64_t(seed) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<uint32_t>((z ^ (z >> 31)) >> 32);
}

float valueNoise(float x, float y, int periodX, int periodY, uint32_t seed) {
    const float fx = std::floor(x), fy = std::floor(y);
    const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
    const float ux = fade(x - fx), uy = fade(y - fy);
    auto v = [&](int cx, int cy) { return hash01(wrap(cx, periodX), wrap(cy, periodY), seed); };
    return mix(mix(v(ix, iy), v(ix + 1, iy), ux), mix(v(ix, iy + 1), v(ix + 1, iy + 1), ux), uy);
}

float gradientNoise(float x, float y, int periodX, int periodY, uint32_t seed) {
    const float fx = std::floor(x), fy = std::floor(y);
    const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
    const float tx = x - fx, ty = y - fy;
    auto g = [&](int cx, int cy, float dx, float dy) {
        const float* d = kGradients[hashCoords(wrap(cx, periodX), wrap(cy, periodY), seed) & 7u];
        return d[0] * dx + d[1] * dy;
    };
    const float ux = fade(tx), uy = fade(ty);
    const float a = mix(g(ix, iy, tx, ty), g(ix + 1, iy, tx - 1, ty), ux);
    const float b = mix(g(ix, iy + 1, tx, ty - 1), g(ix + 1, iy + 1, tx - 1, ty - 1), ux);
    return 1.4142f * mix(a, b, uy);
}

float fbm(float x, float y, int periodX, int periodY, int octaves, uint32_t seed) {
    float sum = 0.0f, amplitude = 1.0f, total = 0.0f;
    for (int o = 0; o < octaves; ++o) {
        const int f = 1 << o;
        sum += amplitude * gradientNoise(x * f, y * f, periodX * f, periodY * f, seed + 97u * o);
        total += amplitude;
        amplitude *= 0.5f;
    }
    return sum / total;
}

Image8 makeChecker(int size, int cells, Rgb a, Rgb b) {
    Image8 image(size, size, 3);
    const int cell = size / cells;
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            store(image, x, y, ((x / cell + y / cell) & 1) ? b : a);
    return image;
}

Image8 makeUvTest(int size) {
    Image8 image(size, size, 3);
    const int cell = size / 8, line = std::max(1, size / 128);
    auto inRect = [](float s, float t, float s0, float t0, float s1, float t1) {
        return s >= s0 && s < s1 && t >= t0 && t < t1;
    };
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const int cx = x / cell, cy = y / cell;
            Rgb c{(cx + 0.5f) / 8.0f, (cy + 0.5f) / 8.0f, ((cx + cy) & 1) ? 0.45f : 0.15f};
            if (x % cell < line || y % cell < line) c = {0.05f, 0.05f, 0.05f};
            const float s = (x + 0.5f) / size, t = (y + 0.5f) / size;
            if (inRect(s, t, 0.06f, 0.05f, 0.12f, 0.40f) ||
                inRect(s, t, 0.06f, 0.05f, 0.30f, 0.11f) ||
                inRect(s, t, 0.06f, 0.19f, 0.24f, 0.25f))
                c = {1.0f, 1.0f, 1.0f};
            store(image, x, y, c);
        }
    }
    return image;
}

PbrSet makeBricks(int size, uint32_t seed) {
    PbrSet set{Image8(size, size, 3), {}, Image8(size, size, 3), Image8(size, size, 3)};
    HeightField height(size, size);
    const int columns = 4, rows = 8, bw = size / columns, bh = size / rows;
    const float mortar = size / 100.0f;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const int row = y / bh, shifted = (x + ((row & 1) ? bw / 2 : 0)) % size;
            const int column = shifted / bw;
            const float lx = shifted % bw + 0.5f, ly = y % bh + 0.5f;
            const float edge = std::min(std::min(lx, bw - lx), std::min(ly, bh - ly));
            const float s = (x + 0.5f) / size, t = (y + 0.5f) / size;
            const float fine = fbm(s * 16, t * 16, 16, 16, 3, seed);
            const float coarse = fbm(s * 4, t * 4, 4, 4, 3, seed + 1);
            const float brick = smoothstep(mortar, mortar + 1.5f, edge);
            const float bevel = smoothstep(mortar, mortar + 6.0f, edge);
            const float tone = hash01(column, row, seed + 2), shade = hash01(column, row, seed + 3);
            Rgb brickColour =
                scale(mix(Rgb{0.52f, 0.20f, 0.13f}, Rgb{0.70f, 0.34f, 0.22f}, tone),
                      (0.85f + 0.25f * shade) * (1.0f + 0.12f * fine + 0.1f * coarse));
            const Rgb mortarColour = scale(Rgb{0.70f, 0.68f, 0.63f}, 1.0f + 0.12f * fine);
            store(set.baseColor, x, y, mix(mortarColour, brickColour, brick));
            height.at(x, y) =
                mix(0.05f + 0.04f * fine, 0.7f + 0.06f * fine + 0.08f * coarse, bevel);
            storeMetalRough(set.metallicRoughness, x, y, mix(0.95f, 0.72f + 0.12f * fine, brick),
                            0.0f);
            const float ao = mix(0.45f, 1.0f, bevel) * (0.95f + 0.05f * coarse);
            store(set.occlusion, x, y, {ao, ao, ao});
        }
    }
    set.normal = normalMapFromHeight(height, 6.0f);
    return set;
}

PbrSet makeWood(int size, uint32_t seed) {
    PbrSet set{Image8(size, size, 3), {}, Image8(size, size, 3), {}};
    HeightField height(size, size);
    const int planks = 4, ph = size / planks;
    for (int y = 0; y < size; ++y) {
        const int plank = y / ph;
        const int joint = static_cast<int>(hashCoords(plank, 0, seed) % uint32_t(size));
        const float plankSeed = hash01(plank, 1, seed),
                    tint = 0.88f + 0.2f * hash01(plank, 2, seed);
        for (int x = 0; x < size; ++x) {
            const float lx = wrap(x - joint, size) + 0.5f, ly = y % ph + 0.5f;
            const float edge = std::min(std::min(lx, size - lx), std::min(ly, ph - ly));
            const float s = (x + 0.5f) / size, t = (y + 0.5f) / size;
            // Growth rings: mostly parallel to the plank, slowly bending.
            const float warp = fbm(s * 2, t * 8, 2, 8, 3, seed + 3);
            const float ringCoord = (ly / ph) * 1.5f + plankSeed * 7.0f + 0.35f * warp +
                                    0.12f * std::sin(2.0f * kPi * (s + plankSeed));
            const float ring = fract(ringCoord * 4.0f);
            const float late =
                smoothstep(0.45f, 0.8f, ring) * (1.0f - smoothstep(0.85f, 1.0f, ring));
            const float streak = 0.5f + 0.5f * fbm(s * 4, t * 64, 4, 64, 2, seed + 4);
            const float gap = smoothstep(0.5f, 2.0f, edge);
            Rgb c = mix(Rgb{0.78f, 0.56f, 0.34f}, Rgb{0.52f, 0.31f, 0.15f},
                        0.55f * late + 0.35f * streak);
            store(set.baseColor, x, y, scale(c, tint * mix(0.35f, 1.0f, gap)));
            height.at(x, y) = gap * (1.0f - 0.12f * late - 0.06f * streak);
            storeMetalRough(set.metallicRoughness, x, y, mix(0.8f, 0.32f + 0.22f * late, gap),
                            0.0f);
        }
    }
    set.normal = normalMapFromHeight(height, 3.0f);
    return set;
}

PbrSet makeWornMetal(int size, Rgb metal, Rgb patina, uint32_t seed) {
    PbrSet set{Image8(size, size, 3), {}, Image8(size, size, 3), {}};
    HeightField scratches(size, size), height(size, size);
    Pcg32 rng(seed);
    for (int k = 0; k < 90; ++k) { // short straight scratches, wrapped around the edges
        const float x0 = rng.uniform() * size, y0 = rng.uniform() * size;
        const float angle = rng.uniform() * kPi, len = 10.0f + rng.uniform() * 40.0f;
        const float depth = 0.4f + 0.6f * rng.uniform();
        const float dx = std::cos(angle), dy = std::sin(angle);
        for (int step = 0; step <= static_cast<int>(len * 2); ++step) {
            const float px = x0 + dx * step * 0.5f, py = y0 + dy * step * 0.5f;
            const int ix = wrap(static_cast<int>(std::floor(px)), size);
            const int iy = wrap(static_cast<int>(std::floor(py)), size);
            float& v = scratches.at(ix, iy);
            v = std::max(v, depth);
        }
    }
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float s = (x + 0.5f) / size, t = (y + 0.5f) / size;
            const float patch = fbm(s * 4, t * 4, 4, 4, 5, seed + 1);
            const float coverage = smoothstep(0.12f, 0.28f, patch);
            const float fine = fbm(s * 32, t * 32, 32, 32, 2, seed + 2);
            const float scratch = scratches.at(x, y) * (1.0f - coverage);
            const Rgb bare = scale(metal, 1.0f + 0.04f * fine - 0.1f * scratch);
            store(set.baseColor, x, y, mix(bare, scale(patina, 0.9f + 0.25f * fine), coverage));
            const float roughness = mix(0.22f + 0.06f * fine + 0.3f * scratch, 0.85f, coverage);
            storeMetalRough(set.metallicRoughness, x, y, roughness, 1.0f - coverage);
            height.at(x, y) = 0.5f * coverage + 0.05f * fine - 0.3f * scratch;
        }
    }
    set.normal = normalMapFromHeight(height, 2.0f);
    return set;
}

Image8 makeEmissiveGrid(int size, int cells, Rgb glow) {
    Image8 image(size, size, 3);
    const float cell = float(size) / cells, width = size / 160.0f;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float lx = std::fmod(x + 0.5f, cell), ly = std::fmod(y + 0.5f, cell);
            const float d = std::min(std::min(lx, cell - lx), std::min(ly, cell - ly));
            const float line = std::exp(-(d * d) / (width * width * 4.0f));
            const float cx = lx - 0.5f * cell, cy = ly - 0.5f * cell;
            const float dot = std::exp(-(cx * cx + cy * cy) / (width * width * 9.0f));
            store(image, x, y, scale(glow, std::max(line, dot)));
        }
    }
    return image;
}

Image8 makePerforatedSheet(int size, int holes, Rgb colour, uint32_t seed) {
    Image8 image(size, size, 4);
    const float cell = float(size) / holes, radius = 0.32f * cell;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float px = x + 0.5f, py = y + 0.5f;
            const int row = static_cast<int>(py / cell);
            const float ox = (row & 1) ? 0.5f * cell : 0.0f;
            const float lx = std::fmod(px + ox, cell) - 0.5f * cell;
            const float ly = std::fmod(py, cell) - 0.5f * cell;
            const float alpha = smoothstep(radius - 0.75f, radius + 0.75f, std::hypot(lx, ly));
            const float s = px / size, t = py / size;
            const float brushed = gradientNoise(s * 2, t * 128, 2, 128, seed);
            store(image, x, y, scale(colour, 1.0f + 0.08f * brushed), alpha);
        }
    }
    return image;
}

Image8 makeLeaf(int size, uint32_t seed) {
    Image8 image(size, size, 4);
    const float cx = 0.5f * size;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float px = x + 0.5f, py = y + 0.5f;
            const float t = 1.0f - py / size; // 0 at the stem end, 1 at the tip
            const float dx = std::abs(px - cx);
            const float tt = clamp01((t - 0.14f) / 0.82f);
            const float halfWidth =
                (t > 0.14f && t < 0.96f)
                    ? 0.40f * size * std::pow(std::sin(kPi * tt), 0.8f) * (1.0f - 0.3f * tt)
                    : 0.0f;
            const float blade = smoothstep(halfWidth + 0.75f, halfWidth - 0.75f, dx);
            const float stem = (t > 0.02f && t < 0.2f) ? smoothstep(2.5f, 1.5f, dx) : 0.0f;
            const float s = px / size, v = py / size;
            const float n = fbm(s * 8, v * 8, 8, 8, 3, seed);
            Rgb c = scale(Rgb{0.22f, 0.45f, 0.12f}, 1.0f + 0.15f * n);
            const float sideVein = fract((t * size - 0.7f * dx) / (size / 9.0f));
            const float vein =
                std::max(smoothstep(2.0f, 0.5f, dx),
                         smoothstep(0.06f, 0.0f, std::min(sideVein, 1.0f - sideVein)) *
                             smoothstep(0.0f, 4.0f, dx) *
                             (1.0f - smoothstep(halfWidth - 6.0f, halfWidth, dx)));
            c = mix(c, Rgb{0.55f, 0.70f, 0.30f}, 0.6f * vein);
            store(image, x, y, c, std::max(blade, stem));
        }
    }
    return image;
}

Image8 normalMapFromHeight(const HeightField& height, float strength) {
    Image8 image(height.width, height.height, 3);
    for (int y = 0; y < height.height; ++y) {
        for (int x = 0; x < height.width; ++x) {
            const float dhdx = 0.5f * (height.wrapped(x + 1, y) - height.wrapped(x - 1, y));
            const float dhdrow = 0.5f * (height.wrapped(x, y + 1) - height.wrapped(x, y - 1));
            // Image "up" is decreasing row: dh/dup = -dh/drow.
            const float nx = -dhdx * strength, ny = dhdrow * strength;
            const float inv = 1.0f / std::sqrt(nx * nx + ny * ny + 1.0f);
            store(image, x, y, {0.5f + 0.5f * nx * inv, 0.5f + 0.5f * ny * inv, 0.5f + 0.5f * inv});
        }
    }
    return image;
}

std::vector<uint8_t> encodePng(const Image8& image) {
    std::vector<uint8_t> bytes;
    auto append = [](void* context, void* data, int size) {
        auto* out = static_cast<std::vector<uint8_t>*>(context);
        const auto* p = static_cast<const uint8_t*>(data);
        out->insert(out->end(), p, p + size);
    };
    if (!stbi_write_png_to_func(append, &bytes, image.width, image.height, image.channels,
                                image.texels.data(), image.width * image.channels))
        throw Error("encodePng: stb_image_write could not encode a " + std::to_string(image.width) +
                    "x" + std::to_string(image.height) + " image");
    return bytes;
}

} // namespace nerva::assetgen
