// Neural materials (.nmat assets) packed into the records of
// shaders/shared/neural/neural_eval.h, and that shared code run on the CPU.
// This is the reference the GPU build must match (tests/gpu/test_neural_gpu.cpp),
// and the packing the GPU upload (renderer/gpu/gpu_neural.h) reuses, so
// both sides read the same records, weights and texture indices.
//
// Packing: material i gets GpuNeuralMaterial record i; its "frames", "decoder"
// and "sampler" parameters are appended to one float array (offsets in floats);
// its latents become two RGBA textures, A = channels 0-3 at index
// textureBase + 2 i, B = channels 4-7 at textureBase + 2 i + 1, mip level l =
// .nmat level l. The asset's values are used as they are (already fp16-rounded
// when read from a file; GpuNeuralMaterials rounds them to fp16 on upload).
//
// Accepted assets (anything else is a nerva::Error naming the asset): 8 latent
// channels, level 0 of power-of-two width and height (so .nmat's halving
// rounding up equals Vulkan's mip sizes), networks "frames" (8 -> 12, no bias,
// "none"), "decoder" (20 -> 1..4 ReLU layers -> 3, "exp3"), "sampler" (11 ->
// 1..4 ReLU layers -> 9, "none"), all widths <= kNeuralMaxWidth.
#pragma once

#include "neural/formats/nmat.h"
#include "shared/neural/neural_eval.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace nerva::material {

// Throws the nerva::Error NeuralMaterialPack would for an asset the shaders
// cannot evaluate (see above), without packing anything.
void checkNeuralAsset(const formats::NmatAsset& asset);

class NeuralMaterialPack {
  public:
    NeuralMaterialPack() = default;
    // Packs `assets` in order (material i = assets[i]); the latent textures
    // are numbered from textureBase (their place in a renderer's bindless array).
    explicit NeuralMaterialPack(std::span<const formats::NmatAsset> assets,
                                uint32_t textureBase = 0);
    NeuralMaterialPack(const NeuralMaterialPack&) = delete; // the view points inside
    NeuralMaterialPack& operator=(const NeuralMaterialPack&) = delete;
    NeuralMaterialPack(NeuralMaterialPack&&) = default;
    NeuralMaterialPack& operator=(NeuralMaterialPack&&) = default;

    uint32_t size() const { return uint32_t(records_.size()); }
    const std::vector<shared::GpuNeuralMaterial>& records() const { return records_; }
    const std::vector<float>& weights() const { return weights_; }
    uint32_t textureBase() const { return textureBase_; }
    // Texture t - textureBase: RGBA float texels of every level, level 0 first.
    const std::vector<shared::vec4>& textureTexels(uint32_t t) const { return texels_[t]; }
    const shared::NeuralLatentImage& textureImage(uint32_t t) const { return images_[t]; }
    uint32_t textureCount() const { return uint32_t(images_.size()); }

    // Host pointers for the shared functions (valid while this pack lives).
    shared::NeuralView view() const;

    // Convenience wrappers of the shared functions for material m.
    shared::NeuralLatent latent(uint32_t m, shared::vec2 uv, uint32_t level) const;
    shared::vec3 eval(uint32_t m, shared::vec2 uv, uint32_t level, shared::vec3 wo,
                      shared::vec3 wi) const;
    std::array<float, shared::kNeuralSamplerOutputs>
    samplerRaw(uint32_t m, shared::vec2 uv, uint32_t level, shared::vec3 wo) const;

  private:
    std::vector<shared::GpuNeuralMaterial> records_;
    std::vector<float> weights_;
    std::vector<std::vector<shared::vec4>> texels_;
    std::vector<shared::NeuralLatentImage> images_; // point into texels_
    uint32_t textureBase_ = 0;
};

} // namespace nerva::material
