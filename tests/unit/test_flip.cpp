// LDR-FLIP: values NVIDIA's reference implementation gives for simple cases,
// exact zero for identical images, and error that grows with noise and blur.
#include "neural/core/error.h"
#include "renderer/image/colormap.h"
#include "renderer/image/flip.h"
#include "renderer/image/image_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <vector>

using nerva::ImageRGBA32F;

namespace {

ImageRGBA32F uniform(uint32_t w, uint32_t h, float r, float g, float b) {
    ImageRGBA32F img(w, h);
    for (size_t i = 0; i < size_t(w) * h; ++i) {
        img.texels[i * 4 + 0] = r;
        img.texels[i * 4 + 1] = g;
        img.texels[i * 4 + 2] = b;
        img.texels[i * 4 + 3] = 1.0f;
    }
    return img;
}

// Checkerboard (8-pixel squares) over a colour gradient, display values.
ImageRGBA32F structured(uint32_t size = 96) {
    ImageRGBA32F img(size, size);
    for (uint32_t y = 0; y < size; ++y)
        for (uint32_t x = 0; x < size; ++x) {
            const float u = float(x) / float(size - 1), v = float(y) / float(size - 1);
            const float check = ((x / 8 + y / 8) % 2) ? 0.35f : -0.35f;
            float* p = img.at(x, y);
            p[0] = std::clamp(0.5f * u + 0.25f + check, 0.0f, 1.0f);
            p[1] = std::clamp(0.5f * v + 0.25f + check, 0.0f, 1.0f);
            p[2] = std::clamp(0.6f - 0.4f * u * v + check, 0.0f, 1.0f);
            p[3] = 1.0f;
        }
    return img;
}

// Deterministic Gaussian noise of the given sigma (same on every platform:
// a fixed 64-bit generator and Box-Muller, not std::normal_distribution).
ImageRGBA32F withNoise(const ImageRGBA32F& img, float sigma) {
    ImageRGBA32F out = img;
    uint64_t state = 0x9e3779b97f4a7c15ull;
    auto uniform01 = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (double(state >> 11) + 0.5) / 9007199254740992.0;
    };
    for (size_t i = 0; i < out.texels.size(); ++i) {
        if (i % 4 == 3) continue;
        const double n =
            std::sqrt(-2.0 * std::log(uniform01())) * std::cos(6.283185307179586 * uniform01());
        out.texels[i] = std::clamp(out.texels[i] + sigma * float(n), 0.0f, 1.0f);
    }
    return out;
}

// Separable Gaussian blur, clamp-to-edge.
ImageRGBA32F blurred(const ImageRGBA32F& img, float sigma) {
    const int r = int(std::ceil(3.0f * sigma));
    std::vector<float> k;
    float sum = 0.0f;
    for (int i = -r; i <= r; ++i)
        sum += k.emplace_back(std::exp(-float(i * i) / (2 * sigma * sigma)));
    for (float& v : k)
        v /= sum;
    const int w = int(img.width), h = int(img.height);
    ImageRGBA32F tmp = img, out = img;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) {
                float s = 0.0f;
                for (int i = -r; i <= r; ++i)
                    s += k[size_t(i + r)] *
                         img.at(uint32_t(std::clamp(x + i, 0, w - 1)), uint32_t(y))[c];
                tmp.at(uint32_t(x), uint32_t(y))[c] = s;
            }
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) {
                float s = 0.0f;
                for (int i = -r; i <= r; ++i)
                    s += k[size_t(i + r)] *
                         tmp.at(uint32_t(x), uint32_t(std::clamp(y + i, 0, h - 1)))[c];
                out.at(uint32_t(x), uint32_t(y))[c] = s;
            }
    return out;
}

} // namespace

TEST(Flip, IdenticalImagesGiveExactlyZero) {
    const ImageRGBA32F img = structured();
    const nerva::FlipResult r = nerva::computeFlip(img, img);
    EXPECT_EQ(r.mean, 0.0f);
    ASSERT_EQ(r.errorMap.size(), size_t(img.width) * img.height);
    EXPECT_EQ(r.width, img.width);
    EXPECT_EQ(r.height, img.height);
    for (float e : r.errorMap)
        ASSERT_EQ(e, 0.0f);
}

// Known values of NVIDIA's reference LDR-FLIP at 67 pixels per degree.
TEST(Flip, BlackVersusWhite) {
    const nerva::FlipResult r =
        nerva::computeFlip(uniform(64, 64, 0, 0, 0), uniform(64, 64, 1, 1, 1), 67.0f);
    EXPECT_NEAR(r.mean, 0.967f, 0.003f);
    for (float e : r.errorMap)
        ASSERT_NEAR(e, r.mean, 1e-4f);
}

TEST(Flip, BlackVersusMidGrey) {
    const float grey = 128.0f / 255.0f;
    const nerva::FlipResult r =
        nerva::computeFlip(uniform(64, 64, 0, 0, 0), uniform(64, 64, grey, grey, grey), 67.0f);
    EXPECT_NEAR(r.mean, 0.934f, 0.003f);
}

TEST(Flip, IsSymmetricAndClampsInputs) {
    const ImageRGBA32F a = structured(48);
    const ImageRGBA32F b = withNoise(a, 0.1f);
    EXPECT_FLOAT_EQ(nerva::computeFlip(a, b).mean, nerva::computeFlip(b, a).mean);
    // Values beyond [0, 1] are clamped, so they match their clamped image.
    ImageRGBA32F over = a;
    for (size_t i = 0; i < over.texels.size(); ++i)
        if (over.texels[i] >= 1.0f)
            over.texels[i] = 3.0f;
        else if (over.texels[i] <= 0.0f)
            over.texels[i] = -2.0f;
    EXPECT_EQ(nerva::computeFlip(a, over).mean, 0.0f);
}

TEST(Flip, GrowsWithNoise) {
    const ImageRGBA32F ref = structured();
    float previous = 0.0f;
    for (float sigma : {0.01f, 0.03f, 0.1f, 0.3f}) {
        const nerva::FlipResult r = nerva::computeFlip(ref, withNoise(ref, sigma));
        EXPECT_GT(r.mean, previous) << "sigma " << sigma;
        EXPECT_LT(r.mean, 1.0f);
        previous = r.mean;
    }
}

TEST(Flip, GrowsWithBlur) {
    const ImageRGBA32F ref = structured();
    float previous = 0.0f;
    for (float sigma : {0.5f, 1.0f, 2.0f, 4.0f}) {
        const nerva::FlipResult r = nerva::computeFlip(ref, blurred(ref, sigma));
        EXPECT_GT(r.mean, previous) << "sigma " << sigma;
        previous = r.mean;
    }
}

TEST(Flip, ErrorMapStaysInRangeAndLocalizes) {
    const ImageRGBA32F ref = uniform(64, 64, 0.5f, 0.5f, 0.5f);
    ImageRGBA32F test = ref;
    for (uint32_t y = 28; y < 36; ++y)
        for (uint32_t x = 28; x < 36; ++x)
            test.at(x, y)[0] = 1.0f;
    const nerva::FlipResult r = nerva::computeFlip(ref, test);
    for (float e : r.errorMap) {
        ASSERT_GE(e, 0.0f);
        ASSERT_LE(e, 1.0f);
    }
    EXPECT_GT(r.errorMap[32 * 64 + 32], 0.3f);
    EXPECT_EQ(r.errorMap[0], 0.0f); // far from the change
}

TEST(Flip, RejectsBadInput) {
    EXPECT_THROW(nerva::computeFlip(uniform(8, 8, 0, 0, 0), uniform(8, 9, 0, 0, 0)), nerva::Error);
    EXPECT_THROW(nerva::computeFlip(ImageRGBA32F(), ImageRGBA32F()), nerva::Error);
    EXPECT_THROW(nerva::computeFlip(uniform(8, 8, 0, 0, 0), uniform(8, 8, 0, 0, 0), 0.0f),
                 nerva::Error);
    EXPECT_THROW(nerva::computeFlip(uniform(8, 8, 0, 0, 0), uniform(8, 8, 0, 0, 0), NAN),
                 nerva::Error);
}

TEST(Flip, ColormapIsDarkToBright) {
    const auto luma = [](const std::array<float, 3>& c) {
        return 0.2126f * c[0] + 0.7152f * c[1] + 0.0722f * c[2];
    };
    EXPECT_LT(luma(nerva::magmaColor(0.0f)), 0.02f);
    EXPECT_GT(luma(nerva::magmaColor(1.0f)), 0.9f);
    float previous = -1.0f;
    for (int i = 0; i <= 64; ++i) {
        const float l = luma(nerva::magmaColor(float(i) / 64.0f));
        EXPECT_GT(l, previous) << i;
        previous = l;
    }
    EXPECT_EQ(nerva::magmaColor(-1.0f), nerva::magmaColor(0.0f));
    EXPECT_EQ(nerva::magmaColor(2.0f), nerva::magmaColor(1.0f));
}

TEST(Flip, WritesColourCodedErrorMap) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("nerva-flip-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    const ImageRGBA32F ref = structured(40);
    const nerva::FlipResult r = nerva::computeFlip(ref, withNoise(ref, 0.2f));
    const std::string file = (dir / "flip.png").string();
    nerva::writeFlipErrorMap(file, r);
    const ImageRGBA32F map = nerva::readDisplayImage(file);
    ASSERT_EQ(map.width, 40u);
    ASSERT_EQ(map.height, 40u);
    for (size_t i = 0; i < r.errorMap.size(); ++i) {
        const std::array<float, 3> expected = nerva::magmaColor(r.errorMap[i]);
        for (size_t c = 0; c < 3; ++c)
            ASSERT_NEAR(map.texels[i * 4 + c], expected[c], 0.5f / 255.0f + 1e-6f);
        ASSERT_EQ(map.texels[i * 4 + 3], 1.0f);
    }
    fs::remove_all(dir);
}
