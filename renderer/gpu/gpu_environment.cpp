#include "gpu_environment.h"

namespace nerva::gpu {
namespace {

vk::Buffer upload(const vk::Context& ctx, const std::vector<float>& v) {
    return vk::createBufferWithData(ctx, v.data(), v.size() * sizeof(float),
                                    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
}

} // namespace

GpuEnvironment::GpuEnvironment(const vk::Context& ctx, const EnvironmentMap& map, bool procedural)
    : radiance_(upload(ctx, map.rgb)), func_(upload(ctx, map.func)),
      marginal_(upload(ctx, map.marginalCdf)), conditional_(upload(ctx, map.conditionalCdf)),
      width_(map.width), height_(map.height), integral_(map.integral), procedural_(procedural) {}

shared::GpuEnvMap GpuEnvironment::record(float rotation) const {
    shared::GpuEnvMap r{};
    r.radiance = radiance_.address;
    r.func = func_.address;
    r.marginalCdf = marginal_.address;
    r.conditionalCdf = conditional_.address;
    r.width = width_;
    r.height = height_;
    r.integral = integral_;
    r.rotation = rotation;
    return r;
}

} // namespace nerva::gpu
