// The `.ntri` file (docs/ntri-format.md): fp16 and 8-bit round trips,
// byte-for-byte determinism, atomic writes and strict rejection (one error
// line naming the file) of truncated, bit-flipped, future-version and
// inconsistent files.
#include "neural/core/error.h"
#include "neural/formats/half.h"
#include "neural/formats/ntri.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using namespace nerva::formats;

fs::path scratch() {
    static const fs::path d = nerva::test::scratchDir("ntri-format-test");
    return d;
}

// 2 levels (4^2, 2^2) of 3 channels; a 3 -> 5 -> 1 MLP.
NtriAsset smallAsset() {
    NtriAsset a;
    a.resolution = 4;
    a.channels = 3;
    a.levels = 2;
    a.truncation = 0.08f;
    a.centre = {0.5f, -1.0f, 2.0f};
    a.scale = 0.75f;
    a.sourceName = "meshes/bunny.obj";
    a.sourceHash = "0a1b2c3d";
    a.layers = {{3, 5, true, "relu"}, {5, 1, true, "none"}};
    a.planes.resize(ntriPlaneValueCount(a));
    a.mlp.resize(nmatParamCount(a.layers));
    int k = 0;
    for (float& v : a.planes)
        v = (k++ % 2) ? float(k % 97 - 48) / 64.0f : 0.013f * float(k % 31) - 0.2f;
    for (float& v : a.mlp)
        v = float(k++ % 41 - 20) / 16.0f;
    a.fit = {{"iterations", 100}};
    a.metrics = {{"chamfer_l1", 0.0012}};
    return a;
}

std::string decodeError(const std::string& bytes) {
    try {
        decodeNtri(bytes, "f.ntri");
    } catch (const nerva::Error& e) {
        return e.what();
    }
    return "";
}

TEST(NtriFormat, Fp16RoundTrip) {
    const NtriAsset a = smallAsset();
    EXPECT_EQ(ntriPlaneValueCount(a), 3u * (16 + 4) * 3);
    const std::string bytes = encodeNtri(a, "a");
    EXPECT_EQ(bytes, encodeNtri(a, "a")); // deterministic
    const NtriAsset b = decodeNtri(bytes, "a");
    EXPECT_EQ(b.kind, "sdf");
    EXPECT_EQ(b.resolution, 4u);
    EXPECT_EQ(b.levels, 2u);
    EXPECT_EQ(b.encoding, NtriPlaneEncoding::Fp16);
    EXPECT_FLOAT_EQ(b.truncation, 0.08f);
    EXPECT_EQ(b.centre, a.centre);
    EXPECT_EQ(b.scale, a.scale);
    EXPECT_EQ(b.sourceName, a.sourceName);
    EXPECT_EQ(b.sourceHash, a.sourceHash);
    EXPECT_EQ(b.fit, a.fit);
    EXPECT_EQ(b.metrics, a.metrics);
    ASSERT_EQ(b.planes.size(), a.planes.size());
    for (size_t i = 0; i < a.planes.size(); ++i)
        EXPECT_EQ(b.planes[i], halfToFloat(floatToHalf(a.planes[i]))) << i;
    ASSERT_EQ(b.mlp.size(), a.mlp.size());
    for (size_t i = 0; i < a.mlp.size(); ++i)
        EXPECT_EQ(b.mlp[i], a.mlp[i]);    // k / 16: exact in fp16
    EXPECT_EQ(encodeNtri(b, "b"), bytes); // a decoded asset re-encodes to the same bytes
}

TEST(NtriFormat, Unorm8RoundTrip) {
    NtriAsset a = smallAsset();
    a.encoding = NtriPlaneEncoding::Unorm8;
    const std::string bytes = encodeNtri(a, "a");
    EXPECT_LT(bytes.size(), encodeNtri(smallAsset(), "a").size());
    const NtriAsset b = decodeNtri(bytes, "a");
    EXPECT_EQ(b.encoding, NtriPlaneEncoding::Unorm8);
    // Error within half a step of each (level, plane, channel) range.
    const size_t C = a.channels;
    size_t offset = 0;
    for (uint32_t l = 0; l < a.levels; ++l)
        for (int p = 0; p < 3; ++p) {
            const size_t texels = size_t(ntriLevelResolution(a, l)) * ntriLevelResolution(a, l);
            for (size_t c = 0; c < C; ++c) {
                float lo = 1e30f, hi = -1e30f;
                for (size_t t = 0; t < texels; ++t) {
                    lo = std::min(lo, a.planes[offset + t * C + c]);
                    hi = std::max(hi, a.planes[offset + t * C + c]);
                }
                for (size_t t = 0; t < texels; ++t) {
                    const size_t i = offset + t * C + c;
                    EXPECT_NEAR(b.planes[i], a.planes[i], (hi - lo) / 510.0f * 1.001f + 1e-7f);
                }
            }
            offset += texels * C;
        }
    const NtriAsset c = decodeNtri(encodeNtri(b, "b"), "b"); // codes are stable
    for (size_t i = 0; i < b.planes.size(); ++i)
        EXPECT_NEAR(c.planes[i], b.planes[i], 1e-6f);
}

TEST(NtriFormat, FileWriteAndRead) {
    const fs::path p = scratch() / "field.ntri";
    writeNtri(smallAsset(), p.string());
    EXPECT_EQ(readNtri(p.string()).planes.size(), smallAsset().planes.size());
    for (const auto& e : fs::directory_iterator(scratch()))
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos);
    const std::string summary = ntriSummary(readNtri(p.string()));
    EXPECT_NE(summary.find("kind sdf"), std::string::npos) << summary;
    const std::string bad = (scratch() / "missing-dir" / "x.ntri").string();
    try {
        writeNtri(smallAsset(), bad);
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(bad + ": cannot write", 0), 0u) << e.what();
    }
    EXPECT_FALSE(fs::exists(scratch() / "missing-dir"));
    EXPECT_THROW(readNtri((scratch() / "nope.ntri").string()), nerva::Error);
}

TEST(NtriFormat, TruncatedFilesAreRejected) {
    const std::string bytes = encodeNtri(smallAsset(), "a");
    for (size_t n = 0; n < bytes.size(); n += (n < 64 ? 1 : 37)) {
        const std::string e = decodeError(bytes.substr(0, n));
        EXPECT_EQ(e.rfind("f.ntri: ", 0), 0u) << n << ": " << e;
        EXPECT_EQ(e.find('\n'), std::string::npos);
    }
}

TEST(NtriFormat, BitFlipsAreRejected) {
    for (const auto enc : {NtriPlaneEncoding::Fp16, NtriPlaneEncoding::Unorm8}) {
        NtriAsset a = smallAsset();
        a.encoding = enc;
        const std::string bytes = encodeNtri(a, "a");
        for (size_t i = 0; i < bytes.size(); i += 3) {
            std::string b = bytes;
            b[i] = char(b[i] ^ (1 << (i % 8)));
            const std::string e = decodeError(b);
            EXPECT_EQ(e.rfind("f.ntri: ", 0), 0u) << "byte " << i << ": " << e;
        }
    }
}

TEST(NtriFormat, FutureVersionAndBadMagic) {
    std::string bytes = encodeNtri(smallAsset(), "a");
    bytes[4] = 2;
    EXPECT_NE(decodeError(bytes).find("format version 2 is newer"), std::string::npos)
        << decodeError(bytes);
    bytes[0] = 'X';
    EXPECT_NE(decodeError(bytes).find("bad magic"), std::string::npos);
}

TEST(NtriFormat, InconsistentAssetsAreRefused) {
    NtriAsset a = smallAsset();
    a.planes.pop_back();
    EXPECT_THROW(encodeNtri(a, "a"), nerva::Error);
    a = smallAsset();
    a.layers.back().out = 2; // sdf needs one output
    a.mlp.resize(nmatParamCount(a.layers));
    EXPECT_THROW(encodeNtri(a, "a"), nerva::Error);
    a = smallAsset();
    a.kind = "nerf";
    EXPECT_THROW(encodeNtri(a, "a"), nerva::Error);
    a = smallAsset();
    a.planes[3] = 1e6f; // beyond fp16
    EXPECT_THROW(encodeNtri(a, "a"), nerva::Error);
    a.encoding = NtriPlaneEncoding::Unorm8; // fine in 8 bits with its range
    EXPECT_NO_THROW(encodeNtri(a, "a"));
    a = smallAsset();
    a.scale = 0.0f;
    EXPECT_THROW(encodeNtri(a, "a"), nerva::Error);
}

} // namespace
