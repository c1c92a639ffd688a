#include "neural/material/neural_eval_cpu.h"

#include "neural/core/error.h"

#include <algorithm>
#include <string>

namespace nerva::material {
namespace {

const formats::NmatNetwork& network(const formats::NmatAsset& a, const std::string& where,
                                    const char* name) {
    for (const formats::NmatNetwork& n : a.networks)
        if (n.name == name) return n;
    throw errorAt(where, std::string("no \"") + name + "\" network");
}

// Checks an "in -> hidden ReLU layers -> out" network and returns its hidden
// layer count and widths.
uint32_t checkMlp(const formats::NmatNetwork& n, const std::string& where, uint32_t in,
                  uint32_t out, const char* lastActivation, shared::uvec4& widths) {
    const auto bad = [&](const std::string& what) {
        return errorAt(where, "network \"" + n.name + "\": " + what);
    };
    const size_t hidden = n.layers.size() - 1;
    if (n.layers.empty() || hidden < 1 || hidden > shared::kNeuralMaxHidden)
        throw bad("expected 1.." + std::to_string(shared::kNeuralMaxHidden) + " hidden layers");
    if (n.layers.front().in != in || n.layers.back().out != out)
        throw bad("expected " + std::to_string(in) + " inputs and " + std::to_string(out) +
                  " outputs");
    widths = shared::uvec4(0);
    for (size_t l = 0; l < n.layers.size(); ++l) {
        const formats::NmatLayer& L = n.layers[l];
        const char* act = l < hidden ? "relu" : lastActivation;
        if (!L.bias || L.activation != act)
            throw bad("layer " + std::to_string(l) + " must have a bias and activation " + act);
        if (L.out > shared::kNeuralMaxWidth)
            throw bad("layer " + std::to_string(l) + " is wider than the shaders' maximum " +
                      std::to_string(shared::kNeuralMaxWidth));
        if (l < hidden) widths[int(l)] = L.out;
    }
    return uint32_t(hidden);
}

bool powerOfTwo(uint32_t v) {
    return v != 0 && (v & (v - 1)) == 0;
}

} // namespace

void checkNeuralAsset(const formats::NmatAsset& a) {
    const std::string where = "neural material \"" + a.name + "\"";
    if (a.latentChannels != shared::kNeuralLatentChannels)
        throw errorAt(where, std::to_string(a.latentChannels) + " latent channels, the "
                                                                "shaders read 8");
    if (a.levels.empty() || !powerOfTwo(a.levels[0].width) || !powerOfTwo(a.levels[0].height))
        throw errorAt(where, "latent level 0 must have power-of-two width and height");
    uint32_t w = a.levels[0].width, h = a.levels[0].height;
    for (size_t l = 0; l < a.levels.size(); ++l) {
        if (a.levels[l].width != w || a.levels[l].height != h)
            throw errorAt(where, "latent level " + std::to_string(l) +
                                     " is not half of the "
                                     "level above");
        w = std::max(w / 2, 1u);
        h = std::max(h / 2, 1u);
    }
    const formats::NmatNetwork& frames = network(a, where, "frames");
    if (frames.layers.size() != 1 || frames.layers[0].in != shared::kNeuralLatentChannels ||
        frames.layers[0].out != shared::kNeuralFrameOutputs || frames.layers[0].bias ||
        frames.layers[0].activation != "none")
        throw errorAt(where, "network \"frames\" must be one 8 -> 12 layer, no bias, linear");
    shared::uvec4 widths;
    checkMlp(network(a, where, "decoder"), where, shared::kNeuralDecoderInputs, 3, "exp3", widths);
    checkMlp(network(a, where, "sampler"), where, shared::kNeuralSamplerInputs,
             shared::kNeuralSamplerOutputs, "none", widths);
}

NeuralMaterialPack::NeuralMaterialPack(std::span<const formats::NmatAsset> assets,
                                       uint32_t textureBase)
    : textureBase_(textureBase) {
    for (size_t i = 0; i < assets.size(); ++i) {
        const formats::NmatAsset& a = assets[i];
        checkNeuralAsset(a);
        const std::string where = "neural material \"" + a.name + "\"";
        shared::GpuNeuralMaterial r{};
        const formats::NmatNetwork& frames = network(a, where, "frames");
        const formats::NmatNetwork& decoder = network(a, where, "decoder");
        const formats::NmatNetwork& sampler = network(a, where, "sampler");
        r.decoderHidden =
            checkMlp(decoder, where, shared::kNeuralDecoderInputs, 3, "exp3", r.decoderWidth);
        r.samplerHidden = checkMlp(sampler, where, shared::kNeuralSamplerInputs,
                                   shared::kNeuralSamplerOutputs, "none", r.samplerWidth);
        const auto append = [&](const formats::NmatNetwork& n) {
            const uint32_t at = uint32_t(weights_.size());
            weights_.insert(weights_.end(), n.params.begin(), n.params.end());
            return at;
        };
        r.framesOffset = append(frames);
        r.decoderOffset = append(decoder);
        r.samplerOffset = append(sampler);

        r.latentLevels = uint32_t(a.levels.size());
        r.latentWidth = a.levels[0].width;
        r.latentHeight = a.levels[0].height;
        r.latentTextureA = textureBase + 2 * uint32_t(i);
        r.latentTextureB = r.latentTextureA + 1;
        std::vector<shared::vec4> ta, tb;
        uint32_t w = r.latentWidth, h = r.latentHeight;
        for (size_t l = 0; l < a.levels.size(); ++l) {
            const formats::NmatLatentLevel& L = a.levels[l];
            for (size_t t = 0; t < size_t(w) * h; ++t) {
                const float* c = L.texels.data() + t * 8;
                ta.emplace_back(c[0], c[1], c[2], c[3]);
                tb.emplace_back(c[4], c[5], c[6], c[7]);
            }
            w = std::max(w / 2, 1u);
            h = std::max(h / 2, 1u);
        }
        texels_.push_back(std::move(ta));
        texels_.push_back(std::move(tb));
        records_.push_back(r);
    }
    for (const std::vector<shared::vec4>& t : texels_) {
        const shared::GpuNeuralMaterial& r = records_[images_.size() / 2];
        images_.push_back({t.data(), r.latentWidth, r.latentHeight, r.latentLevels});
    }
}

shared::NeuralView NeuralMaterialPack::view() const {
    return {records_.data(), weights_.data(), images_.data(), textureBase_};
}

shared::NeuralLatent NeuralMaterialPack::latent(uint32_t m, shared::vec2 uv, uint32_t level) const {
    return shared::neuralFetchLatent(view(), records_.at(m), uv, level);
}

shared::vec3 NeuralMaterialPack::eval(uint32_t m, shared::vec2 uv, uint32_t level, shared::vec3 wo,
                                      shared::vec3 wi) const {
    return shared::neuralEval(view(), records_.at(m), latent(m, uv, level), wo, wi);
}

std::array<float, shared::kNeuralSamplerOutputs>
NeuralMaterialPack::samplerRaw(uint32_t m, shared::vec2 uv, uint32_t level, shared::vec3 wo) const {
    const shared::NeuralActivations r =
        shared::neuralSamplerRaw(view(), records_.at(m), latent(m, uv, level), wo);
    std::array<float, shared::kNeuralSamplerOutputs> out{};
    for (uint32_t k = 0; k < out.size(); ++k)
        out[k] = r.v[k];
    return out;
}

} // namespace nerva::material
