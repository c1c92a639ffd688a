// The `.ntri` tri-plane field file (docs/ntri-format.md): the in-memory
// asset, its validation, strict reading and atomic writing. Same container
// as `.nmat` (chunked, CRC-32 per chunk plus a whole-file CRC in END, JSON
// header); no Vulkan and no dependency on the fitting code.
//
// Planes follow the convention of neural/field/triplane_field.h: levels
// finest first, planes XY, XZ, YZ within a level, each R x R x C floats
// row-major [v][u][c]. Stored as fp16, or optionally as 8 bits per value
// with a (min, max) range per (level, plane, channel). MLP weights are fp16.
#pragma once

#include "neural/formats/nmat.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace nerva::formats {

// The `.ntri` format version this build writes and the newest it reads.
inline constexpr uint32_t kNtriFormatVersion = 1;

enum class NtriPlaneEncoding : uint32_t { Fp16 = 0, Unorm8 = 1 };
const char* ntriEncodingName(NtriPlaneEncoding e); // "fp16" | "u8"

struct NtriAsset {
    uint32_t version = kNtriFormatVersion; // as read; writeNtri writes the current one
    std::string kind = "sdf";              // "sdf" | "occupancy" | "density_color"
    uint32_t resolution = 128;             // level 0 texels per side, 2..4096
    uint32_t channels = 16;                // 1..64
    uint32_t levels = 1;                   // 1..3; level l is max(resolution >> l, 2)
    float truncation = 0.1f;               // sdf band tau, field units, > 0
    // Mesh -> field map: p_field = (p_mesh - centre) * scale (scale > 0).
    std::array<float, 3> centre{0.0f, 0.0f, 0.0f};
    float scale = 1.0f;
    std::string sourceName; // the mesh it was fitted from
    std::string sourceHash; // lowercase hex digest of the mesh file, may be empty
    NtriPlaneEncoding encoding = NtriPlaneEncoding::Fp16;
    // All planes (see the file comment); size ntriPlaneValueCount(*this).
    // With Unorm8 the in-memory values are what the file decodes to
    // (writeNtri quantises; re-encoding a decoded asset gives the same codes).
    std::vector<float> planes;
    // The decoder MLP: channels -> ... -> outputs(kind); hidden layers
    // "relu", the last "none". params in nn::Mlp / .nmat layout.
    std::vector<NmatLayer> layers;
    std::vector<float> mlp;
    nlohmann::json fit = nlohmann::json::object();     // settings, free form
    nlohmann::json metrics = nlohmann::json::object(); // final report, free form
};

uint32_t ntriLevelResolution(const NtriAsset& a, uint32_t level);
uint64_t ntriPlaneValueCount(const NtriAsset& a);
uint32_t ntriKindOutputs(const std::string& kind); // 0 for an unknown kind

// Throws nerva::Error "<where>: <problem>" when the asset is inconsistent.
void validateNtri(const NtriAsset& a, const std::string& where);

// The file's bytes (validated first). Deterministic.
std::string encodeNtri(const NtriAsset& a, const std::string& where);
// Strict: bad magic, newer version, truncation, checksum mismatches, missing
// or duplicate chunks and inconsistent sizes all throw nerva::Error naming
// `where`. Allocations are bounded by bytes.size().
NtriAsset decodeNtri(const std::string& bytes, const std::string& where);

// Temp file + rename; "<path>: cannot write (<reason>)" and nothing left
// behind on failure.
void writeNtri(const NtriAsset& a, const std::string& path);
NtriAsset readNtri(const std::string& path);

// Multi-line summary for `nerva info` (ends with a newline).
std::string ntriSummary(const NtriAsset& a);

} // namespace nerva::formats
