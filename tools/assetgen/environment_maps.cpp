#include "environment_maps.h"

#include "renderer/image/image_io.h"
#include "shaders/shared/env_sampling.h"

#include <glm/glm.hpp>

#include <algorithm>
#include <cmath>

namespace nerva::assetgen {
namespace {

using glm::vec2;
using glm::vec3;

constexpr float kPi = 3.14159265358979f;

// ---- hash-based value noise ---------------------------------------------------------

// A 32-bit integer finaliser (xor-shift-multiply) over a lattice point.
uint32_t latticeHash(int32_t x, int32_t y, uint32_t seed) {
    uint32_t h = uint32_t(x) * 0x8da6b343u ^ uint32_t(y) * 0xd8163841u ^ seed * 0xcb1ab31fu;
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
}

float latticeValue(int32_t x, int32_t y, uint32_t seed) {
    return float(latticeHash(x, y, seed) >> 8) * (1.0f / 16777216.0f);
}

// Value noise in [0, 1): lattice values blended with a quintic fade.
float valueNoise(vec2 p, uint32_t seed) {
    const float fx = std::floor(p.x), fy = std::floor(p.y);
    const int32_t ix = int32_t(fx), iy = int32_t(fy);
    const float tx = p.x - fx, ty = p.y - fy;
    auto fade = [](float t) { return t * t * t * (t * (t * 6.0f - 15.0f) + 10.0f); };
    const float sx = fade(tx), sy = fade(ty);
    const float a = latticeValue(ix, iy, seed), b = latticeValue(ix + 1, iy, seed);
    const float c = latticeValue(ix, iy + 1, seed), d = latticeValue(ix + 1, iy + 1, seed);
    return (a + (b - a) * sx) + ((c + (d - c) * sx) - (a + (b - a) * sx)) * sy;
}

// Fractal sum in [0, 1): each octave doubles the frequency, halves the
// amplitude and turns the lattice (to hide its axes).
float fractalNoise(vec2 p, int octaves, uint32_t seed) {
    float sum = 0.0f, amplitude = 0.5f, norm = 0.0f;
    for (int i = 0; i < octaves; ++i) {
        sum += amplitude * valueNoise(p, seed + uint32_t(i) * 101u);
        norm += amplitude;
        p = vec2(1.6f * p.x - 1.2f * p.y, 1.2f * p.x + 1.6f * p.y) + vec2(17.3f, -9.1f);
        amplitude *= 0.5f;
    }
    return sum / norm;
}

float smoothstep(float e0, float e1, float x) {
    const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}

// ---- the sunset --------------------------------------------------------------------

struct SunsetParams {
    vec3 sunDir;
    float sunRadius = 0.75f * kPi / 180.0f;               // angular radius: 1.5 degrees across
    vec3 sunRadiance = vec3(1.0f, 0.78f, 0.5f) * 2000.0f; // luminance ~1630
    vec3 zenith = vec3(0.08f, 0.16f, 0.46f);
    vec3 horizonAway = vec3(0.50f, 0.52f, 0.68f); // horizon opposite the sun
    vec3 horizonSun = vec3(1.80f, 0.85f, 0.40f);  // horizon under the sun
    vec3 ground = vec3(0.085f, 0.070f, 0.058f);
    uint32_t seed = 2024u;

    SunsetParams() {
        const float elevation = 18.0f * kPi / 180.0f, azimuth = 35.0f * kPi / 180.0f;
        // Azimuth from -Z towards +X, as the map's u runs.
        sunDir = vec3(std::cos(elevation) * std::sin(azimuth), std::sin(elevation),
                      -std::cos(elevation) * std::cos(azimuth));
    }
};

vec3 sunsetRadiance(const SunsetParams& s, vec3 dir) {
    const float cosGamma = std::clamp(glm::dot(dir, s.sunDir), -1.0f, 1.0f);
    const float gamma = std::acos(cosGamma); // angle to the sun's centre

    // Horizon colour: warm under the sun, cool away from it.
    const vec2 flat(dir.x, dir.z), sunFlat(s.sunDir.x, s.sunDir.z);
    const float flatLen = glm::length(flat);
    const float facing =
        flatLen > 1e-6f ? 0.5f + 0.5f * glm::dot(flat / flatLen, glm::normalize(sunFlat)) : 0.5f;
    const vec3 horizon = glm::mix(s.horizonAway, s.horizonSun, facing * facing * facing);

    if (dir.y < 0.0f) {
        // Ground: a haze band fading into dark, faintly mottled soil.
        const vec2 p = flat / std::max(-dir.y, 0.02f) * 0.6f;
        const float mottle = 0.75f + 0.5f * fractalNoise(p, 3, s.seed + 7u);
        return glm::mix(horizon * 0.7f, s.ground * mottle, smoothstep(0.0f, 0.12f, -dir.y));
    }

    // Sky gradient, horizon to zenith.
    vec3 sky = glm::mix(horizon, s.zenith, std::pow(dir.y, 0.45f));

    // Clouds on a plane above the viewer: denser far away, lit from the sun's side,
    // fading out towards the horizon and kept off the sun itself.
    const vec2 plane = flat / (dir.y + 0.06f) * 0.9f + vec2(3.7f, 1.3f);
    const float density = fractalNoise(plane, 6, s.seed);
    const float coverage = smoothstep(0.42f, 0.62f, density) * smoothstep(0.03f, 0.20f, dir.y) *
                           smoothstep(0.05f, 0.20f, gamma);
    const float thickness = smoothstep(0.50f, 0.75f, density);
    const float sunSide = std::pow(std::max(cosGamma, 0.0f), 4.0f);
    const vec3 cloud = glm::mix(vec3(0.42f, 0.36f, 0.46f), vec3(2.4f, 1.35f, 0.70f), sunSide) *
                       (1.0f - 0.45f * thickness);
    sky = glm::mix(sky, cloud, 0.9f * coverage);

    // Glow around the sun (a tight halo and a wide one), dimmed behind clouds.
    const float glow = 6.0f * std::exp(-gamma / 0.035f) + 0.8f * std::exp(-gamma / 0.3f);
    sky += vec3(1.0f, 0.55f, 0.25f) * glow * (1.0f - 0.6f * coverage);

    // The disk, with limb darkening.
    if (gamma < s.sunRadius) {
        const float r = gamma / s.sunRadius;
        const float limb = 1.0f - 0.45f * (1.0f - std::sqrt(1.0f - r * r));
        sky = s.sunRadiance * limb;
    }
    return sky;
}

} // namespace

ImageRGBA32F makeSunsetSky(uint32_t width, uint32_t height) {
    const SunsetParams params;
    ImageRGBA32F img(width, height);
    constexpr int kSub = 4; // 4x4 samples per texel, box filtered
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            vec3 sum(0.0f);
            for (int j = 0; j < kSub; ++j)
                for (int i = 0; i < kSub; ++i) {
                    const vec2 uv((float(x) + (float(i) + 0.5f) / kSub) / float(width),
                                  (float(y) + (float(j) + 0.5f) / kSub) / float(height));
                    sum += sunsetRadiance(params, shared::envUvToDir(uv));
                }
            const vec3 c = sum / float(kSub * kSub);
            float* p = img.at(x, y);
            p[0] = c.r;
            p[1] = c.g;
            p[2] = c.b;
            p[3] = 1.0f;
        }
    return img;
}

std::vector<WrittenEnvironment> writeEnvironmentMaps(const std::filesystem::path& outDir) {
    const std::filesystem::path dir = outDir / "env";
    std::filesystem::create_directories(dir);
    WrittenEnvironment sunset;
    sunset.name = "sunset";
    sunset.file = dir / "sunset.hdr";
    sunset.width = 512;
    sunset.height = 256;
    writeImage(sunset.file.string(), makeSunsetSky(sunset.width, sunset.height));
    sunset.bytes = std::filesystem::file_size(sunset.file);
    return {sunset};
}

} // namespace nerva::assetgen
