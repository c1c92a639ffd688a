// The neural material's decoder (frames layer + decoder MLP -> f cos) run on
// a coherent batch of queries of ONE material whose latents are already
// fetched (shaders/neural/decoder_batch_io.h), by one of two kernels:
//   ScalarFp32  shaders/neural/decoder_batch.comp: one query per invocation
//               through the shared neuralEval in fp32 (specialised widths),
//   CoopMatrix  shaders/neural/decoder_coop.comp: tiles of queries per
//               subgroup, every layer as fp16 x fp16 -> fp32 cooperative-
//               matrix products (VK_NV_cooperative_matrix), fp16 transposed
//               zero-padded weight copies made here once.
// The matrix path exists for devices with matrix units (the paper's
// decoder runs on tensor cores); coopMatrixSupport() says whether the device
// has what it needs and why not, which callers report as their choice.
// Move-only.
#pragma once

#include "renderer/gpu/gpu_neural.h"
#include "renderer/shader/shader_compiler.h"
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nerva::gpu {

enum class DecoderPath { ScalarFp32, CoopMatrix };

const char* decoderPathName(DecoderPath p);

class NeuralBatchDecoder {
  public:
    // Builds the kernel of `path` for material `material` of `materials`
    // (which must outlive this object: its buffers are read by address).
    // Throws nerva::Error when the material's decoder is not one hidden
    // width repeated (the kernels are specialised on it), or for CoopMatrix
    // when coopMatrixSupport() is false (with its reason).
    NeuralBatchDecoder(const vk::Context& ctx, ShaderCompiler& compiler,
                       const GpuNeuralMaterials& materials, uint32_t material, DecoderPath path);
    NeuralBatchDecoder(NeuralBatchDecoder&&) noexcept = default;
    NeuralBatchDecoder& operator=(NeuralBatchDecoder&&) noexcept = default;

    DecoderPath path() const { return path_; }
    // "scalar fp32" or "coop matrix 16x16x16 fp16->fp32, subgroup 32".
    const std::string& description() const { return description_; }

    // Records the dispatch: f cos (3 floats) of queries[i] into results[i]
    // for i < count (buffers of NeuralDecodeQuery and vec3, with device
    // addresses). The caller adds the barriers its use of results needs.
    void decode(VkCommandBuffer cmd, const vk::Buffer& queries, const vk::Buffer& results,
                uint32_t count) const;

    // Whether the device can run CoopMatrix (VK_NV_cooperative_matrix with a
    // subgroup-scope fp16 x fp16 -> fp32 shape, shaderFloat16,
    // storageBuffer16BitAccess, subgroup operations in compute), and a
    // one-line reason either way (the chosen shape, or what is missing).
    static std::pair<bool, std::string> coopMatrixSupport(const vk::Context& ctx);

    // The compute kernels this class builds (relative to shaders/), for the
    // test that every shipped shader belongs to a pipeline.
    static std::vector<std::string> shaderFiles();

  private:
    DecoderPath path_ = DecoderPath::ScalarFp32;
    std::string description_;
    vk::ComputePipeline pipeline_;
    vk::Buffer halfWeights_; // CoopMatrix: the decoder's fp16 transposed padded matrices
    shared::GpuNeuralView view_{};
    uint32_t material_ = 0;
    uint32_t rowsPerGroup_ = 0; // queries one work group covers per pass
};

} // namespace nerva::gpu
