// Uploads the tri-plane SDF fields of a scene (gpu_fields.h): fp32 arrays,
// records and one AABB BLAS per field (built in acceleration.cpp).
#include "renderer/gpu/gpu_fields.h"

#include "neural/core/error.h"
#include "neural/field/field_gpu_data.h"
#include "renderer/gpu/gpu_scene.h"
#include "shaders/shared/scene_types.h"

#include <cstring>

namespace nerva::gpu {

GpuFields::GpuFields(const vk::Context& ctx, const scene::Scene& scene, uint32_t defaultMaterial) {
    constexpr VkBufferUsageFlags kUsage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
    // One box for all fields: [-1, 1]^3, object space = field box.
    const VkAabbPositionsKHR box{-1.0f, -1.0f, -1.0f, 1.0f, 1.0f, 1.0f};
    aabbs_ = vk::createBufferWithData(
        ctx, &box, sizeof box,
        kUsage | VK_BUFFER_USAGE_ACCELERATION_STRUCTURE_BUILD_INPUT_READ_ONLY_BIT_KHR);
    stats_ = vk::createBuffer(ctx, 16, kUsage, vk::MemoryUse::Readback);
    resetStats();
    std::vector<shared::GpuField> records;
    for (const scene::Field& f : scene.fields) {
        if (!f.asset) throw Error(f.uri + ": field asset not loaded");
        const uint32_t material = f.material >= 0 ? uint32_t(f.material) : defaultMaterial;
        if (material > defaultMaterial)
            throw Error(f.uri + ": field material " + std::to_string(material) +
                        " is out of range (" + std::to_string(defaultMaterial) + " materials)");
        const field::FieldGpuData d = field::buildFieldGpuData(*f.asset, material, f.uri);
        planes_.push_back(vk::createBufferWithData(ctx, d.planes.data(),
                                                   d.planes.size() * sizeof(float), kUsage));
        mlps_.push_back(
            vk::createBufferWithData(ctx, d.mlp.data(), d.mlp.size() * sizeof(float), kUsage));
        shared::GpuField r = d.record;
        FieldShape shape{r.channels, r.levels, r.layerCount, r.layerCount > 1 ? r.widths[1] : 0};
        bool uniform = r.widths[r.layerCount] == 1;
        for (uint32_t l = 1; l < r.layerCount; ++l)
            uniform = uniform && r.widths[l] == shape.hidden;
        if (records.empty() && uniform) shape_ = shape;
        if (!uniform || !shape_ || !(*shape_ == shape)) shape_.reset();
        r.planes = planes_.back().address;
        r.mlp = mlps_.back().address;
        r.stats = stats_.address;
        records.push_back(r);
        blases_.push_back(buildAabbBlas(ctx, aabbs_.address));
    }
    count_ = records.size();
    records_ = vk::createBufferWithData(ctx, records.data(),
                                        records.size() * sizeof(shared::GpuField), kUsage);
}

GpuFields::~GpuFields() = default;

void GpuFields::appendInstances(const scene::Scene& scene,
                                std::vector<VkAccelerationStructureInstanceKHR>& out) const {
    for (size_t i = 0; i < scene.fields.size() && i < blases_.size(); ++i) {
        VkAccelerationStructureInstanceKHR vi{};
        const glm::mat4& m = scene.fields[i].toWorld;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 4; ++c)
                vi.transform.matrix[r][c] = m[c][r]; // row-major 3x4 from column-major glm
        vi.instanceCustomIndex = uint32_t(i);
        vi.mask = 0xFF;
        vi.instanceShaderBindingTableRecordOffset = shared::kHitGroupFields;
        vi.flags = VK_GEOMETRY_INSTANCE_TRIANGLE_FACING_CULL_DISABLE_BIT_KHR;
        vi.accelerationStructureReference = blases_[i].address;
        out.push_back(vi);
    }
}

void GpuFields::resetStats() const {
    std::memset(stats_.mapped, 0, 8);
}

FieldStats GpuFields::stats() const {
    uint32_t v[2];
    std::memcpy(v, stats_.mapped, sizeof v);
    return {v[0], v[1]};
}

} // namespace nerva::gpu
