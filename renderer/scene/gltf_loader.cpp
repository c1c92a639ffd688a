// glTF loading: reads the file, checks the GLB container and the JSON before
// tinygltf is allowed to touch any data, lets tinygltf parse, then converts
// the tinygltf model into the scene model (gltf_materials/geometry/nodes.cpp).
#include "renderer/scene/gltf_loader.h"

#include "renderer/scene/gltf_internal.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <new>

namespace nerva::scene {
namespace gltf {

namespace {

constexpr uint32_t kGlbMagic = 0x46546C67;  // "glTF"
constexpr uint32_t kChunkJson = 0x4E4F534A; // "JSON"
constexpr uint32_t kChunkBin = 0x004E4942;  // "BIN\0"
constexpr size_t kMaxErrorDetail = 240;     // tinygltf text kept in an error line
constexpr size_t kMaxNameInMessage = 64;    // bytes of an object name quoted in a message

uint32_t readU32(const std::vector<uint8_t>& bytes, size_t offset) {
    // GLB is little-endian, as is every machine we run on.
    uint32_t v = 0;
    std::memcpy(&v, bytes.data() + offset, 4);
    return v;
}

std::vector<uint8_t> readWholeFile(const std::string& path) {
    std::error_code ec;
    const std::filesystem::file_status status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) throw errorAt(path, "file not found");
    if (std::filesystem::is_directory(status)) throw errorAt(path, "is a directory, not a file");

    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw errorAt(path, std::string("cannot open: ") + std::strerror(errno));
    std::vector<uint8_t> bytes;
    uint8_t chunk[1 << 16];
    size_t got = 0;
    while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0)
        bytes.insert(bytes.end(), chunk, chunk + got);
    const bool failed = std::ferror(f) != 0;
    const int readErrno = errno;
    std::fclose(f);
    if (failed) throw errorAt(path, std::string("cannot read: ") + std::strerror(readErrno));
    if (bytes.empty()) throw errorAt(path, "file is empty");
    return bytes;
}

// The JSON text and the length of a validated GLB container. The checks are
// at least as strict as tinygltf's, and read the chunks the same way, so
// tinygltf only ever sees a container whose chunks lie inside the bytes.
struct GlbLayout {
    size_t jsonOffset = 20;
    size_t jsonSize = 0;
    size_t binSize = 0;
    size_t length = 0;
};

GlbLayout parseGlb(const std::string& path, const std::vector<uint8_t>& bytes) {
    const size_t size = bytes.size();
    auto truncated = [&](const std::string& what) {
        return errorAt(path, "truncated GLB (" + std::to_string(size) + " bytes): " + what);
    };
    if (size < 12) throw truncated("shorter than the 12-byte header");
    if (readU32(bytes, 0) != kGlbMagic) throw errorAt(path, "not a GLB file (bad magic)");
    const uint32_t version = readU32(bytes, 4);
    if (version != 2) {
        throw errorAt(path, "unsupported GLB version " + std::to_string(version) + " (need 2)");
    }
    GlbLayout glb;
    glb.length = readU32(bytes, 8);
    if (glb.length > size) {
        throw truncated("the header says the file is " + std::to_string(glb.length) + " bytes");
    }
    if (glb.length < 20) throw truncated("no room for the JSON chunk header");
    glb.jsonSize = readU32(bytes, 12);
    if (readU32(bytes, 16) != kChunkJson) throw errorAt(path, "GLB chunk 0 is not JSON");
    if (glb.jsonSize == 0) throw errorAt(path, "GLB JSON chunk is empty");
    const uint64_t jsonEnd = 20ull + glb.jsonSize;
    if (jsonEnd > glb.length) {
        throw truncated("the JSON chunk of " + std::to_string(glb.jsonSize) +
                        " bytes runs past the end");
    }
    if (jsonEnd == glb.length) return glb; // no BIN chunk
    if (jsonEnd + 8 > glb.length) throw truncated("the BIN chunk header is cut off");
    const uint32_t binSize = readU32(bytes, size_t(jsonEnd));
    if (readU32(bytes, size_t(jsonEnd) + 4) != kChunkBin) {
        throw errorAt(path, "GLB chunk 1 is not a BIN chunk");
    }
    if (jsonEnd + 8 + binSize > glb.length) {
        throw truncated("the BIN chunk of " + std::to_string(binSize) + " bytes runs past the end");
    }
    if (binSize < 4 || binSize % 4 != 0) {
        throw errorAt(path, "GLB BIN chunk length " + std::to_string(binSize) +
                                " is not a positive multiple of 4");
    }
    glb.binSize = binSize;
    return glb;
}

std::string parentDir(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return {};
    return slash == 0 ? std::string("/") : path.substr(0, slash);
}

void warnAboutUnsupported(LoadContext& ctx) {
    const tinygltf::Model& m = ctx.model;
    for (const std::string& ext : m.extensionsUsed) {
        if (!isSupportedExtension(ext))
            ctx.warn("extension " + ext + " is not supported (ignored)");
    }
    if (!m.animations.empty()) ctx.warn("animations are not supported (ignored)");
    if (!m.skins.empty()) ctx.warn("skins are not supported (skinned meshes drawn unskinned)");
}

Scene load(const std::string& path) {
    Scene scene;
    scene.path = path;
    LoadContext ctx;
    ctx.path = path;
    ctx.baseDir = parentDir(path);
    ctx.scene = &scene;

    const std::vector<uint8_t> bytes = readWholeFile(path);
    // By content; a .glb name also counts, so that a cut-off GLB is reported
    // as such rather than as malformed JSON.
    const bool glbName = path.size() >= 4 && (path.compare(path.size() - 4, 4, ".glb") == 0 ||
                                              path.compare(path.size() - 4, 4, ".GLB") == 0);
    ctx.binary = glbName || (bytes.size() >= 4 && readU32(bytes, 0) == kGlbMagic);
    GlbLayout glb;
    if (ctx.binary) {
        glb = parseGlb(path, bytes);
        ctx.binChunkSize = glb.binSize;
    }
    const char* text = reinterpret_cast<const char*>(bytes.data()) + (ctx.binary ? 20 : 0);
    const size_t textSize = ctx.binary ? glb.jsonSize : bytes.size();
    if (textSize > 0xFFFFFFFFu) ctx.fail("JSON larger than 4 GiB");
    if (!ctx.binary) {
        size_t first = 0; // a UTF-8 byte order mark and whitespace may come first
        if (textSize >= 3 && std::memcmp(text, "\xEF\xBB\xBF", 3) == 0) first = 3;
        while (first < textSize && std::strchr(" \t\r\n", text[first]) && text[first])
            ++first;
        if (first == textSize || text[first] != '{') {
            ctx.fail("not glTF: neither a JSON object nor a GLB container");
        }
    }
    prevalidate(ctx, parseJsonText(ctx, text, textSize));

    tinygltf::TinyGLTF parser;
    parser.SetImageLoader(&decodeImage, &ctx);
    std::string err, warn;
    const bool ok =
        ctx.binary ? parser.LoadBinaryFromMemory(&ctx.model, &err, &warn, bytes.data(),
                                                 static_cast<unsigned int>(glb.length), ctx.baseDir)
                   : parser.LoadASCIIFromString(&ctx.model, &err, &warn, text,
                                                static_cast<unsigned int>(textSize), ctx.baseDir);
    if (!ok) {
        ctx.fail(!ctx.imageError.empty() ? ctx.imageError
                                         : condenseMessage(err.empty() ? warn : err));
    }

    warnAboutUnsupported(ctx);
    convertMaterials(ctx);
    convertMeshes(ctx);
    convertNodes(ctx);
    return scene;
}

} // namespace

std::string oneLine(const std::string& text, size_t maxBytes) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        // Keep well-formed UTF-8; control characters and stray bytes (names
        // from the file, parsers quoting what they read) become '?'.
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const size_t len = c < 0x80           ? 1
                           : (c >> 5) == 0x6  ? 2
                           : (c >> 4) == 0xE  ? 3
                           : (c >> 3) == 0x1E ? 4
                                              : 0;
        bool ok = len != 0 && i + len <= text.size() && c >= 0x20 && c != 0x7F;
        for (size_t k = 1; ok && k < len; ++k) {
            ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
        }
        if (out.size() + (ok ? len : 1) > maxBytes) return out + "...";
        if (!ok) {
            out += '?';
            continue;
        }
        out.append(text, i, len);
        i += len - 1;
    }
    return out;
}

std::string condenseMessage(const std::string& text) {
    std::string joined;
    bool pendingSpace = false;
    for (char c : text) {
        if (c == '\n' || c == '\r') {
            if (!joined.empty() && joined.back() != ';') joined += ';';
            pendingSpace = !joined.empty();
        } else if (c == ' ' || c == '\t') {
            pendingSpace = !joined.empty();
        } else {
            if (pendingSpace) joined += ' ';
            pendingSpace = false;
            joined += c;
        }
    }
    while (!joined.empty() && (joined.back() == ';' || joined.back() == ' '))
        joined.pop_back();
    return joined.empty() ? std::string("tinygltf could not load the file")
                          : oneLine(joined, kMaxErrorDetail);
}

bool isSupportedExtension(const std::string& name) {
    // The material extensions are read into the scene model in full
    // (gltf_material_extensions.cpp) and mapped onto the layered materials
    // (gltf_layered.h); the glTF path tracer's own material uses only
    // KHR_materials_specular's specularFactor of them.
    return name == "KHR_texture_transform" || name == "KHR_materials_emissive_strength" ||
           name == "KHR_lights_punctual" || name == "KHR_materials_specular" ||
           name == "KHR_materials_ior" || name == "KHR_materials_clearcoat" ||
           name == "KHR_materials_sheen" || name == "NERVA_materials_layered" ||
           name == "NERVA_materials_neural" || name == "NERVA_field";
}

void LoadContext::warn(const std::string& message) {
    if (warned.insert(message).second) scene->warnings.push_back(message);
}

void LoadContext::fail(const std::string& problem) const {
    throw errorAt(path, problem);
}

std::string label(const char* kind, size_t index, const std::string& name) {
    if (name.empty()) return std::string(kind) + " " + std::to_string(index);
    return std::string(kind) + " '" + oneLine(name, kMaxNameInMessage) + "'";
}

} // namespace gltf

Scene loadGltf(const std::string& path) {
    try {
        return gltf::load(path);
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw errorAt(path, "out of memory while loading (sizes in the file too large?)");
    } catch (const std::exception& e) {
        throw errorAt(path, gltf::condenseMessage(e.what()));
    }
}

} // namespace nerva::scene
