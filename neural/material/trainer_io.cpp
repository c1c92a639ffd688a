// The trainer's options as JSON, its checkpoints, the held-out evaluation and
// the .nmat export (trainer.h).
//
// Checkpoints: neural/nn/checkpoint.h with magic "NRVCKPT1", state
// {options, iteration, baked, loss_ema}, one Adam per ParamGroup.
#include "neural/core/error.h"
#include "neural/material/trainer.h"
#include "neural/nn/checkpoint.h"
#include "shaders/shared/neural/sampler_mixture.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include <unistd.h>

namespace nerva::material {

BakeOptions BakeOptions::preview() {
    BakeOptions o;
    o.iterations = 4000; // velvet: 4500 took 66 s on 2 cores
    o.batch = 2048;
    o.latentResolution = 128;
    return o;
}

BakeOptions BakeOptions::final() {
    BakeOptions o;
    o.iterations = 20000; // ~80M samples: about ten minutes (estimated, not measured)
    o.batch = 4096;
    o.latentResolution = 256;
    return o;
}

nlohmann::json BakeOptions::toJson() const {
    return {{"iterations", iterations},
            {"batch", batch},
            {"latent_size", latentResolution},
            {"decoder", decoder},
            {"encoder_fraction", encoderFraction},
            {"lr_networks", lrNetworks},
            {"lr_latents", lrLatents},
            {"lr_sampler", lrSampler},
            {"lr_min_fraction", lrMinFraction},
            {"warmup", warmup},
            {"train_sampler", trainSampler},
            {"min_lobe_alpha", minLobeAlpha},
            {"loss_epsilon", lossEpsilon},
            {"frames_lr_scale", framesLrScale},
            {"sample_reuse", sampleReuse},
            {"pool_batches", poolBatches},
            {"seed", seed}};
}

BakeOptions BakeOptions::fromJson(const nlohmann::json& j) {
    try {
        BakeOptions o;
        o.iterations = j.at("iterations").get<uint64_t>();
        o.batch = j.at("batch").get<uint32_t>();
        o.latentResolution = j.at("latent_size").get<uint32_t>();
        o.decoder = j.at("decoder").get<std::string>();
        o.encoderFraction = j.at("encoder_fraction").get<float>();
        o.lrNetworks = j.at("lr_networks").get<float>();
        o.lrLatents = j.at("lr_latents").get<float>();
        o.lrSampler = j.at("lr_sampler").get<float>();
        o.lrMinFraction = j.at("lr_min_fraction").get<float>();
        o.warmup = j.at("warmup").get<uint32_t>();
        o.trainSampler = j.at("train_sampler").get<bool>();
        o.minLobeAlpha = j.value("min_lobe_alpha", 0.0f);
        o.lossEpsilon = j.value("loss_epsilon", 1.0f);
        o.framesLrScale = j.value("frames_lr_scale", 1.0f);
        o.sampleReuse = j.value("sample_reuse", 1u);
        o.poolBatches = j.value("pool_batches", 1u);
        o.seed = j.at("seed").get<uint64_t>();
        return o;
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("bake options: ") + e.what());
    }
}

namespace {

constexpr char kMagic[8] = {'N', 'R', 'V', 'C', 'K', 'P', 'T', '1'};

double psnr(double mse) {
    return mse > 0.0 ? 10.0 * std::log10(1.0 / mse) : 99.0;
}

} // namespace

void Trainer::saveCheckpoint(const std::string& path) const {
    const nlohmann::json state = {{"options", opt_.toJson()},
                                  {"iteration", iteration_},
                                  {"baked", baked_},
                                  {"loss_ema", lossEma_}};
    nn::writeCheckpoint(path, kMagic, state, model_.parameters(), adam_);
}

void Trainer::loadCheckpoint(const std::string& path) {
    std::vector<size_t> sizes;
    for (uint32_t g = 0; g < kParamGroupCount; ++g)
        sizes.push_back(model_.range(ParamGroup(g)).count);
    nn::Checkpoint c =
        nn::readCheckpoint(path, kMagic, "nerva checkpoint", model_.parameterCount(), sizes);
    try {
        if (c.state.at("options") != opt_.toJson())
            throw Error(path + ": the checkpoint was made with other options: " +
                        c.state.at("options").dump());
        iteration_ = c.state.at("iteration").get<uint64_t>();
        baked_ = c.state.at("baked").get<bool>();
        lossEma_ = c.state.at("loss_ema").get<double>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": bad checkpoint state (" + e.what() + ")");
    }
    model_.parameters() = std::move(c.params);
    adam_ = std::move(c.adam);
    rebuildPool();
}

BrdfReport Trainer::evaluate(uint64_t seed, size_t samplesPerLevel) const {
    NeuralMaterialModel baked = model_;
    if (!baked_) bakeLatents(baked);
    const LatentPyramid& pyr = baked.pyramid();
    BrdfReport rep;
    double sq = 0.0, abs = 0.0, ref = 0.0;
    glm::dvec3 klAll(0.0);
    size_t total = 0;
    for (uint32_t l = 0; l < pyr.levelCount(); ++l) {
        TrainingSampleOptions so;
        so.latentResolution = pyr.levelSize(l); // level 0 of this sampler = level l
        so.levels = 1;
        so.importanceFraction = 0.0f;        // wi uniform: errors integrate over the hemisphere
        so.minLobeAlpha = opt_.minLobeAlpha; // against the reference it was trained on
        const ReferenceSampler rs(set_, material_, so);
        std::vector<TrainingSample> samples(samplesPerLevel);
        rs.generate(seed + 0x100000001ull * l, 0, samplesPerLevel, samples.data(), threads_);
        // Per sample: (sq, abs, ref) and (w, w log q, w log q_cos) of the sampler.
        std::vector<glm::dvec3> err(samplesPerLevel), kl(samplesPerLevel);
        const size_t chunks = (samplesPerLevel + kBrdfChunkRows - 1) / kBrdfChunkRows;
        pool_->parallelFor(chunks, [&](size_t c) {
            const size_t end = std::min(samplesPerLevel, (c + 1) * kBrdfChunkRows);
            for (size_t i = c * kBrdfChunkRows; i < end; ++i) {
                const TrainingSample& t = samples[i];
                const glm::dvec3 d =
                    glm::dvec3(baked.evalNeural(t.uv, l, t.wo, t.wi)) - glm::dvec3(t.fcos);
                err[i] =
                    glm::dvec3(glm::dot(d, d) / 3.0, std::abs(d.x) + std::abs(d.y) + std::abs(d.z),
                               std::abs(t.fcos.x) + std::abs(t.fcos.y) + std::abs(t.fcos.z));
                kl[i] = glm::dvec3(0.0);
                if (!(t.sampleWeight > 0.0f) || !(t.sampledWi.z > 0.0f)) continue;
                const std::array<float, kSamplerOutputs> r = baked.samplerRaw(t.uv, l, t.wo);
                const shared::SamplerMixture mix = shared::samplerMixtureFromRaw(
                    shared::vec3(r[0], r[1], r[2]), shared::vec3(r[3], r[4], r[5]),
                    shared::vec3(r[6], r[7], r[8]));
                const double lq = double(shared::samplerMixtureLogPdf(
                    mix, shared::vec3(t.wo.x, t.wo.y, t.wo.z),
                    shared::vec3(t.sampledWi.x, t.sampledWi.y, t.sampledWi.z)));
                const double lcos = std::log(double(t.sampledWi.z) / shared::kPi);
                const double w = double(t.sampleWeight);
                if (std::isfinite(lq)) kl[i] = glm::dvec3(w, w * lq, w * lcos);
            }
        });
        glm::dvec3 s(0.0), k(0.0);
        for (size_t i = 0; i < samplesPerLevel; ++i)
            s += err[i], k += kl[i];
        BrdfLevelError le;
        le.level = l;
        le.samples = samplesPerLevel;
        le.psnr = psnr(samplesPerLevel ? s.x / double(samplesPerLevel) : 0.0);
        le.relativeL1 = s.z > 0.0 ? s.y / s.z : 0.0;
        le.samplerGain = k.x > 0.0 ? (k.y - k.z) / k.x : 0.0;
        klAll += k;
        rep.levels.push_back(le);
        sq += s.x, abs += s.y, ref += s.z;
        total += samplesPerLevel;
    }
    rep.overall.samples = total;
    rep.overall.psnr = psnr(total ? sq / double(total) : 0.0);
    rep.overall.relativeL1 = ref > 0.0 ? abs / ref : 0.0;
    rep.overall.samplerGain = klAll.x > 0.0 ? (klAll.y - klAll.z) / klAll.x : 0.0;
    return rep;
}

nlohmann::json BrdfReport::toJson() const {
    nlohmann::json lv = nlohmann::json::array();
    for (const BrdfLevelError& e : levels)
        lv.push_back({{"level", e.level},
                      {"samples", e.samples},
                      {"psnr", e.psnr},
                      {"relative_l1", e.relativeL1},
                      {"sampler_kl_gain_nats", e.samplerGain}});
    return {{"brdf_space", "f cos, PSNR with peak 1, held-out samples"},
            {"levels", lv},
            {"psnr", overall.psnr},
            {"relative_l1", overall.relativeL1},
            {"sampler_kl_gain_nats", overall.samplerGain}};
}

std::string BrdfReport::format() const {
    std::ostringstream s;
    char line[128];
    s << "level  samples   PSNR (dB)  rel. L1  sampler vs cosine (nats)\n";
    for (const BrdfLevelError& e : levels) {
        std::snprintf(line, sizeof line, "%5u  %7zu  %9.2f  %7.4f  %+8.3f\n", e.level, e.samples,
                      e.psnr, e.relativeL1, e.samplerGain);
        s << line;
    }
    std::snprintf(line, sizeof line, "  all  %7zu  %9.2f  %7.4f  %+8.3f\n", overall.samples,
                  overall.psnr, overall.relativeL1, overall.samplerGain);
    s << line;
    return s.str();
}

formats::NmatAsset Trainer::toNmat(const std::string& name, const std::string& sourceName,
                                   const std::string& sourceHash,
                                   const nlohmann::json& metrics) const {
    NeuralMaterialModel m = model_;
    if (!baked_) bakeLatents(m);
    formats::NmatAsset a;
    a.name = name;
    a.sourceName = sourceName;
    a.sourceHash = sourceHash;
    const LatentPyramid& pyr = m.pyramid();
    a.latentChannels = pyr.channels();
    const std::span<const float> lat = std::as_const(m).parameters(ParamGroup::Latents);
    for (uint32_t l = 0; l < pyr.levelCount(); ++l) {
        formats::NmatLatentLevel lv;
        lv.width = lv.height = pyr.levelSize(l);
        const size_t n = size_t(lv.width) * lv.height * pyr.channels();
        lv.texels.assign(lat.begin() + ptrdiff_t(pyr.levelOffset(l)),
                         lat.begin() + ptrdiff_t(pyr.levelOffset(l) + n));
        a.levels.push_back(std::move(lv));
    }
    auto network = [&](const char* netName, const nn::Mlp& mlp, ParamGroup g) {
        formats::NmatNetwork n;
        n.name = netName;
        for (const nn::LayerSpec& L : mlp.layers())
            n.layers.push_back({L.in, L.out, L.bias, nn::activationName(L.activation)});
        const std::span<const float> p = std::as_const(m).parameters(g);
        n.params.assign(p.begin(), p.end());
        a.networks.push_back(std::move(n));
    };
    network("frames", m.frames(), ParamGroup::Frames);
    network("decoder", m.decoder(), ParamGroup::Decoder);
    network("sampler", m.sampler(), ParamGroup::Sampler);
    a.training = opt_.toJson();
    a.training["iterations_done"] = iteration_;
    a.training["encoder_iterations"] = encoderIters_;
    a.training["sampler_trained"] = opt_.trainSampler;
    a.training["decoder_layers"] = m.decoder().describe();
    a.metrics = metrics;
    return a;
}

} // namespace nerva::material
