#include "renderer/image/metrics.h"

#include "neural/core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace nerva {

namespace {

std::string sizeText(const ImageRGBA32F& img) {
    return std::to_string(img.width) + "x" + std::to_string(img.height);
}

size_t pixelCount(const ImageRGBA32F& img) {
    return size_t(img.width) * img.height;
}

// |x - y| where NaN matches only NaN and equal infinities match: a NaN or inf
// appearing in one image only is an infinite difference, never a silent 0.
double absDiff(double x, double y) {
    if (std::isnan(x) || std::isnan(y))
        return std::isnan(x) && std::isnan(y) ? 0.0 : std::numeric_limits<double>::infinity();
    if (x == y) return 0.0;
    return std::abs(x - y);
}

} // namespace

void requireSameSize(const ImageRGBA32F& a, const ImageRGBA32F& b, const char* what) {
    if (a.width != b.width || a.height != b.height)
        throw errorAt(what, "image sizes differ (" + sizeText(a) + " vs " + sizeText(b) + ")");
    if (a.texels.size() != pixelCount(a) * 4 || b.texels.size() != pixelCount(b) * 4)
        throw errorAt(what, "texel count does not match the image size " + sizeText(a));
    if (pixelCount(a) == 0) throw errorAt(what, "images are empty (" + sizeText(a) + ")");
}

double rmse(const ImageRGBA32F& a, const ImageRGBA32F& b) {
    requireSameSize(a, b, "rmse");
    double sum = 0.0;
    for (size_t i = 0; i < pixelCount(a); ++i)
        for (size_t c = 0; c < 3; ++c) {
            const double d = absDiff(a.texels[i * 4 + c], b.texels[i * 4 + c]);
            sum += d * d;
        }
    return std::sqrt(sum / double(pixelCount(a) * 3));
}

double psnr(const ImageRGBA32F& a, const ImageRGBA32F& b, double peak) {
    requireSameSize(a, b, "psnr");
    const double error = rmse(a, b);
    if (error == 0.0) return std::numeric_limits<double>::infinity();
    return 20.0 * std::log10(peak / error);
}

double meanAbsRelative(const ImageRGBA32F& reference, const ImageRGBA32F& test, double epsilon) {
    requireSameSize(reference, test, "meanAbsRelative");
    double sum = 0.0;
    for (size_t i = 0; i < pixelCount(reference); ++i)
        for (size_t c = 0; c < 3; ++c) {
            const double r = reference.texels[i * 4 + c];
            const double t = test.texels[i * 4 + c];
            sum += absDiff(t, r) / (std::abs(r) + epsilon);
        }
    return sum / double(pixelCount(reference) * 3);
}

double maxAbsDifference(const ImageRGBA32F& a, const ImageRGBA32F& b) {
    requireSameSize(a, b, "maxAbsDifference");
    double worst = 0.0;
    for (size_t i = 0; i < pixelCount(a); ++i)
        for (size_t c = 0; c < 3; ++c)
            worst = std::max(worst, absDiff(a.texels[i * 4 + c], b.texels[i * 4 + c]));
    return worst;
}

double fractionAbove(const ImageRGBA32F& a, const ImageRGBA32F& b, double tolerance) {
    requireSameSize(a, b, "fractionAbove");
    size_t count = 0;
    for (size_t i = 0; i < pixelCount(a); ++i) {
        double worst = 0.0;
        for (size_t c = 0; c < 3; ++c)
            worst = std::max(worst, absDiff(a.texels[i * 4 + c], b.texels[i * 4 + c]));
        if (worst > tolerance) ++count;
    }
    return double(count) / double(pixelCount(a));
}

} // namespace nerva
