// The chunked container under both `.nmat` and `.ntri` (docs/nmat-format.md,
// docs/ntri-format.md), so the two formats share one reader and one writer and
// cannot drift apart. All integers little-endian:
//
//   file header  4-byte magic, u32 version, u32 chunk count (END included)
//   each chunk   4-byte tag, u32 flags (0), u64 payload size n, n payload
//                bytes, u32 CRC-32 of the payload
//   last chunk   "END ": u32 CRC-32 of every byte before its tag except the
//                chunks' own CRC fields
//
// The END checksum skips the per-chunk CRC fields because CRC is linear: a
// payload followed by its own CRC-32 leaves the CRC-32 of a stream around it
// unchanged when both are replaced together, so a rewritten, resealed chunk
// would otherwise pass unseen.
//
// What the chunks mean is each format's business; this layer only frames,
// checksums and validates them, and reads and writes whole files. Not a
// public API.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nerva::formats::chunked {

// Appends the low `bytes` bytes of `v`, least significant first.
void putLE(std::string& out, uint64_t v, int bytes);
// Reads `bytes` little-endian bytes at `p`.
uint64_t getLE(const char* p, int bytes);

// Appends each value as a little-endian IEEE fp16 (round to nearest even).
void putHalves(std::string& out, std::span<const float> values);
// Decodes `p` as little-endian fp16 values into `out`. A non-finite one (the
// writers never store them) throws nerva::Error
// "<label> value <i> is not finite".
void getHalves(std::string_view p, std::vector<float>& out, const std::string& label);

struct Chunk {
    std::string tag; // 4 bytes
    std::string_view payload;
};

// What sets one format's container apart.
struct Container {
    std::string_view magic;  // 4 bytes, e.g. "NMAT"
    std::string_view suffix; // for "not a <suffix> file (bad magic)"
    uint32_t version;        // the one written, and the newest read
};

// The whole file: header with the container's magic and version, `chunks` in
// order, then the END chunk (so the count written is chunks.size() + 1).
std::string encodeChunks(const Container& container, const std::vector<Chunk>& chunks);

struct DecodedChunks {
    uint32_t version = 0;
    std::vector<Chunk> chunks; // END included; payloads point into the bytes
};

// Checks the magic, version, every chunk's bounds, flags and CRC, that END is
// last and its file CRC matches, and that nothing follows it. Throws
// nerva::Error "<where>: <problem>". The payloads view `bytes`.
DecodedChunks decodeChunks(const std::string& bytes, const Container& container,
                           const std::string& where);

// The one chunk tagged `tag`: "<where>: duplicate chunk <tag>" if there are
// more, "<where>: missing chunk <tag>" if none and `required` (else null).
const Chunk* findChunk(const std::vector<Chunk>& chunks, const char* tag, bool required,
                       const std::string& where);

// Writes `bytes` to `path` + ".tmp-<pid>", then renames it to `path`: the file
// appears only when complete. Throws nerva::Error
// "<path>: cannot write (<reason>)" and leaves nothing behind on failure.
void writeFileAtomically(const std::string& path, const std::string& bytes);

// The whole file. Throws nerva::Error "<path>: cannot read (<reason>)".
std::string readWholeFile(const std::string& path);

} // namespace nerva::formats::chunked
