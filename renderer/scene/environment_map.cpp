#include "renderer/scene/environment_map.h"

#include "neural/core/error.h"
#include "renderer/image/image_io.h"
#include "shaders/shared/environment.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace nerva {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::string sizeText(uint32_t w, uint32_t h) {
    return std::to_string(w) + "x" + std::to_string(h);
}

void checkSize(const std::string& name, uint32_t w, uint32_t h) {
    if (w == 0 || h == 0)
        throw errorAt(name, "environment map has zero size (" + sizeText(w, h) + ")");
    if (w > shared::kEnvMaxSize || h > shared::kEnvMaxSize)
        throw errorAt(name, "environment map is " + sizeText(w, h) + ", larger than " +
                                std::to_string(shared::kEnvMaxSize) +
                                " texels on a side (not supported)");
    if (std::llabs(int64_t(w) - 2 * int64_t(h)) > 1)
        throw errorAt(name, "environment map is " + sizeText(w, h) +
                                ", not 2:1; an equirectangular map needs width = 2 x height");
}

// The first NaN, infinite or negative colour value, in scan order.
void checkTexels(const std::string& name, uint32_t w, uint32_t h, const std::vector<float>& rgb) {
    for (size_t i = 0; i < rgb.size(); ++i) {
        const float v = rgb[i];
        if (std::isfinite(v) && v >= 0.0f) continue;
        const size_t texel = i / 3;
        std::ostringstream what;
        what << "environment map texel (" << texel % w << ", " << texel / w << ") of "
             << sizeText(w, h) << " is ";
        if (std::isnan(v))
            what << "NaN";
        else if (std::isinf(v))
            what << (v > 0.0f ? "+Inf" : "-Inf");
        else
            what << "negative (" << v << ")";
        what << " in channel "
             << "RGB"[i % 3];
        throw errorAt(name, what.str());
    }
}

// The sampling tables of a validated map (see env_sampling.h).
EnvironmentMap buildTables(uint32_t w, uint32_t h, std::vector<float> rgb) {
    EnvironmentMap map;
    map.width = w;
    map.height = h;
    map.rgb = std::move(rgb);
    const size_t n = size_t(w) * h;

    std::vector<double> lum(n);
    std::vector<float> sinMean(h);
    double weighted = 0.0; // sum of luminance * solid angle
    for (uint32_t y = 0; y < h; ++y) {
        sinMean[y] = shared::envRowSinMean(y, h);
        const double texelSolidAngle = 2.0 * kPi * kPi * double(sinMean[y]) / double(n);
        for (uint32_t x = 0; x < w; ++x) {
            const size_t i = size_t(y) * w + x;
            const float* c = &map.rgb[3 * i];
            lum[i] = double(shared::luminance(glm::vec3(c[0], c[1], c[2])));
            weighted += lum[i] * texelSolidAngle;
        }
    }
    const double mean = weighted / (4.0 * kPi);
    const double floorLum = mean > 0.0 ? double(shared::kEnvFloorFraction) * mean : 1.0;

    map.func.resize(n);
    map.conditionalCdf.resize(size_t(h) * (w + 1));
    map.marginalCdf.resize(size_t(h) + 1);
    std::vector<double> rowSum(h, 0.0), cdf(size_t(w) + 1);
    for (uint32_t y = 0; y < h; ++y) {
        cdf[0] = 0.0;
        for (uint32_t x = 0; x < w; ++x) {
            const size_t i = size_t(y) * w + x;
            map.func[i] = float((lum[i] + floorLum) * double(sinMean[y]));
            cdf[x + 1] = cdf[x] + double(map.func[i]);
        }
        rowSum[y] = cdf[w];
        float* out = &map.conditionalCdf[size_t(y) * (w + 1)];
        for (uint32_t x = 0; x < w; ++x)
            out[x] = float(cdf[x] / cdf[w]);
        out[w] = 1.0f;
    }
    std::vector<double> marginal(size_t(h) + 1, 0.0);
    for (uint32_t y = 0; y < h; ++y)
        marginal[y + 1] = marginal[y] + rowSum[y];
    const double total = marginal[h];
    for (uint32_t y = 0; y < h; ++y)
        map.marginalCdf[y] = float(marginal[y] / total);
    map.marginalCdf[h] = 1.0f;
    map.integral = float(total / double(n));
    return map;
}

} // namespace

shared::EnvTables EnvironmentMap::tables(float rotation) const {
    shared::EnvTables t;
    t.radiance = rgb.data();
    t.func = func.data();
    t.marginalCdf = marginalCdf.data();
    t.conditionalCdf = conditionalCdf.data();
    t.width = width;
    t.height = height;
    t.integral = integral;
    t.rotation = rotation;
    return t;
}

shared::EnvSample EnvironmentMap::sample(glm::vec2 u, float rotation) const {
    return shared::envSampleDirection(tables(rotation), u);
}

float EnvironmentMap::pdf(glm::vec3 dir, float rotation) const {
    return shared::envPdf(tables(rotation), dir);
}

glm::vec3 EnvironmentMap::radiance(glm::vec3 dir, float rotation) const {
    return shared::envLookup(tables(rotation), dir);
}

EnvironmentMap environmentFromImage(const ImageRGBA32F& image, const std::string& name) {
    checkSize(name, image.width, image.height);
    const size_t n = size_t(image.width) * image.height;
    if (image.texels.size() != 4 * n)
        throw errorAt(name, "environment image holds " + std::to_string(image.texels.size()) +
                                " floats, expected " + std::to_string(4 * n));
    std::vector<float> rgb(3 * n);
    for (size_t i = 0; i < n; ++i)
        for (size_t c = 0; c < 3; ++c)
            rgb[3 * i + c] = image.texels[4 * i + c];
    checkTexels(name, image.width, image.height, rgb);
    return buildTables(image.width, image.height, std::move(rgb));
}

EnvironmentMap loadEnvironmentMap(const std::string& path) {
    const ImageFormat format = imageFormatOf(path);
    if (format != ImageFormat::Hdr && format != ImageFormat::Exr)
        throw errorAt(path, "an environment map must be linear radiance in .hdr or .exr");
    return environmentFromImage(readImage(path), path);
}

EnvironmentMap bakeProceduralSky(uint32_t width, uint32_t height) {
    const std::string name = "procedural sky " + sizeText(width, height);
    checkSize(name, width, height);
    std::vector<float> rgb(size_t(width) * height * 3);
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            const glm::vec2 uv((float(x) + 0.5f) / float(width), (float(y) + 0.5f) / float(height));
            const glm::vec3 c = shared::proceduralSky(shared::envUvToDir(uv));
            float* out = &rgb[3 * (size_t(y) * width + x)];
            out[0] = c.r;
            out[1] = c.g;
            out[2] = c.b;
        }
    checkTexels(name, width, height, rgb);
    return buildTables(width, height, std::move(rgb));
}

EnvironmentMap constantEnvironment(glm::vec3 rgb) {
    std::vector<float> texel = {rgb.r, rgb.g, rgb.b};
    checkTexels("constant environment", 1, 1, texel);
    return buildTables(1, 1, std::move(texel));
}

} // namespace nerva
