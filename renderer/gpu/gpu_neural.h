// A set of neural materials (.nmat assets) on the device, for the shared
// evaluation in shaders/shared/neural/neural_eval.h: one buffer of
// GpuNeuralMaterial records, one buffer of every network's fp32 weights
// (read through device addresses: view()), two RGBA16F latent textures per
// material with their mip chains taken from the asset's levels (level i =
// mip i, never generated: each level encodes the BRDF filtered at its scale),
// and one sampler (linear, mipmap nearest, repeat, no anisotropy). The
// records and weights are those of material::NeuralMaterialPack, the CPU
// reference, so both evaluate the same material.
//
// Binding: the latent textures go into a bindless `sampler2D` array at
// indices textureBase .. textureBase + textureCount() - 1 (imageInfos(), in
// that order); GpuNeuralMaterial::latentTextureA / B hold absolute indices.
// Latent values are rounded to fp16 on upload (exact for assets read from a
// .nmat file, whose values are fp16 already). Move-only.
#pragma once

#include "neural/formats/nmat.h"
#include "neural/material/neural_eval_cpu.h"
#include "renderer/vk/memory.h"

#include <compare>
#include <optional>
#include <span>
#include <vector>

namespace nerva::gpu {

// Network shape shared by every material of a set, which the path tracer's
// shaders are specialised on (hidden layers and their one width, per network;
// see PathTracer::pipelineDesc). Sets with mixed shapes, or layers of unequal
// width, run the generic shaders (loop bounds read from the records).
struct NeuralShape {
    uint32_t decoderHidden = 0, decoderWidth = 0;
    uint32_t samplerHidden = 0, samplerWidth = 0;
    auto operator<=>(const NeuralShape&) const = default;
};

class GpuNeuralMaterials {
  public:
    // Throws nerva::Error for assets the shaders cannot evaluate (see
    // neural_eval_cpu.h) and on Vulkan errors.
    GpuNeuralMaterials(const vk::Context& ctx, std::span<const formats::NmatAsset> assets,
                       uint32_t textureBase = 0);
    GpuNeuralMaterials(GpuNeuralMaterials&&) noexcept = default;
    GpuNeuralMaterials& operator=(GpuNeuralMaterials&&) noexcept = default;

    shared::GpuNeuralView view() const;
    // The CPU reference of exactly these records and weights (latents in
    // float, before the fp16 rounding of the upload).
    const material::NeuralMaterialPack& pack() const { return pack_; }
    uint32_t materialCount() const { return pack_.size(); }
    uint32_t textureBase() const { return pack_.textureBase(); }
    uint32_t textureCount() const { return uint32_t(images_.size()); }
    VkSampler sampler() const { return sampler_.get(); }
    // The shape every material shares, if they do (see NeuralShape).
    std::optional<NeuralShape> sharedShape() const;
    // The widest layer of any network (inputs included): the shaders'
    // activation arrays must hold it.
    uint32_t maxWidth() const;
    // Descriptor writes for the bindless array, texture textureBase + i at [i]
    // (SHADER_READ_ONLY_OPTIMAL, this set's sampler).
    std::vector<VkDescriptorImageInfo> imageInfos() const;
    // Device bytes of the latent textures and of the weight buffer.
    size_t latentBytes() const { return latentBytes_; }
    size_t weightBytes() const { return pack_.weights().size() * sizeof(float); }

  private:
    material::NeuralMaterialPack pack_;
    vk::Buffer materials_, weights_;
    std::vector<vk::Image> images_;
    vk::Handle<VkSampler> sampler_;
    size_t latentBytes_ = 0;
};

} // namespace nerva::gpu
