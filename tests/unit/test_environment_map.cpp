// HDR environment maps: the equirectangular mapping of shaders/shared/
// env_sampling.h, its importance sampling run on the CPU (pdf normalised,
// samples distributed as luminance x solid angle, sample pdf = envPdf,
// rotation), and the loader's one-line errors for bad files.
#include "neural/core/error.h"
#include "renderer/image/image_io.h"
#include "renderer/scene/environment_map.h"
#include "shaders/shared/environment.h"
#include "shaders/shared/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <vector>

// Readable vectors in failure messages (found by argument-dependent lookup).
namespace glm {
inline void PrintTo(const vec3& v, std::ostream* os) {
    *os << "(" << v.x << ", " << v.y << ", " << v.z << ")";
}
inline void PrintTo(const vec2& v, std::ostream* os) {
    *os << "(" << v.x << ", " << v.y << ")";
}
} // namespace glm

namespace fs = std::filesystem;
using glm::vec2;
using glm::vec3;
using nerva::EnvironmentMap;
using nerva::ImageRGBA32F;

namespace {

constexpr double kPi = 3.14159265358979323846;

// A map with structure: a blue-to-white sky gradient, a 2x2-texel "sun" of
// luminance ~1000, some texel noise, and a black band (covered only by the
// pdf floor) near the bottom.
ImageRGBA32F structuredImage(uint32_t w, uint32_t h, uint32_t seed) {
    ImageRGBA32F img(w, h);
    uint32_t rng = nerva::shared::rngSeed(seed, 0, 0);
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            const float t = (float(y) + 0.5f) / float(h);
            const float noise = 0.5f + nerva::shared::rngNext(rng);
            float* p = img.at(x, y);
            p[0] = (0.3f + 0.7f * t) * noise;
            p[1] = (0.4f + 0.6f * t) * noise;
            p[2] = 1.0f * noise;
            p[3] = 1.0f;
            if (y >= h * 3 / 4 && y < h * 7 / 8) p[0] = p[1] = p[2] = 0.0f;
        }
    const uint32_t sx = w * 5 / 8, sy = h * 2 / 7;
    for (uint32_t y = sy; y < sy + 2; ++y)
        for (uint32_t x = sx; x < sx + 2; ++x) {
            float* p = img.at(x, y);
            p[0] = 1100.0f;
            p[1] = 1000.0f;
            p[2] = 800.0f;
        }
    return img;
}

ImageRGBA32F uniformImage(uint32_t w, uint32_t h, vec3 c) {
    ImageRGBA32F img(w, h);
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            float* p = img.at(x, y);
            p[0] = c.r;
            p[1] = c.g;
            p[2] = c.b;
            p[3] = 1.0f;
        }
    return img;
}

// The distribution the header promises, computed here independently in
// double: texel probability proportional to (luminance + floor) * solid
// angle, floor = kEnvFloorFraction * mean luminance over the sphere.
struct Expected {
    uint32_t w = 0, h = 0;
    std::vector<double> prob;  // per texel, sums to 1
    std::vector<double> solid; // per texel solid angle

    double pdf(uint32_t x, uint32_t y) const { return prob[y * w + x] / solid[y * w + x]; }
};

Expected expectedDistribution(const EnvironmentMap& map) {
    Expected e;
    e.w = map.width;
    e.h = map.height;
    const size_t n = size_t(e.w) * e.h;
    e.prob.resize(n);
    e.solid.resize(n);
    std::vector<double> lum(n);
    double weighted = 0.0;
    for (uint32_t y = 0; y < e.h; ++y)
        for (uint32_t x = 0; x < e.w; ++x) {
            const size_t i = size_t(y) * e.w + x;
            e.solid[i] =
                2.0 * kPi / e.w * (std::cos(kPi * y / e.h) - std::cos(kPi * (y + 1) / e.h));
            const float* c = &map.rgb[3 * i];
            lum[i] = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
            weighted += lum[i] * e.solid[i];
        }
    const double mean = weighted / (4.0 * kPi);
    const double floorLum = mean > 0.0 ? double(nerva::shared::kEnvFloorFraction) * mean : 1.0;
    double total = 0.0;
    for (size_t i = 0; i < n; ++i)
        total += e.prob[i] = (lum[i] + floorLum) * e.solid[i];
    for (double& p : e.prob)
        p /= total;
    return e;
}

// Texel of a map-space direction, in double, independent of the header.
void texelOf(vec3 d, uint32_t w, uint32_t h, uint32_t& x, uint32_t& y, double& du, double& dv) {
    double u = 0.5 + std::atan2(double(d.x), -double(d.z)) / (2.0 * kPi);
    if (u >= 1.0) u -= 1.0;
    const double v = std::acos(std::clamp(double(d.y), -1.0, 1.0)) / kPi;
    x = std::min(uint32_t(u * w), w - 1);
    y = std::min(uint32_t(v * h), h - 1);
    // Distance to the nearest texel edge, in texels.
    du = std::min(u * w - x, x + 1 - u * w);
    dv = std::min(v * h - y, y + 1 - v * h);
}

vec3 rotateY(vec3 d, double angle) {
    const double c = std::cos(angle), s = std::sin(angle);
    return vec3(float(c * d.x + s * d.z), d.y, float(c * d.z - s * d.x));
}

vec3 randomDirection(uint32_t& rng) {
    const float z = 1.0f - 2.0f * nerva::shared::rngNext(rng);
    const float phi = 2.0f * float(kPi) * nerva::shared::rngNext(rng);
    const float r = std::sqrt(std::max(0.0f, 1.0f - z * z));
    return vec3(r * std::cos(phi), z, r * std::sin(phi));
}

// Upper critical value of chi-square with k degrees of freedom at the
// significance of a standard normal quantile z (Wilson-Hilferty).
double chiSquareCritical(double k, double z) {
    const double a = 2.0 / (9.0 * k);
    return k * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

// Pearson's statistic over bins, merging bins expected below 5 counts into one.
double chiSquare(const std::vector<double>& observed, const std::vector<double>& expected,
                 int& dof) {
    double stat = 0.0, smallObs = 0.0, smallExp = 0.0;
    int bins = 0;
    for (size_t i = 0; i < observed.size(); ++i) {
        if (expected[i] < 5.0) {
            smallObs += observed[i];
            smallExp += expected[i];
            continue;
        }
        stat += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
        ++bins;
    }
    if (smallExp > 0.0) {
        stat += (smallObs - smallExp) * (smallObs - smallExp) / smallExp;
        ++bins;
    }
    dof = bins - 1;
    return stat;
}

// Sum of pdf(dir) d(omega) over a stratified grid in (cos theta, phi).
double integratePdf(const EnvironmentMap& map, float rotation, int nz, int nphi) {
    uint32_t rng = nerva::shared::rngSeed(77, 0, 0);
    double sum = 0.0;
    for (int i = 0; i < nz; ++i)
        for (int j = 0; j < nphi; ++j) {
            const float z = -1.0f + 2.0f * (float(i) + nerva::shared::rngNext(rng)) / float(nz);
            const float phi =
                2.0f * float(kPi) * (float(j) + nerva::shared::rngNext(rng)) / float(nphi);
            const float r = std::sqrt(std::max(0.0f, 1.0f - z * z));
            sum += map.pdf(vec3(r * std::cos(phi), z, r * std::sin(phi)), rotation);
        }
    return sum * (2.0 / nz) * (2.0 * kPi / nphi);
}

// ---- mapping -------------------------------------------------------------------

TEST(EnvMapping, ConventionIsYUpWithMinusZAtTheCentre) {
    using nerva::shared::envDirToUv;
    using nerva::shared::envUvToDir;
    auto near = [](vec3 a, vec3 b) { return glm::length(a - b) < 1e-6f; };
    EXPECT_TRUE(near(envUvToDir(vec2(0.5f, 0.5f)), vec3(0, 0, -1)));
    EXPECT_TRUE(near(envUvToDir(vec2(0.75f, 0.5f)), vec3(1, 0, 0)));
    EXPECT_TRUE(near(envUvToDir(vec2(0.25f, 0.5f)), vec3(-1, 0, 0)));
    EXPECT_TRUE(near(envUvToDir(vec2(0.0f, 0.5f)), vec3(0, 0, 1)));
    EXPECT_TRUE(near(envUvToDir(vec2(0.3f, 0.0f)), vec3(0, 1, 0)));
    EXPECT_TRUE(near(envUvToDir(vec2(0.3f, 1.0f)), vec3(0, -1, 0)));
    const vec2 uvX = envDirToUv(vec3(1, 0, 0));
    EXPECT_NEAR(uvX.x, 0.75f, 1e-6f);
    EXPECT_NEAR(uvX.y, 0.5f, 1e-6f);
    const vec2 uvSeam = envDirToUv(vec3(0, 0, 1)); // the seam maps into [0, 1)
    EXPECT_GE(uvSeam.x, 0.0f);
    EXPECT_LT(uvSeam.x, 1.0f);
    EXPECT_NEAR(envDirToUv(vec3(0, 1, 0)).y, 0.0f, 1e-6f);
}

TEST(EnvMapping, UvAndDirectionAreInverses) {
    using nerva::shared::envDirToUv;
    using nerva::shared::envUvToDir;
    for (int i = 0; i < 200; ++i)
        for (int j = 1; j < 100; ++j) {
            const vec2 uv((float(i) + 0.37f) / 200.0f, float(j) / 100.0f);
            const vec3 d = envUvToDir(uv);
            ASSERT_NEAR(glm::length(d), 1.0f, 1e-6f);
            const vec2 back = envDirToUv(d);
            ASSERT_NEAR(back.x, uv.x, 2e-6f) << uv.x << " " << uv.y;
            ASSERT_NEAR(back.y, uv.y, 2e-6f) << uv.x << " " << uv.y;
        }
    uint32_t rng = nerva::shared::rngSeed(5, 0, 0);
    for (int i = 0; i < 20000; ++i) {
        const vec3 d = randomDirection(rng);
        const vec2 uv = envDirToUv(d);
        ASSERT_GE(uv.x, 0.0f);
        ASSERT_LT(uv.x, 1.0f);
        ASSERT_LT(glm::length(envUvToDir(uv) - d), 2e-6f) << d.x << " " << d.y << " " << d.z;
    }
}

// ---- distribution ------------------------------------------------------------------

TEST(EnvSampling, PdfIntegratesToOneOverTheSphere) {
    const EnvironmentMap structured =
        nerva::environmentFromImage(structuredImage(64, 32, 3), "structured");
    EXPECT_NEAR(integratePdf(structured, 0.0f, 4096, 1024), 1.0, 3e-3);
    EXPECT_NEAR(integratePdf(structured, 2.1f, 4096, 1024), 1.0, 3e-3);
    const EnvironmentMap constant = nerva::constantEnvironment(vec3(0.5f, 1.0f, 2.0f));
    EXPECT_NEAR(integratePdf(constant, 0.0f, 256, 256), 1.0, 1e-5);
    const EnvironmentMap sky = nerva::bakeProceduralSky(128, 64);
    EXPECT_NEAR(integratePdf(sky, 0.0f, 2048, 512), 1.0, 2e-3);
}

TEST(EnvSampling, PdfIsLuminanceTimesSolidAngleWithAFloor) {
    const EnvironmentMap map = nerva::environmentFromImage(structuredImage(64, 32, 4), "m");
    const Expected e = expectedDistribution(map);
    uint32_t rng = nerva::shared::rngSeed(6, 0, 0);
    int checked = 0;
    for (int i = 0; i < 20000; ++i) {
        const vec3 d = randomDirection(rng);
        uint32_t x, y;
        double du, dv;
        texelOf(d, map.width, map.height, x, y, du, dv);
        if (du < 1e-3 || dv < 1e-3) continue; // too close to a texel edge to tell
        const double expected = e.pdf(x, y);
        ASSERT_NEAR(map.pdf(d), expected, 2e-5 * expected) << x << "," << y;
        ++checked;
    }
    EXPECT_GT(checked, 19000);
    // The black band still has pdf > 0, and no more than the floor allows.
    const vec3 black = nerva::shared::envUvToDir(vec2(0.3f, 0.8f));
    EXPECT_EQ(map.radiance(black), vec3(0.0f));
    EXPECT_GT(map.pdf(black), 0.0f);
    EXPECT_LT(map.pdf(black), 1e-2f * map.pdf(nerva::shared::envUvToDir(vec2(0.3f, 0.5f))));
}

TEST(EnvSampling, SampledPdfAndRadianceMatchTheLookups) {
    const EnvironmentMap map = nerva::environmentFromImage(structuredImage(64, 32, 5), "m");
    const int n = 128;
    int edge = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const vec2 u((float(i) + 0.5f) / n, (float(j) + 0.5f) / n);
            const nerva::shared::EnvSample s = map.sample(u);
            ASSERT_NEAR(glm::length(s.dir), 1.0f, 1e-5f);
            ASSERT_GT(s.pdf, 0.0f);
            ASSERT_LT(glm::length(nerva::shared::envUvToDir(s.uv) - s.dir), 1e-5f);
            uint32_t x, y;
            double du, dv;
            texelOf(s.dir, map.width, map.height, x, y, du, dv);
            if (du < 1e-4 || dv < 1e-4) { // may round into the neighbour
                ++edge;
                continue;
            }
            ASSERT_NEAR(map.pdf(s.dir), s.pdf, 1e-6f * s.pdf) << u.x << " " << u.y;
            ASSERT_EQ(map.radiance(s.dir), s.radiance) << u.x << " " << u.y;
        }
    EXPECT_LT(edge, n * n / 100);
}

TEST(EnvSampling, SamplesLandInTexelsInProportionToLuminanceTimesSolidAngle) {
    const EnvironmentMap map = nerva::environmentFromImage(structuredImage(32, 16, 7), "m");
    const Expected e = expectedDistribution(map);
    const int n = 200000;
    std::vector<double> observed(e.prob.size(), 0.0), expected(e.prob.size());
    uint32_t rng = nerva::shared::rngSeed(8, 0, 0);
    for (int i = 0; i < n; ++i) {
        const vec2 u(nerva::shared::rngNext(rng), nerva::shared::rngNext(rng));
        const vec3 d = map.sample(u).dir;
        uint32_t x, y;
        double du, dv;
        texelOf(d, map.width, map.height, x, y, du, dv);
        observed[y * map.width + x] += 1.0;
    }
    for (size_t i = 0; i < expected.size(); ++i)
        expected[i] = e.prob[i] * n;
    int dof = 0;
    const double stat = chiSquare(observed, expected, dof);
    ASSERT_GT(dof, 100);
    EXPECT_LT(stat, chiSquareCritical(dof, 3.719)) << "dof " << dof; // significance 1e-4
    // The sun's four texels take their share, most of the samples here.
    const uint32_t sx = 32 * 5 / 8, sy = 16 * 2 / 7;
    double sunObserved = 0.0, sunExpected = 0.0;
    for (uint32_t y = sy; y < sy + 2; ++y)
        for (uint32_t x = sx; x < sx + 2; ++x) {
            sunObserved += observed[y * 32 + x];
            sunExpected += expected[y * 32 + x];
        }
    EXPECT_GT(sunExpected, 0.2 * n);
    EXPECT_NEAR(sunObserved, sunExpected, 5.0 * std::sqrt(sunExpected));
}

// A map of one colour, at several sizes (1x1, even and odd row counts), is
// sampled uniformly on the sphere: pdf 1 / (4 pi), cos(theta) and phi uniform.
TEST(EnvSampling, UniformMapsSampleTheSphereUniformly) {
    const EnvironmentMap maps[] = {
        nerva::constantEnvironment(vec3(0.2f, 0.3f, 0.4f)),
        nerva::environmentFromImage(uniformImage(8, 4, vec3(3.0f)), "8x4"),
        nerva::environmentFromImage(uniformImage(7, 3, vec3(1.0f, 0.0f, 0.0f)), "7x3"),
        nerva::environmentFromImage(uniformImage(8, 4, vec3(0.0f)), "black"),
    };
    for (const EnvironmentMap& map : maps) {
        SCOPED_TRACE(std::to_string(map.width) + "x" + std::to_string(map.height));
        const int n = 40000, bins = 20;
        std::vector<double> zBins(bins, 0.0), phiBins(bins, 0.0), expected(bins, n / bins);
        uint32_t rng = nerva::shared::rngSeed(9, map.width, 0);
        for (int i = 0; i < n; ++i) {
            const vec2 u(nerva::shared::rngNext(rng), nerva::shared::rngNext(rng));
            const nerva::shared::EnvSample s = map.sample(u, 0.4f);
            ASSERT_NEAR(s.pdf, 1.0 / (4.0 * kPi), 1e-6);
            const double phi = std::atan2(double(s.dir.x), double(s.dir.z)) + kPi;
            zBins[std::min(int((s.dir.y + 1.0f) * 0.5f * bins), bins - 1)] += 1.0;
            phiBins[std::min(int(phi / (2.0 * kPi) * bins), bins - 1)] += 1.0;
        }
        int dof = 0;
        const double critical = chiSquareCritical(bins - 1, 3.719);
        EXPECT_LT(chiSquare(zBins, expected, dof), critical);
        EXPECT_LT(chiSquare(phiBins, expected, dof), critical);
    }
    const EnvironmentMap constant = nerva::constantEnvironment(vec3(0.2f, 0.3f, 0.4f));
    EXPECT_EQ(constant.radiance(vec3(0.0f, -1.0f, 0.0f)), vec3(0.2f, 0.3f, 0.4f));
    EXPECT_NEAR(constant.pdf(glm::normalize(vec3(1.0f, 2.0f, 3.0f))), 1.0 / (4.0 * kPi), 1e-7);
}

TEST(EnvSampling, RotationTurnsSamplesLookupsAndPdfAboutY) {
    const EnvironmentMap map = nerva::environmentFromImage(structuredImage(64, 32, 10), "m");
    const float angle = 1.3f;
    uint32_t rng = nerva::shared::rngSeed(11, 0, 0);
    for (int i = 0; i < 5000; ++i) {
        const vec2 u(nerva::shared::rngNext(rng), nerva::shared::rngNext(rng));
        const nerva::shared::EnvSample a = map.sample(u, 0.0f);
        const nerva::shared::EnvSample b = map.sample(u, angle);
        ASSERT_LT(glm::length(b.dir - rotateY(a.dir, angle)), 1e-5f);
        ASSERT_EQ(a.pdf, b.pdf);
        ASSERT_EQ(a.uv, b.uv);
        ASSERT_EQ(a.radiance, b.radiance);
        // Lookups: the rotated map seen along R d is the plain map along d.
        const vec3 d = randomDirection(rng);
        uint32_t x, y;
        double du, dv;
        texelOf(d, map.width, map.height, x, y, du, dv);
        if (du < 1e-4 || dv < 1e-4) continue;
        ASSERT_EQ(map.radiance(rotateY(d, angle), angle), map.radiance(d));
        ASSERT_EQ(map.pdf(rotateY(d, angle), angle), map.pdf(d));
    }
    // A quarter turn moves the map's -Z centre to -X (right-handed about +Y).
    const vec3 centre = nerva::shared::envRotateY(vec3(0, 0, -1), float(kPi / 2));
    EXPECT_LT(glm::length(centre - vec3(-1, 0, 0)), 1e-6f);
}

TEST(EnvSampling, ProceduralSkyBakesTheSharedSkyAtTexelCentres) {
    const EnvironmentMap sky = nerva::bakeProceduralSky(64, 32);
    ASSERT_EQ(sky.width, 64u);
    ASSERT_EQ(sky.height, 32u);
    for (uint32_t y = 0; y < 32; ++y)
        for (uint32_t x = 0; x < 64; x += 7) {
            const vec3 d = nerva::shared::envUvToDir(vec2((x + 0.5f) / 64.0f, (y + 0.5f) / 32.0f));
            ASSERT_EQ(sky.radiance(d), nerva::shared::proceduralSky(d)) << x << "," << y;
        }
    EXPECT_THROW(nerva::bakeProceduralSky(64, 64), nerva::Error);
}

TEST(EnvSampling, TablesAreWellFormed) {
    const EnvironmentMap map = nerva::environmentFromImage(structuredImage(33, 16, 12), "m");
    ASSERT_EQ(map.rgb.size(), 3u * 33 * 16);
    ASSERT_EQ(map.func.size(), 33u * 16);
    ASSERT_EQ(map.marginalCdf.size(), 17u);
    ASSERT_EQ(map.conditionalCdf.size(), 16u * 34);
    EXPECT_EQ(map.marginalCdf.front(), 0.0f);
    EXPECT_EQ(map.marginalCdf.back(), 1.0f);
    for (size_t i = 1; i < map.marginalCdf.size(); ++i)
        EXPECT_LE(map.marginalCdf[i - 1], map.marginalCdf[i]);
    for (uint32_t y = 0; y < 16; ++y) {
        const float* c = &map.conditionalCdf[y * 34];
        EXPECT_EQ(c[0], 0.0f);
        EXPECT_EQ(c[33], 1.0f);
        for (int x = 1; x <= 33; ++x)
            EXPECT_LT(c[x - 1], c[x]); // the floor keeps every texel reachable
    }
    double mean = 0.0;
    for (float f : map.func)
        mean += f;
    EXPECT_NEAR(map.integral, mean / map.func.size(), 1e-6 * map.integral);
}

// ---- the shipped asset -------------------------------------------------------------

TEST(EnvAsset, SunsetLoadsAndItsSunDrawsManySamples) {
    const EnvironmentMap map =
        nerva::loadEnvironmentMap(NERVA_SOURCE_DIR_FOR_TESTS "/assets/env/sunset.hdr");
    ASSERT_EQ(map.width, 512u);
    ASSERT_EQ(map.height, 256u);
    size_t brightest = 0;
    double lum = 0.0;
    for (size_t i = 0; i < map.func.size(); ++i) {
        const float* c = &map.rgb[3 * i];
        const double l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        if (l > lum) {
            lum = l;
            brightest = i;
        }
    }
    // A sun of ~1000 well above the horizon.
    EXPECT_GT(lum, 500.0);
    const vec3 sun = nerva::shared::envUvToDir(
        vec2((float(brightest % 512) + 0.5f) / 512.0f, (float(brightest / 512) + 0.5f) / 256.0f));
    EXPECT_GT(sun.y, std::sin(10.0 * kPi / 180.0));
    // A cone of 2 degrees around it, 0.03% of the sphere, draws over a tenth of the samples.
    const float cosCone = float(std::cos(2.0 * kPi / 180.0));
    uint32_t rng = nerva::shared::rngSeed(15, 0, 0);
    int inCone = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        const vec2 u(nerva::shared::rngNext(rng), nerva::shared::rngNext(rng));
        inCone += glm::dot(map.sample(u).dir, sun) > cosCone ? 1 : 0;
    }
    EXPECT_GT(inCone, n / 10);
}

// ---- bad input ---------------------------------------------------------------------

class EnvFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("nerva-envmap-" + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    // The message of the nerva::Error that loading `file` throws ("" if none).
    static std::string loadError(const std::string& file) {
        try {
            nerva::loadEnvironmentMap(file);
        } catch (const nerva::Error& e) {
            return e.what();
        }
        return "";
    }
    fs::path dir_;
};

#define EXPECT_ERROR_NAMES(message, file, problem)                                                 \
    do {                                                                                           \
        const std::string m_ = (message);                                                          \
        EXPECT_NE(m_.find(file), std::string::npos) << m_;                                         \
        EXPECT_NE(m_.find(problem), std::string::npos) << m_;                                      \
        EXPECT_EQ(m_.find('\n'), std::string::npos) << m_;                                         \
    } while (0)

TEST_F(EnvFileTest, GoodFilesLoad) {
    const ImageRGBA32F img = structuredImage(32, 16, 13);
    nerva::writeImage(path("ok.exr"), img);
    const EnvironmentMap exr = nerva::loadEnvironmentMap(path("ok.exr"));
    EXPECT_EQ(exr.width, 32u);
    EXPECT_EQ(exr.rgb[3 * (5 * 32 + 7) + 1], img.at(7, 5)[1]);
    nerva::writeImage(path("ok.hdr"), img);
    const EnvironmentMap hdr = nerva::loadEnvironmentMap(path("ok.hdr"));
    EXPECT_NEAR(hdr.rgb[3 * (5 * 32 + 7) + 1], img.at(7, 5)[1], 0.01f * img.at(7, 5)[1]);
    nerva::writeImage(path("rounded.exr"), uniformImage(33, 16, vec3(1.0f))); // 2:1 +- 1
    EXPECT_EQ(nerva::loadEnvironmentMap(path("rounded.exr")).width, 33u);
}

TEST_F(EnvFileTest, NotTwoToOneIsRejected) {
    nerva::writeImage(path("square.hdr"), uniformImage(3, 3, vec3(1.0f)));
    EXPECT_ERROR_NAMES(loadError(path("square.hdr")), "square.hdr", "not 2:1");
    EXPECT_ERROR_NAMES(loadError(path("square.hdr")), "square.hdr", "3x3");
}

TEST_F(EnvFileTest, TruncatedOrGarbageHdrIsRejected) {
    nerva::writeImage(path("full.hdr"), structuredImage(64, 32, 14));
    const std::vector<uint8_t> bytes = nerva::readFileBytes(path("full.hdr"));
    std::ofstream(path("cut.hdr"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size() / 2));
    EXPECT_ERROR_NAMES(loadError(path("cut.hdr")), "cut.hdr", "truncated");
    std::ofstream(path("garbage.hdr"), std::ios::binary) << "GIF89a\x01\x02\x03\nnot an image";
    EXPECT_ERROR_NAMES(loadError(path("garbage.hdr")), "garbage.hdr", "not a Radiance HDR");
    std::ofstream(path("header.hdr"), std::ios::binary)
        << "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y sixteen +X 32\n";
    EXPECT_ERROR_NAMES(loadError(path("header.hdr")), "header.hdr", "resolution");
    EXPECT_NE(loadError(path("missing.hdr")).find("missing.hdr"), std::string::npos);
}

TEST_F(EnvFileTest, BadTexelsAreNamedByCoordinate) {
    struct Case {
        const char* file;
        float value;
        const char* problem;
    };
    const Case cases[] = {
        {"nan.exr", std::numeric_limits<float>::quiet_NaN(), "NaN"},
        {"inf.exr", std::numeric_limits<float>::infinity(), "Inf"},
        {"negative.exr", -0.25f, "negative"},
    };
    for (const Case& c : cases) {
        ImageRGBA32F img = uniformImage(16, 8, vec3(1.0f));
        img.at(5, 2)[1] = c.value;
        img.at(9, 6)[0] = c.value; // later in scan order: not the one reported
        nerva::writeImage(path(c.file), img);
        const std::string message = loadError(path(c.file));
        EXPECT_ERROR_NAMES(message, c.file, c.problem);
        EXPECT_ERROR_NAMES(message, c.file, "texel (5, 2)");
        EXPECT_ERROR_NAMES(message, c.file, "channel G");
    }
    EXPECT_THROW(nerva::constantEnvironment(vec3(1.0f, -1.0f, 0.0f)), nerva::Error);
}

TEST_F(EnvFileTest, OtherFormatsAndSizesAreRejected) {
    nerva::writeImage(path("sky.png"), uniformImage(16, 8, vec3(0.5f)));
    EXPECT_ERROR_NAMES(loadError(path("sky.png")), "sky.png", ".hdr or .exr");
    // Above the size limit (checked before the aspect ratio and the texels).
    const ImageRGBA32F wide(nerva::shared::kEnvMaxSize + 2, 1);
    try {
        nerva::environmentFromImage(wide, "wide.exr");
        FAIL() << "expected an error";
    } catch (const nerva::Error& e) {
        EXPECT_ERROR_NAMES(std::string(e.what()), "wide.exr", "larger than 16384");
    }
    try {
        nerva::environmentFromImage(ImageRGBA32F(), "empty.exr");
        FAIL() << "expected an error";
    } catch (const nerva::Error& e) {
        EXPECT_ERROR_NAMES(std::string(e.what()), "empty.exr", "zero size");
    }
}

} // namespace

namespace {

TEST(EnvLookup, BilinearMatchesTexelCentresAndBlendsBetweenThem) {
    nerva::ImageRGBA32F img(8, 4);
    for (uint32_t y = 0; y < 4; ++y)
        for (uint32_t x = 0; x < 8; ++x) {
            float* t = img.at(x, y);
            t[0] = float(x), t[1] = float(y), t[2] = 1.0f, t[3] = 1.0f;
        }
    const EnvironmentMap map = nerva::environmentFromImage(img, "ramp");
    const nerva::shared::EnvTables t = map.tables(0.0f);
    auto dirAt = [](float u, float v) { return nerva::shared::envUvToDir(glm::vec2(u, v)); };
    // At a texel centre: that texel.
    const glm::vec3 c = nerva::shared::envLookupBilinear(t, dirAt(2.5f / 8.0f, 1.5f / 4.0f));
    EXPECT_NEAR(c.x, 2.0f, 1e-3f);
    EXPECT_NEAR(c.y, 1.0f, 1e-3f);
    // Half-way between columns 2 and 3, rows 1 and 2: the average.
    const glm::vec3 m = nerva::shared::envLookupBilinear(t, dirAt(3.0f / 8.0f, 2.0f / 4.0f));
    EXPECT_NEAR(m.x, 2.5f, 1e-3f);
    EXPECT_NEAR(m.y, 1.5f, 1e-3f);
    // Across the u seam it wraps: between the last and the first column.
    const glm::vec3 w = nerva::shared::envLookupBilinear(t, dirAt(0.0f + 1e-6f, 1.5f / 4.0f));
    EXPECT_NEAR(w.x, 3.5f, 1e-2f); // (7 + 0) / 2
}

} // namespace
