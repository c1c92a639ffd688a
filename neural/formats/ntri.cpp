// The `.ntri` reader and writer (docs/ntri-format.md): header JSON,
// validation, the chunks' contents, the summary. The container (chunks, CRCs,
// atomic file writes) is shared with `.nmat` in chunked_file.h.
#include "neural/formats/ntri.h"

#include "neural/core/error.h"
#include "neural/formats/chunked_file.h"
#include "neural/formats/nmat_detail.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>

namespace nerva::formats {

namespace {

using chunked::Chunk;
using chunked::getLE;
using chunked::putLE;
using detail::parseHeaderJson;
using detail::printable;
using nlohmann::json;

const chunked::Container kContainer{"NTRI", ".ntri", kNtriFormatVersion};

// The (min, max) of channel c over one plane of r x r x C values.
void channelRange(const float* plane, size_t texels, uint32_t C, uint32_t c, float& lo, float& hi) {
    lo = hi = plane[c];
    for (size_t t = 0; t < texels; ++t) {
        lo = std::min(lo, plane[t * C + c]);
        hi = std::max(hi, plane[t * C + c]);
    }
}

// 8-bit code of v in [lo, hi]: round((v - lo) / (hi - lo) * 255).
inline uint8_t quantise(float v, float lo, float hi) {
    if (!(hi > lo)) return 0;
    const float q = std::nearbyint((v - lo) / (hi - lo) * 255.0f);
    return uint8_t(std::clamp(q, 0.0f, 255.0f));
}
inline float dequantise(uint8_t q, float lo, float hi) {
    return lo + float(q) * ((hi - lo) / 255.0f);
}

json headerJson(const NtriAsset& a) {
    json layers = json::array();
    for (const NmatLayer& l : a.layers)
        layers.push_back(
            {{"in", l.in}, {"out", l.out}, {"bias", l.bias}, {"activation", l.activation}});
    return {{"kind", a.kind},
            {"planes",
             {{"resolution", a.resolution},
              {"channels", a.channels},
              {"levels", a.levels},
              {"encoding", ntriEncodingName(a.encoding)}}},
            {"mlp", {{"layers", layers}, {"params", a.mlp.size()}}},
            {"truncation", a.truncation},
            {"transform", {{"centre", a.centre}, {"scale", a.scale}}},
            {"source", {{"name", a.sourceName}, {"hash", a.sourceHash}}},
            {"fit", a.fit},
            {"metrics", a.metrics}};
}

NtriAsset parseHeader(std::string_view text, const std::string& where) {
    const json h = parseHeaderJson(text, where, "header: bad JSON");
    NtriAsset a;
    try {
        a.kind = h.at("kind").get<std::string>();
        const json& p = h.at("planes");
        a.resolution = p.at("resolution").get<uint32_t>();
        a.channels = p.at("channels").get<uint32_t>();
        a.levels = p.at("levels").get<uint32_t>();
        const std::string enc = p.at("encoding").get<std::string>();
        if (enc == "fp16")
            a.encoding = NtriPlaneEncoding::Fp16;
        else if (enc == "u8")
            a.encoding = NtriPlaneEncoding::Unorm8;
        else
            throw errorAt(where, "header: unknown plane encoding \"" + printable(enc) + "\"");
        const json& m = h.at("mlp");
        if (m.at("layers").size() > 16) throw errorAt(where, "header: more than 16 MLP layers");
        for (const json& l : m.at("layers"))
            a.layers.push_back({l.at("in").get<uint32_t>(), l.at("out").get<uint32_t>(),
                                l.at("bias").get<bool>(), l.at("activation").get<std::string>()});
        const uint64_t params = m.at("params").get<uint64_t>();
        if (params != nmatParamCount(a.layers))
            throw errorAt(where, "header: mlp.params " + std::to_string(params) +
                                     " does not match its layers (" +
                                     std::to_string(nmatParamCount(a.layers)) + ")");
        a.truncation = h.at("truncation").get<float>();
        a.centre = h.at("transform").at("centre").get<std::array<float, 3>>();
        a.scale = h.at("transform").at("scale").get<float>();
        a.sourceName = h.at("source").at("name").get<std::string>();
        a.sourceHash = h.at("source").at("hash").get<std::string>();
        a.fit = h.value("fit", json::object());
        a.metrics = h.value("metrics", json::object());
    } catch (const json::exception& e) {
        throw errorAt(where, "header: " + printable(e.what()));
    }
    return a;
}

// Everything but the array contents (what the header fixes).
void validateShapes(const NtriAsset& a, const std::string& where) {
    const uint32_t outputs = ntriKindOutputs(a.kind);
    if (outputs == 0) throw errorAt(where, "unknown field kind \"" + printable(a.kind) + "\"");
    if (a.resolution < 2 || a.resolution > 4096)
        throw errorAt(where,
                      "plane resolution " + std::to_string(a.resolution) + " outside 2..4096");
    if (a.channels < 1 || a.channels > 64)
        throw errorAt(where, "feature channels " + std::to_string(a.channels) + " outside 1..64");
    if (a.levels < 1 || a.levels > 3)
        throw errorAt(where, "plane levels " + std::to_string(a.levels) + " outside 1..3");
    if (!(a.truncation > 0.0f) || !std::isfinite(a.truncation))
        throw errorAt(where, "truncation must be positive and finite");
    if (!(a.scale > 0.0f) || !std::isfinite(a.scale))
        throw errorAt(where, "transform scale must be positive and finite");
    for (const float c : a.centre)
        if (!std::isfinite(c)) throw errorAt(where, "transform centre is not finite");
    for (const char c : a.sourceHash)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            throw errorAt(where, "source hash \"" + printable(a.sourceHash) +
                                     "\" is not lowercase hexadecimal");
    if (a.layers.empty() || a.layers.size() > 16)
        throw errorAt(where, std::to_string(a.layers.size()) + " MLP layers, need 1..16");
    for (size_t i = 0; i < a.layers.size(); ++i) {
        const NmatLayer& l = a.layers[i];
        const std::string name = "MLP layer " + std::to_string(i);
        const uint32_t in = i == 0 ? a.channels : a.layers[i - 1].out;
        if (l.in != in)
            throw errorAt(where, name + " has " + std::to_string(l.in) + " inputs, expected " +
                                     std::to_string(in));
        if (l.out < 1 || l.out > 1024)
            throw errorAt(where, name + " has " + std::to_string(l.out) + " outputs");
        const bool last = i + 1 == a.layers.size();
        if (last && l.out != outputs)
            throw errorAt(where, name + " has " + std::to_string(l.out) + " outputs, kind " +
                                     a.kind + " needs " + std::to_string(outputs));
        if (l.activation != (last ? "none" : "relu"))
            throw errorAt(where, name + " activation \"" + printable(l.activation) +
                                     "\", expected " + (last ? "none" : "relu"));
    }
}

void checkValues(const std::vector<float>& v, bool fp16, const std::string& what,
                 const std::string& where) {
    for (size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]) || (fp16 && std::fabs(v[i]) >= 65520.0f))
            throw errorAt(where, what + " value " + std::to_string(i) + " (" +
                                     std::to_string(v[i]) + ") does not fit in fp16");
}

// Per (level, plane): texels of one plane.
std::vector<size_t> planeTexels(const NtriAsset& a) {
    std::vector<size_t> t;
    for (uint32_t l = 0; l < a.levels; ++l)
        for (int k = 0; k < 3; ++k)
            t.push_back(size_t(ntriLevelResolution(a, l)) * ntriLevelResolution(a, l));
    return t;
}

} // namespace

const char* ntriEncodingName(NtriPlaneEncoding e) {
    return e == NtriPlaneEncoding::Unorm8 ? "u8" : "fp16";
}

uint32_t ntriLevelResolution(const NtriAsset& a, uint32_t level) {
    return std::max(a.resolution >> level, 2u);
}

uint64_t ntriPlaneValueCount(const NtriAsset& a) {
    uint64_t n = 0;
    for (uint32_t l = 0; l < a.levels; ++l)
        n += 3ull * ntriLevelResolution(a, l) * ntriLevelResolution(a, l) * a.channels;
    return n;
}

uint32_t ntriKindOutputs(const std::string& kind) {
    if (kind == "sdf" || kind == "occupancy") return 1;
    if (kind == "density_color") return 4;
    return 0;
}

void validateNtri(const NtriAsset& a, const std::string& where) {
    validateShapes(a, where);
    if (a.planes.size() != ntriPlaneValueCount(a))
        throw errorAt(where, std::to_string(a.planes.size()) + " plane values, the shape needs " +
                                 std::to_string(ntriPlaneValueCount(a)));
    if (a.mlp.size() != nmatParamCount(a.layers))
        throw errorAt(where, std::to_string(a.mlp.size()) + " MLP parameters, the layers need " +
                                 std::to_string(nmatParamCount(a.layers)));
    checkValues(a.planes, a.encoding == NtriPlaneEncoding::Fp16, "plane", where);
    checkValues(a.mlp, true, "MLP", where);
}

std::string encodeNtri(const NtriAsset& a, const std::string& where) {
    validateNtri(a, where);
    std::string head;
    try {
        head = headerJson(a).dump();
    } catch (const json::exception& e) {
        throw errorAt(where, "header cannot be encoded (" + printable(e.what()) + ")");
    }
    std::string planes;
    const char* planesTag = "PLNS";
    if (a.encoding == NtriPlaneEncoding::Fp16) {
        chunked::putHalves(planes, a.planes);
    } else {
        // Ranges of every (level, plane, channel) as f32 pairs, then the codes.
        planesTag = "PLQ8";
        std::string codes;
        const float* p = a.planes.data();
        for (const size_t texels : planeTexels(a)) {
            std::vector<float> lo(a.channels), hi(a.channels);
            for (uint32_t c = 0; c < a.channels; ++c) {
                channelRange(p, texels, a.channels, c, lo[c], hi[c]);
                putLE(planes, std::bit_cast<uint32_t>(lo[c]), 4);
                putLE(planes, std::bit_cast<uint32_t>(hi[c]), 4);
            }
            for (size_t t = 0; t < texels; ++t)
                for (uint32_t c = 0; c < a.channels; ++c)
                    codes += char(quantise(p[t * a.channels + c], lo[c], hi[c]));
            p += texels * a.channels;
        }
        planes += codes;
    }
    std::string mlp;
    chunked::putHalves(mlp, a.mlp);
    return chunked::encodeChunks(kContainer, {{"HEAD", head}, {planesTag, planes}, {"MLPW", mlp}});
}

NtriAsset decodeNtri(const std::string& bytes, const std::string& where) {
    const chunked::DecodedChunks file = chunked::decodeChunks(bytes, kContainer, where);
    auto find = [&](const char* tag, bool required) {
        return chunked::findChunk(file.chunks, tag, required, where);
    };
    NtriAsset a = parseHeader(find("HEAD", true)->payload, where);
    a.version = file.version;
    validateShapes(a, where);
    const uint64_t values = ntriPlaneValueCount(a);
    const Chunk* fp16 = find("PLNS", false);
    const Chunk* u8 = find("PLQ8", false);
    const bool wantU8 = a.encoding == NtriPlaneEncoding::Unorm8;
    if ((wantU8 ? u8 : fp16) == nullptr || (wantU8 ? fp16 : u8) != nullptr)
        throw errorAt(where, std::string("the planes must be exactly one ") +
                                 (wantU8 ? "PLQ8" : "PLNS") + " chunk (header encoding " +
                                 ntriEncodingName(a.encoding) + ")");
    if (!wantU8) {
        if (fp16->payload.size() != 2 * values)
            throw errorAt(where, "chunk PLNS holds " + std::to_string(fp16->payload.size()) +
                                     " bytes, the header's planes need " +
                                     std::to_string(2 * values));
        chunked::getHalves(fp16->payload, a.planes, where + ": plane");
    } else {
        const uint64_t ranges = 3ull * a.levels * a.channels;
        if (u8->payload.size() != 8 * ranges + values)
            throw errorAt(where, "chunk PLQ8 holds " + std::to_string(u8->payload.size()) +
                                     " bytes, the header's planes need " +
                                     std::to_string(8 * ranges + values));
        a.planes.resize(values);
        const char* r = u8->payload.data();
        const auto* codes = reinterpret_cast<const uint8_t*>(u8->payload.data() + 8 * ranges);
        float* p = a.planes.data();
        for (const size_t texels : planeTexels(a)) {
            for (uint32_t c = 0; c < a.channels; ++c) {
                const float lo = std::bit_cast<float>(uint32_t(getLE(r, 4)));
                const float hi = std::bit_cast<float>(uint32_t(getLE(r + 4, 4)));
                r += 8;
                if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo)
                    throw errorAt(where, "chunk PLQ8 has a bad channel range");
                for (size_t t = 0; t < texels; ++t)
                    p[t * a.channels + c] = dequantise(codes[t * a.channels + c], lo, hi);
            }
            p += texels * a.channels;
            codes += texels * a.channels;
        }
    }
    const Chunk* mlp = find("MLPW", true);
    if (mlp->payload.size() != 2 * nmatParamCount(a.layers))
        throw errorAt(where, "chunk MLPW holds " + std::to_string(mlp->payload.size()) +
                                 " bytes, the layers need " +
                                 std::to_string(2 * nmatParamCount(a.layers)));
    chunked::getHalves(mlp->payload, a.mlp, where + ": MLP");
    return a;
}

void writeNtri(const NtriAsset& a, const std::string& path) {
    chunked::writeFileAtomically(path, encodeNtri(a, path));
}

NtriAsset readNtri(const std::string& path) {
    return decodeNtri(chunked::readWholeFile(path), path);
}

std::string ntriSummary(const NtriAsset& a) {
    std::ostringstream s;
    s << "  tri-plane field, kind " << a.kind << ", format version " << a.version << "\n";
    s << "  planes: " << a.levels << " level(s) of 3 x";
    for (uint32_t l = 0; l < a.levels; ++l)
        s << (l ? "," : "") << " " << ntriLevelResolution(a, l) << "^2";
    s << " x " << a.channels << " channels, " << ntriEncodingName(a.encoding) << " ("
      << ntriPlaneValueCount(a) << " values)\n";
    s << "  mlp: " << a.channels;
    for (const NmatLayer& l : a.layers)
        s << "-" << l.out << "(" << l.activation << ")";
    s << ", " << a.mlp.size() << " parameters\n";
    if (a.kind == "sdf") s << "  truncation: " << a.truncation << " field units\n";
    s << "  transform: p_field = (p_mesh - (" << a.centre[0] << ", " << a.centre[1] << ", "
      << a.centre[2] << ")) * " << a.scale << "\n";
    s << "  source: " << (a.sourceName.empty() ? "(none)" : a.sourceName);
    if (!a.sourceHash.empty()) s << " (hash " << a.sourceHash << ")";
    s << "\n";
    // Free-form objects: one "key: value" line each, numbers to 6 digits.
    auto section = [&s](const char* title, const json& j) {
        if (!j.is_object() || j.empty()) return;
        s << "  " << title << ":\n";
        for (const auto& [key, value] : j.items()) {
            s << "    " << key << ": ";
            if (value.is_number_float()) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.6g", value.get<double>());
                s << buf;
            } else {
                s << value.dump();
            }
            s << "\n";
        }
    };
    section("fit", a.fit);
    section("metrics", a.metrics);
    return s.str();
}

} // namespace nerva::formats
