// The fitter's options as JSON, its checkpoints and the .ntri export
// (field_fit.h).
//
// Checkpoints: neural/nn/checkpoint.h with magic "NRVFCKP1", state
// {options, iteration, loss_ema}, one Adam per group (planes level-major,
// then the MLP).
#include "neural/core/error.h"
#include "neural/field/field_fit.h"
#include "neural/nn/checkpoint.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace nerva::field {

nlohmann::json FitOptions::toJson() const {
    return {{"kind", fieldKindName(kind)},
            {"resolution", resolution},
            {"channels", channels},
            {"levels", levels},
            {"hidden", hidden},
            {"truncation", truncation},
            {"iterations", iterations},
            {"batch", batch},
            {"lr_planes", lrPlanes},
            {"lr_mlp", lrMlp},
            {"lr_min_fraction", lrMinFraction},
            {"warmup", warmup},
            {"plane_tv", planeTv},
            {"margin", margin},
            {"surface_fraction", surfaceFraction},
            {"uniform_fraction", uniformFraction},
            {"near_sigmas", nearSigmas},
            {"pool_size", poolSize},
            {"seed", seed}};
}

FitOptions FitOptions::fromJson(const nlohmann::json& j) {
    try {
        FitOptions o;
        o.kind = parseFieldKind(j.at("kind").get<std::string>(), "fit options");
        o.resolution = j.at("resolution").get<uint32_t>();
        o.channels = j.at("channels").get<uint32_t>();
        o.levels = j.at("levels").get<uint32_t>();
        o.hidden = j.at("hidden").get<std::vector<uint32_t>>();
        o.truncation = j.at("truncation").get<float>();
        o.iterations = j.at("iterations").get<uint64_t>();
        o.batch = j.at("batch").get<uint32_t>();
        o.lrPlanes = j.at("lr_planes").get<float>();
        o.lrMlp = j.at("lr_mlp").get<float>();
        o.lrMinFraction = j.at("lr_min_fraction").get<float>();
        o.warmup = j.at("warmup").get<uint32_t>();
        o.planeTv = j.at("plane_tv").get<float>();
        o.margin = j.at("margin").get<float>();
        o.surfaceFraction = j.at("surface_fraction").get<float>();
        o.uniformFraction = j.at("uniform_fraction").get<float>();
        o.nearSigmas = j.at("near_sigmas").get<std::vector<float>>();
        o.poolSize = j.at("pool_size").get<uint32_t>();
        o.seed = j.at("seed").get<uint64_t>();
        return o;
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("fit options: ") + e.what());
    }
}

namespace {

constexpr char kMagic[8] = {'N', 'R', 'V', 'F', 'C', 'K', 'P', '1'};

} // namespace

void FieldFitter::saveCheckpoint(const std::string& path) const {
    const nlohmann::json state = {
        {"options", opt_.toJson()}, {"iteration", iteration_}, {"loss_ema", lossEma_}};
    nn::writeCheckpoint(path, kMagic, state, field_.parameters(), adam_);
}

void FieldFitter::loadCheckpoint(const std::string& path) {
    std::vector<size_t> sizes;
    for (const nn::Adam& a : adam_)
        sizes.push_back(const_cast<nn::Adam&>(a).firstMoment().size());
    nn::Checkpoint c =
        nn::readCheckpoint(path, kMagic, "nerva fit checkpoint", field_.parameterCount(), sizes);
    try {
        if (c.state.at("options") != opt_.toJson())
            throw Error(path + ": the checkpoint was made with other options: " +
                        c.state.at("options").dump());
        iteration_ = c.state.at("iteration").get<uint64_t>();
        lossEma_ = c.state.at("loss_ema").get<double>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": bad checkpoint state (" + e.what() + ")");
    }
    field_.parameters() = std::move(c.params);
    adam_ = std::move(c.adam);
}

formats::NtriAsset FieldFitter::toNtri(const std::string& sourceName, const std::string& sourceHash,
                                       const nlohmann::json& metrics, bool quantise8) const {
    formats::NtriAsset a;
    a.kind = fieldKindName(opt_.kind);
    a.resolution = opt_.resolution;
    a.channels = opt_.channels;
    a.levels = opt_.levels;
    a.truncation = opt_.truncation;
    a.centre = {transform_.centre.x, transform_.centre.y, transform_.centre.z};
    a.scale = transform_.scale;
    a.sourceName = sourceName;
    a.sourceHash = sourceHash;
    a.encoding = quantise8 ? formats::NtriPlaneEncoding::Unorm8 : formats::NtriPlaneEncoding::Fp16;
    const std::vector<float>& p = field_.parameters();
    a.planes.assign(p.begin(), p.begin() + ptrdiff_t(field_.planeFloats()));
    for (const nn::LayerSpec& l : field_.mlp().layers())
        a.layers.push_back({l.in, l.out, l.bias, nn::activationName(l.activation)});
    a.mlp.assign(p.begin() + ptrdiff_t(field_.mlpOffset()), p.end());
    a.fit = opt_.toJson();
    a.fit["iterations_done"] = iteration_;
    a.fit["final_loss_ema"] = lossEma_;
    a.metrics = metrics;
    return a;
}

} // namespace nerva::field
