// The tri-plane SDF fields of a scene on the device (docs/fields.md): per
// field its fp32 plane and MLP buffers, its GpuField record
// (shaders/shared/field/triplane_eval.h) and one BLAS holding a single AABB,
// the field box [-1, 1]^3 in object space. GpuScene places each field as a
// TLAS instance: transform = the scene placement (field box -> world),
// custom index = the field's record, SBT offset kHitGroupFields (the
// procedural hit group: field.rint + field.rchit).
#pragma once

#include "renderer/scene/scene_model.h"
#include "renderer/vk/memory.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace nerva::gpu {

struct AccelerationStructure;

// The network shape every field of a scene shares, when they share one: the
// field shaders are then compiled with it as constants (the NERVA_FIELD_*
// defines of shaders/shared/field/triplane_eval.h).
struct FieldShape {
    uint32_t channels = 0, levels = 0, layers = 0, hidden = 0;
    bool operator==(const FieldShape&) const = default;
};

// Sphere-tracing statistics summed over the intersection shader calls since
// the last resetStats().
struct FieldStats {
    uint64_t calls = 0; // intersection shader invocations (camera, bounce and shadow rays)
    uint64_t steps = 0; // field evaluations in the march (refinement included)
    double stepsPerCall() const { return calls ? double(steps) / double(calls) : 0.0; }
};

class GpuFields {
  public:
    // `defaultMaterial`: the material index of fields without one. Throws
    // nerva::Error "<uri>: ..." for fields the renderer cannot draw.
    GpuFields(const vk::Context& ctx, const scene::Scene& scene, uint32_t defaultMaterial);
    ~GpuFields();

    size_t count() const { return count_; }
    VkDeviceAddress records() const { return records_.address; } // GpuField[count()]
    // The TLAS instances of every field, appended to `out`.
    void appendInstances(const scene::Scene& scene,
                         std::vector<VkAccelerationStructureInstanceKHR>& out) const;

    // The shape all fields share (1 output, hidden layers of one width);
    // none when there are no fields or they differ.
    std::optional<FieldShape> sharedShape() const { return shape_; }

    void resetStats() const;
    FieldStats stats() const;

  private:
    std::vector<vk::Buffer> planes_, mlps_;
    std::vector<AccelerationStructure> blases_;
    vk::Buffer aabbs_, records_, stats_;
    size_t count_ = 0;
    std::optional<FieldShape> shape_;
};

} // namespace nerva::gpu
