#include "renderer/image/flip.h"

#include "neural/core/error.h"
#include "renderer/image/colormap.h"
#include "renderer/image/image_io.h"
#include "renderer/image/metrics.h"
#include "renderer/image/tonemap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numbers>
#include <thread>

namespace nerva {

namespace {

using Plane = std::vector<float>;
using Mat3 = std::array<std::array<double, 3>, 3>;

// ---- colour spaces -----------------------------------------------------------

Mat3 inverse(const Mat3& m) {
    const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                       m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    Mat3 r{};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            // cofactor of m[j][i] (transposed), from the cyclic minors
            const int a = (j + 1) % 3, b = (j + 2) % 3, c = (i + 1) % 3, d = (i + 2) % 3;
            r[size_t(i)][size_t(j)] = (m[size_t(a)][size_t(c)] * m[size_t(b)][size_t(d)] -
                                       m[size_t(a)][size_t(d)] * m[size_t(b)][size_t(c)]) /
                                      det;
        }
    return r;
}

// Linear sRGB -> CIE XYZ, derived from the sRGB primaries and the D65 white:
// each column is a primary's XYZ scaled so that RGB (1, 1, 1) maps to white.
Mat3 makeRgbToXyz() {
    const double primaries[3][2] = {{0.64, 0.33}, {0.30, 0.60}, {0.15, 0.06}};
    const double white[2] = {0.3127, 0.3290};
    auto xyzOf = [](double x, double y) {
        return std::array<double, 3>{x / y, 1.0, (1 - x - y) / y};
    };
    Mat3 unscaled{};
    for (size_t j = 0; j < 3; ++j) {
        const auto p = xyzOf(primaries[j][0], primaries[j][1]);
        for (size_t i = 0; i < 3; ++i)
            unscaled[i][j] = p[i];
    }
    const Mat3 inv = inverse(unscaled);
    const auto w = xyzOf(white[0], white[1]);
    Mat3 m{};
    for (size_t j = 0; j < 3; ++j) {
        const double scale = inv[j][0] * w[0] + inv[j][1] * w[1] + inv[j][2] * w[2];
        for (size_t i = 0; i < 3; ++i)
            m[i][j] = unscaled[i][j] * scale;
    }
    return m;
}

struct ColorSpaces {
    Mat3 rgbToXyz = makeRgbToXyz();
    Mat3 xyzToRgb = inverse(rgbToXyz);
    // XYZ of linear RGB white: the reference white of YCxCz and CIELab.
    std::array<double, 3> white{rgbToXyz[0][0] + rgbToXyz[0][1] + rgbToXyz[0][2],
                                rgbToXyz[1][0] + rgbToXyz[1][1] + rgbToXyz[1][2],
                                rgbToXyz[2][0] + rgbToXyz[2][1] + rgbToXyz[2][2]};
};

const ColorSpaces& spaces() {
    static const ColorSpaces s;
    return s;
}

std::array<float, 3> mul(const Mat3& m, float a, float b, float c) {
    return {float(m[0][0] * a + m[0][1] * b + m[0][2] * c),
            float(m[1][0] * a + m[1][1] * b + m[1][2] * c),
            float(m[2][0] * a + m[2][1] * b + m[2][2] * c)};
}

// CIELab's companding of a white-normalized XYZ component.
float labF(float t) {
    constexpr float delta = 6.0f / 29.0f;
    if (t > delta * delta * delta) return std::cbrt(t);
    return t / (3.0f * delta * delta) + 4.0f / 29.0f;
}

// Linear RGB -> CIELab with the Hunt adjustment (a, b scaled by L/100).
std::array<float, 3> huntLab(float r, float g, float b) {
    const ColorSpaces& s = spaces();
    const auto xyz = mul(s.rgbToXyz, r, g, b);
    const float fx = labF(float(xyz[0] / s.white[0]));
    const float fy = labF(float(xyz[1] / s.white[1]));
    const float fz = labF(float(xyz[2] / s.white[2]));
    const float L = 116.0f * fy - 16.0f;
    return {L, 0.01f * L * 500.0f * (fx - fy), 0.01f * L * 200.0f * (fy - fz)};
}

float hyab(const std::array<float, 3>& p, const std::array<float, 3>& q) {
    return std::abs(p[0] - q[0]) + std::hypot(p[1] - q[1], p[2] - q[2]);
}

// ---- filtering -----------------------------------------------------------------

// Runs body(y0, y1) over row ranges, on several threads for large images.
// Each row is computed the same way whatever the split, so results do not
// depend on the thread count.
void forRows(uint32_t height, uint32_t width, const std::function<void(uint32_t, uint32_t)>& body) {
    const uint32_t hw = std::max(1u, std::thread::hardware_concurrency());
    const uint32_t byWork = uint32_t(uint64_t(width) * height / 65536);
    const uint32_t threads = std::clamp(std::min(hw, byWork), 1u, std::max(1u, height));
    if (threads == 1) return body(0, height);
    std::vector<std::thread> pool;
    for (uint32_t t = 0; t < threads; ++t)
        pool.emplace_back(body, uint32_t(uint64_t(height) * t / threads),
                          uint32_t(uint64_t(height) * (t + 1) / threads));
    for (std::thread& th : pool)
        th.join();
}

// Correlates each row with kernel k (odd size, centred), clamping to the edge.
Plane filterRows(const Plane& src, uint32_t w, uint32_t h, const std::vector<float>& k) {
    Plane dst(src.size());
    const int r = int(k.size() / 2);
    forRows(h, w, [&](uint32_t y0, uint32_t y1) {
        std::vector<float> padded(w + 2 * size_t(r));
        for (uint32_t y = y0; y < y1; ++y) {
            const float* row = &src[size_t(y) * w];
            for (int i = 0; i < int(padded.size()); ++i)
                padded[size_t(i)] = row[std::clamp(i - r, 0, int(w) - 1)];
            // Taps outermost so the inner loop runs over x and vectorizes; each
            // output still sums its taps in order.
            float* out = &dst[size_t(y) * w];
            std::fill(out, out + w, 0.0f);
            for (size_t j = 0; j < k.size(); ++j) {
                const float weight = k[j];
                const float* in = &padded[j];
                for (uint32_t x = 0; x < w; ++x)
                    out[x] += weight * in[x];
            }
        }
    });
    return dst;
}

// Correlates each column with kernel k, clamping to the edge.
Plane filterColumns(const Plane& src, uint32_t w, uint32_t h, const std::vector<float>& k) {
    Plane dst(src.size(), 0.0f);
    const int r = int(k.size() / 2);
    forRows(h, w, [&](uint32_t y0, uint32_t y1) {
        for (uint32_t y = y0; y < y1; ++y) {
            float* out = &dst[size_t(y) * w];
            for (size_t j = 0; j < k.size(); ++j) {
                const int sy = std::clamp(int(y) + int(j) - r, 0, int(h) - 1);
                const float* row = &src[size_t(sy) * w];
                const float weight = k[j];
                for (uint32_t x = 0; x < w; ++x)
                    out[x] += weight * row[x];
            }
        }
    });
    return dst;
}

Plane filterSeparable(const Plane& src, uint32_t w, uint32_t h, const std::vector<float>& kx,
                      const std::vector<float>& ky) {
    return filterColumns(filterRows(src, w, h, kx), w, h, ky);
}

// One Gaussian term a·sqrt(π/b)·exp(−π²·d²/b) of a contrast sensitivity
// function (d in degrees): a normalized 1D kernel and the term's share of
// the 2D kernel's total weight.
struct CsfTerm {
    std::vector<float> kernel;
    float share = 0.0f;
};

// The spatial filter of one opponent channel: sum over terms of
// share · (kernel ⊗ kernel). All channels use the radius of the widest
// Gaussian, 3·sqrt(b_max / (2π²)) degrees.
std::vector<CsfTerm> csfFilter(float ppd, double a1, double b1, double a2, double b2) {
    constexpr double pi = std::numbers::pi;
    const double bMax = 0.04;
    const int radius = int(std::ceil(3.0 * std::sqrt(bMax / (2.0 * pi * pi)) * ppd));
    const double dx = 1.0 / ppd;
    std::vector<CsfTerm> terms;
    std::vector<double> mass; // each term's 2D sum: a·sqrt(π/b)·(Σ_x g(x))²
    for (const auto& [a, b] : {std::pair{a1, b1}, std::pair{a2, b2}}) {
        if (a == 0.0) continue;
        CsfTerm term;
        double sum = 0.0;
        for (int x = -radius; x <= radius; ++x) {
            const double g = std::exp(-pi * pi * (x * dx) * (x * dx) / b);
            term.kernel.push_back(float(g));
            sum += g;
        }
        for (float& v : term.kernel)
            v = float(v / sum);
        mass.push_back(a * std::sqrt(pi / b) * sum * sum);
        terms.push_back(std::move(term));
    }
    double total = 0.0;
    for (double m : mass)
        total += m;
    for (size_t i = 0; i < terms.size(); ++i)
        terms[i].share = float(mass[i] / total);
    return terms;
}

Plane applyCsf(const Plane& src, uint32_t w, uint32_t h, const std::vector<CsfTerm>& terms) {
    Plane out(src.size(), 0.0f);
    for (const CsfTerm& term : terms) {
        const Plane part = filterSeparable(src, w, h, term.kernel, term.kernel);
        for (size_t i = 0; i < out.size(); ++i)
            out[i] += term.share * part[i];
    }
    return out;
}

// Feature detection kernels (1D factors): the Gaussian g, its first
// derivative (edges) and second derivative (points). g sums to 1; each
// derivative has its positive weights scaled to sum to 1 and its negative
// weights to −1, as the 2D detectors are normalized in the paper.
struct FeatureKernels {
    std::vector<float> gauss, edge, point;
};

FeatureKernels featureKernels(float ppd) {
    constexpr double peakToTroughDegrees = 0.082;
    const double sd = 0.5 * peakToTroughDegrees * ppd;
    const int radius = int(std::ceil(3.0 * sd));
    std::vector<double> g, d1, d2;
    for (int x = -radius; x <= radius; ++x) {
        const double gx = std::exp(-double(x) * x / (2.0 * sd * sd));
        g.push_back(gx);
        d1.push_back(-x * gx);
        d2.push_back((double(x) * x / (sd * sd) - 1.0) * gx);
    }
    auto normalized = [](const std::vector<double>& v, bool split) {
        double pos = 0.0, neg = 0.0;
        for (double e : v)
            (e > 0 ? pos : neg) += e;
        std::vector<float> out;
        for (double e : v)
            out.push_back(float(split ? (e > 0 ? e / pos : (e < 0 ? e / -neg : 0.0)) : e / pos));
        return out;
    };
    return {normalized(g, false), normalized(d1, true), normalized(d2, true)};
}

// What FLIP compares per pixel, for one image.
struct Perceived {
    Plane L, a, b;     // Hunt-adjusted CIELab of the CSF-filtered image
    Plane edge, point; // feature detector magnitudes
};

Perceived perceive(const ImageRGBA32F& img, const std::vector<CsfTerm> csf[3],
                   const FeatureKernels& fk) {
    const ColorSpaces& s = spaces();
    const uint32_t w = img.width, h = img.height;
    const size_t n = size_t(w) * h;
    // sRGB -> linear -> YCxCz (opponent space relative to white).
    Plane opp[3] = {Plane(n), Plane(n), Plane(n)};
    Plane luminance(n); // normalized luminance for the feature detectors
    for (size_t i = 0; i < n; ++i) {
        const float* p = &img.texels[i * 4];
        const auto xyz =
            mul(s.rgbToXyz, srgbToLinear(p[0]), srgbToLinear(p[1]), srgbToLinear(p[2]));
        const float x = float(xyz[0] / s.white[0]), y = float(xyz[1] / s.white[1]),
                    z = float(xyz[2] / s.white[2]);
        opp[0][i] = 116.0f * y - 16.0f;
        opp[1][i] = 500.0f * (x - y);
        opp[2][i] = 200.0f * (y - z);
        luminance[i] = (opp[0][i] + 16.0f) / 116.0f;
    }
    Perceived out;
    {
        const Plane fy = applyCsf(opp[0], w, h, csf[0]);
        const Plane fx = applyCsf(opp[1], w, h, csf[1]);
        const Plane fz = applyCsf(opp[2], w, h, csf[2]);
        out.L.resize(n), out.a.resize(n), out.b.resize(n);
        for (size_t i = 0; i < n; ++i) {
            // YCxCz -> XYZ -> linear RGB, clamped to the RGB cube, -> Hunt Lab.
            const float y = (fy[i] + 16.0f) / 116.0f;
            const float x = y + fx[i] / 500.0f, z = y - fz[i] / 200.0f;
            const auto rgb = mul(s.xyzToRgb, float(x * s.white[0]), float(y * s.white[1]),
                                 float(z * s.white[2]));
            const auto lab = huntLab(std::clamp(rgb[0], 0.0f, 1.0f), std::clamp(rgb[1], 0.0f, 1.0f),
                                     std::clamp(rgb[2], 0.0f, 1.0f));
            out.L[i] = lab[0], out.a[i] = lab[1], out.b[i] = lab[2];
        }
    }
    {
        const Plane rowsG = filterRows(luminance, w, h, fk.gauss);
        const Plane rowsE = filterRows(luminance, w, h, fk.edge);
        const Plane rowsP = filterRows(luminance, w, h, fk.point);
        const Plane edgeX = filterColumns(rowsE, w, h, fk.gauss);
        const Plane edgeY = filterColumns(rowsG, w, h, fk.edge);
        const Plane pointX = filterColumns(rowsP, w, h, fk.gauss);
        const Plane pointY = filterColumns(rowsG, w, h, fk.point);
        out.edge.resize(n), out.point.resize(n);
        for (size_t i = 0; i < n; ++i) {
            out.edge[i] = std::hypot(edgeX[i], edgeY[i]);
            out.point[i] = std::hypot(pointX[i], pointY[i]);
        }
    }
    return out;
}

} // namespace

FlipResult computeFlip(const ImageRGBA32F& reference, const ImageRGBA32F& test,
                       float pixelsPerDegree) {
    requireSameSize(reference, test, "FLIP");
    if (!(pixelsPerDegree > 0.0f) || !std::isfinite(pixelsPerDegree))
        throw errorAt("FLIP", "pixels per degree must be a positive number, got " +
                                  std::to_string(pixelsPerDegree));
    constexpr float qc = 0.7f, pc = 0.4f, pt = 0.95f, qf = 0.5f;

    // Contrast sensitivity filters (a1, b1, a2, b2) for achromatic,
    // red-green and blue-yellow.
    const std::vector<CsfTerm> csf[3] = {csfFilter(pixelsPerDegree, 1.0, 0.0047, 0.0, 1e-5),
                                         csfFilter(pixelsPerDegree, 1.0, 0.0053, 0.0, 1e-5),
                                         csfFilter(pixelsPerDegree, 34.1, 0.04, 13.5, 0.025)};
    const FeatureKernels fk = featureKernels(pixelsPerDegree);
    const Perceived ref = perceive(reference, csf, fk);
    const Perceived tst = perceive(test, csf, fk);

    // The largest colour difference: Hunt-adjusted green vs blue.
    const float cmax = std::pow(hyab(huntLab(0, 1, 0), huntLab(0, 0, 1)), qc);
    const float pccmax = pc * cmax;

    FlipResult result;
    result.width = reference.width;
    result.height = reference.height;
    result.errorMap.resize(ref.L.size());
    double sum = 0.0;
    for (size_t i = 0; i < ref.L.size(); ++i) {
        const float dc =
            std::pow(hyab({ref.L[i], ref.a[i], ref.b[i]}, {tst.L[i], tst.a[i], tst.b[i]}), qc);
        // Redistribute: [0, pc·cmax) -> [0, pt), [pc·cmax, cmax] -> [pt, 1].
        const float colour =
            dc < pccmax ? (pt / pccmax) * dc : pt + (dc - pccmax) / (cmax - pccmax) * (1.0f - pt);
        const float df =
            std::max(std::abs(ref.edge[i] - tst.edge[i]), std::abs(ref.point[i] - tst.point[i]));
        const float feature = std::pow(df / std::numbers::sqrt2_v<float>, qf);
        const float e = std::pow(colour, 1.0f - feature);
        result.errorMap[i] = e;
        sum += e;
    }
    result.mean = float(sum / double(result.errorMap.size()));
    return result;
}

ImageRGBA32F flipErrorImage(const FlipResult& result) {
    return colorize(result.errorMap, result.width, result.height, 0.0f, 1.0f);
}

void writeFlipErrorMap(const std::string& path, const FlipResult& result) {
    writeDisplayImage(path, flipErrorImage(result));
}

} // namespace nerva
