// Builds small glTF files in code for the loader tests: a JSON document plus
// a binary buffer, written as .gltf (data: URI or external .bin) or .glb into
// a per-test temporary folder. Also a minimal PNG writer (stored deflate
// blocks) for 8/16-bit images of 1-4 channels.
#pragma once

#include <glm/glm.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace nerva::gltftest {

using nlohmann::json;

constexpr int kByte = 5120, kUByte = 5121, kShort = 5122, kUShort = 5123, kUInt = 5125,
              kFloat = 5126;

inline std::string base64(const std::vector<uint8_t>& data) {
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < data.size(); i += 3) {
        const uint32_t b0 = data[i];
        const uint32_t b1 = i + 1 < data.size() ? data[i + 1] : 0;
        const uint32_t b2 = i + 2 < data.size() ? data[i + 2] : 0;
        const uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
        out += table[(triple >> 18) & 63];
        out += table[(triple >> 12) & 63];
        out += i + 1 < data.size() ? table[(triple >> 6) & 63] : '=';
        out += i + 2 < data.size() ? table[triple & 63] : '=';
    }
    return out;
}

inline std::vector<uint8_t> bytesOf(const std::string& s) {
    return {s.begin(), s.end()};
}

inline void writeFile(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// A fresh folder per test, removed afterwards.
class TempDir {
  public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        root_ = std::filesystem::temp_directory_path() /
                ("nerva-gltf-" + std::string(info ? info->name() : "x") + "-" +
                 std::to_string(::getpid()));
        std::filesystem::remove_all(root_);
        std::filesystem::create_directories(root_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (root_ / name).string(); }

  private:
    std::filesystem::path root_;
};

// --- PNG ---

inline uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0) {
    crc = ~crc;
    for (size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline void putBE32(std::vector<uint8_t>& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
        out.push_back(uint8_t(v >> s));
}

// `samples` holds width*height*channels values (0..255 or 0..65535).
inline std::vector<uint8_t> makePng(uint32_t width, uint32_t height, int channels, int bits,
                                    const std::vector<uint16_t>& samples) {
    std::vector<uint8_t> raw; // filter byte 0 + row samples, big-endian
    for (uint32_t y = 0; y < height; ++y) {
        raw.push_back(0);
        for (uint32_t x = 0; x < width * uint32_t(channels); ++x) {
            const uint16_t v = samples[y * width * uint32_t(channels) + x];
            if (bits == 16) raw.push_back(uint8_t(v >> 8));
            raw.push_back(uint8_t(v));
        }
    }
    std::vector<uint8_t> z = {0x78, 0x01}; // zlib, stored blocks
    size_t pos = 0;
    do {
        const size_t n = std::min<size_t>(65535, raw.size() - pos);
        z.push_back(pos + n == raw.size() ? 1 : 0); // BFINAL on the last block
        z.push_back(uint8_t(n));
        z.push_back(uint8_t(n >> 8));
        z.push_back(uint8_t(~n));
        z.push_back(uint8_t(~n >> 8));
        z.insert(z.end(), raw.begin() + long(pos), raw.begin() + long(pos + n));
        pos += n;
    } while (pos < raw.size());
    uint32_t a = 1, b = 0;
    for (uint8_t v : raw) {
        a = (a + v) % 65521;
        b = (b + a) % 65521;
    }
    putBE32(z, (b << 16) | a);

    std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    auto chunk = [&](const char* type, const std::vector<uint8_t>& body) {
        putBE32(png, uint32_t(body.size()));
        const size_t start = png.size();
        png.insert(png.end(), type, type + 4);
        png.insert(png.end(), body.begin(), body.end());
        putBE32(png, crc32(png.data() + start, png.size() - start));
    };
    static const uint8_t colourType[5] = {0, 0, 4, 2, 6}; // by channel count
    std::vector<uint8_t> ihdr;
    putBE32(ihdr, width);
    putBE32(ihdr, height);
    ihdr.insert(ihdr.end(), {uint8_t(bits), colourType[channels], 0, 0, 0});
    chunk("IHDR", ihdr);
    chunk("IDAT", z);
    chunk("IEND", {});
    return png;
}

// --- glTF ---

class GltfBuilder {
  public:
    json doc = {{"asset", {{"version", "2.0"}}}};
    std::vector<uint8_t> bin;

    // Appends bytes to the buffer (4-byte aligned) and adds a bufferView.
    int addView(const void* data, size_t size, int stride = 0) {
        while (bin.size() % 4 != 0)
            bin.push_back(0);
        json view = {{"buffer", 0}, {"byteOffset", bin.size()}, {"byteLength", size}};
        if (stride != 0) view["byteStride"] = stride;
        const auto* p = static_cast<const uint8_t*>(data);
        bin.insert(bin.end(), p, p + size);
        return push("bufferViews", view);
    }
    int addAccessor(int view, int componentType, size_t count, const char* type,
                    size_t byteOffset = 0, bool normalized = false) {
        json acc = {{"componentType", componentType}, {"count", count}, {"type", type}};
        if (view >= 0) acc["bufferView"] = view;
        if (byteOffset != 0) acc["byteOffset"] = byteOffset;
        if (normalized) acc["normalized"] = true;
        return push("accessors", acc);
    }
    template <typename T>
    int addData(const std::vector<T>& values, int componentType, const char* type,
                bool normalized = false) {
        const size_t comps = std::string(type) == "SCALAR" ? 1 : size_t(type[3] - '0');
        const int view = addView(values.data(), values.size() * sizeof(T));
        return addAccessor(view, componentType, values.size() / comps, type, 0, normalized);
    }
    int addFloats(const std::vector<float>& v, const char* type) {
        return addData(v, kFloat, type);
    }
    int addIndices(const std::vector<uint16_t>& v) { return addData(v, kUShort, "SCALAR"); }

    int push(const char* key, const json& value) {
        if (!doc.contains(key)) doc[key] = json::array();
        doc[key].push_back(value);
        return int(doc[key].size()) - 1;
    }
    int addMesh(const std::string& name, const json& primitives) {
        json mesh = {{"primitives", primitives}};
        if (!name.empty()) mesh["name"] = name;
        return push("meshes", mesh);
    }
    // A node; puts it into scene 0 when `root`.
    int addNode(const json& node, bool root = true) {
        const int index = push("nodes", node);
        if (root) {
            if (!doc.contains("scenes"))
                doc["scenes"] = json::array({json{{"nodes", json::array()}}});
            doc["scenes"][0]["nodes"].push_back(index);
        }
        return index;
    }
    // Unit right triangle in the XY plane (normal +Z); returns a primitive.
    json triangle(int material = -1) {
        const int pos = addFloats({0, 0, 0, 1, 0, 0, 0, 1, 0}, "VEC3");
        json prim = {{"attributes", {{"POSITION", pos}}}};
        if (material >= 0) prim["material"] = material;
        return prim;
    }

    // The document with buffer 0 described by `uri` (or the GLB chunk).
    json finished(const std::string* uri) const {
        json d = doc;
        if (!bin.empty()) {
            json buffer = {{"byteLength", paddedBin().size()}};
            if (uri) buffer["uri"] = *uri;
            d["buffers"] = json::array({buffer});
        }
        return d;
    }
    std::vector<uint8_t> paddedBin() const {
        std::vector<uint8_t> b = bin;
        while (b.size() % 4 != 0)
            b.push_back(0);
        return b;
    }
    std::string writeEmbedded(const std::string& path) const {
        const std::string uri = "data:application/octet-stream;base64," + base64(paddedBin());
        writeFile(path, bytesOf(finished(&uri).dump()));
        return path;
    }
    // `uri` names the .bin in the document; `fileName` is what it decodes to.
    std::string writeWithBin(const std::string& path, const std::string& uri,
                             std::string fileName = "") const {
        writeFile(path, bytesOf(finished(&uri).dump()));
        const std::string dir = std::filesystem::path(path).parent_path().string();
        writeFile(dir + "/" + (fileName.empty() ? uri : fileName), paddedBin());
        return path;
    }
    std::vector<uint8_t> glbBytes() const {
        std::string text = finished(nullptr).dump();
        while (text.size() % 4 != 0)
            text += ' ';
        const std::vector<uint8_t> b = paddedBin();
        std::vector<uint8_t> out;
        auto le32 = [&](uint32_t v) {
            for (int s = 0; s < 32; s += 8)
                out.push_back(uint8_t(v >> s));
        };
        const size_t total = 12 + 8 + text.size() + (b.empty() ? 0 : 8 + b.size());
        out.insert(out.end(), {'g', 'l', 'T', 'F'});
        le32(2);
        le32(uint32_t(total));
        le32(uint32_t(text.size()));
        le32(0x4E4F534A);
        out.insert(out.end(), text.begin(), text.end());
        if (!b.empty()) {
            le32(uint32_t(b.size()));
            le32(0x004E4942);
            out.insert(out.end(), b.begin(), b.end());
        }
        return out;
    }
    std::string writeGlb(const std::string& path) const {
        writeFile(path, glbBytes());
        return path;
    }
};

// --- checks shared by the loader tests ---

constexpr float kPi = 3.14159265358979f;

inline void expectNear(glm::vec3 a, glm::vec3 b, float eps = 1e-5f) {
    EXPECT_NEAR(a.x, b.x, eps);
    EXPECT_NEAR(a.y, b.y, eps);
    EXPECT_NEAR(a.z, b.z, eps);
}

inline glm::vec3 apply(const glm::mat4& m, glm::vec3 p) {
    return glm::vec3(m * glm::vec4(p, 1.0f));
}

inline glm::vec2 applyUv(const glm::mat3& m, glm::vec2 uv) {
    return glm::vec2(m * glm::vec3(uv, 1.0f));
}

inline size_t countMentions(const std::vector<std::string>& warnings, const std::string& what) {
    size_t n = 0;
    for (const std::string& w : warnings)
        n += w.find(what) != std::string::npos ? 1 : 0;
    return n;
}

// A glTF rotation (x, y, z, w) of `angle` radians about a unit axis.
inline json quatAxisAngle(glm::vec3 axis, float angle) {
    const float s = std::sin(angle / 2);
    return json::array({axis.x * s, axis.y * s, axis.z * s, std::cos(angle / 2)});
}

} // namespace nerva::gltftest
