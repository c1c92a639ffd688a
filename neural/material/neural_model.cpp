#include "neural/material/neural_model.h"

#include "neural/core/error.h"
#include "neural/material/shading_frames.h"
#include "neural/nn/losses.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace nerva::material {
namespace {

const NeuralMaterialConfig& validated(const NeuralMaterialConfig& c) {
    // Widths up to 1024: denseForward's scratch.
    auto positive = [](const std::vector<uint32_t>& v) {
        return std::all_of(v.begin(), v.end(), [](uint32_t w) { return w > 0 && w <= 1024; });
    };
    if (c.latentChannels == 0 || c.resolution == 0 || c.encoderInputs == 0 ||
        !positive(c.decoderHidden) || !positive(c.samplerHidden) || !positive(c.encoderHidden))
        throw Error(
            "NeuralMaterialConfig: channels, resolution and inputs must be positive, widths "
            "in 1..1024");
    return c;
}

std::vector<uint32_t> widths(uint32_t in, const std::vector<uint32_t>& hidden, uint32_t out) {
    std::vector<uint32_t> w{in};
    w.insert(w.end(), hidden.begin(), hidden.end());
    w.push_back(out);
    return w;
}

nn::Mlp framesMlp(const NeuralMaterialConfig& c) {
    return nn::Mlp({{c.latentChannels, kFrameOutputs, false, nn::Activation::None}});
}

// A plain dense forward of one row: y = act(W x + b) layer after layer, the
// per-query model of the GPU shader (and an independent check of the batched
// path). x and y may not alias; scratch is local.
void denseForward(const nn::Mlp& mlp, const float* params, const float* x, float* y) {
    float a[2][1024];
    const float* in = x;
    for (size_t l = 0; l < mlp.layers().size(); ++l) {
        const nn::LayerSpec& L = mlp.layers()[l];
        const nn::LayerOffsets& o = mlp.offsets(l);
        float* out = l + 1 == mlp.layers().size() ? y : a[l & 1];
        for (uint32_t r = 0; r < L.out; ++r) {
            const float* w = params + o.weights + size_t(r) * L.in;
            float s = L.bias ? params[o.bias + r] : 0.0f;
            for (uint32_t i = 0; i < L.in; ++i)
                s += w[i] * in[i];
            switch (L.activation) {
            case nn::Activation::None:
                break;
            case nn::Activation::ReLU:
                s = std::max(s, 0.0f);
                break;
            case nn::Activation::LeakyReLU:
                s = s > 0.0f ? s : nn::kLeakySlope * s;
                break;
            case nn::Activation::Exp3:
                s = std::exp(s - 3.0f);
                break;
            }
            out[r] = s;
        }
        in = out;
    }
}

// Forward and backward of rows [first, first + rows) of the batch (the loss
// divided by the whole batch.count) into chunk c (its loss and its networks' gradient; the
// Pyramid source leaves dLatent and taps for the caller's ordered scatter).
template <class T>
void brdfChunk(const NeuralMaterialModel& m, std::span<const T> params, LatentSource source,
               const BrdfBatch& batch, size_t first, size_t rows, BrdfChunk<T>& c) {
    const uint32_t C = m.config().latentChannels;
    const uint32_t D = C + kFrameFeatures;
    // c.grad: frames and decoder (adjacent in the flat vector), then the
    // encoder for the Encoder source.
    const size_t encoderAt = m.range(ParamGroup::Frames).count + m.range(ParamGroup::Decoder).count;
    auto sub = [&](ParamGroup g) {
        const ParamRange r = m.range(g);
        return params.subspan(r.offset, r.count);
    };
    auto gradSub = [&](ParamGroup g) {
        const ParamRange r = m.range(g);
        const size_t at =
            g == ParamGroup::Encoder ? encoderAt : r.offset - m.range(ParamGroup::Frames).offset;
        return std::span<T>(c.grad).subspan(at, r.count);
    };
    c.latent.resize(rows * C);
    c.delta.resize(rows * kFrameOutputs);
    c.jac.resize(rows * 72);
    c.x.resize(rows * D);
    c.dx.resize(rows * D);
    c.y.resize(rows * 3);
    c.dy.resize(rows * 3);
    c.target.resize(rows * 3);
    c.dDelta.resize(rows * kFrameOutputs);
    c.dLatent.resize(rows * C);
    c.dLatFrames.resize(rows * C);
    c.grad.assign(encoderAt +
                      (source == LatentSource::Encoder ? m.range(ParamGroup::Encoder).count : 0),
                  T(0));
    const TrainingSample* s = batch.samples + first;

    if (source == LatentSource::Encoder) {
        const uint32_t E = m.config().encoderInputs;
        c.encoderIn.resize(rows * E);
        const float* in = batch.encoderInputs + first * E;
        for (size_t i = 0; i < rows * E; ++i)
            c.encoderIn[i] = T(in[i]);
        m.encoder().forward<T>(sub(ParamGroup::Encoder), c.encoderIn.data(), rows, c.encoderWs,
                               c.latent.data());
    } else {
        c.taps.resize(rows);
        const T* latents = params.data() + m.range(ParamGroup::Latents).offset;
        for (size_t r = 0; r < rows; ++r) {
            c.taps[r] = m.pyramid().taps(s[r].uv, s[r].level);
            m.pyramid().lookup(latents, c.taps[r], c.latent.data() + r * C);
        }
    }
    m.frames().forward<T>(sub(ParamGroup::Frames), c.latent.data(), rows, c.framesWs,
                          c.delta.data());
    for (size_t r = 0; r < rows; ++r) {
        T* x = c.x.data() + r * D;
        std::copy_n(c.latent.data() + r * C, C, x);
        frameFeaturesJacobian<T>(c.delta.data() + r * kFrameOutputs, s[r].wo, s[r].wi, x + C,
                                 c.jac.data() + r * 72);
        for (int k = 0; k < 3; ++k)
            c.target[r * 3 + k] = T(s[r].fcos[k]);
    }
    m.decoder().forward<T>(sub(ParamGroup::Decoder), c.x.data(), rows, c.decoderWs, c.y.data());
    c.loss = nn::l1LogLoss<T>(c.y.data(), c.target.data(), rows, 3, batch.count, c.dy.data(),
                              T(batch.lossEpsilon));

    m.decoder().backward<T>(sub(ParamGroup::Decoder), c.decoderWs, c.dy.data(), rows,
                            gradSub(ParamGroup::Decoder), c.dx.data());
    for (size_t r = 0; r < rows; ++r)
        frameFeaturesBackward<T>(c.jac.data() + r * 72, c.dx.data() + r * D + C,
                                 c.dDelta.data() + r * kFrameOutputs);
    m.frames().backward<T>(sub(ParamGroup::Frames), c.framesWs, c.dDelta.data(), rows,
                           gradSub(ParamGroup::Frames), c.dLatFrames.data());
    for (size_t r = 0; r < rows; ++r)
        for (uint32_t k = 0; k < C; ++k)
            c.dLatent[r * C + k] = c.dx[r * D + k] + c.dLatFrames[r * C + k];
    if (source == LatentSource::Encoder)
        m.encoder().backward<T>(sub(ParamGroup::Encoder), c.encoderWs, c.dLatent.data(), rows,
                                gradSub(ParamGroup::Encoder), nullptr);
}

} // namespace

std::vector<uint32_t> parseDecoderVariant(std::string_view variant) {
    auto bad = [&]() {
        return Error("decoder variant \"" + std::string(variant) +
                     "\": expected <layers>x<width> with 1..8 layers of 1..1024 units, e.g. 2x32");
    };
    const size_t x = variant.find('x');
    if (x == std::string_view::npos || x == 0 || x + 1 >= variant.size()) throw bad();
    auto number = [&](std::string_view s) {
        if (s.size() > 4 ||
            !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            throw bad();
        uint32_t v = 0;
        for (char ch : s)
            v = v * 10 + uint32_t(ch - '0');
        return v;
    };
    const uint32_t layers = number(variant.substr(0, x));
    const uint32_t width = number(variant.substr(x + 1));
    if (layers < 1 || layers > 8 || width < 1 || width > 1024) throw bad();
    return std::vector<uint32_t>(layers, width);
}

std::string decoderVariantName(const std::vector<uint32_t>& hidden) {
    if (hidden.empty()) return "0x0";
    if (std::all_of(hidden.begin(), hidden.end(), [&](uint32_t w) { return w == hidden[0]; }))
        return std::to_string(hidden.size()) + "x" + std::to_string(hidden[0]);
    std::string s;
    for (uint32_t w : hidden)
        s += (s.empty() ? "" : "-") + std::to_string(w);
    return s;
}

NeuralMaterialConfig NeuralMaterialConfig::withDecoder(std::string_view variant) {
    NeuralMaterialConfig c;
    c.decoderHidden = parseDecoderVariant(variant);
    return c;
}

const char* paramGroupName(ParamGroup g) {
    switch (g) {
    case ParamGroup::Latents:
        return "latents";
    case ParamGroup::Frames:
        return "frames";
    case ParamGroup::Decoder:
        return "decoder";
    case ParamGroup::Sampler:
        return "sampler";
    case ParamGroup::Encoder:
        return "encoder";
    }
    return "?";
}

NeuralMaterialModel::NeuralMaterialModel(NeuralMaterialConfig config, uint64_t seed)
    : config_(validated(config)), pyramid_(config_.resolution, config_.latentChannels),
      frames_(framesMlp(config_)),
      decoder_(
          nn::Mlp::chain(widths(config_.latentChannels + kFrameFeatures, config_.decoderHidden, 3),
                         nn::Activation::ReLU, nn::Activation::Exp3)),
      sampler_(
          nn::Mlp::chain(widths(config_.latentChannels + 3, config_.samplerHidden, kSamplerOutputs),
                         nn::Activation::ReLU, nn::Activation::None)),
      encoder_(nn::Mlp::chain(
          widths(config_.encoderInputs, config_.encoderHidden, config_.latentChannels),
          nn::Activation::ReLU, nn::Activation::None)) {
    const size_t counts[kParamGroupCount] = {pyramid_.floatCount(), frames_.parameterCount(),
                                             decoder_.parameterCount(), sampler_.parameterCount(),
                                             encoder_.parameterCount()};
    size_t offset = 0;
    for (uint32_t g = 0; g < kParamGroupCount; ++g) {
        ranges_[g] = {offset, counts[g]};
        offset += counts[g];
    }
    params_.assign(offset, 0.0f);
    initialise(seed);
}

std::span<float> NeuralMaterialModel::parameters(ParamGroup g) {
    return std::span<float>(params_).subspan(range(g).offset, range(g).count);
}

std::span<const float> NeuralMaterialModel::parameters(ParamGroup g) const {
    return std::span<const float>(params_).subspan(range(g).offset, range(g).count);
}

void NeuralMaterialModel::initialise(uint64_t seed, float latentNoise) {
    const uint64_t s = seed * 0x9e3779b97f4a7c15ULL;
    pyramid_.initialise(parameters(ParamGroup::Latents), s + 1, latentNoise);
    frames_.initialise(parameters(ParamGroup::Frames), s + 2, /*zeroLastLayer=*/true);
    decoder_.initialise(parameters(ParamGroup::Decoder), s + 3, /*zeroLastLayer=*/true);
    sampler_.initialise(parameters(ParamGroup::Sampler), s + 4);
    encoder_.initialise(parameters(ParamGroup::Encoder), s + 5);
}

template <class T>
double NeuralMaterialModel::brdfLossAndGradient(std::span<const T> params, LatentSource source,
                                                const BrdfBatch& batch, std::span<T> grad,
                                                BrdfWorkspace<T>& ws, nn::ThreadPool* pool) const {
    if (params.size() != parameterCount() || grad.size() != parameterCount())
        throw Error("NeuralMaterialModel::brdfLossAndGradient: " + std::to_string(params.size()) +
                    " parameters and " + std::to_string(grad.size()) + " gradients given, " +
                    std::to_string(parameterCount()) + " expected");
    if (source == LatentSource::Encoder && batch.count > 0 && !batch.encoderInputs)
        throw Error("NeuralMaterialModel::brdfLossAndGradient: the Encoder source needs inputs");
    const size_t chunks = (batch.count + kBrdfChunkRows - 1) / kBrdfChunkRows;
    if (ws.chunks.size() < chunks) ws.chunks.resize(chunks);
    const std::function<void(size_t)> run = [&](size_t i) {
        const size_t first = i * kBrdfChunkRows;
        brdfChunk<T>(*this, params, source, batch, first,
                     std::min(kBrdfChunkRows, batch.count - first), ws.chunks[i]);
    };
    if (pool)
        pool->parallelFor(chunks, run);
    else
        for (size_t i = 0; i < chunks; ++i)
            run(i);

    // Reduce in chunk order (deterministic whatever ran where).
    const uint32_t C = config_.latentChannels;
    const size_t net0 = range(ParamGroup::Frames).offset;
    const size_t encoderAt = range(ParamGroup::Frames).count + range(ParamGroup::Decoder).count;
    const size_t encoder0 = range(ParamGroup::Encoder).offset;
    T* latentGrad = grad.data() + range(ParamGroup::Latents).offset;
    double loss = 0.0;
    for (size_t i = 0; i < chunks; ++i) {
        const BrdfChunk<T>& c = ws.chunks[i];
        loss += c.loss;
        for (size_t k = 0; k < encoderAt; ++k)
            grad[net0 + k] += c.grad[k];
        for (size_t k = encoderAt; k < c.grad.size(); ++k)
            grad[encoder0 + k - encoderAt] += c.grad[k];
        if (source == LatentSource::Pyramid) {
            const size_t rows = std::min(kBrdfChunkRows, batch.count - i * kBrdfChunkRows);
            for (size_t r = 0; r < rows; ++r)
                pyramid_.scatter(latentGrad, c.taps[r], c.dLatent.data() + r * C);
        }
    }
    return loss;
}

double NeuralMaterialModel::brdfLossAndGradient(LatentSource source, const BrdfBatch& batch,
                                                std::span<float> grad, BrdfWorkspace<float>& ws,
                                                nn::ThreadPool* pool) const {
    return brdfLossAndGradient<float>(params_, source, batch, grad, ws, pool);
}

void NeuralMaterialModel::latentAt(glm::vec2 uv, uint32_t level, float* out) const {
    pyramid_.lookup(params_.data() + range(ParamGroup::Latents).offset, uv, level, out);
}

glm::vec3 NeuralMaterialModel::evalNeural(glm::vec2 uv, uint32_t level, glm::vec3 wo,
                                          glm::vec3 wi) const {
    const uint32_t C = config_.latentChannels;
    std::vector<float> x(C + kFrameFeatures);
    latentAt(uv, level, x.data());
    float delta[kFrameOutputs];
    denseForward(frames_, params_.data() + range(ParamGroup::Frames).offset, x.data(), delta);
    frameFeatures<float>(delta, wo, wi, x.data() + C);
    float y[3];
    denseForward(decoder_, params_.data() + range(ParamGroup::Decoder).offset, x.data(), y);
    return {y[0], y[1], y[2]};
}

std::array<float, kSamplerOutputs> NeuralMaterialModel::samplerRaw(glm::vec2 uv, uint32_t level,
                                                                   glm::vec3 wo) const {
    const uint32_t C = config_.latentChannels;
    std::vector<float> x(C + 3);
    latentAt(uv, level, x.data());
    x[C] = wo.x;
    x[C + 1] = wo.y;
    x[C + 2] = wo.z;
    std::array<float, kSamplerOutputs> y{};
    denseForward(sampler_, params_.data() + range(ParamGroup::Sampler).offset, x.data(), y.data());
    return y;
}

void NeuralMaterialModel::encode(const float* inputs, size_t count, float* latents) const {
    nn::MlpWorkspace<float> ws;
    encoder_.forward<float>(parameters(ParamGroup::Encoder), inputs, count, ws, latents);
}

template double NeuralMaterialModel::brdfLossAndGradient<float>(std::span<const float>,
                                                                LatentSource, const BrdfBatch&,
                                                                std::span<float>,
                                                                BrdfWorkspace<float>&,
                                                                nn::ThreadPool*) const;
template double NeuralMaterialModel::brdfLossAndGradient<double>(std::span<const double>,
                                                                 LatentSource, const BrdfBatch&,
                                                                 std::span<double>,
                                                                 BrdfWorkspace<double>&,
                                                                 nn::ThreadPool*) const;

} // namespace nerva::material
