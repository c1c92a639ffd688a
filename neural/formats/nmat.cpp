// The `.nmat` reader and writer; byte layout in docs/nmat-format.md.
#include "neural/formats/nmat_detail.h"

#include "neural/core/error.h"
#include "neural/formats/half.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>

#include <unistd.h>

namespace nerva::formats {

namespace {

using detail::latentValueCount;
using detail::netLabel;
using detail::printable;
using nlohmann::json;

constexpr size_t kFileHeaderBytes = 12;  // magic, version, chunk count
constexpr size_t kChunkHeaderBytes = 16; // tag, flags, payload size

void putU32(std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out += char((v >> (8 * i)) & 0xffu);
}
void putU64(std::string& out, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out += char((v >> (8 * i)) & 0xffu);
}
uint64_t getLE(const char* p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | uint8_t(p[i]);
    return v;
}

void putHalves(std::string& out, const std::vector<float>& values) {
    for (const float v : values) {
        const uint16_t h = floatToHalf(v);
        out += char(h & 0xffu);
        out += char(h >> 8);
    }
}

// Decodes little-endian halves; non-finite ones are an error (never written).
void getHalves(std::string_view p, std::vector<float>& out, const std::string& where) {
    out.resize(p.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
        out[i] = halfToFloat(uint16_t(getLE(p.data() + 2 * i, 2)));
        if (!std::isfinite(out[i]))
            throw Error(where + ": value " + std::to_string(i) + " is not finite");
    }
}

// Appends a chunk; `fileCrc` continues over its header and payload (the END
// checksum skips the chunks' own CRC fields, see below).
void addChunk(std::string& out, const char* tag, const std::string& payload, uint32_t& fileCrc) {
    const size_t start = out.size();
    out.append(tag, 4);
    putU32(out, 0); // flags: none defined in version 1
    putU64(out, payload.size());
    out += payload;
    fileCrc = crc32(out.data() + start, out.size() - start, fileCrc);
    putU32(out, crc32(payload.data(), payload.size()));
}

struct Chunk {
    std::string tag;
    std::string_view payload;
};

} // namespace

uint32_t crc32(const void* data, size_t size, uint32_t crc) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1u) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    const auto* p = static_cast<const unsigned char*>(data);
    crc = ~crc;
    for (size_t i = 0; i < size; ++i)
        crc = table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

std::string encodeNmat(const NmatAsset& a, const std::string& where) {
    validateNmat(a, where);
    std::string head;
    try {
        head = detail::headerJson(a).dump(); // objects are key-sorted: deterministic
    } catch (const json::exception& e) {
        throw errorAt(where, "header cannot be encoded (" + printable(e.what()) + ")");
    }
    std::string out("NMAT");
    putU32(out, kNmatFormatVersion);
    putU32(out, uint32_t(3 + a.networks.size())); // HEAD, LATN, NETW..., END
    // The END chunk's CRC-32 runs over every byte before it except the chunks'
    // own CRC fields. Those must be left out: CRC is linear, so a payload
    // followed by its own CRC-32 changes the CRC-32 of a stream around it not
    // at all when both are replaced together (a rewritten, resealed chunk
    // would pass unseen).
    uint32_t fileCrc = crc32(out.data(), out.size());
    addChunk(out, "HEAD", head, fileCrc);
    std::string latn;
    latn.reserve(2 * latentValueCount(a));
    for (const NmatLatentLevel& l : a.levels)
        putHalves(latn, l.texels);
    addChunk(out, "LATN", latn, fileCrc);
    for (const NmatNetwork& n : a.networks) {
        std::string netw;
        putHalves(netw, n.params);
        addChunk(out, "NETW", netw, fileCrc);
    }
    std::string end;
    putU32(end, fileCrc);
    addChunk(out, "END ", end, fileCrc);
    return out;
}

NmatAsset decodeNmat(const std::string& bytes, const std::string& where) {
    const size_t size = bytes.size();
    if (std::memcmp(bytes.data(), "NMAT", std::min<size_t>(size, 4)) != 0)
        throw errorAt(where, "not a .nmat file (bad magic)");
    if (size < kFileHeaderBytes)
        throw errorAt(where, "truncated (" + std::to_string(size) +
                                 " bytes, the file header needs " +
                                 std::to_string(kFileHeaderBytes) + ")");
    const uint32_t version = uint32_t(getLE(bytes.data() + 4, 4));
    if (version == 0) throw errorAt(where, "format version 0 is not valid");
    if (version > kNmatFormatVersion)
        throw errorAt(where, "format version " + std::to_string(version) +
                                 " is newer than this build reads (" +
                                 std::to_string(kNmatFormatVersion) + ")");
    const uint32_t count = uint32_t(getLE(bytes.data() + 8, 4));
    std::vector<Chunk> chunks;
    size_t pos = kFileHeaderBytes;
    bool ended = false;
    uint32_t fileCrc = crc32(bytes.data(), kFileHeaderBytes); // as in encodeNmat
    for (uint32_t i = 0; i < count; ++i) {
        if (size - pos < kChunkHeaderBytes)
            throw errorAt(where, "truncated (chunk " + std::to_string(i) + " of " +
                                     std::to_string(count) + " is cut off)");
        const std::string tag = bytes.substr(pos, 4);
        const uint32_t flags = uint32_t(getLE(bytes.data() + pos + 4, 4));
        const uint64_t length = getLE(bytes.data() + pos + 8, 8);
        const size_t left = size - pos - kChunkHeaderBytes;
        if (left < 4 || length > left - 4)
            throw errorAt(where, "truncated (chunk " + printable(tag) + " declares " +
                                     std::to_string(length) + " bytes, " + std::to_string(left) +
                                     " left)");
        const std::string_view payload(bytes.data() + pos + kChunkHeaderBytes, size_t(length));
        const size_t next = pos + kChunkHeaderBytes + size_t(length) + 4;
        if (crc32(payload.data(), payload.size()) != getLE(bytes.data() + next - 4, 4))
            throw errorAt(where, "chunk " + printable(tag) + " is corrupt (checksum mismatch)");
        if (flags != 0)
            throw errorAt(where, "chunk " + printable(tag) + " has unknown flags " +
                                     std::to_string(flags));
        if (tag == "END ") {
            if (i + 1 != count || length != 4)
                throw errorAt(where, "END chunk is not the last or has the wrong size");
            if (fileCrc != getLE(payload.data(), 4))
                throw errorAt(where, "file is corrupt (checksum mismatch)");
            ended = true;
        }
        chunks.push_back({tag, payload});
        fileCrc = crc32(bytes.data() + pos, kChunkHeaderBytes + payload.size(), fileCrc);
        pos = next;
    }
    if (!ended) throw errorAt(where, "the END chunk is missing");
    if (pos != size)
        throw errorAt(where, std::to_string(size - pos) + " stray bytes after the END chunk");

    // Interpret the known chunks; others are skipped (forward compatible).
    auto only = [&](const char* tag) {
        const Chunk* found = nullptr;
        for (const Chunk& c : chunks) {
            if (c.tag != tag) continue;
            if (found) throw errorAt(where, std::string("duplicate chunk ") + tag);
            found = &c;
        }
        if (!found) throw errorAt(where, std::string("missing chunk ") + tag);
        return found->payload;
    };
    NmatAsset a = detail::parseHeader(only("HEAD"), where);
    a.version = version;
    const std::string_view latn = only("LATN");
    if (latn.size() != 2 * latentValueCount(a))
        throw errorAt(where, "chunk LATN holds " + std::to_string(latn.size()) +
                                 " bytes, the header's latent levels need " +
                                 std::to_string(2 * latentValueCount(a)));
    for (size_t i = 0, offset = 0; i < a.levels.size(); ++i) {
        NmatLatentLevel& l = a.levels[i];
        const size_t n = 2 * size_t(l.width) * l.height * a.latentChannels;
        getHalves(latn.substr(offset, n), l.texels, where + ": latent level " + std::to_string(i));
        offset += n;
    }
    size_t net = 0;
    for (const Chunk& c : chunks) {
        if (c.tag != "NETW") continue;
        if (net == a.networks.size())
            throw errorAt(where, "more NETW chunks than the header's " +
                                     std::to_string(a.networks.size()) + " networks");
        NmatNetwork& n = a.networks[net++];
        if (c.payload.size() != 2 * nmatParamCount(n.layers))
            throw errorAt(where, "chunk NETW of " + netLabel(n) + " holds " +
                                     std::to_string(c.payload.size()) + " bytes, its layers need " +
                                     std::to_string(2 * nmatParamCount(n.layers)));
        getHalves(c.payload, n.params, where + ": " + netLabel(n));
    }
    if (net != a.networks.size())
        throw errorAt(where, std::to_string(net) + " NETW chunks, the header lists " +
                                 std::to_string(a.networks.size()) + " networks");
    return a;
}

void writeNmat(const NmatAsset& asset, const std::string& path) {
    const std::string bytes = encodeNmat(asset, path);
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw errorAt(path, std::string("cannot write (") + std::strerror(errno) + ")");
    // The first failure's errno (EIO when a short write left none).
    auto failure = [] { return errno ? errno : EIO; };
    int err = 0;
    if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) err = failure();
    if (std::fflush(f) != 0 && !err) err = failure();
    if (std::fclose(f) != 0 && !err) err = failure();
    if (!err && std::rename(tmp.c_str(), path.c_str()) != 0) err = failure();
    if (err) {
        std::remove(tmp.c_str());
        throw errorAt(path, std::string("cannot write (") + std::strerror(err) + ")");
    }
}

NmatAsset readNmat(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw errorAt(path, std::string("cannot read (") + std::strerror(errno) + ")");
    std::string bytes;
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        bytes.append(buf, n);
    const bool failed = std::ferror(f) != 0;
    const int err = errno;
    std::fclose(f);
    if (failed) throw errorAt(path, std::string("cannot read (") + std::strerror(err) + ")");
    return decodeNmat(bytes, path);
}

} // namespace nerva::formats
