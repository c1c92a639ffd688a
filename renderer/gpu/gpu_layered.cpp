#include "gpu_layered.h"

namespace nerva::gpu {
namespace {

template <typename T> vk::Buffer upload(const vk::Context& ctx, const std::vector<T>& v) {
    return vk::createBufferWithData(ctx, v.data(), v.size() * sizeof(T),
                                    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
}

} // namespace

GpuLayeredMaterials::GpuLayeredMaterials(const vk::Context& ctx,
                                         const material::LayeredMaterialSet& set)
    : materials_(upload(ctx, set.materials())), images_(upload(ctx, set.images())),
      texels_(upload(ctx, set.texels())), ggx_(upload(ctx, set.tables().ggx)),
      dielectric_(upload(ctx, set.tables().dielectric)), sheen_(upload(ctx, set.tables().sheen)),
      textureBytes_(set.textureBytes()) {}

shared::GpuLayeredView GpuLayeredMaterials::view() const {
    shared::GpuLayeredView v{};
    v.materials = materials_.address;
    v.images = images_.address;
    v.texels = texels_.address;
    v.tables.ggx = ggx_.address;
    v.tables.dielectric = dielectric_.address;
    v.tables.sheen = sheen_.address;
    return v;
}

} // namespace nerva::gpu
