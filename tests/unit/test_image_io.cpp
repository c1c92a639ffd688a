// Image I/O: PNG/JPEG/EXR/HDR round trips, sRGB and tone mapping helpers,
// multi-layer EXR, and clean failures (one line naming the file, no partial
// output).
#include "neural/core/error.h"
#include "renderer/image/image_io.h"
#include "renderer/image/tonemap.h"

#include <gtest/gtest.h>
#include <tinyexr.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

namespace fs = std::filesystem;
using nerva::ImageRGBA32F;

namespace {

// A fresh folder under the system temp folder, removed afterwards.
class ImageIoTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("nerva-image-io-" + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    size_t entryCount() const {
        return size_t(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
    }
    fs::path dir_;
};

// Smooth colours with HDR values, negatives excluded, alpha varying.
ImageRGBA32F testImage(uint32_t w, uint32_t h, float scale = 1.0f) {
    ImageRGBA32F img(w, h);
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            float* p = img.at(x, y);
            p[0] = scale * float(x) / float(w - 1);
            p[1] = scale * float(y) / float(h - 1);
            p[2] = scale * float((x * 7 + y * 3) % 11) / 10.0f;
            p[3] = float((x + y) % 5) / 4.0f;
        }
    return img;
}

void writeBytes(const std::string& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
}

std::string readBytes(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Expects a nerva::Error whose one-line message names file.
template <typename F> void expectErrorNaming(F&& f, const std::string& file) {
    try {
        f();
        ADD_FAILURE() << "no nerva::Error thrown for " << file;
    } catch (const nerva::Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(file), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

// ---- a minimal PNG encoder for 16-bit test files (stb writes 8-bit only) ----

uint32_t crc32(const std::string& data) {
    uint32_t crc = 0xffffffffu;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string be32(uint32_t v) {
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

std::string pngChunk(const std::string& type, const std::string& data) {
    return be32(uint32_t(data.size())) + type + data + be32(crc32(type + data));
}

// 16-bit RGBA PNG, zlib stream of stored (uncompressed) deflate blocks.
std::string png16(uint32_t w, uint32_t h, const std::vector<uint16_t>& rgba) {
    std::string raw;
    for (uint32_t y = 0; y < h; ++y) {
        raw += char(0); // filter: none
        for (uint32_t i = 0; i < w * 4; ++i) {
            const uint16_t v = rgba[size_t(y) * w * 4 + i];
            raw += char(v >> 8);
            raw += char(v & 0xff);
        }
    }
    std::string z = {char(0x78), char(0x01)};
    for (size_t pos = 0; pos < raw.size(); pos += 65535) {
        const size_t n = std::min<size_t>(65535, raw.size() - pos);
        z += char(pos + n == raw.size() ? 1 : 0);
        z += {char(n & 0xff), char(n >> 8), char(~n & 0xff), char((~n >> 8) & 0xff)};
        z += raw.substr(pos, n);
    }
    uint32_t a = 1, b = 0;
    for (unsigned char c : raw)
        a = (a + c) % 65521, b = (b + a) % 65521;
    z += be32((b << 16) | a);
    const std::string ihdr = be32(w) + be32(h) + std::string{16, 6, 0, 0, 0};
    return std::string("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", z) +
           pngChunk("IEND", "");
}

} // namespace

TEST(Srgb, RoundTripsAndKnownValues) {
    for (int i = 0; i <= 1000; ++i) {
        const float v = float(i) / 1000.0f;
        EXPECT_NEAR(nerva::linearToSrgb(nerva::srgbToLinear(v)), v, 2e-6f);
        EXPECT_NEAR(nerva::srgbToLinear(nerva::linearToSrgb(v)), v, 2e-6f);
    }
    for (int k = 0; k < 256; ++k)
        EXPECT_EQ(nerva::linearToSrgb8(nerva::srgb8ToLinear(uint8_t(k))), k);
    EXPECT_NEAR(nerva::srgbToLinear(0.5f), 0.2140411f, 1e-6f);
    EXPECT_NEAR(nerva::linearToSrgb(0.18f), 0.4613561f, 1e-6f);
    EXPECT_EQ(nerva::srgbToLinear(-1.0f), 0.0f);
    EXPECT_EQ(nerva::linearToSrgb(2.0f), 1.0f);
}

TEST(Tonemap, AcesAndClampBehave) {
    EXPECT_EQ(nerva::tonemapAces(0.0f), 0.0f);
    EXPECT_NEAR(nerva::tonemapAces(0.18f),
                0.18f * (2.51f * 0.18f + 0.03f) / (0.18f * (2.43f * 0.18f + 0.59f) + 0.14f), 1e-7f);
    float previous = 0.0f;
    for (float x = 0.01f; x < 100.0f; x *= 1.1f) {
        const float y = nerva::tonemapAces(x);
        EXPECT_GE(y, previous);
        EXPECT_LE(y, 1.0f);
        previous = y;
    }
    EXPECT_EQ(nerva::applyTonemap(std::numeric_limits<float>::quiet_NaN(), nerva::Tonemap::Aces),
              0.0f);
    EXPECT_EQ(nerva::applyTonemap(std::numeric_limits<float>::infinity(), nerva::Tonemap::Aces),
              1.0f);
    EXPECT_EQ(nerva::applyTonemap(-3.0f, nerva::Tonemap::Clamp), 0.0f);
    EXPECT_EQ(nerva::applyTonemap(0.25f, nerva::Tonemap::Clamp), 0.25f);
    EXPECT_EQ(nerva::applyTonemap(7.0f, nerva::Tonemap::Clamp), 1.0f);
}

TEST(Tonemap, ToDisplayAppliesExposureTonemapAndEncoding) {
    ImageRGBA32F img(1, 1);
    img.texels = {0.25f, 0.1f, 4.0f, 0.5f};
    const ImageRGBA32F clamp =
        nerva::toDisplay(img, {.exposure = 1.0f, .tonemap = nerva::Tonemap::Clamp});
    EXPECT_NEAR(clamp.texels[0], nerva::linearToSrgb(0.5f), 1e-6f);
    EXPECT_NEAR(clamp.texels[1], nerva::linearToSrgb(0.2f), 1e-6f);
    EXPECT_EQ(clamp.texels[2], 1.0f);
    EXPECT_EQ(clamp.texels[3], 1.0f); // alpha dropped unless keepAlpha
    const ImageRGBA32F aces = nerva::toDisplay(img, {.keepAlpha = true});
    EXPECT_NEAR(aces.texels[0], nerva::linearToSrgb(nerva::tonemapAces(0.25f)), 1e-6f);
    EXPECT_EQ(aces.texels[3], 0.5f);
}

// Inspection views hold display values: shown clamped, nothing else applied.
TEST(Tonemap, DisplayValuesAreOnlyClamped) {
    ImageRGBA32F img(1, 1);
    img.texels = {0.25f, -1.0f, 4.0f, 1.0f};
    const ImageRGBA32F d = nerva::toDisplay(img, {.exposure = 3.0f, .displayValues = true});
    EXPECT_EQ(d.texels[0], 0.25f);
    EXPECT_EQ(d.texels[1], 0.0f);
    EXPECT_EQ(d.texels[2], 1.0f);
}

TEST_F(ImageIoTest, PngRoundTripWithinQuantisation) {
    const ImageRGBA32F img = testImage(37, 21);
    const nerva::WriteOptions opt{.tonemap = nerva::Tonemap::Clamp, .keepAlpha = true};
    nerva::writeImage(path("a.png"), img, opt);
    const ImageRGBA32F back = nerva::readImage(path("a.png"));
    ASSERT_EQ(back.width, 37u);
    ASSERT_EQ(back.height, 21u);
    const ImageRGBA32F expected = nerva::toDisplay(img, opt);
    const ImageRGBA32F got = nerva::toDisplay(back, opt);
    for (size_t i = 0; i < img.texels.size(); ++i)
        ASSERT_NEAR(got.texels[i], expected.texels[i], 0.5f / 255.0f + 1e-5f) << "texel " << i;
    EXPECT_EQ(entryCount(), 1u); // no temporary file left
}

TEST_F(ImageIoTest, PngHoldsToDisplayValues) {
    const ImageRGBA32F img = testImage(16, 16, 3.0f);
    const nerva::WriteOptions opt{.exposure = -0.5f};
    nerva::writeImage(path("b.png"), img, opt);
    const ImageRGBA32F display = nerva::readDisplayImage(path("b.png"));
    const ImageRGBA32F expected = nerva::toDisplay(img, opt);
    for (size_t i = 0; i < img.texels.size(); ++i)
        ASSERT_NEAR(display.texels[i], expected.texels[i], 0.5f / 255.0f + 1e-6f);
    for (size_t i = 3; i < img.texels.size(); i += 4)
        EXPECT_EQ(display.texels[i], 1.0f);
}

TEST_F(ImageIoTest, Reads16BitPng) {
    const uint32_t w = 3, h = 2;
    std::vector<uint16_t> rgba(w * h * 4);
    for (size_t i = 0; i < rgba.size(); ++i)
        rgba[i] = uint16_t(i * 2731 + 17);
    writeBytes(path("deep.png"), png16(w, h, rgba));
    const ImageRGBA32F img = nerva::readImage(path("deep.png"));
    ASSERT_EQ(img.width, w);
    ASSERT_EQ(img.height, h);
    for (size_t i = 0; i < rgba.size(); ++i) {
        const float v = float(rgba[i]) / 65535.0f;
        EXPECT_NEAR(img.texels[i], i % 4 == 3 ? v : nerva::srgbToLinear(v), 1e-6f) << i;
    }
    const ImageRGBA32F display = nerva::readDisplayImage(path("deep.png"));
    EXPECT_NEAR(display.texels[5], float(rgba[5]) / 65535.0f, 1e-7f);
}

TEST_F(ImageIoTest, JpegRoundTripIsClose) {
    ImageRGBA32F img(32, 32);
    for (size_t i = 0; i < img.texels.size(); ++i)
        img.texels[i] = i % 4 == 1 ? 0.6f : 0.2f;
    nerva::writeImage(path("c.JPG"), img, {.tonemap = nerva::Tonemap::Clamp});
    const ImageRGBA32F back = nerva::readImage(path("c.JPG"));
    ASSERT_EQ(back.width, 32u);
    for (size_t i = 0; i < img.texels.size(); ++i)
        ASSERT_NEAR(back.texels[i], i % 4 == 3 ? 1.0f : img.texels[i], 0.02f);
}

TEST_F(ImageIoTest, ExrRoundTripIsExactInFloat) {
    ImageRGBA32F img = testImage(19, 23, 50.0f);
    img.texels[0] = -2.5f;
    img.texels[5] = 1.0e-7f;
    img.texels[6] = 6.0e4f;
    nerva::writeImage(path("d.exr"), img);
    const ImageRGBA32F back = nerva::readImage(path("d.exr"));
    ASSERT_EQ(back.width, 19u);
    ASSERT_EQ(back.height, 23u);
    EXPECT_EQ(back.texels, img.texels);
    EXPECT_EQ(entryCount(), 1u);
}

TEST_F(ImageIoTest, ExrRoundTripInHalfFloat) {
    const ImageRGBA32F img = testImage(8, 8, 100.0f);
    nerva::writeImage(path("e.exr"), img, {.halfFloat = true});
    const ImageRGBA32F back = nerva::readImage(path("e.exr"));
    ASSERT_EQ(back.texels.size(), img.texels.size());
    for (size_t i = 0; i < img.texels.size(); ++i)
        ASSERT_NEAR(back.texels[i], img.texels[i], std::abs(img.texels[i]) * 1e-3f + 1e-7f);
    EXPECT_LT(fs::file_size(path("e.exr")), 1024u * 1024u);
}

TEST_F(ImageIoTest, ExrWithRgbOrOneChannelReads) {
    std::vector<float> rgb = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f};
    const char* err = nullptr;
    ASSERT_EQ(SaveEXR(rgb.data(), 2, 1, 3, 0, path("rgb.exr").c_str(), &err), TINYEXR_SUCCESS);
    const ImageRGBA32F img = nerva::readImage(path("rgb.exr"));
    ASSERT_EQ(img.width, 2u);
    EXPECT_EQ(img.texels, (std::vector<float>{1, 2, 3, 1, 4, 5, 6, 1}));

    std::vector<float> grey = {0.25f, 8.0f};
    ASSERT_EQ(SaveEXR(grey.data(), 1, 2, 1, 0, path("grey.exr").c_str(), &err), TINYEXR_SUCCESS);
    const ImageRGBA32F g = nerva::readImage(path("grey.exr"));
    ASSERT_EQ(g.height, 2u);
    EXPECT_EQ(g.texels, (std::vector<float>{0.25f, 0.25f, 0.25f, 1, 8, 8, 8, 1}));
}

TEST_F(ImageIoTest, HdrRoundTripWithinRgbePrecision) {
    const ImageRGBA32F img = testImage(10, 6, 20.0f);
    nerva::writeImage(path("f.hdr"), img);
    const ImageRGBA32F back = nerva::readImage(path("f.hdr"));
    ASSERT_EQ(back.width, 10u);
    ASSERT_EQ(back.height, 6u);
    for (size_t p = 0; p < size_t(img.width) * img.height; ++p) {
        const float largest =
            std::max({img.texels[p * 4], img.texels[p * 4 + 1], img.texels[p * 4 + 2]});
        for (size_t c = 0; c < 3; ++c)
            ASSERT_NEAR(back.texels[p * 4 + c], img.texels[p * 4 + c], largest / 128.0f + 1e-6f);
        EXPECT_EQ(back.texels[p * 4 + 3], 1.0f);
    }
    const ImageRGBA32F display = nerva::readDisplayImage(path("f.hdr"));
    const ImageRGBA32F expected = nerva::toDisplay(back);
    EXPECT_EQ(display.texels, expected.texels);
}

TEST_F(ImageIoTest, HdrBottomUpFlatScanlines) {
    // "+Y": the first scanline in the file is the bottom row.
    const std::string header = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n+Y 2 +X 1\n";
    writeBytes(path("up.hdr"), header + std::string("\x80\x00\x00\x81\x00\x80\x00\x82", 8));
    const ImageRGBA32F img = nerva::readImage(path("up.hdr"));
    ASSERT_EQ(img.width, 1u);
    ASSERT_EQ(img.height, 2u);
    EXPECT_EQ(img.texels, (std::vector<float>{0, 2, 0, 1, 1, 0, 0, 1}));
    writeBytes(path("xyz.hdr"),
               "#?RADIANCE\nFORMAT=32-bit_rle_xyze\n\n-Y 1 +X 1\n\x01\x01\x01\x80");
    expectErrorNaming([&] { nerva::readImage(path("xyz.hdr")); }, path("xyz.hdr"));
}

TEST_F(ImageIoTest, MultiLayerExr) {
    const ImageRGBA32F beauty = testImage(5, 4, 2.0f);
    const ImageRGBA32F albedo = testImage(5, 4, 0.5f);
    ImageRGBA32F normal(5, 4);
    for (size_t i = 0; i < normal.texels.size(); ++i)
        normal.texels[i] = float(i % 4) - 1.5f;
    nerva::writeExrLayers(path("aov.exr"), 5, 4,
                          {{"", &beauty}, {"normal", &normal}, {"albedo", &albedo}}, true);
    EXPECT_EQ(nerva::exrLayerNames(path("aov.exr")),
              (std::vector<std::string>{"", "albedo", "normal"}));
    const ImageRGBA32F b = nerva::readImage(path("aov.exr"));
    const ImageRGBA32F a = nerva::readExrLayer(path("aov.exr"), "albedo");
    const ImageRGBA32F n = nerva::readExrLayer(path("aov.exr"), "normal");
    for (size_t i = 0; i < beauty.texels.size(); ++i) {
        ASSERT_NEAR(b.texels[i], beauty.texels[i], 2e-3f);
        ASSERT_NEAR(a.texels[i], albedo.texels[i], 1e-3f);
        ASSERT_EQ(n.texels[i], normal.texels[i]);
    }
    expectErrorNaming([&] { nerva::readExrLayer(path("aov.exr"), "depth"); }, path("aov.exr"));
    const ImageRGBA32F wrong(4, 4);
    expectErrorNaming(
        [&] {
            nerva::writeExrLayers(path("bad.exr"), 5, 4, {{"", &beauty}, {"x", &wrong}});
        },
        path("bad.exr"));
    EXPECT_FALSE(fs::exists(path("bad.exr")));
}

TEST_F(ImageIoTest, MissingFileThrowsNamingIt) {
    for (const char* name : {"missing.png", "missing.exr", "missing.hdr", "missing.jpg"}) {
        expectErrorNaming([&] { nerva::readImage(path(name)); }, path(name));
    }
}

TEST_F(ImageIoTest, GarbageAndTruncatedFilesThrowNamingThem) {
    writeBytes(path("garbage.png"), "this is not an image at all, just some bytes");
    expectErrorNaming([&] { nerva::readImage(path("garbage.png")); }, path("garbage.png"));
    // A PNG signature followed by nonsense.
    writeBytes(path("broken.png"), std::string("\x89PNG\r\n\x1a\n", 8) + std::string(64, 'x'));
    expectErrorNaming([&] { nerva::readImage(path("broken.png")); }, path("broken.png"));
    writeBytes(path("garbage.exr"), std::string(200, '\x07'));
    expectErrorNaming([&] { nerva::readImage(path("garbage.exr")); }, path("garbage.exr"));
    writeBytes(path("garbage.hdr"), "#?RADIANCE\nnothing useful here\n");
    expectErrorNaming([&] { nerva::readImage(path("garbage.hdr")); }, path("garbage.hdr"));
    writeBytes(path("empty.png"), "");
    expectErrorNaming([&] { nerva::readImage(path("empty.png")); }, path("empty.png"));

    // Run-length encoded HDR scanlines cut short (stb_image loops forever on some).
    nerva::writeImage(path("whole.hdr"), testImage(64, 8, 4.0f));
    const std::string hdr = readBytes(path("whole.hdr"));
    for (size_t keep : {hdr.size() / 2, hdr.size() - 1, size_t(100), size_t(20)}) {
        writeBytes(path("cut.hdr"), hdr.substr(0, keep));
        expectErrorNaming([&] { nerva::readImage(path("cut.hdr")); }, path("cut.hdr"));
    }

    nerva::writeImage(path("whole.exr"), testImage(64, 64, 4.0f));
    const std::string whole = readBytes(path("whole.exr"));
    for (size_t keep : {whole.size() / 2, whole.size() - 7, size_t(40)}) {
        writeBytes(path("cut.exr"), whole.substr(0, keep));
        expectErrorNaming([&] { nerva::readImage(path("cut.exr")); }, path("cut.exr"));
    }
}

TEST_F(ImageIoTest, UnsupportedExtensionThrows) {
    expectErrorNaming([&] { nerva::readImage(path("a.bmp")); }, path("a.bmp"));
    expectErrorNaming([&] { nerva::writeImage(path("a.tiff"), testImage(2, 2)); }, path("a.tiff"));
    expectErrorNaming([&] { nerva::writeImage(path("noextension"), testImage(2, 2)); },
                      path("noextension"));
    EXPECT_EQ(entryCount(), 0u);
}

TEST_F(ImageIoTest, WriteToMissingFolderLeavesNothing) {
    const std::string target = (dir_ / "no" / "such" / "folder" / "out.png").string();
    expectErrorNaming([&] { nerva::writeImage(target, testImage(4, 4)); }, target);
    EXPECT_FALSE(fs::exists(dir_ / "no"));
    EXPECT_EQ(entryCount(), 0u);
}

TEST_F(ImageIoTest, EmptyImageIsRejected) {
    expectErrorNaming([&] { nerva::writeImage(path("zero.png"), ImageRGBA32F(0, 8)); },
                      path("zero.png"));
    expectErrorNaming([&] { nerva::writeImage(path("zero.exr"), ImageRGBA32F(8, 0)); },
                      path("zero.exr"));
    EXPECT_EQ(entryCount(), 0u);
}

TEST_F(ImageIoTest, FailedWriteKeepsExistingFile) {
    nerva::writeImage(path("keep.exr"), testImage(4, 4));
    const std::string before = readBytes(path("keep.exr"));
    EXPECT_THROW(nerva::writeImage(path("keep.exr"), ImageRGBA32F(0, 0)), nerva::Error);
    EXPECT_EQ(readBytes(path("keep.exr")), before);
    // A folder in the way: the write fails and leaves no temporary file.
    fs::create_directory(path("taken.png"));
    expectErrorNaming([&] { nerva::writeImage(path("taken.png"), testImage(4, 4)); },
                      path("taken.png"));
    EXPECT_EQ(entryCount(), 2u);
    // A successful write replaces the file.
    nerva::writeImage(path("keep.exr"), testImage(4, 4, 9.0f));
    EXPECT_NE(readBytes(path("keep.exr")), before);
    EXPECT_EQ(entryCount(), 2u);
}

TEST_F(ImageIoTest, AtomicWriteReplacesContent) {
    const std::string target = path("blob.bin");
    nerva::writeFileAtomic(target, "first", 5);
    nerva::writeFileAtomic(target, "second!", 7);
    EXPECT_EQ(readBytes(target), "second!");
    EXPECT_EQ(nerva::readFileBytes(target).size(), 7u);
    EXPECT_EQ(entryCount(), 1u);
}
