// The fitter's options as JSON, its checkpoints and the .ntri export
// (field_fit.h).
//
// Checkpoint file (little-endian, native floats):
//   "NRVFCKP1"  u64 json bytes, json {options, iteration, loss_ema}
//   u64 parameter count, float32 parameters
//   per Adam group (planes level-major, then the MLP):
//     u64 steps, u64 count, float32 m[count], float32 v[count]
//   u32 CRC-32 of everything before it.
#include "neural/core/error.h"
#include "neural/field/field_fit.h"

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

void put(std::string& s, const void* p, size_t n) {
    s.append(static_cast<const char*>(p), n);
}
void putU64(std::string& s, uint64_t v) {
    put(s, &v, 8);
}

struct Reader {
    const std::string& s;
    const std::string& where;
    size_t at = 0;
    void get(void* p, size_t n) {
        if (n > s.size() - at) throw Error(where + ": truncated checkpoint");
        std::memcpy(p, s.data() + at, n);
        at += n;
    }
    uint64_t u64() {
        uint64_t v = 0;
        get(&v, 8);
        return v;
    }
    void floats(std::span<float> out) {
        if (u64() != out.size()) throw Error(where + ": checkpoint sizes do not match");
        get(out.data(), out.size_bytes());
    }
};

} // namespace

void FieldFitter::saveCheckpoint(const std::string& path) const {
    const nlohmann::json state = {
        {"options", opt_.toJson()}, {"iteration", iteration_}, {"loss_ema", lossEma_}};
    const std::string text = state.dump();
    std::string s(kMagic, 8);
    putU64(s, text.size());
    s += text;
    putU64(s, field_.parameterCount());
    put(s, field_.parameters().data(), field_.parameterCount() * sizeof(float));
    for (const nn::Adam& a : adam_) {
        nn::Adam& m = const_cast<nn::Adam&>(a); // the moments' accessors are not const
        putU64(s, m.steps());
        putU64(s, m.firstMoment().size());
        put(s, m.firstMoment().data(), m.firstMoment().size_bytes());
        put(s, m.secondMoment().data(), m.secondMoment().size_bytes());
    }
    const uint32_t crc = formats::crc32(s.data(), s.size());
    put(s, &crc, 4);

    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(s.data(), std::streamsize(s.size()));
        out.close();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw Error(path + ": cannot write checkpoint");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw Error(path + ": cannot write checkpoint (" + ec.message() + ")");
    }
}

void FieldFitter::loadCheckpoint(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": no checkpoint to resume from");
    const std::string s{std::istreambuf_iterator<char>(in), {}};
    if (s.size() < 12 || std::memcmp(s.data(), kMagic, 8) != 0)
        throw Error(path + ": not a nerva fit checkpoint");
    uint32_t crc = 0;
    std::memcpy(&crc, s.data() + s.size() - 4, 4);
    if (crc != formats::crc32(s.data(), s.size() - 4))
        throw Error(path + ": checkpoint checksum mismatch");
    const std::string body = s.substr(0, s.size() - 4);
    Reader r{body, path, 8};
    const uint64_t n = r.u64();
    if (n > body.size()) throw Error(path + ": truncated checkpoint");
    std::string text(n, '\0');
    r.get(text.data(), n);
    try {
        const nlohmann::json state = nlohmann::json::parse(text);
        if (state.at("options") != opt_.toJson())
            throw Error(path + ": the checkpoint was made with other options: " +
                        state.at("options").dump());
        std::vector<float> params(field_.parameterCount());
        r.floats(params);
        std::vector<nn::Adam> adam;
        for (const nn::Adam& a : adam_) {
            adam.emplace_back(const_cast<nn::Adam&>(a).firstMoment().size());
            const uint64_t steps = r.u64();
            r.floats(adam.back().firstMoment());
            r.get(adam.back().secondMoment().data(), adam.back().secondMoment().size_bytes());
            adam.back().setSteps(size_t(steps));
        }
        if (r.at != body.size()) throw Error(path + ": trailing bytes in checkpoint");
        iteration_ = state.at("iteration").get<uint64_t>();
        lossEma_ = state.at("loss_ema").get<double>();
        field_.parameters() = std::move(params);
        adam_ = std::move(adam);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": bad checkpoint state (" + e.what() + ")");
    }
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
