#include "neural/material/trainer.h"

#include "neural/core/error.h"
#include "neural/material/encoder_inputs.h"
#include "neural/material/sampler_mixture_grad.h"
#include "shaders/shared/layered/layered_fetch.h"
#include "shaders/shared/layered/texel_sampling.h"
#include "shaders/shared/rng.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

namespace nerva::material {

struct Trainer::Scratch {
    std::vector<TrainingSample> pool; // poolSize() samples, slot = index mod size
    std::vector<float> poolEncoderIn; // their encoder inputs (encoder phase)
    std::vector<TrainingSample> samples;
    std::vector<float> encoderIn, latents, grad;
    BrdfWorkspace<float> brdf;
    struct SamplerChunk {
        nn::MlpWorkspace<float> ws;
        std::vector<float> x, y, dy, grad;
        double loss = 0.0;
    };
    std::vector<SamplerChunk> samplerChunks;
};

const char* trainPhaseName(TrainPhase p) {
    return p == TrainPhase::Encoder ? "encoder" : "latent";
}

namespace {

TrainingSampleOptions sampleOptions(const BakeOptions& o) {
    TrainingSampleOptions s;
    s.latentResolution = o.latentResolution;
    s.levels = latentLevelCount(o.latentResolution);
    s.minLobeAlpha = o.minLobeAlpha;
    return s;
}

NeuralMaterialConfig modelConfig(const BakeOptions& o) {
    if (o.iterations == 0) throw Error("bake: --iterations must be at least 1");
    if (o.batch == 0) throw Error("bake: --batch must be at least 1");
    if (o.latentResolution == 0) throw Error("bake: --latent-size must be at least 1");
    if (!(o.encoderFraction >= 0.0f && o.encoderFraction <= 1.0f))
        throw Error("bake: the encoder fraction must be in [0, 1]");
    if (!(o.lossEpsilon > 0.0f)) throw Error("bake: the loss epsilon must be positive");
    if (o.sampleReuse == 0 || o.poolBatches == 0)
        throw Error("bake: sample reuse and pool size must be at least 1");
    NeuralMaterialConfig c = NeuralMaterialConfig::withDecoder(o.decoder);
    c.resolution = o.latentResolution;
    return c;
}

// The reference point at uv read at a texel footprint (texture mips, flake
// aggregates), as the encoder sees it.
shared::LayeredPoint pointAt(const shared::LayeredView& v, uint32_t material, glm::vec2 uv,
                             float footprint) {
    shared::LayeredUv tc = shared::layeredUvFinest(shared::vec2(uv.x, uv.y));
    tc.footprint0 = tc.footprint1 = footprint;
    return shared::layeredFetch(v, material, tc);
}

} // namespace

Trainer::Trainer(const LayeredMaterialSet& set, uint32_t material, BakeOptions options)
    : set_(set), material_(material), opt_(std::move(options)),
      model_(modelConfig(opt_), opt_.seed), sampler_(set, material, sampleOptions(opt_)),
      scratch_(std::make_unique<Scratch>()) {
    threads_ = opt_.threads ? opt_.threads : std::max(1u, std::thread::hardware_concurrency());
    pool_ = std::make_unique<nn::ThreadPool>(threads_);
    for (uint32_t g = 0; g < kParamGroupCount; ++g)
        adam_.emplace_back(model_.range(ParamGroup(g)).count);
    encoderIters_ = uint64_t(std::llround(double(opt_.iterations) * opt_.encoderFraction));
    encoderIters_ = std::min(encoderIters_, opt_.iterations);
    scratch_->grad.assign(model_.parameterCount(), 0.0f);
    rebuildPool();
}

size_t Trainer::freshPerStep() const {
    return (size_t(opt_.batch) + opt_.sampleReuse - 1) / opt_.sampleReuse;
}

size_t Trainer::poolSize() const {
    return size_t(opt_.batch) * opt_.poolBatches;
}

void Trainer::fillPool(uint64_t first, size_t count, bool encoder) {
    Scratch& k = *scratch_;
    const size_t P = poolSize();
    k.pool.resize(P);
    if (encoder) k.poolEncoderIn.resize(P * kEncoderInputs);
    k.samples.resize(count);
    sampler_.generate(opt_.seed, first, count, k.samples.data(), threads_);
    if (encoder) {
        k.encoderIn.resize(count * kEncoderInputs);
        encoderInputsFor(k.samples.data(), count, k.encoderIn.data());
    }
    for (size_t i = 0; i < count; ++i) {
        const size_t slot = size_t((first + i) % P);
        k.pool[slot] = k.samples[i];
        if (encoder)
            std::copy_n(k.encoderIn.data() + i * kEncoderInputs, kEncoderInputs,
                        k.poolEncoderIn.data() + slot * kEncoderInputs);
    }
}

void Trainer::rebuildPool() {
    fillPool(iteration_ * freshPerStep(), poolSize(), iteration_ < encoderIters_);
}

Trainer::~Trainer() = default;

std::array<float, 2> Trainer::learningRates(uint64_t it) const {
    const bool enc = it < encoderIters_;
    const uint64_t start = enc ? 0 : encoderIters_;
    const uint64_t len =
        std::max<uint64_t>(enc ? encoderIters_ : opt_.iterations - encoderIters_, 1);
    nn::CosineSchedule s;
    s.lrMax = 1.0f;
    s.lrMin = opt_.lrMinFraction;
    s.warmupSteps = size_t(std::min<uint64_t>(opt_.warmup, len / 4));
    s.totalSteps = size_t(len);
    const float f = s(size_t(it - start));
    return {opt_.lrNetworks * f, opt_.lrLatents * f};
}

void Trainer::encoderInputsFor(const TrainingSample* s, size_t n, float* out) const {
    const shared::LayeredView v = set_.view();
    const size_t chunks = (n + kBrdfChunkRows - 1) / kBrdfChunkRows;
    pool_->parallelFor(chunks, [&](size_t c) {
        const size_t end = std::min(n, (c + 1) * kBrdfChunkRows);
        for (size_t i = c * kBrdfChunkRows; i < end; ++i)
            encoderInputsFrom(pointAt(v, material_, s[i].uv, s[i].footprint),
                              out + i * kEncoderInputs);
    });
}

void Trainer::bakeLatents(NeuralMaterialModel& m) const {
    const shared::LayeredView v = set_.view();
    const LatentPyramid& pyr = m.pyramid();
    const uint32_t C = pyr.channels();
    std::span<float> lat = m.parameters(ParamGroup::Latents);
    for (uint32_t l = 0; l < pyr.levelCount(); ++l) {
        const uint32_t S = pyr.levelSize(l);
        const float fp = 1.0f / float(S);
        pool_->parallelFor(S, [&](size_t y) {
            std::vector<float> in(size_t(S) * kEncoderInputs);
            for (uint32_t x = 0; x < S; ++x) {
                const glm::vec2 uv((float(x) + 0.5f) * fp, (float(y) + 0.5f) * fp);
                encoderInputsFrom(pointAt(v, material_, uv, fp), in.data() + x * kEncoderInputs);
            }
            m.encode(in.data(), S, lat.data() + pyr.levelOffset(l) + y * S * C);
        });
    }
}

double Trainer::samplerStep(const TrainingSample* s, const float* latents, size_t n) {
    const nn::Mlp& net = model_.sampler();
    const ParamRange r = model_.range(ParamGroup::Sampler);
    const std::span<const float> params(model_.parameters().data() + r.offset, r.count);
    const uint32_t C = model_.config().latentChannels, in = net.inputs();
    const size_t chunks = (n + kBrdfChunkRows - 1) / kBrdfChunkRows;
    auto& cs = scratch_->samplerChunks;
    if (cs.size() < chunks) cs.resize(chunks);
    const double invN = 1.0 / double(n);
    pool_->parallelFor(chunks, [&](size_t c) {
        Scratch::SamplerChunk& k = cs[c];
        const size_t b = c * kBrdfChunkRows, rows = std::min(n, b + kBrdfChunkRows) - b;
        k.x.resize(rows * in);
        k.y.resize(rows * kSamplerOutputs);
        k.dy.assign(rows * kSamplerOutputs, 0.0f);
        k.grad.assign(r.count, 0.0f);
        k.loss = 0.0;
        for (size_t i = 0; i < rows; ++i) {
            std::memcpy(&k.x[i * in], latents + (b + i) * C, C * sizeof(float));
            k.x[i * in + C] = s[b + i].wo.x;
            k.x[i * in + C + 1] = s[b + i].wo.y;
            k.x[i * in + C + 2] = s[b + i].wo.z;
        }
        net.forward<float>(params, k.x.data(), rows, k.ws, k.y.data());
        for (size_t i = 0; i < rows; ++i) {
            const TrainingSample& t = s[b + i];
            if (!(t.sampleWeight > 0.0f) || !std::isfinite(t.sampleWeight)) continue;
            float g[kSamplerRawCount];
            const float lp = samplerMixtureLogPdfGrad(
                &k.y[i * kSamplerOutputs], shared::vec3(t.wo.x, t.wo.y, t.wo.z),
                shared::vec3(t.sampledWi.x, t.sampledWi.y, t.sampledWi.z), g);
            if (!std::isfinite(lp) || lp <= float(shared::kSamplerLogZero)) continue;
            const double w = double(t.sampleWeight) * invN;
            k.loss -= w * double(lp);
            for (int j = 0; j < kSamplerRawCount; ++j)
                k.dy[i * kSamplerOutputs + j] = std::isfinite(g[j]) ? float(-w * g[j]) : 0.0f;
        }
        net.backward<float>(params, k.ws, k.dy.data(), rows, k.grad, nullptr);
    });
    float* grad = scratch_->grad.data() + r.offset;
    double loss = 0.0;
    for (size_t c = 0; c < chunks; ++c) {
        loss += cs[c].loss;
        for (size_t j = 0; j < r.count; ++j)
            grad[j] += cs[c].grad[j];
    }
    return loss;
}

double Trainer::step() {
    if (done()) throw Error("bake: training is already complete");
    const auto t0 = std::chrono::steady_clock::now();
    const bool enc = iteration_ < encoderIters_;
    if (!enc && !baked_) {
        bakeLatents(model_);
        baked_ = true;
    }
    Scratch& k = *scratch_;
    const size_t n = opt_.batch, F = freshPerStep(), P = poolSize();
    // New samples [end - F, end); the batch comes from the window [end - P, end).
    const uint64_t end = iteration_ * F + P + F;
    fillPool(end - F, F, enc);
    k.samples.resize(n);
    if (enc) k.encoderIn.resize(n * kEncoderInputs);
    const uint32_t pick = shared::pcgHash(uint32_t(opt_.seed) ^ shared::pcgHash(uint32_t(iteration_)));
    for (size_t i = 0; i < n; ++i) {
        const uint64_t index = end - P + shared::pcgHash(pick ^ uint32_t(i)) % P;
        const size_t slot = size_t(index % P);
        k.samples[i] = k.pool[slot];
        if (enc)
            std::copy_n(k.poolEncoderIn.data() + slot * kEncoderInputs, kEncoderInputs,
                        k.encoderIn.data() + i * kEncoderInputs);
    }
    std::fill(k.grad.begin(), k.grad.end(), 0.0f);
    BrdfBatch batch{k.samples.data(), n, nullptr, opt_.lossEpsilon};
    if (enc) batch.encoderInputs = k.encoderIn.data();
    const double loss = model_.brdfLossAndGradient(
        enc ? LatentSource::Encoder : LatentSource::Pyramid, batch, k.grad, k.brdf, pool_.get());
    if (opt_.trainSampler) {
        const uint32_t C = model_.config().latentChannels;
        k.latents.resize(n * C);
        if (enc) {
            const size_t chunks = (n + kBrdfChunkRows - 1) / kBrdfChunkRows;
            pool_->parallelFor(chunks, [&](size_t c) {
                const size_t b = c * kBrdfChunkRows, rows = std::min(n, b + kBrdfChunkRows) - b;
                model_.encode(k.encoderIn.data() + b * kEncoderInputs, rows,
                              k.latents.data() + b * C);
            });
        } else {
            for (size_t i = 0; i < n; ++i)
                model_.latentAt(k.samples[i].uv, k.samples[i].level, k.latents.data() + i * C);
        }
        lastSamplerLoss_ = samplerStep(k.samples.data(), k.latents.data(), n);
    }

    const std::array<float, 2> lr = learningRates(iteration_);
    const float lrSampler = opt_.lrSampler * (lr[0] / std::max(opt_.lrNetworks, 1e-30f));
    auto update = [&](ParamGroup g, float rate) {
        const ParamRange r = model_.range(g);
        adam_[uint32_t(g)].step(model_.parameters(g),
                                std::span<const float>(k.grad.data() + r.offset, r.count), rate);
    };
    update(ParamGroup::Frames, lr[0] * opt_.framesLrScale);
    update(ParamGroup::Decoder, lr[0]);
    if (opt_.trainSampler) update(ParamGroup::Sampler, lrSampler);
    update(enc ? ParamGroup::Encoder : ParamGroup::Latents, enc ? lr[0] : lr[1]);

    lossEma_ = iteration_ == 0 ? loss : 0.98 * lossEma_ + 0.02 * loss;
    lastLoss_ = loss;
    lastLr_ = lr[0];
    ++iteration_;
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ++stepsTimed_;
    return loss;
}

TrainProgress Trainer::progress() const {
    TrainProgress p;
    p.iteration = iteration_;
    p.total = opt_.iterations;
    p.phase = iteration_ < encoderIters_ ? TrainPhase::Encoder : TrainPhase::Latent;
    p.loss = lastLoss_;
    p.lossEma = lossEma_;
    p.samplerLoss = lastSamplerLoss_;
    p.lr = lastLr_;
    p.samplesPerSecond = seconds_ > 0.0 ? double(stepsTimed_) * opt_.batch / seconds_ : 0.0;
    return p;
}

} // namespace nerva::material
