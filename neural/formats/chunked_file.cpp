// The chunked container of `.nmat` and `.ntri`; layout in chunked_file.h.
#include "neural/formats/chunked_file.h"

#include "neural/core/error.h"
#include "neural/formats/half.h"
#include "neural/formats/nmat.h" // declares crc32, public since other files use it
#include "neural/formats/nmat_detail.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <unistd.h>

namespace nerva::formats {

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

namespace chunked {

namespace {

using detail::printable;

constexpr size_t kFileHeader = 12;  // magic, version, chunk count
constexpr size_t kChunkHeader = 16; // tag, flags, u64 payload size

// One chunk: header, payload, its CRC; `fileCrc` continues over the header and
// payload only (see the END checksum in chunked_file.h).
void appendChunk(std::string& out, std::string_view tag, std::string_view payload,
                 uint32_t& fileCrc) {
    const size_t start = out.size();
    out.append(tag.data(), 4);
    putLE(out, 0, 4); // flags: none defined in version 1
    putLE(out, payload.size(), 8);
    out += payload;
    fileCrc = crc32(out.data() + start, out.size() - start, fileCrc);
    putLE(out, crc32(payload.data(), payload.size()), 4);
}

} // namespace

void putLE(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out += char((v >> (8 * i)) & 0xffu);
}

uint64_t getLE(const char* p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | uint8_t(p[i]);
    return v;
}

void putHalves(std::string& out, std::span<const float> values) {
    for (const float v : values)
        putLE(out, floatToHalf(v), 2);
}

void getHalves(std::string_view p, std::vector<float>& out, const std::string& label) {
    out.resize(p.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
        out[i] = halfToFloat(uint16_t(getLE(p.data() + 2 * i, 2)));
        if (!std::isfinite(out[i]))
            throw Error(label + " value " + std::to_string(i) + " is not finite");
    }
}

std::string encodeChunks(const Container& container, const std::vector<Chunk>& chunks) {
    std::string out(container.magic.substr(0, 4));
    putLE(out, container.version, 4);
    putLE(out, chunks.size() + 1, 4);
    uint32_t fileCrc = crc32(out.data(), out.size());
    for (const Chunk& c : chunks)
        appendChunk(out, c.tag, c.payload, fileCrc);
    std::string end;
    putLE(end, fileCrc, 4);
    appendChunk(out, "END ", end, fileCrc);
    return out;
}

DecodedChunks decodeChunks(const std::string& bytes, const Container& container,
                           const std::string& where) {
    const size_t size = bytes.size();
    // A file shorter than the magic but starting like it is "truncated".
    if (std::memcmp(bytes.data(), container.magic.data(), std::min<size_t>(size, 4)) != 0)
        throw errorAt(where, "not a " + std::string(container.suffix) + " file (bad magic)");
    if (size < kFileHeader)
        throw errorAt(where, "truncated (" + std::to_string(size) +
                                 " bytes, the file header needs " + std::to_string(kFileHeader) +
                                 ")");
    DecodedChunks d;
    d.version = uint32_t(getLE(bytes.data() + 4, 4));
    if (d.version == 0) throw errorAt(where, "format version 0 is not valid");
    if (d.version > container.version)
        throw errorAt(where, "format version " + std::to_string(d.version) +
                                 " is newer than this build reads (" +
                                 std::to_string(container.version) + ")");
    const uint32_t count = uint32_t(getLE(bytes.data() + 8, 4));
    size_t pos = kFileHeader;
    bool ended = false;
    uint32_t fileCrc = crc32(bytes.data(), kFileHeader); // as in encodeChunks
    // END must be the last of `count`, so reaching it ends the loop too.
    for (uint32_t i = 0; i < count; ++i) {
        // Sizes are compared with the bytes left before any offset is formed,
        // so a huge declared length cannot overflow.
        if (size - pos < kChunkHeader)
            throw errorAt(where, "truncated (chunk " + std::to_string(i) + " of " +
                                     std::to_string(count) + " is cut off)");
        const std::string tag = bytes.substr(pos, 4);
        const uint32_t flags = uint32_t(getLE(bytes.data() + pos + 4, 4));
        const uint64_t length = getLE(bytes.data() + pos + 8, 8);
        const size_t left = size - pos - kChunkHeader;
        if (left < 4 || length > left - 4)
            throw errorAt(where, "truncated (chunk " + printable(tag) + " declares " +
                                     std::to_string(length) + " bytes, " + std::to_string(left) +
                                     " left)");
        const std::string_view payload(bytes.data() + pos + kChunkHeader, size_t(length));
        const size_t next = pos + kChunkHeader + size_t(length) + 4;
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
        d.chunks.push_back({tag, payload});
        fileCrc = crc32(bytes.data() + pos, kChunkHeader + payload.size(), fileCrc);
        pos = next;
    }
    if (!ended) throw errorAt(where, "the END chunk is missing");
    if (pos != size)
        throw errorAt(where, std::to_string(size - pos) + " stray bytes after the END chunk");
    return d;
}

const Chunk* findChunk(const std::vector<Chunk>& chunks, const char* tag, bool required,
                       const std::string& where) {
    const Chunk* found = nullptr;
    for (const Chunk& c : chunks) {
        if (c.tag != tag) continue;
        if (found) throw errorAt(where, std::string("duplicate chunk ") + tag);
        found = &c;
    }
    if (!found && required) throw errorAt(where, std::string("missing chunk ") + tag);
    return found;
}

void writeFileAtomically(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw errorAt(path, std::string("cannot write (") + std::strerror(errno) + ")");
    // The first failure's errno (EIO when a short write left none).
    int err = 0;
    auto fail = [&err] {
        if (!err) err = errno ? errno : EIO;
    };
    if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) fail();
    if (std::fflush(f) != 0) fail();
    if (std::fclose(f) != 0) fail();
    if (!err && std::rename(tmp.c_str(), path.c_str()) != 0) fail();
    if (err) {
        std::remove(tmp.c_str());
        throw errorAt(path, std::string("cannot write (") + std::strerror(err) + ")");
    }
}

std::string readWholeFile(const std::string& path) {
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
    return bytes;
}

} // namespace chunked

} // namespace nerva::formats
