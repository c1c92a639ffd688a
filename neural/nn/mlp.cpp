// Mlp: validation, parameter layout and initialisation (the forward and
// backward kernels are in mlp_kernels.cpp).
#include "neural/nn/mlp.h"

#include "neural/core/error.h"
#include "neural/nn/pcg32.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace nerva::nn {
namespace {
constexpr size_t B = kMlpBlock;
} // namespace

const char* activationName(Activation a) {
    switch (a) {
    case Activation::None:
        return "none";
    case Activation::ReLU:
        return "relu";
    case Activation::LeakyReLU:
        return "leaky_relu";
    case Activation::Exp3:
        return "exp3";
    }
    return "?";
}

Mlp::Mlp(std::vector<LayerSpec> layers) : layers_(std::move(layers)) {
    if (layers_.empty()) throw Error("nn::Mlp: no layers");
    size_t p = 0;
    size_t act = 0;
    for (size_t l = 0; l < layers_.size(); ++l) {
        const LayerSpec& L = layers_[l];
        const std::string where = "nn::Mlp layer " + std::to_string(l);
        if (L.in == 0 || L.out == 0) throw errorAt(where, "zero width");
        if (l > 0 && layers_[l - 1].out != L.in)
            throw errorAt(where, "takes " + std::to_string(L.in) + " inputs but layer " +
                                     std::to_string(l - 1) + " gives " +
                                     std::to_string(layers_[l - 1].out));
        LayerOffsets off;
        off.weights = p;
        p += size_t(L.in) * L.out;
        off.bias = p;
        if (L.bias) p += L.out;
        offsets_.push_back(off);
        actOffsets_.push_back(act);
        act += size_t(L.in) * B;
        maxWidth_ = std::max({maxWidth_, size_t(L.in), size_t(L.out)});
    }
    actOffsets_.push_back(act);
    blockStride_ = act + size_t(layers_.back().out) * B;
    paramCount_ = p;
}

Mlp Mlp::chain(const std::vector<uint32_t>& widths, Activation hidden, Activation output,
               bool bias) {
    if (widths.size() < 2) throw Error("nn::Mlp::chain: need at least an input and output width");
    std::vector<LayerSpec> layers;
    for (size_t l = 0; l + 1 < widths.size(); ++l)
        layers.push_back(
            {widths[l], widths[l + 1], bias, l + 2 == widths.size() ? output : hidden});
    return Mlp(std::move(layers));
}

std::string Mlp::describe() const {
    std::string s = std::to_string(inputs());
    for (const LayerSpec& L : layers_) {
        s += "-" + std::to_string(L.out) + "(" + activationName(L.activation);
        s += L.bias ? ")" : ",nobias)";
    }
    return s;
}

void Mlp::initialise(std::span<float> params, uint64_t seed, bool zeroLastLayer) const {
    if (params.size() != paramCount_)
        throw Error("nn::Mlp::initialise: " + std::to_string(params.size()) +
                    " parameters given, " + std::to_string(paramCount_) + " expected");
    Pcg32 rng(seed);
    for (size_t l = 0; l < layers_.size(); ++l) {
        const LayerSpec& L = layers_[l];
        const bool relu = L.activation == Activation::ReLU || L.activation == Activation::LeakyReLU;
        const float bound =
            relu ? std::sqrt(6.0f / float(L.in)) : std::sqrt(6.0f / float(L.in + L.out));
        const bool zero = zeroLastLayer && l + 1 == layers_.size();
        float* w = params.data() + offsets_[l].weights;
        for (size_t k = 0; k < size_t(L.in) * L.out; ++k)
            w[k] = zero ? 0.0f : rng.uniform(-bound, bound);
        if (L.bias) std::fill_n(params.data() + offsets_[l].bias, L.out, 0.0f);
    }
}

} // namespace nerva::nn
