// RMSE, PSNR and the other simple metrics on hand-checkable cases.
#include "neural/core/error.h"
#include "renderer/image/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

using nerva::ImageRGBA32F;

namespace {

ImageRGBA32F filled(uint32_t w, uint32_t h, float r, float g, float b, float a = 1.0f) {
    ImageRGBA32F img(w, h);
    for (size_t i = 0; i < size_t(w) * h; ++i) {
        img.texels[i * 4 + 0] = r;
        img.texels[i * 4 + 1] = g;
        img.texels[i * 4 + 2] = b;
        img.texels[i * 4 + 3] = a;
    }
    return img;
}

} // namespace

TEST(Metrics, IdenticalImages) {
    const ImageRGBA32F a = filled(5, 3, 0.1f, 0.7f, 0.3f);
    EXPECT_EQ(nerva::rmse(a, a), 0.0);
    EXPECT_TRUE(std::isinf(nerva::psnr(a, a)));
    EXPECT_GT(nerva::psnr(a, a), 0.0);
    EXPECT_EQ(nerva::meanAbsRelative(a, a), 0.0);
    EXPECT_EQ(nerva::maxAbsDifference(a, a), 0.0);
    EXPECT_EQ(nerva::fractionAbove(a, a, 0.0), 0.0);
}

TEST(Metrics, ConstantOffset) {
    const ImageRGBA32F a = filled(4, 4, 0.2f, 0.2f, 0.2f);
    const ImageRGBA32F b = filled(4, 4, 0.3f, 0.3f, 0.3f);
    EXPECT_NEAR(nerva::rmse(a, b), 0.1, 1e-7);
    EXPECT_NEAR(nerva::psnr(a, b), 20.0, 1e-5);
    EXPECT_NEAR(nerva::psnr(a, b, 2.0), 20.0 + 20.0 * std::log10(2.0), 1e-5);
    EXPECT_NEAR(nerva::meanAbsRelative(a, b), 0.1 / 0.21, 1e-6);
    EXPECT_NEAR(nerva::maxAbsDifference(a, b), 0.1, 1e-7);
    EXPECT_EQ(nerva::fractionAbove(a, b, 0.05), 1.0);
    EXPECT_EQ(nerva::fractionAbove(a, b, 0.2), 0.0);
}

TEST(Metrics, OneChannelOfOnePixel) {
    const ImageRGBA32F a = filled(2, 2, 0.0f, 0.0f, 0.0f);
    ImageRGBA32F b = a;
    b.at(1, 0)[1] = 0.6f;
    // Squared error 0.36 over 2*2*3 values.
    EXPECT_NEAR(nerva::rmse(a, b), std::sqrt(0.36 / 12.0), 1e-7);
    EXPECT_NEAR(nerva::maxAbsDifference(a, b), 0.6, 1e-7);
    EXPECT_EQ(nerva::fractionAbove(a, b, 0.5), 0.25);
}

TEST(Metrics, AlphaIsIgnored) {
    const ImageRGBA32F a = filled(3, 3, 0.5f, 0.5f, 0.5f, 0.0f);
    const ImageRGBA32F b = filled(3, 3, 0.5f, 0.5f, 0.5f, 1.0f);
    EXPECT_EQ(nerva::rmse(a, b), 0.0);
    EXPECT_TRUE(std::isinf(nerva::psnr(a, b)));
}

TEST(Metrics, NanInOneImageIsNotHidden) {
    const ImageRGBA32F a = filled(2, 2, 0.5f, 0.5f, 0.5f);
    ImageRGBA32F b = a;
    b.at(0, 1)[2] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_TRUE(std::isinf(nerva::maxAbsDifference(a, b)));
    EXPECT_EQ(nerva::fractionAbove(a, b, 1.0), 0.25);
    EXPECT_FALSE(nerva::psnr(a, b) > 0.0);
    EXPECT_EQ(nerva::maxAbsDifference(b, b), 0.0);
}

TEST(Metrics, SizeMismatchNamesBothSizes) {
    const ImageRGBA32F a = filled(4, 4, 0, 0, 0);
    const ImageRGBA32F b = filled(8, 2, 0, 0, 0);
    try {
        nerva::rmse(a, b);
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("4x4"), std::string::npos) << message;
        EXPECT_NE(message.find("8x2"), std::string::npos) << message;
    }
    EXPECT_THROW(nerva::psnr(a, b), nerva::Error);
    EXPECT_THROW(nerva::meanAbsRelative(a, b), nerva::Error);
    EXPECT_THROW(nerva::rmse(ImageRGBA32F(), ImageRGBA32F()), nerva::Error);
}
