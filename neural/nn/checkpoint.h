// Training checkpoints shared by the material trainer and the field fitter:
// everything a deterministic run depends on, so interrupt + resume equals an
// uninterrupted run bit for bit.
//
// File (little-endian, native floats):
//   magic (8 bytes, per tool)  u64 json bytes, json state (tool-defined)
//   u64 parameter count, float32 parameters
//   per Adam: u64 steps, u64 count, float32 m[count], float32 v[count]
//   u32 CRC-32 of everything before it.
#pragma once

#include "neural/nn/adam.h"

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <vector>

namespace nerva::nn {

// Writes path + ".tmp-<pid>" then renames it: the file appears only whole.
// nerva::Error "<path>: cannot write checkpoint" on failure, nothing left.
void writeCheckpoint(const std::string& path, const char magic[8], const nlohmann::json& state,
                     std::span<const float> params, const std::vector<Adam>& adam);

struct Checkpoint {
    nlohmann::json state;
    std::vector<float> params;
    std::vector<Adam> adam;
};

// Reads a checkpoint whose parameters and optimisers must have exactly the
// given sizes. nerva::Error naming the file when it is missing ("no
// checkpoint to resume from"), not `what` (wrong magic), corrupt, truncated
// or of other sizes.
Checkpoint readCheckpoint(const std::string& path, const char magic[8], const std::string& what,
                          size_t paramCount, const std::vector<size_t>& adamSizes);

} // namespace nerva::nn
