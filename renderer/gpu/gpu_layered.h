// A set of reference layered materials on the device: records, texel images
// and albedo tables in buffers read through device addresses, described by a
// shared::GpuLayeredView (the same bytes the CPU eval reads).
#pragma once

#include "neural/material/material_set.h"
#include "renderer/vk/memory.h"

namespace nerva::gpu {

class GpuLayeredMaterials {
  public:
    GpuLayeredMaterials(const vk::Context& ctx, const material::LayeredMaterialSet& set);

    shared::GpuLayeredView view() const;
    // Device bytes of the texel buffer (the textures of every material).
    size_t textureBytes() const { return textureBytes_; }

  private:
    vk::Buffer materials_, images_, texels_, ggx_, dielectric_, sheen_;
    size_t textureBytes_ = 0;
};

} // namespace nerva::gpu
