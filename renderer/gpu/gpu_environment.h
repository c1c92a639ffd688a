// An environment map on the device: radiance and importance-sampling tables
// in buffers, described by a shared::GpuEnvMap of their addresses.
#pragma once

#include "renderer/scene/environment_map.h"
#include "renderer/vk/memory.h"
#include "shaders/shared/env_sampling.h"

namespace nerva::gpu {

class GpuEnvironment {
  public:
    // procedural: the map is a bake of shared proceduralSky(), whose radiance
    // the shaders evaluate analytically; the tables still steer sampling.
    GpuEnvironment(const vk::Context& ctx, const EnvironmentMap& map, bool procedural);

    // The record for FrameGlobals, with the given rotation (radians about +Y).
    shared::GpuEnvMap record(float rotation) const;
    bool procedural() const { return procedural_; }

  private:
    vk::Buffer radiance_, func_, marginal_, conditional_;
    uint32_t width_ = 0, height_ = 0;
    float integral_ = 0.0f;
    bool procedural_ = false;
};

} // namespace nerva::gpu
