#include "gpu_neural.h"

#include "neural/formats/half.h"
#include "renderer/vk/check.h"

#include <algorithm>
#include <cstring>

namespace nerva::gpu {

GpuNeuralMaterials::GpuNeuralMaterials(const vk::Context& ctx,
                                       std::span<const formats::NmatAsset> assets,
                                       uint32_t textureBase)
    : pack_(assets, textureBase) {
    const auto& recs = pack_.records();
    materials_ = vk::createBufferWithData(ctx, recs.data(), recs.size() * sizeof(recs[0]),
                                          VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
    weights_ = vk::createBufferWithData(ctx, pack_.weights().data(), weightBytes(),
                                        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);

    // All textures through one staging buffer of fp16 RGBA texels.
    size_t texels = 0;
    for (uint32_t t = 0; t < pack_.textureCount(); ++t)
        texels += pack_.textureTexels(t).size();
    latentBytes_ = texels * 8;
    const vk::Buffer staging =
        vk::createBuffer(ctx, std::max<VkDeviceSize>(latentBytes_, 16), 0, vk::MemoryUse::Upload);
    auto* halves = static_cast<uint16_t*>(staging.mapped);
    for (uint32_t t = 0; t < pack_.textureCount(); ++t)
        for (const shared::vec4& c : pack_.textureTexels(t))
            for (int k = 0; k < 4; ++k)
                *halves++ = formats::floatToHalf(c[k]);
    for (uint32_t t = 0; t < pack_.textureCount(); ++t) {
        const shared::NeuralLatentImage& img = pack_.textureImage(t);
        images_.push_back(vk::createImage2D(
            ctx, img.width, img.height, VK_FORMAT_R16G16B16A16_SFLOAT,
            VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT, img.levels));
    }
    ctx.submitAndWait([&](VkCommandBuffer cmd) {
        VkDeviceSize offset = 0;
        for (uint32_t t = 0; t < pack_.textureCount(); ++t) {
            const shared::NeuralLatentImage& img = pack_.textureImage(t);
            vk::transitionImage(cmd, images_[t].image, VK_IMAGE_LAYOUT_UNDEFINED,
                                VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, img.levels);
            std::vector<VkBufferImageCopy> copies;
            uint32_t w = img.width, h = img.height;
            for (uint32_t l = 0; l < img.levels; ++l) {
                VkBufferImageCopy c{};
                c.bufferOffset = offset;
                c.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, l, 0, 1};
                c.imageExtent = {w, h, 1};
                copies.push_back(c);
                offset += VkDeviceSize(w) * h * 8;
                w = std::max(w / 2, 1u);
                h = std::max(h / 2, 1u);
            }
            vkCmdCopyBufferToImage(cmd, staging.get(), images_[t].image,
                                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, uint32_t(copies.size()),
                                   copies.data());
            vk::transitionImage(cmd, images_[t].image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, img.levels);
        }
    });

    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    si.magFilter = VK_FILTER_LINEAR;
    si.minFilter = VK_FILTER_LINEAR;
    si.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST; // the shader picks integer levels
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT;
    si.anisotropyEnable = VK_FALSE;
    si.minLod = 0.0f;
    si.maxLod = VK_LOD_CLAMP_NONE;
    VkSampler s = VK_NULL_HANDLE;
    VK_CHECK(vkCreateSampler(ctx.device(), &si, nullptr, &s));
    sampler_ = {ctx.device(), s, vkDestroySampler};
}

namespace {

// (hidden, width) when every hidden layer has the same width.
std::optional<std::pair<uint32_t, uint32_t>> uniformLayers(uint32_t hidden, shared::uvec4 w) {
    for (uint32_t l = 1; l < hidden; ++l)
        if (w[l] != w[0]) return std::nullopt;
    return std::pair{hidden, w[0]};
}

} // namespace

std::optional<NeuralShape> GpuNeuralMaterials::sharedShape() const {
    std::optional<NeuralShape> shape;
    for (const shared::GpuNeuralMaterial& r : pack_.records()) {
        const auto d = uniformLayers(r.decoderHidden, r.decoderWidth);
        const auto s = uniformLayers(r.samplerHidden, r.samplerWidth);
        if (!d || !s) return std::nullopt;
        const NeuralShape here{d->first, d->second, s->first, s->second};
        if (shape && *shape != here) return std::nullopt;
        shape = here;
    }
    return shape;
}

uint32_t GpuNeuralMaterials::maxWidth() const {
    uint32_t w = shared::kNeuralDecoderInputs;
    for (const shared::GpuNeuralMaterial& r : pack_.records())
        for (uint32_t l = 0; l < shared::kNeuralMaxHidden; ++l)
            w = std::max({w, r.decoderWidth[l], r.samplerWidth[l]});
    return w;
}

shared::GpuNeuralView GpuNeuralMaterials::view() const {
    return {materials_.address, weights_.address};
}

std::vector<VkDescriptorImageInfo> GpuNeuralMaterials::imageInfos() const {
    std::vector<VkDescriptorImageInfo> infos;
    for (const vk::Image& img : images_)
        infos.push_back({sampler_.get(), img.view.get(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL});
    return infos;
}

} // namespace nerva::gpu
