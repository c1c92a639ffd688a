// Builds the renderer's fp32 arrays and GpuField record of an .ntri SDF field
// (see field_gpu_data.h and shaders/shared/field/triplane_eval.h).
#include "neural/field/field_gpu_data.h"

#include "neural/core/error.h"

#include <cstdint>

namespace nerva::field {

FieldGpuData buildFieldGpuData(const formats::NtriAsset& a, uint32_t material,
                               const std::string& where) {
    formats::validateNtri(a, where);
    if (a.kind != "sdf")
        throw errorAt(where, "field kind \"" + a.kind + "\" cannot be rendered (only sdf)");
    if (a.layers.size() > shared::kFieldMaxLayers)
        throw errorAt(where, std::to_string(a.layers.size()) + " MLP layers; the renderer takes " +
                                 std::to_string(shared::kFieldMaxLayers) + " at most");
    if (a.levels > shared::kFieldMaxLevels)
        throw errorAt(where, std::to_string(a.levels) + " plane levels; the renderer takes " +
                                 std::to_string(shared::kFieldMaxLevels) + " at most");
    FieldGpuData d;
    shared::GpuField& r = d.record;
    r.resolution = a.resolution;
    r.channels = a.channels;
    r.levels = a.levels;
    r.layerCount = uint32_t(a.layers.size());
    r.widths[0] = a.channels;
    for (size_t l = 0; l < a.layers.size(); ++l) {
        const formats::NmatLayer& L = a.layers[l];
        if (L.in > shared::kFieldMaxWidth || L.out > shared::kFieldMaxWidth)
            throw errorAt(where, "MLP layer " + std::to_string(l) + " is " + std::to_string(L.in) +
                                     " -> " + std::to_string(L.out) + "; the renderer takes " +
                                     std::to_string(shared::kFieldMaxWidth) + " units at most");
        r.widths[l + 1] = L.out;
        if (L.bias) r.biasMask |= 1u << l;
    }
    r.truncation = a.truncation;
    r.material = material;
    r.fieldFromObject = glm::vec4(0.0f, 0.0f, 0.0f, 1.0f); // object space = field box
    d.planes = a.planes;
    d.mlp = a.mlp;
    return d;
}

shared::GpuField hostFieldRecord(const FieldGpuData& d) {
    shared::GpuField r = d.record;
    r.planes = uint64_t(reinterpret_cast<uintptr_t>(d.planes.data()));
    r.mlp = uint64_t(reinterpret_cast<uintptr_t>(d.mlp.data()));
    r.stats = 0;
    return r;
}

} // namespace nerva::field
