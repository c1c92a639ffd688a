// Reading the JSON description of a layered material, version 1
// (docs/layered-materials.md). Every failure is one nerva::Error line
// "<file>: <json path>: <problem>".
#include "neural/material/layered_json.h"

#include "neural/core/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace nerva::material {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using K = LayeredParamKind;

constexpr const char* kVersionKey = "nerva_layered_material";
constexpr int kVersion = 1;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A JSON value for a message: compact, one line, not too long.
std::string show(const json& v) {
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
}

std::string kindOf(const json& v) {
    if (v.is_number()) return "a number";
    if (v.is_string()) return "a string";
    if (v.is_array()) return "an array";
    if (v.is_object()) return "an object";
    if (v.is_boolean()) return "a boolean";
    return "null";
}

// A key as it appears in a JSON path (quoted when it is not plain text).
std::string keyName(const std::string& key) {
    const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
    return plain ? key : show(json(key));
}

std::string child(const std::string& path, const std::string& key) {
    return path.empty() ? keyName(key) : path + "." + keyName(key);
}

std::string index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

std::string joined(const std::vector<std::string>& names) {
    std::string s;
    for (const std::string& n : names)
        s += (s.empty() ? "" : ", ") + n;
    return s;
}

class Parser {
  public:
    explicit Parser(const std::string& file) : file_(file) {
        std::error_code ec;
        const fs::path abs = fs::absolute(fs::path(file), ec);
        dir_ = ec ? fs::current_path(ec) : abs.parent_path();
    }

    [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
        throw errorAt(path.empty() ? file_ : file_ + ": " + path, problem);
    }

    LayeredMaterialDesc parse(const std::string& text) {
        json root;
        try {
            root = json::parse(text);
        } catch (const json::parse_error& e) {
            // "[json.exception.parse_error.101] parse error at line 1, column 2: <what>"
            std::string what = e.what();
            const size_t column = what.find("column ");
            const size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
            if (colon != std::string::npos) what = what.substr(colon + 2);
            std::replace(what.begin(), what.end(), '\n', ' ');
            fail("", "invalid JSON at byte " + std::to_string(e.byte) + ": " + what);
        }
        if (!root.is_object())
            fail("", "expected a JSON object at the top level, not " + kindOf(root));

        if (!root.contains(kVersionKey))
            fail(kVersionKey, "required key is missing (the format version, expected 1)");
        const json& version = root[kVersionKey];
        if (!version.is_number_integer() || version.get<int64_t>() != kVersion)
            fail(kVersionKey, "unsupported version " + show(version) + " (expected 1)");
        checkKeys(root, "", {kVersionKey, "name", "layers"});

        LayeredMaterialDesc d = defaultLayeredMaterial();
        d.source = file_;
        const json& name = required(root, "", "name");
        if (!name.is_string() || name.get<std::string>().empty())
            fail("name", "expected a non-empty string, not " + show(name));
        d.name = name.get<std::string>();
        parseLayers(required(root, "", "layers"), d);
        return d;
    }

  private:
    std::string file_;
    fs::path dir_;
    std::string baseNormalAt_; // JSON path of the base normal map, once given

    const json& required(const json& obj, const std::string& path, const char* key) const {
        if (!obj.contains(key)) fail(child(path, key), "required key is missing");
        return obj[key];
    }

    void checkKeys(const json& obj, const std::string& path,
                   const std::vector<std::string>& allowed) const {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
                fail(child(path, it.key()),
                     "unknown key (expected one of " + joined(allowed) + ")");
        }
    }

    double number(const json& v, const std::string& path) const {
        if (!v.is_number()) fail(path, "expected a number, not " + kindOf(v));
        const double x = v.get<double>();
        if (!std::isfinite(x)) fail(path, show(v) + " is not a finite number");
        return x;
    }

    void checkRange(double v, const LayeredParamInfo& p, const std::string& path) const {
        if (!(v >= p.min && v <= p.max))
            fail(path, num(v) + " is outside [" + num(p.min) + ", " + num(p.max) + "]");
    }

    // A texel in [0, 1] times `factor` must stay inside the parameter's range.
    void checkFactor(double factor, const LayeredParamInfo& p, const std::string& path) const {
        const double lo = std::min(0.0, factor), hi = std::max(0.0, factor);
        if (!(lo >= p.min && hi <= p.max))
            fail(path, "factor " + num(factor) + " maps texels in [0, 1] to [" + num(lo) + ", " +
                           num(hi) + "], outside [" + num(p.min) + ", " + num(p.max) + "]");
    }

    template <int N> glm::vec<N, float> numbers(const json& v, const std::string& path) const {
        const char* shape = N == 3 ? "[r, g, b]" : "[x, y]";
        if (!v.is_array() || v.size() != N)
            fail(path, std::string("expected ") + shape + ", not " +
                           (v.is_array() ? "an array of " + std::to_string(v.size()) : kindOf(v)));
        glm::vec<N, float> out;
        for (int i = 0; i < N; ++i)
            out[i] = float(number(v[size_t(i)], index(path, size_t(i))));
        return out;
    }

    std::string texturePath(const json& v, const std::string& path) const {
        if (!v.is_string() || v.get<std::string>().empty())
            fail(path, "expected a non-empty file path, not " + show(v));
        fs::path p(v.get<std::string>());
        if (p.is_relative()) p = dir_ / p;
        p = p.lexically_normal();
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) fail(path, "file not found: " + p.string());
        return p.string();
    }

    // `rotation` is in degrees (radians in glTF); see layeredUvTransform.
    void parseUv(const json& v, const std::string& path, TextureRef& tex) const {
        if (!v.is_object()) fail(path, "expected a uv object, not " + kindOf(v));
        checkKeys(v, path, {"scale", "offset", "rotation", "texCoord"});
        const glm::vec2 scale =
            v.contains("scale") ? numbers<2>(v["scale"], child(path, "scale")) : glm::vec2(1.0f);
        const glm::vec2 offset =
            v.contains("offset") ? numbers<2>(v["offset"], child(path, "offset")) : glm::vec2(0.0f);
        const double degrees =
            v.contains("rotation") ? number(v["rotation"], child(path, "rotation")) : 0.0;
        if (v.contains("texCoord")) {
            const json& t = v["texCoord"];
            if (!t.is_number_integer() || (t.get<int64_t>() != 0 && t.get<int64_t>() != 1))
                fail(child(path, "texCoord"), "expected 0 or 1, not " + show(t));
            tex.texCoord = uint32_t(t.get<int64_t>());
        }
        tex.uvTransform = layeredUvTransform(offset, float(degrees), scale);
    }

    void parseTexture(const json& v, const LayeredParamInfo& p, const std::string& path,
                      ParamDesc& out) const {
        const bool colour = p.kind == K::Colour;
        if (colour && v.contains("channel"))
            fail(child(path, "channel"),
                 "only scalar parameters pick a channel (a colour reads rgb)");
        if (colour)
            checkKeys(v, path, {"texture", "factor", "colorSpace", "uv"});
        else
            checkKeys(v, path, {"texture", "factor", "channel", "colorSpace", "uv"});
        TextureRef tex;
        tex.path = texturePath(required(v, path, "texture"), child(path, "texture"));
        tex.srgb = colour;
        glm::vec3 factor(1.0f, colour ? 1.0f : 0.0f, colour ? 1.0f : 0.0f);
        if (v.contains("factor")) {
            const std::string at = child(path, "factor");
            if (colour) {
                factor = numbers<3>(v["factor"], at);
                for (int i = 0; i < 3; ++i)
                    checkFactor(factor[i], p, index(at, size_t(i)));
            } else {
                factor.x = float(number(v["factor"], at));
                checkFactor(factor.x, p, at);
            }
        } else {
            checkFactor(1.0, p, path); // the default factor 1
        }
        if (v.contains("channel")) {
            const json& ch = v["channel"];
            static const std::array<const char*, 4> kChannels = {"r", "g", "b", "a"};
            const auto it = std::find_if(kChannels.begin(), kChannels.end(), [&](const char* n) {
                return ch.is_string() && ch.get<std::string>() == n;
            });
            if (it == kChannels.end())
                fail(child(path, "channel"),
                     "unknown channel " + show(ch) + " (expected \"r\", \"g\", \"b\" or \"a\")");
            tex.channel = uint32_t(it - kChannels.begin());
        }
        if (v.contains("colorSpace")) {
            const json& cs = v["colorSpace"];
            if (cs == "srgb" || cs == "linear")
                tex.srgb = cs == "srgb";
            else
                fail(child(path, "colorSpace"),
                     "unknown colour space " + show(cs) + " (expected \"srgb\" or \"linear\")");
        }
        if (v.contains("uv")) parseUv(v["uv"], child(path, "uv"), tex);
        out.value = factor;
        out.texture = tex;
    }

    void parseNormal(const json& v, const std::string& path, ParamDesc& out) const {
        if (!v.is_object()) fail(path, "expected a normal-map texture object, not " + kindOf(v));
        checkKeys(v, path, {"texture", "scale", "uv"});
        TextureRef tex;
        tex.path = texturePath(required(v, path, "texture"), child(path, "texture"));
        tex.normalMap = true;
        tex.srgb = false;
        const float scale =
            v.contains("scale") ? float(number(v["scale"], child(path, "scale"))) : 1.0f;
        if (v.contains("uv")) parseUv(v["uv"], child(path, "uv"), tex);
        out.value = glm::vec3(scale, 0.0f, 0.0f);
        out.texture = tex;
    }

    void parseParam(const json& v, const LayeredParamInfo& p, const std::string& path,
                    ParamDesc& out) {
        switch (p.kind) {
        case K::Scalar:
            if (v.is_object()) return parseTexture(v, p, path, out);
            if (!v.is_number())
                fail(path, "expected a number or a texture object, not " + kindOf(v));
            checkRange(number(v, path), p, path);
            out.value = glm::vec3(v.get<float>(), 0.0f, 0.0f);
            return;
        case K::Colour:
            if (v.is_object()) return parseTexture(v, p, path, out);
            if (!v.is_array())
                fail(path, "expected [r, g, b] or a texture object, not " + kindOf(v));
            out.value = numbers<3>(v, path);
            for (int i = 0; i < 3; ++i)
                checkRange(out.value[i], p, index(path, size_t(i)));
            return;
        case K::Density:
            if (!v.is_number())
                fail(path, "expected a number (it takes no texture), not " + kindOf(v));
            checkRange(number(v, path), p, path);
            out.value = glm::vec3(v.get<float>(), 0.0f, 0.0f);
            return;
        case K::Normal:
            if (p.slot == shared::kParamBaseNormal) {
                if (!baseNormalAt_.empty())
                    fail(path, "the base normal map is already given at " + baseNormalAt_ +
                                   " (give it on diffuse or on conductor, not both)");
                baseNormalAt_ = path;
            }
            return parseNormal(v, path, out);
        }
    }

    // The conductor's complex IOR: constants that set f0 and f82Tint.
    void parseComplexIor(const json& layer, const std::string& path, LayeredMaterialDesc& d) const {
        const bool hasIor = layer.contains("ior"), hasExt = layer.contains("extinction");
        if (!hasIor && !hasExt) return;
        if (!hasIor || !hasExt)
            fail(child(path, hasIor ? "extinction" : "ior"),
                 "required key is missing (\"ior\" and \"extinction\" give the complex IOR "
                 "together)");
        for (const char* replaced : {"f0", "f82Tint"}) {
            if (layer.contains(replaced))
                fail(child(path, replaced), "cannot be given with \"ior\" and \"extinction\" (the "
                                            "complex IOR sets f0 and f82Tint)");
        }
        auto constants = [&](const char* key, float lo, float hi) {
            const std::string at = child(path, key);
            if (layer[key].is_object())
                fail(at, "expected [r, g, b] (the complex IOR takes no texture)");
            const glm::vec3 v = numbers<3>(layer[key], at);
            const LayeredParamInfo range{key, 0, K::Colour, lo, hi};
            for (int i = 0; i < 3; ++i)
                checkRange(v[i], range, index(at, size_t(i)));
            return v;
        };
        const glm::vec3 n = constants("ior", 0.01f, 10.0f);
        const glm::vec3 k = constants("extinction", 0.0f, 20.0f);
        const ConductorColours c = conductorColoursFromIor(n, k);
        d.params[shared::kParamConductorF0].value = c.f0;
        d.params[shared::kParamConductorF82Tint].value = c.f82Tint;
    }

    void parseLayers(const json& layers, LayeredMaterialDesc& d) {
        if (!layers.is_array() || layers.empty())
            fail("layers",
                 "expected a non-empty array of layers, not " +
                     (layers.is_array() ? std::string("an empty array") : kindOf(layers)));
        const std::span<const LayeredLayerInfo> types = layeredLayerTypes();
        std::vector<std::string> typeNames;
        for (const LayeredLayerInfo& t : types)
            typeNames.push_back(t.type);
        std::vector<int> seenAt(types.size(), -1);
        int last = -1; // type index of the layer before
        for (size_t i = 0; i < layers.size(); ++i) {
            const std::string path = index("layers", i);
            const json& layer = layers[i];
            if (!layer.is_object()) fail(path, "expected a layer object, not " + kindOf(layer));
            const json& type = required(layer, path, "type");
            const std::string typePath = child(path, "type");
            if (!type.is_string())
                fail(typePath, "expected a layer type name, not " + kindOf(type));
            const auto found =
                std::find(typeNames.begin(), typeNames.end(), type.get<std::string>());
            if (found == typeNames.end())
                fail(typePath, "unknown layer type " + show(type) + " (expected one of " +
                                   joined(typeNames) + ")");
            const int t = int(found - typeNames.begin());
            if (seenAt[size_t(t)] >= 0)
                fail(typePath, show(type) + " is repeated (also layers[" +
                                   std::to_string(seenAt[size_t(t)]) +
                                   "]); each layer type may appear once");
            if (t < last)
                fail(typePath, show(type) + " must come before \"" + typeNames[size_t(last)] +
                                   "\" (layers go bottom to top in the order " + joined(typeNames) +
                                   ")");
            if (types[size_t(t)].bit == shared::kLayerSpecular &&
                !(d.layers & shared::kLayerDiffuse))
                fail(typePath, "\"specular\" needs a \"diffuse\" layer below it");
            seenAt[size_t(t)] = int(i);
            last = t;
            parseLayer(layer, path, types[size_t(t)], d);
        }
        if (!(d.layers & (shared::kLayerDiffuse | shared::kLayerConductor)))
            fail("layers", "needs a base: a \"diffuse\" or a \"conductor\" layer");
    }

    void parseLayer(const json& layer, const std::string& path, const LayeredLayerInfo& type,
                    LayeredMaterialDesc& d) {
        const bool conductor = type.bit == shared::kLayerConductor;
        std::vector<std::string> keys = {"type"};
        for (const LayeredParamInfo& p : type.params)
            keys.push_back(p.key);
        if (conductor) keys.insert(keys.end(), {"ior", "extinction"});
        checkKeys(layer, path, keys);
        for (const LayeredParamInfo& p : type.params) {
            if (layer.contains(p.key))
                parseParam(layer[p.key], p, child(path, p.key), d.params[p.slot]);
        }
        if (conductor) parseComplexIor(layer, path, d);
        d.layers |= type.bit;
    }
};

} // namespace

LayeredMaterialDesc parseLayeredMaterialJson(const std::string& text, const std::string& path) {
    return Parser(path).parse(text);
}

LayeredMaterialDesc loadLayeredMaterialJson(const std::string& path) {
    std::error_code ec;
    std::ifstream in(path, std::ios::binary);
    if (!in || fs::is_directory(path, ec)) throw errorAt(path, "cannot open");
    std::string text{std::istreambuf_iterator<char>(in), {}};
    if (in.bad()) throw errorAt(path, "cannot read");
    return parseLayeredMaterialJson(text, path);
}

} // namespace nerva::material
