// The neural material of Zeltner et al., "Real-Time Neural Appearance
// Models" (DESIGN.md §4), on the CPU: the latent pyramid, the learned
// shading frames, the decoder, the importance sampler's network and the
// (training-only) encoder, with ALL parameters in one flat float vector cut
// into named ranges so each range gets its own Adam and learning rate.
//
// BRDF path for one query (uv, level, wo, wi), directions in tangent space:
//   latent z (C = 8)  = bilinear(pyramid level, uv)       [Pyramid source]
//                     or encoder(reference parameters)     [Encoder source]
//   delta (12)        = frames(z)         (bias-free linear 8 -> 12)
//   features (12)     = frameFeatures(delta, wo, wi)       (h, wo | h, wi; shading_frames.h)
//   f cos (3, rgb)    = decoder([z, features])  (20 -> hidden (ReLU) -> 3, exp(x - 3))
// The sampler network maps [z, wo] (8 + 3, wo = the given direction, toward
// the viewer) to the 9 raw parameters of shaders/shared/neural/sampler_mixture.h.
#pragma once

#include "neural/material/encoder_inputs.h"
#include "neural/material/latent_pyramid.h"
#include "neural/material/training_samples.h"
#include "neural/nn/mlp.h"
#include "neural/nn/thread_pool.h"

#include <glm/glm.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nerva::material {

constexpr uint32_t kFrameOutputs = 12;  // delta: dn_0, dt_0, dn_1, dt_1
constexpr uint32_t kFrameFeatures = 12; // wo, wi in two frames
constexpr uint32_t kSamplerOutputs = 9; // the mixture's raw parameters

struct NeuralMaterialConfig {
    uint32_t latentChannels = 8;
    uint32_t resolution = 512; // texels across latent level 0 (full pyramid below)
    std::vector<uint32_t> decoderHidden = {32, 32};
    std::vector<uint32_t> samplerHidden = {32, 32, 32};
    uint32_t encoderInputs = kEncoderInputs;
    std::vector<uint32_t> encoderHidden = {64, 64};

    // The default config with the decoder variant `variant` ("2x16",
    // "2x32" (the paper's main one), "3x64", ...; see parseDecoderVariant).
    static NeuralMaterialConfig withDecoder(std::string_view variant);
};

// "<layers>x<width>" -> `layers` hidden widths of `width` (1..8 layers,
// width 1..1024). Throws nerva::Error naming the string otherwise.
std::vector<uint32_t> parseDecoderVariant(std::string_view variant);
// The inverse for uniform widths ("2x32"); "32-16" style otherwise.
std::string decoderVariantName(const std::vector<uint32_t>& hidden);

// The ranges of the flat parameter vector, in this order.
enum class ParamGroup : uint32_t { Latents, Frames, Decoder, Sampler, Encoder };
constexpr uint32_t kParamGroupCount = 5;
const char* paramGroupName(ParamGroup g); // "latents", "frames", ...

struct ParamRange {
    size_t offset = 0; // floats from the start of the flat vector
    size_t count = 0;
};

// Where the BRDF path takes its latent from.
enum class LatentSource : uint32_t {
    Encoder, // encoder(BrdfBatch::encoderInputs): gradients train the encoder
    Pyramid, // bilinear(pyramid, uv, level): gradients scatter into the latents
};

// One batch of BRDF training rows.
struct BrdfBatch {
    const TrainingSample* samples = nullptr; // uses uv, level, wo, wi, fcos (target)
    size_t count = 0;
    // Encoder source only: count x config.encoderInputs, batch-major
    // (encoder_inputs.h).
    const float* encoderInputs = nullptr;
    // The eps of the log-space L1 loss (nn::l1LogLoss).
    float lossEpsilon = 1.0f;
};

// Rows per chunk of the parallel BRDF batch: fixed, so the chunking (and the
// result, bit for bit) does not depend on the thread count.
constexpr size_t kBrdfChunkRows = 256;

// One chunk's scratch of brdfLossAndGradient (reused between calls).
template <class T> struct BrdfChunk {
    nn::MlpWorkspace<T> encoderWs, framesWs, decoderWs;
    std::vector<T> encoderIn, latent, delta, jac, x, y, target, dy, dx, dDelta, dLatent, dLatFrames;
    std::vector<BilinearTaps> taps;
    std::vector<T> grad; // the networks' gradient: params [Frames.offset, end)
    double loss = 0.0;
};
template <class T> struct BrdfWorkspace { std::vector<BrdfChunk<T>> chunks; };

class NeuralMaterialModel {
  public:
    // Validates the config (nerva::Error on zero sizes) and initialises the
    // parameters with initialise(seed).
    explicit NeuralMaterialModel(NeuralMaterialConfig config, uint64_t seed = 1);

    const NeuralMaterialConfig& config() const { return config_; }
    const LatentPyramid& pyramid() const { return pyramid_; }
    const nn::Mlp& frames() const { return frames_; }
    const nn::Mlp& decoder() const { return decoder_; }
    const nn::Mlp& sampler() const { return sampler_; }
    const nn::Mlp& encoder() const { return encoder_; }

    size_t parameterCount() const { return params_.size(); }
    ParamRange range(ParamGroup g) const { return ranges_[uint32_t(g)]; }
    std::vector<float>& parameters() { return params_; }
    const std::vector<float>& parameters() const { return params_; }
    std::span<float> parameters(ParamGroup g);
    std::span<const float> parameters(ParamGroup g) const;

    // Deterministic from seed: latents uniform in +-latentNoise; frames zero
    // (the canonical frames); decoder Kaiming/Xavier with its last layer zero
    // (f cos = e^-3 everywhere at start); sampler and encoder Kaiming/Xavier.
    void initialise(uint64_t seed, float latentNoise = 0.01f);

    // Loss of a batch: mean over rows of the l1LogLoss (neural/nn/losses.h) of
    // the decoder's f cos against samples[i].fcos; ADDS d loss / d params to
    // grad (parameterCount() floats, same layout as params): for the Pyramid
    // source into the latents the rows touch, for the Encoder source into the
    // encoder (the latents' range untouched); the frames and decoder in both.
    // The batch runs in chunks of kBrdfChunkRows rows on `pool` (null: the
    // calling thread), each with its own gradient buffer, summed in chunk
    // order: the result is identical for any thread count.
    // Templated so the gradient checks run the same code in double.
    template <class T>
    double brdfLossAndGradient(std::span<const T> params, LatentSource source,
                               const BrdfBatch& batch, std::span<T> grad, BrdfWorkspace<T>& ws,
                               nn::ThreadPool* pool = nullptr) const;
    // The same with this model's own parameters.
    double brdfLossAndGradient(LatentSource source, const BrdfBatch& batch, std::span<float> grad,
                               BrdfWorkspace<float>& ws, nn::ThreadPool* pool = nullptr) const;

    // One query with the Pyramid source: f cos (rgb) at (uv, level) for
    // directions wo, wi (tangent space, unit). A plain per-query evaluation
    // (no batching), the model of what the GPU shader computes.
    glm::vec3 evalNeural(glm::vec2 uv, uint32_t level, glm::vec3 wo, glm::vec3 wi) const;
    // The latent at (uv, level) (config.latentChannels floats).
    void latentAt(glm::vec2 uv, uint32_t level, float* out) const;
    // The sampler's 9 raw outputs for the latent at (uv, level) and wo.
    std::array<float, kSamplerOutputs> samplerRaw(glm::vec2 uv, uint32_t level, glm::vec3 wo) const;
    // The encoder over `count` rows of encoder inputs -> count x C latents.
    void encode(const float* inputs, size_t count, float* latents) const;

  private:
    NeuralMaterialConfig config_;
    LatentPyramid pyramid_;
    nn::Mlp frames_, decoder_, sampler_, encoder_;
    std::array<ParamRange, kParamGroupCount> ranges_{};
    std::vector<float> params_;
};

} // namespace nerva::material
