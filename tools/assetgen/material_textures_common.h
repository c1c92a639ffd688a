// Small helpers shared by the material-library texture builders
// (material_textures*.cpp): colour encoding, texel stores, a tileable
// Voronoi (cellular) noise and anti-aliased scratches. Deterministic, like
// the rest of texture_builders.h.
#pragma once

#include "mesh_builders.h"
#include "texture_builders.h"

#include <algorithm>
#include <cmath>

namespace nerva::assetgen::mtex {

inline float clamp01(float v) {
    return std::clamp(v, 0.0f, 1.0f);
}
inline float mix(float a, float b, float t) {
    return a + (b - a) * t;
}
inline Rgb mix(Rgb a, Rgb b, float t) {
    return {mix(a.r, b.r, t), mix(a.g, b.g, t), mix(a.b, b.b, t)};
}
inline Rgb scale(Rgb c, float s) {
    return {c.r * s, c.g * s, c.b * s};
}
inline float smoothstep(float e0, float e1, float x) {
    const float t = clamp01((x - e0) / (e1 - e0));
    return t * t * (3.0f - 2.0f * t);
}
inline float fract(float x) {
    return x - std::floor(x);
}
inline int wrap(int v, int period) {
    return ((v % period) + period) % period;
}
inline uint8_t toByte(float v) {
    return static_cast<uint8_t>(clamp01(v) * 255.0f + 0.5f);
}
// Linear -> sRGB transfer function (colour textures are stored sRGB-encoded).
inline float srgbEncode(float linear) {
    const float c = clamp01(linear);
    return c <= 0.0031308f ? 12.92f * c : 1.055f * std::pow(c, 1.0f / 2.4f) - 0.055f;
}

// A colour given in linear RGB, stored sRGB-encoded.
inline void storeLinearColour(Image8& image, int x, int y, Rgb linear) {
    uint8_t* p = image.at(x, y);
    p[0] = toByte(srgbEncode(linear.r));
    p[1] = toByte(srgbEncode(linear.g));
    p[2] = toByte(srgbEncode(linear.b));
}
// A linear scalar in every channel (reads the same through "r", "g" or "b").
inline void storeScalar(Image8& image, int x, int y, float v) {
    uint8_t* p = image.at(x, y);
    p[0] = p[1] = p[2] = toByte(v);
}

// Texel centre in [0, 1).
inline float texelCoord(int i, int size) {
    return (i + 0.5f) / size;
}

// Tileable Voronoi noise on a `period` x `period` lattice of jittered points
// (jitter in [0, 1]); x, y in lattice units. f1/f2: distances to the nearest
// and second nearest point; cellX/cellY: the nearest point's (wrapped) cell.
struct Cellular {
    float f1 = 1e9f, f2 = 1e9f;
    int cellX = 0, cellY = 0;
};
inline Cellular cellular(float x, float y, int period, float jitter, uint32_t seed) {
    const int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
    Cellular c;
    for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
            const int cx = wrap(ix + dx, period), cy = wrap(iy + dy, period);
            const float px = ix + dx + 0.5f + jitter * (hash01(cx, cy, seed) - 0.5f);
            const float py = iy + dy + 0.5f + jitter * (hash01(cx, cy, seed + 1u) - 0.5f);
            const float d = std::hypot(px - x, py - y);
            if (d < c.f1) {
                c.f2 = c.f1;
                c.f1 = d;
                c.cellX = cx;
                c.cellY = cy;
            } else if (d < c.f2) {
                c.f2 = d;
            }
        }
    }
    return c;
}

// Draws a straight scratch (a groove `depth` deep and about `width` texels
// wide, anti-aliased) into `field` with max(), wrapping around the edges.
inline void drawScratch(HeightField& field, float x0, float y0, float angle, float length,
                        float width, float depth) {
    const float dx = std::cos(angle), dy = std::sin(angle);
    const int steps = static_cast<int>(length * 2.0f);
    const int reach = static_cast<int>(std::ceil(width)) + 1;
    for (int s = 0; s <= steps; ++s) {
        const float px = x0 + dx * s * 0.5f, py = y0 + dy * s * 0.5f;
        // Scratches taper at both ends.
        const float taper = std::sin(kPi * (s + 0.5f) / (steps + 1.0f));
        for (int oy = -reach; oy <= reach; ++oy) {
            for (int ox = -reach; ox <= reach; ++ox) {
                const int tx = static_cast<int>(std::floor(px)) + ox;
                const int ty = static_cast<int>(std::floor(py)) + oy;
                // Distance from the texel centre to the scratch's centre line.
                const float rx = tx + 0.5f - px, ry = ty + 0.5f - py;
                const float across = std::abs(rx * dy - ry * dx);
                const float along = std::abs(rx * dx + ry * dy);
                if (along > 0.75f) continue;
                const float v = depth * taper * smoothstep(width, 0.5f * width, across);
                float& h = field.at(wrap(tx, field.width), wrap(ty, field.height));
                h = std::max(h, v);
            }
        }
    }
}

} // namespace nerva::assetgen::mtex
