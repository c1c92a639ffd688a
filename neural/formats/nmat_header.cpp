// The HEAD chunk of a `.nmat` file (docs/nmat-format.md): its JSON, the
// validation of shapes and sizes, and the text summary for `nerva info`.
#include "neural/formats/nmat_detail.h"

#include "neural/core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace nerva::formats {

using nlohmann::json;

namespace detail {

std::string printable(std::string_view s) {
    std::string r;
    for (const unsigned char c : s.substr(0, 64)) {
        if (c >= 0x20 && c < 0x7f) {
            r += char(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            r += buf;
        }
    }
    return s.size() > 64 ? r + "..." : r;
}

std::string netLabel(const NmatNetwork& n) {
    return "network \"" + printable(n.name) + "\"";
}

uint64_t latentValueCount(const NmatAsset& a) {
    uint64_t n = 0;
    for (const NmatLatentLevel& l : a.levels)
        n += uint64_t(l.width) * l.height * a.latentChannels;
    return n;
}

} // namespace detail

namespace {

using detail::netLabel;
using detail::printable;

// Limits that keep every size computation far from overflow (u64) and reject
// absurd headers before anything is allocated.
constexpr uint32_t kMaxChannels = 64, kMaxExtent = 65536, kMaxLevels = 32;
constexpr uint32_t kMaxNetworks = 64, kMaxLayers = 256, kMaxWidth = 65536;
constexpr int kMaxJsonDepth = 64;
constexpr const char* kActivations[] = {"none", "relu", "leaky_relu", "exp3"};

// Everything but the big arrays: what the HEAD chunk carries.
void validateShapes(const NmatAsset& a, const std::string& where) {
    for (const char c : a.sourceHash)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            throw errorAt(where, "source hash \"" + printable(a.sourceHash) +
                                     "\" is not lowercase hexadecimal");
    if (a.latentChannels < 1 || a.latentChannels > kMaxChannels)
        throw errorAt(where, "latent channels " + std::to_string(a.latentChannels) +
                                 " outside 1.." + std::to_string(kMaxChannels));
    if (a.levels.empty() || a.levels.size() > kMaxLevels)
        throw errorAt(where, std::to_string(a.levels.size()) + " latent levels, need 1.." +
                                 std::to_string(kMaxLevels));
    for (size_t i = 0; i < a.levels.size(); ++i) {
        const NmatLatentLevel& l = a.levels[i];
        const std::string level = "latent level " + std::to_string(i);
        if (i == 0 &&
            (l.width < 1 || l.height < 1 || l.width > kMaxExtent || l.height > kMaxExtent))
            throw errorAt(where, level + " is " + std::to_string(l.width) + " x " +
                                     std::to_string(l.height) + ", need 1.." +
                                     std::to_string(kMaxExtent) + " per side");
        if (i == 0) continue;
        const NmatLatentLevel& p = a.levels[i - 1];
        if (p.width == 1 && p.height == 1) throw errorAt(where, level + " follows a 1 x 1 level");
        const uint32_t w = (p.width + 1) / 2, h = (p.height + 1) / 2;
        if (l.width != w || l.height != h)
            throw errorAt(where, level + " is " + std::to_string(l.width) + " x " +
                                     std::to_string(l.height) + ", should be " + std::to_string(w) +
                                     " x " + std::to_string(h) +
                                     " (half the level above, rounded up)");
    }
    if (a.networks.size() > kMaxNetworks)
        throw errorAt(where, std::to_string(a.networks.size()) + " networks, at most " +
                                 std::to_string(kMaxNetworks));
    std::set<std::string> names;
    for (const NmatNetwork& n : a.networks) {
        if (n.name.empty()) throw errorAt(where, "a network has no name");
        if (!names.insert(n.name).second) throw errorAt(where, netLabel(n) + " appears twice");
        if (n.layers.empty() || n.layers.size() > kMaxLayers)
            throw errorAt(where, netLabel(n) + " has " + std::to_string(n.layers.size()) +
                                     " layers, need 1.." + std::to_string(kMaxLayers));
        for (size_t i = 0; i < n.layers.size(); ++i) {
            const NmatLayer& l = n.layers[i];
            const std::string layer = netLabel(n) + " layer " + std::to_string(i);
            if (l.in < 1 || l.out < 1 || l.in > kMaxWidth || l.out > kMaxWidth)
                throw errorAt(where, layer + " is " + std::to_string(l.in) + " -> " +
                                         std::to_string(l.out) + ", need 1.." +
                                         std::to_string(kMaxWidth) + " per side");
            if (i > 0 && l.in != n.layers[i - 1].out)
                throw errorAt(where, layer + " takes " + std::to_string(l.in) +
                                         " inputs, the previous layer gives " +
                                         std::to_string(n.layers[i - 1].out));
            if (std::find(std::begin(kActivations), std::end(kActivations), l.activation) ==
                std::end(kActivations))
                throw errorAt(where, layer + " has unknown activation \"" +
                                         printable(l.activation) + "\"");
        }
    }
}

// All values must survive fp16: finite and below 65520 (which rounds to inf).
void checkValues(const std::vector<float>& v, const std::string& where, const std::string& what) {
    for (size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]) || std::fabs(v[i]) >= 65520.0f)
            throw errorAt(where, what + " value " + std::to_string(i) + " (" +
                                     std::to_string(v[i]) + ") does not fit in fp16");
}

// Typed access to the header JSON; errors name the JSON path.
struct HeaderReader {
    std::string where;
    const json& at(const json& obj, const char* key, const std::string& path) const {
        if (!obj.is_object() || !obj.contains(key))
            throw errorAt(where, "header: " + path + key + " is missing");
        return obj.at(key);
    }
    uint32_t u32(const json& obj, const char* key, const std::string& path) const {
        const json& v = at(obj, key, path);
        if (!v.is_number_unsigned() || v.get<uint64_t>() > UINT32_MAX)
            throw errorAt(where, "header: " + path + key + " is not a 32-bit unsigned integer");
        return v.get<uint32_t>();
    }
    std::string str(const json& obj, const char* key, const std::string& path) const {
        const json& v = at(obj, key, path);
        if (!v.is_string()) throw errorAt(where, "header: " + path + key + " is not a string");
        return v.get<std::string>();
    }
    const json& array(const json& obj, const char* key, const std::string& path, size_t max) const {
        const json& v = at(obj, key, path);
        if (!v.is_array() || v.size() > max)
            throw errorAt(where, "header: " + path + key + " is not an array of at most " +
                                     std::to_string(max) + " entries");
        return v;
    }
};

} // namespace

namespace detail {

json headerJson(const NmatAsset& a) {
    json levels = json::array(), networks = json::array();
    for (const NmatLatentLevel& l : a.levels)
        levels.push_back({{"width", l.width}, {"height", l.height}});
    for (const NmatNetwork& n : a.networks) {
        json layers = json::array();
        for (const NmatLayer& l : n.layers)
            layers.push_back(
                {{"in", l.in}, {"out", l.out}, {"bias", l.bias}, {"activation", l.activation}});
        networks.push_back(
            {{"name", n.name}, {"layers", layers}, {"params", nmatParamCount(n.layers)}});
    }
    return {{"name", a.name},
            {"source", {{"name", a.sourceName}, {"hash", a.sourceHash}}},
            {"latent", {{"channels", a.latentChannels}, {"levels", levels}}},
            {"networks", networks},
            {"training", a.training},
            {"metrics", a.metrics}};
}

json parseHeaderJson(std::string_view text, const std::string& where, const std::string& badJson) {
    try {
        // The callback bounds nesting so nothing later recurses deeply.
        return json::parse(text, [&](int depth, json::parse_event_t, json&) {
            if (depth > kMaxJsonDepth) throw errorAt(where, "header: JSON nested too deeply");
            return true;
        });
    } catch (const json::exception& e) {
        throw errorAt(where, badJson + " (" + printable(e.what()) + ")");
    }
}

NmatAsset parseHeader(std::string_view text, const std::string& where) {
    const json h = parseHeaderJson(text, where, "header is not valid JSON");
    const HeaderReader r{where};
    NmatAsset a;
    a.name = r.str(h, "name", "");
    const json& source = r.at(h, "source", "");
    a.sourceName = r.str(source, "name", "source.");
    a.sourceHash = r.str(source, "hash", "source.");
    const json& latent = r.at(h, "latent", "");
    a.latentChannels = r.u32(latent, "channels", "latent.");
    const json& levels = r.array(latent, "levels", "latent.", kMaxLevels);
    for (size_t i = 0; i < levels.size(); ++i) {
        const std::string path = "latent.levels[" + std::to_string(i) + "].";
        a.levels.push_back({r.u32(levels[i], "width", path), r.u32(levels[i], "height", path), {}});
    }
    const json& networks = r.array(h, "networks", "", kMaxNetworks);
    for (size_t i = 0; i < networks.size(); ++i) {
        const std::string path = "networks[" + std::to_string(i) + "].";
        NmatNetwork n;
        n.name = r.str(networks[i], "name", path);
        const json& layers = r.array(networks[i], "layers", path, kMaxLayers);
        for (size_t j = 0; j < layers.size(); ++j) {
            const std::string lp = path + "layers[" + std::to_string(j) + "].";
            const json& bias = r.at(layers[j], "bias", lp);
            if (!bias.is_boolean()) throw errorAt(where, "header: " + lp + "bias is not a boolean");
            n.layers.push_back({r.u32(layers[j], "in", lp), r.u32(layers[j], "out", lp),
                                bias.get<bool>(), r.str(layers[j], "activation", lp)});
        }
        a.networks.push_back(std::move(n));
    }
    validateShapes(a, where); // before the parameter counts below multiply widths
    for (size_t i = 0; i < networks.size(); ++i)
        if (r.u32(networks[i], "params", "networks[" + std::to_string(i) + "].") !=
            nmatParamCount(a.networks[i].layers))
            throw errorAt(where, "header: " + netLabel(a.networks[i]) +
                                     " lists a parameter count that does not match its layers");
    a.training = r.at(h, "training", "");
    a.metrics = r.at(h, "metrics", "");
    return a;
}

} // namespace detail

uint64_t nmatParamCount(const std::vector<NmatLayer>& layers) {
    uint64_t n = 0;
    for (const NmatLayer& l : layers)
        n += uint64_t(l.in) * l.out + (l.bias ? l.out : 0);
    return n;
}

void validateNmat(const NmatAsset& a, const std::string& where) {
    validateShapes(a, where);
    for (size_t i = 0; i < a.levels.size(); ++i) {
        const NmatLatentLevel& l = a.levels[i];
        const std::string level = "latent level " + std::to_string(i);
        const uint64_t need = uint64_t(l.width) * l.height * a.latentChannels;
        if (l.texels.size() != need)
            throw errorAt(where, level + " holds " + std::to_string(l.texels.size()) + " values, " +
                                     std::to_string(l.width) + " x " + std::to_string(l.height) +
                                     " x " + std::to_string(a.latentChannels) + " need " +
                                     std::to_string(need));
        checkValues(l.texels, where, level);
    }
    for (const NmatNetwork& n : a.networks) {
        if (n.params.size() != nmatParamCount(n.layers))
            throw errorAt(where, netLabel(n) + " holds " + std::to_string(n.params.size()) +
                                     " parameters, its layers need " +
                                     std::to_string(nmatParamCount(n.layers)));
        checkValues(n.params, where, netLabel(n));
    }
}

namespace {

// "  key: <json>" with the JSON pretty-printed and indented under the key.
std::string jsonBlock(const char* key, const json& value) {
    const std::string text = value.dump(2, ' ', false, json::error_handler_t::replace);
    std::string out = std::string("  ") + key + ":";
    out += text.find('\n') == std::string::npos ? " " : "\n    ";
    for (const char c : text)
        out += c == '\n' ? std::string("\n    ") : std::string(1, c);
    return out + "\n";
}

} // namespace

std::string nmatSummary(const NmatAsset& a) {
    // Counts are values; bytes are as stored (2 per fp16 value).
    std::string s = "neural material \"" + printable(a.name) + "\" (.nmat format " +
                    std::to_string(a.version) + ")\n";
    s += "  source: " + printable(a.sourceName) +
         (a.sourceHash.empty() ? "" : ", hash " + printable(a.sourceHash)) + "\n";
    const uint64_t latents = detail::latentValueCount(a);
    s += "  latents: " + std::to_string(a.latentChannels) + " channels, " +
         std::to_string(a.levels.size()) + " levels, " + std::to_string(latents) + " values, " +
         std::to_string(2 * latents) + " bytes\n";
    for (size_t i = 0; i < a.levels.size(); ++i) {
        const NmatLatentLevel& l = a.levels[i];
        s += "    level " + std::to_string(i) + ": " + std::to_string(l.width) + " x " +
             std::to_string(l.height) + ", " +
             std::to_string(2 * uint64_t(l.width) * l.height * a.latentChannels) + " bytes\n";
    }
    uint64_t params = 0;
    for (const NmatNetwork& n : a.networks)
        params += nmatParamCount(n.layers);
    s += "  networks: " + std::to_string(a.networks.size()) + ", " + std::to_string(params) +
         " parameters, " + std::to_string(2 * params) + " bytes\n";
    for (const NmatNetwork& n : a.networks) {
        // "20 -> 32 relu -> 32 relu -> 3 exp3": widths, each output's activation.
        std::string shape = n.layers.empty() ? "" : std::to_string(n.layers[0].in);
        for (const NmatLayer& l : n.layers)
            shape += " -> " + std::to_string(l.out) +
                     (l.activation == "none" ? "" : " " + printable(l.activation)) +
                     (l.bias ? "" : " (no bias)");
        s += "    " + printable(n.name) + ": " + shape + "; " +
             std::to_string(nmatParamCount(n.layers)) + " parameters\n";
    }
    s += "  total: " + std::to_string(2 * (latents + params)) + " bytes of latents and weights\n";
    return s + jsonBlock("training", a.training) + jsonBlock("metrics", a.metrics);
}

} // namespace nerva::formats
