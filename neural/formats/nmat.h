// The `.nmat` neural material file (docs/nmat-format.md): the in-memory asset,
// its validation, and strict reading and atomic writing. No Vulkan here: the
// trainer, the CLI and the renderer's loader all share this code.
//
// A neural material (after Zeltner et al., "Real-Time Neural Appearance
// Models") is a pyramid of latent textures (8 channels per texel) plus small
// MLPs (learned shading frames, BRDF decoder, importance sampler). Floats are
// kept as float32 in memory and stored as IEEE fp16 in the file.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nerva::formats {

// The `.nmat` format version this build writes and the newest it reads.
inline constexpr uint32_t kNmatFormatVersion = 1;

// One dense layer y = act(W x + b).
struct NmatLayer {
    uint32_t in = 0, out = 0; // input and output widths
    bool bias = true;         // false: no bias vector (e.g. the shading-frame layer)
    // "none" | "relu" | "leaky_relu" (slope 0.01) | "exp3" (y = exp(x - 3))
    std::string activation = "none";
};

struct NmatNetwork {
    std::string name;              // unique in the asset, e.g. "decoder", "sampler", "frames"
    std::vector<NmatLayer> layers; // layers[i].in == layers[i - 1].out
    // Flat, layer after layer: W[out][in] row-major, then bias[out] when the
    // layer has one. Its size must be nmatParamCount(layers).
    std::vector<float> params;
};

struct NmatLatentLevel {
    uint32_t width = 0, height = 0; // texels
    // width * height * latentChannels values, texel-major (channels fastest),
    // rows top to bottom: texel (x, y) channel c at ((y * width + x) * C + c).
    std::vector<float> texels;
};

struct NmatAsset {
    // Format version the asset was read from; writeNmat always writes
    // kNmatFormatVersion.
    uint32_t version = kNmatFormatVersion;
    std::string name;            // the material's name
    std::string sourceName;      // the reference it was trained from (e.g. a .json path)
    std::string sourceHash;      // lowercase hex digest of the source, may be empty
    uint32_t latentChannels = 8; // channels per texel, 1..64
    // Level 0 finest; level i + 1 is ceil(w / 2) x ceil(h / 2) of level i. Each
    // level encodes the filtered BRDF at its scale (not a downsample). At least
    // one level; none after a 1 x 1 level.
    std::vector<NmatLatentLevel> levels;
    std::vector<NmatNetwork> networks;
    nlohmann::json training = nlohmann::json::object(); // settings, free form
    nlohmann::json metrics = nlohmann::json::object();  // final report, free form
};

// Weights plus biases of a layer stack (what NmatNetwork::params must hold).
uint64_t nmatParamCount(const std::vector<NmatLayer>& layers);

// Throws nerva::Error "<where>: <problem>" when the asset is inconsistent:
// shapes, sizes, names, activations, non-finite or out-of-fp16-range values.
void validateNmat(const NmatAsset& asset, const std::string& where);

// The file's bytes (validated first; `where` names the asset in errors).
// Deterministic: the same asset always encodes to the same bytes.
std::string encodeNmat(const NmatAsset& asset, const std::string& where);

// Parses the bytes of a whole file; `where` (the file name) starts every error
// line. Strict: bad magic, newer format version, truncation, checksum
// mismatches, missing or duplicate chunks and inconsistent sizes all throw
// nerva::Error. Allocations are bounded by bytes.size().
NmatAsset decodeNmat(const std::string& bytes, const std::string& where);

// Validates and writes `asset` to `path` + ".tmp-<pid>", then renames it to
// `path`: the file appears only when complete. Throws nerva::Error
// "<path>: cannot write (<reason>)" and leaves nothing behind on failure.
void writeNmat(const NmatAsset& asset, const std::string& path);

// Reads and decodes `path` (see decodeNmat).
NmatAsset readNmat(const std::string& path);

// Multi-line, human-readable summary for `nerva info` (ends with a newline).
std::string nmatSummary(const NmatAsset& asset);

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, the zlib/PNG one) of
// `size` bytes, continuing from `crc` (0 to start). crc32("123456789") is
// 0xCBF43926.
uint32_t crc32(const void* data, size_t size, uint32_t crc = 0);

} // namespace nerva::formats
