// `nerva compare REF TEST`: RMSE, PSNR and FLIP between two images.
//
// Both images are compared as display values (sRGB-encoded, [0, 1]): PNG and
// JPEG files as stored, EXR and HDR files through toDisplay() with the given
// exposure and tone mapping — the values a PNG written by `nerva render` with
// the same options would hold. RMSE and PSNR (peak 1) are over RGB.
#include "commands.h"

#include "neural/core/error.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"
#include "renderer/image/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace nerva::cli {

namespace {

constexpr const char* kUsage =
    "usage: nerva compare REF TEST [--error-map OUT.png] [--side-by-side OUT.png] [--max-flip X] "
    "[--min-psnr DB] [--ppd N] [--exposure S] [--tonemap aces|clamp]";

constexpr const char* kHelp =
    "\n"
    "Compares TEST against the reference REF (PNG, JPEG, EXR or HDR) and prints\n"
    "RMSE, PSNR and the mean LDR-FLIP error. Linear images (EXR, HDR) are first\n"
    "mapped to display values: exposure S stops (default 0), then the tone map\n"
    "(default aces), then sRGB; PNG and JPEG are compared as stored.\n"
    "\n"
    "  --error-map OUT.png  write the per-pixel FLIP error, colour-coded\n"
    "  --side-by-side OUT.png  write reference | test | FLIP error map in one image\n"
    "  --max-flip X         fail (exit 1) when mean FLIP > X\n"
    "  --min-psnr DB        fail (exit 1) when PSNR < DB\n"
    "  --ppd N              pixels per degree of the viewing setup (default 67)\n"
    "\n"
    "Exit codes: 0 within thresholds, 1 a threshold failed, 2 bad input or usage.\n";

struct Options {
    std::string reference, test, errorMap, sideBySide;
    std::optional<double> maxFlip, minPsnr;
    float ppd = kFlipDefaultPixelsPerDegree;
    WriteOptions display;
};

int usageError(const std::string& problem) {
    std::fprintf(stderr, "nerva compare: %s\n%s\n", problem.c_str(), kUsage);
    return 2;
}

// A finite number, or nothing.
std::optional<double> parseNumber(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// Fills options from args; returns an exit code when parsing ends the command
// (usage error or --help).
std::optional<int> parseArgs(const Args& args, Options& opt) {
    std::vector<std::string> positional;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::printf("%s\n%s", kUsage, kHelp);
            return 0;
        }
        if (arg == "--") { // everything after is a file name
            positional.insert(positional.end(), args.begin() + long(i) + 1, args.end());
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            positional.push_back(arg);
            continue;
        }
        std::string value;
        bool hasValue = false;
        if (const size_t eq = arg.find('='); eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            hasValue = true;
        }
        const bool known = arg == "--error-map" || arg == "--side-by-side" || arg == "--max-flip" ||
                           arg == "--min-psnr" || arg == "--ppd" || arg == "--exposure" ||
                           arg == "--tonemap";
        if (!known) return usageError("unknown option '" + arg + "'");
        if (!hasValue) {
            if (i + 1 >= args.size()) return usageError("option " + arg + " needs a value");
            value = args[++i];
        }
        if (arg == "--error-map" || arg == "--side-by-side") {
            if (value.empty()) return usageError("option " + arg + " needs a file name");
            (arg == "--error-map" ? opt.errorMap : opt.sideBySide) = value;
        } else if (arg == "--tonemap") {
            if (value == "aces")
                opt.display.tonemap = Tonemap::Aces;
            else if (value == "clamp")
                opt.display.tonemap = Tonemap::Clamp;
            else
                return usageError("--tonemap must be aces or clamp, got '" + value + "'");
        } else {
            const std::optional<double> number = parseNumber(value);
            if (!number)
                return usageError("option " + arg + " needs a number, got '" + value + "'");
            if (arg == "--max-flip")
                opt.maxFlip = *number;
            else if (arg == "--min-psnr")
                opt.minPsnr = *number;
            else if (arg == "--exposure")
                opt.display.exposure = float(*number);
            else if (*number <= 0.0)
                return usageError("--ppd must be positive, got '" + value + "'");
            else
                opt.ppd = float(*number);
        }
    }
    if (positional.size() != 2)
        return usageError(positional.size() < 2 ? "needs a reference and a test image"
                                                : "too many arguments");
    opt.reference = positional[0];
    opt.test = positional[1];
    return std::nullopt;
}

// Images of equal height next to each other, left to right, with a 4-pixel
// black gap between them.
ImageRGBA32F sideBySide(const std::vector<const ImageRGBA32F*>& images) {
    constexpr uint32_t kGap = 4;
    uint32_t width = 0;
    for (const ImageRGBA32F* img : images)
        width += img->width + (width ? kGap : 0);
    ImageRGBA32F out(width, images.front()->height);
    for (size_t i = 0; i < out.texels.size(); i += 4)
        out.texels[i + 3] = 1.0f;
    uint32_t x0 = 0;
    for (const ImageRGBA32F* img : images) {
        for (uint32_t y = 0; y < img->height; ++y)
            std::copy_n(img->at(0, y), size_t(img->width) * 4, out.at(x0, y));
        x0 += img->width + kGap;
    }
    return out;
}

std::string sizeText(const ImageRGBA32F& img) {
    return std::to_string(img.width) + "x" + std::to_string(img.height);
}

} // namespace

int cmdCompare(const Args& args) {
    Options opt;
    if (const std::optional<int> done = parseArgs(args, opt)) return *done;

    const ImageRGBA32F reference = readDisplayImage(opt.reference, opt.display);
    const ImageRGBA32F test = readDisplayImage(opt.test, opt.display);
    if (reference.width != test.width || reference.height != test.height)
        throw errorAt(opt.test, "image is " + sizeText(test) + " but the reference " +
                                    opt.reference + " is " + sizeText(reference));

    const double error = rmse(reference, test);
    const double peakSnr = psnr(reference, test);
    const FlipResult flip = computeFlip(reference, test, opt.ppd);

    std::printf("RMSE  %.6f\n", error);
    if (std::isinf(peakSnr))
        std::printf("PSNR  inf dB\n");
    else
        std::printf("PSNR  %.2f dB\n", peakSnr);
    std::printf("FLIP  %.6f\n", double(flip.mean));
    std::fflush(stdout);

    if (!opt.errorMap.empty()) writeFlipErrorMap(opt.errorMap, flip);
    if (!opt.sideBySide.empty()) {
        const ImageRGBA32F map = flipErrorImage(flip);
        writeDisplayImage(opt.sideBySide, sideBySide({&reference, &test, &map}));
    }

    int status = 0;
    if (opt.maxFlip && !(double(flip.mean) <= *opt.maxFlip)) {
        std::fprintf(stderr, "nerva compare: FLIP %.6f exceeds --max-flip %g\n", double(flip.mean),
                     *opt.maxFlip);
        status = 1;
    }
    if (opt.minPsnr && !(peakSnr >= *opt.minPsnr)) {
        std::fprintf(stderr, "nerva compare: PSNR %.2f dB is below --min-psnr %g\n", peakSnr,
                     *opt.minPsnr);
        status = 1;
    }
    return status;
}

} // namespace nerva::cli
