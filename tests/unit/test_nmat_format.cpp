// The `.nmat` file (docs/nmat-format.md) and its fp16 conversion: exact half
// round trips, asset round trips, byte-for-byte determinism, and strict
// rejection (one error line naming the file, never a crash) of truncated,
// bit-flipped, inconsistent and future-version files.
#include "neural/core/error.h"
#include "neural/formats/half.h"
#include "neural/formats/nmat.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace {

namespace fs = std::filesystem;
using namespace nerva::formats;

fs::path scratch() {
    static const fs::path d = nerva::test::scratchDir("nmat-format-test");
    return d;
}

// 2 levels (3 x 2, 2 x 1) of 8 channels; a bias-free 8 -> 12 layer and a
// 20 -> 4 -> 3 decoder. Values alternate between exact fp16 (k / 64) and not.
NmatAsset smallAsset() {
    NmatAsset a;
    a.name = "test paint";
    a.sourceName = "materials/paint.json";
    a.sourceHash = "0123456789abcdef";
    a.levels = {{3, 2, {}}, {2, 1, {}}};
    a.networks = {{"frames", {{8, 12, false, "none"}}, {}},
                  {"decoder", {{20, 4, true, "relu"}, {4, 3, true, "exp3"}}, {}}};
    int k = 0;
    auto next = [&k] { return (k++ % 2) ? float(k % 97 - 48) / 64.0f : 0.1f * float(k % 13); };
    for (NmatLatentLevel& l : a.levels)
        l.texels.resize(size_t(l.width) * l.height * a.latentChannels);
    for (NmatLatentLevel& l : a.levels)
        for (float& v : l.texels)
            v = next();
    for (NmatNetwork& n : a.networks) {
        n.params.resize(nmatParamCount(n.layers));
        for (float& v : n.params)
            v = next();
    }
    a.training = {{"steps", 2000}, {"learning_rate", 0.005}, {"loss", "l1_log"}};
    a.metrics = {{"flip", 0.0551}, {"seconds", 12.5}};
    return a;
}

// Error text for `bytes` as file "f.nmat"; "" when it decodes.
std::string decodeError(const std::string& bytes) {
    try {
        decodeNmat(bytes, "f.nmat");
    } catch (const nerva::Error& e) {
        return e.what();
    }
    return "";
}

void expectOneLine(const std::string& message, const std::string& where) {
    EXPECT_EQ(message.rfind(where + ": ", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

// A file as its chunks, to build inconsistent but well-checksummed files.
using Chunks = std::vector<std::pair<std::string, std::string>>;
Chunks splitChunks(const std::string& file) {
    Chunks chunks;
    for (size_t pos = 12; pos < file.size();) {
        uint64_t size = 0;
        std::memcpy(&size, file.data() + pos + 8, 8); // little-endian host
        chunks.emplace_back(file.substr(pos, 4), file.substr(pos + 16, size));
        pos += 16 + size + 4;
    }
    return chunks;
}
void putU32(std::string& s, uint32_t v) {
    s.append(reinterpret_cast<const char*>(&v), 4);
}
std::string joinChunks(const Chunks& chunks, uint32_t version = 1) {
    std::string f = "NMAT";
    putU32(f, version);
    putU32(f, uint32_t(chunks.size()));
    uint32_t fileCrc = crc32(f.data(), f.size()); // skips the chunks' CRC fields
    for (const auto& [tag, payload] : chunks) {
        std::string p = payload;
        if (tag == "END ") {
            p.clear();
            putU32(p, fileCrc);
        }
        const uint64_t size = p.size();
        const size_t start = f.size();
        f += tag;
        putU32(f, 0);
        f.append(reinterpret_cast<const char*>(&size), 8);
        f += p;
        fileCrc = crc32(f.data() + start, f.size() - start, fileCrc);
        putU32(f, crc32(p.data(), p.size()));
    }
    return f;
}

TEST(Half, EveryHalfRoundTrips) {
    for (uint32_t h = 0; h < 65536; ++h) {
        const float f = halfToFloat(uint16_t(h));
        const bool nan = (h & 0x7c00u) == 0x7c00u && (h & 0x3ffu) != 0;
        ASSERT_EQ(std::isnan(f), nan) << std::hex << h;
        ASSERT_EQ(floatToHalf(f), h) << std::hex << h;
    }
}

TEST(Half, KnownValues) {
    const std::pair<float, uint16_t> cases[] = {
        {0.0f, 0x0000},
        {-0.0f, 0x8000},
        {1.0f, 0x3c00},
        {-2.0f, 0xc000},
        {0.5f, 0x3800},
        {65504.0f, 0x7bff},
        {65519.99f, 0x7bff},
        {65520.0f, 0x7c00},
        {1e9f, 0x7c00},
        {-1e9f, 0xfc00},
        {0x1p-14f, 0x0400},
        {0x1p-24f, 0x0001},
        {0x1p-25f, 0x0000},
        {0x1.8p-25f, 0x0001},
        {0x1p-26f, 0x0000},
        {0.1f, 0x2e66},
        {1.0f / 3, 0x3555},
        {1.0f + 0x1p-11f, 0x3c00},
        {1.0f + 0x3p-11f, 0x3c02},
        {0x1.ff8p-15f, 0x03ff},
        {0x1.ffcp-15f, 0x0400},
        {1e-10f, 0x0000},
        {-1e-10f, 0x8000},
        {std::numeric_limits<float>::infinity(), 0x7c00},
        {-std::numeric_limits<float>::infinity(), 0xfc00},
    };
    for (const auto& [f, h] : cases) {
        EXPECT_EQ(floatToHalf(f), h) << f;
        EXPECT_EQ(floatToHalf(halfToFloat(h)), h);
    }
    EXPECT_EQ(halfToFloat(0x3555), 0x1.554p-2f);
    EXPECT_EQ(halfToFloat(0x0001), 0x1p-24f);
    EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
    EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
    EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(std::bit_cast<float>(0x7f800001u)))));
}

// Between every two neighbouring finite halves: the midpoint goes to the even
// one, the floats just inside go to the nearer one.
TEST(Half, RoundsToNearestEvenEverywhere) {
    for (uint32_t h = 0; h < 0x7c00u; ++h) {
        for (const uint32_t sign : {0u, 0x8000u}) {
            const float lo = halfToFloat(uint16_t(sign | h));
            const float hi = h == 0x7bffu ? (sign ? -65536.0f : 65536.0f)
                                          : halfToFloat(uint16_t(sign | (h + 1)));
            const float mid = float((double(lo) + double(hi)) / 2); // exact: 12 bits
            const uint16_t even = uint16_t(sign | ((h & 1u) ? h + 1 : h));
            ASSERT_EQ(floatToHalf(mid), even) << std::hex << h;
            ASSERT_EQ(floatToHalf(std::nextafter(mid, lo)), sign | h) << std::hex << h;
            ASSERT_EQ(floatToHalf(std::nextafter(mid, hi)), sign | (h + 1)) << std::hex << h;
        }
    }
}

TEST(Crc32, KnownValues) {
    EXPECT_EQ(crc32("123456789", 9), 0xCBF43926u);
    EXPECT_EQ(crc32("", 0), 0u);
    EXPECT_EQ(crc32("56789", 5, crc32("1234", 4)), 0xCBF43926u); // continues
}

TEST(NmatFormat, RoundTrip) {
    const NmatAsset a = smallAsset();
    const std::string path = (scratch() / "round.nmat").string();
    writeNmat(a, path);
    const NmatAsset b = readNmat(path);
    EXPECT_EQ(b.version, kNmatFormatVersion);
    EXPECT_EQ(b.name, a.name);
    EXPECT_EQ(b.sourceName, a.sourceName);
    EXPECT_EQ(b.sourceHash, a.sourceHash);
    EXPECT_EQ(b.latentChannels, a.latentChannels);
    EXPECT_EQ(b.training, a.training);
    EXPECT_EQ(b.metrics, a.metrics);
    auto same = [](const std::vector<float>& x, const std::vector<float>& y) {
        ASSERT_EQ(x.size(), y.size());
        for (size_t i = 0; i < x.size(); ++i) {
            if (float(x[i] * 64) == std::round(x[i] * 64)) { // exact in fp16
                EXPECT_EQ(y[i], x[i]) << i;
            } else { // within half an fp16 ulp (2^-11 relative) or a subnormal step
                EXPECT_LE(std::fabs(y[i] - x[i]), std::fabs(x[i]) * 0x1p-11f + 0x1p-25f) << i;
            }
        }
    };
    ASSERT_EQ(b.levels.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(b.levels[i].width, a.levels[i].width);
        EXPECT_EQ(b.levels[i].height, a.levels[i].height);
        same(a.levels[i].texels, b.levels[i].texels);
    }
    ASSERT_EQ(b.networks.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(b.networks[i].name, a.networks[i].name);
        ASSERT_EQ(b.networks[i].layers.size(), a.networks[i].layers.size());
        for (size_t j = 0; j < a.networks[i].layers.size(); ++j) {
            const NmatLayer &p = a.networks[i].layers[j], &q = b.networks[i].layers[j];
            EXPECT_TRUE(p.in == q.in && p.out == q.out && p.bias == q.bias &&
                        p.activation == q.activation);
        }
        same(a.networks[i].params, b.networks[i].params);
    }
    // A second round trip is exact: everything is fp16 already.
    EXPECT_EQ(encodeNmat(b, "b"), nerva::test::readAll(path));
}

TEST(NmatFormat, SameAssetSameBytes) {
    const std::string p1 = (scratch() / "d1.nmat").string(), p2 = (scratch() / "d2.nmat").string();
    writeNmat(smallAsset(), p1);
    writeNmat(smallAsset(), p2);
    const std::string bytes = nerva::test::readAll(p1);
    EXPECT_EQ(bytes, nerva::test::readAll(p2));
    EXPECT_EQ(bytes, encodeNmat(smallAsset(), "x"));
    EXPECT_EQ(bytes.substr(0, 4), "NMAT");
}

TEST(NmatFormat, TruncatedAtEveryByteFails) {
    const std::string bytes = encodeNmat(smallAsset(), "x");
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
        const std::string message = decodeError(bytes.substr(0, cut));
        ASSERT_FALSE(message.empty()) << "cut at " << cut << " of " << bytes.size();
        expectOneLine(message, "f.nmat");
    }
    const fs::path cut = scratch() / "cut.nmat";
    std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    EXPECT_THROW(readNmat(cut.string()), nerva::Error);
}

TEST(NmatFormat, EveryBitFlipFails) {
    const std::string bytes = encodeNmat(smallAsset(), "x");
    for (size_t bit = 0; bit < 8 * bytes.size(); ++bit) {
        std::string flipped = bytes;
        flipped[bit / 8] = char(flipped[bit / 8] ^ (1 << (bit % 8)));
        const std::string message = decodeError(flipped);
        ASSERT_FALSE(message.empty()) << "bit " << bit << " of " << 8 * bytes.size();
        expectOneLine(message, "f.nmat");
    }
}

TEST(NmatFormat, CorruptChunkNamed) {
    const NmatAsset a = smallAsset();
    std::string bytes = encodeNmat(a, "x");
    // The last parameter of the last network: 2 bytes before the NETW CRC and the
    // 24-byte END chunk.
    bytes[bytes.size() - 24 - 4 - 1] ^= 0x10;
    EXPECT_EQ(decodeError(bytes), "f.nmat: chunk NETW is corrupt (checksum mismatch)");
}

TEST(NmatFormat, UnknownChunksSkippedButCovered) {
    Chunks chunks = splitChunks(encodeNmat(smallAsset(), "x"));
    ASSERT_EQ(chunks.size(), 5u);
    chunks.insert(chunks.begin() + 2, {"XTRA", "future data"});
    const std::string file = joinChunks(chunks);
    EXPECT_EQ(decodeError(file), "");
    EXPECT_EQ(encodeNmat(decodeNmat(file, "f"), "x"), encodeNmat(smallAsset(), "x"));
    // Change the unknown payload and reseal it with its own CRC: only the END
    // CRC sees it (which is why that one skips the chunks' CRC fields).
    std::string tampered = file;
    const size_t at = tampered.find("future data");
    tampered[at] = 'F';
    const uint32_t crc = crc32(tampered.data() + at, 11);
    std::memcpy(&tampered[at + 11], &crc, 4);
    EXPECT_EQ(decodeError(tampered), "f.nmat: file is corrupt (checksum mismatch)");
}

TEST(NmatFormat, FutureVersionNamed) {
    const std::string bytes = joinChunks(splitChunks(encodeNmat(smallAsset(), "x")), 2);
    const fs::path path = scratch() / "future.nmat";
    std::ofstream(path, std::ios::binary) << bytes;
    try {
        readNmat(path.string());
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  path.string() + ": format version 2 is newer than this build reads (1)");
    }
}

TEST(NmatFormat, InconsistentFilesFail) {
    const Chunks good = splitChunks(encodeNmat(smallAsset(), "x"));
    auto withHeader = [&](auto edit) {
        Chunks c = good;
        nlohmann::json h = nlohmann::json::parse(c[0].second);
        edit(h);
        c[0].second = h.dump();
        return decodeError(joinChunks(c));
    };
    auto without = [&](const std::string& tag) {
        Chunks c = good;
        std::erase_if(c, [&](const auto& x) { return x.first == tag; });
        return decodeError(joinChunks(c));
    };
    const std::string errors[] = {
        withHeader([](auto& h) { h["latent"]["levels"][0]["width"] = 4; }),
        withHeader([](auto& h) { h["latent"]["channels"] = 4; }),
        withHeader([](auto& h) { h["latent"]["levels"][1]["height"] = 2; }),
        withHeader([](auto& h) { h["networks"][1]["layers"][1]["in"] = 5; }),
        withHeader([](auto& h) { h["networks"][1]["layers"][0]["bias"] = false; }),
        withHeader([](auto& h) { h["networks"][1]["layers"][0]["activation"] = "tanh"; }),
        withHeader([](auto& h) { h["networks"][0]["params"] = 7; }),
        withHeader([](auto& h) { h["networks"].erase(1); }),
        withHeader([](auto& h) { h.erase("name"); }),
        withHeader([](auto& h) { h["latent"]["levels"][0]["width"] = 65536 * 4; }),
        withHeader([](auto& h) {
            h["latent"] = {{"channels", 64}, {"levels", {{{"width", 65536}, {"height", 65536}}}}};
        }),
        without("HEAD"),
        without("LATN"),
        without("NETW"),
        without("END "),
        decodeError(joinChunks({good[0], good[0], good[1], good[2], good[3], good[4]})),
        decodeError(joinChunks({{"HEAD", "{\"name\": [1, "}, good[1], good[4]})),
        decodeError(joinChunks(
            {{"HEAD", std::string(100, '[') + std::string(100, ']')}, good[1], good[4]})),
        decodeError(joinChunks(good) + "x"),
    };
    for (const std::string& e : errors) {
        EXPECT_FALSE(e.empty());
        if (!e.empty()) expectOneLine(e, "f.nmat");
    }
    EXPECT_EQ(without("LATN"), "f.nmat: missing chunk LATN");
}

TEST(NmatFormat, GarbageNeverCrashes) {
    uint32_t state = 12345;
    auto rnd = [&state] { return state = state * 1664525u + 1013904223u; };
    const std::string good = encodeNmat(smallAsset(), "x");
    for (int i = 0; i < 2000; ++i) {
        std::string g = i % 2 ? good.substr(0, 12) : std::string("NMAT\1\0\0\0", 8);
        const size_t n = rnd() % 300;
        for (size_t j = 0; j < n; ++j)
            g += char(rnd() >> 24);
        EXPECT_NE(decodeError(g), "");
    }
    std::string huge = good.substr(0, 12) + "HEAD" + std::string(4, '\0') + std::string(8, '\xff');
    EXPECT_NE(decodeError(huge).find("truncated"), std::string::npos);
    EXPECT_EQ(decodeError("GIF89a......"), "f.nmat: not a .nmat file (bad magic)");
}

TEST(NmatFormat, InvalidAssetsNotWritten) {
    std::vector<NmatAsset> bad(8, smallAsset());
    bad[0].networks[1].params.pop_back();
    bad[1].levels[1].width = 1;
    bad[2].levels[0].texels[5] = std::nanf("");
    bad[3].networks[0].params[0] = 70000.0f;
    bad[4].networks[1].layers[1].in = 5;
    bad[5].networks[1].name = "frames";
    bad[6].sourceHash = "XYZ";
    bad[7].levels.push_back({1, 1, std::vector<float>(8)}); // fine: 2 x 1 -> 1 x 1
    bad[7].levels.push_back({1, 1, std::vector<float>(8)}); // nothing after 1 x 1
    const fs::path path = scratch() / "bad.nmat";
    for (const NmatAsset& a : bad) {
        try {
            writeNmat(a, path.string());
            ADD_FAILURE() << "written";
        } catch (const nerva::Error& e) {
            expectOneLine(e.what(), path.string());
        }
        EXPECT_FALSE(fs::exists(path));
    }
}

TEST(NmatFormat, UnwritablePathLeavesNothing) {
    const fs::path missing = scratch() / "no-such-dir" / "out.nmat";
    try {
        writeNmat(smallAsset(), missing.string());
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  missing.string() + ": cannot write (No such file or directory)");
    }
    EXPECT_FALSE(fs::exists(missing.parent_path()));
    // The temporary file opens but the rename fails (a folder is in the way).
    const fs::path folder = scratch() / "taken.nmat";
    fs::create_directories(folder);
    EXPECT_THROW(writeNmat(smallAsset(), folder.string()), nerva::Error);
    for (const auto& entry : fs::directory_iterator(scratch()))
        EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
    EXPECT_THROW(readNmat((scratch() / "absent.nmat").string()), nerva::Error);
}

TEST(NmatFormat, Summary) {
    const std::string s = nmatSummary(smallAsset());
    for (const char* part :
         {"\"test paint\"", "materials/paint.json", "0123456789abcdef", "8 channels, 2 levels",
          "level 0: 3 x 2", "level 1: 2 x 1", "frames: 8 -> 12 (no bias); 96 parameters",
          "decoder: 20 -> 4 relu -> 3 exp3; 99 parameters", "learning_rate", "flip"})
        EXPECT_NE(s.find(part), std::string::npos) << part << " in\n" << s;
}

} // namespace
