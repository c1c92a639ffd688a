// The renderer's form of a tri-plane SDF field (shaders/shared/field/
// triplane_eval.h): fp32 plane and MLP arrays plus the GpuField record, built
// from an .ntri asset with no Vulkan. The GPU upload (renderer/gpu/
// gpu_fields.h) copies the arrays into buffers and patches the addresses;
// hostFieldRecord() points them at these vectors instead, so the C++ build
// of the shared header evaluates exactly what the shaders evaluate.
#pragma once

#include "neural/formats/ntri.h"
#include "shaders/shared/field/triplane_eval.h"

#include <string>
#include <vector>

namespace nerva::field {

struct FieldGpuData {
    shared::GpuField record{}; // addresses 0 until placed (GPU) or hostFieldRecord()
    std::vector<float> planes; // levels finest first, XY, XZ, YZ, each [v][u][c]
    std::vector<float> mlp;    // per layer W[out][in], then bias[out] if present
};

// Throws nerva::Error "<where>: ..." when the asset is not an "sdf" field or
// its MLP exceeds the GPU evaluator's limits (kFieldMaxLayers layers,
// kFieldMaxWidth units). `material` goes into the record as is.
FieldGpuData buildFieldGpuData(const formats::NtriAsset& asset, uint32_t material,
                               const std::string& where);

// The record with host-pointer addresses into `d` (valid while d lives and
// is not resized), for evaluating the shared header on the CPU.
shared::GpuField hostFieldRecord(const FieldGpuData& d);

} // namespace nerva::field
