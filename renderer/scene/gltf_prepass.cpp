// Checks on the raw glTF JSON before tinygltf loads any data. tinygltf trusts
// buffer and bufferView ranges when it decodes images from bufferViews, looks
// for missing files in the working directory too, and reports problems as
// multi-line text; everything it would trust is checked here first, with
// messages that name the object and the file.
#include "renderer/scene/gltf_internal.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>

namespace nerva::scene::gltf {

using nlohmann::json;

namespace {

constexpr int kMaxJsonDepth = 64; // glTF needs < 10; deep nesting only hurts parsers

// A member that must be a non-negative integer when present.
std::optional<uint64_t> optIndex(const LoadContext& ctx, const json& obj, const char* key,
                                 const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (it->is_number_unsigned()) return it->get<uint64_t>();
    if (it->is_number_integer() && it->get<int64_t>() >= 0) return uint64_t(it->get<int64_t>());
    ctx.fail(where + ": '" + key + "' must be a non-negative integer");
}

uint64_t reqIndex(const LoadContext& ctx, const json& obj, const char* key,
                  const std::string& where) {
    std::optional<uint64_t> v = optIndex(ctx, obj, key, where);
    if (!v) ctx.fail(where + " has no '" + key + "'");
    return *v;
}

std::optional<std::string> optString(const LoadContext& ctx, const json& obj, const char* key,
                                     const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_string()) ctx.fail(where + ": '" + key + "' must be a string");
    return it->get<std::string>();
}

// The top-level array `key` (empty when absent); its items must be objects.
const json& objectArray(const LoadContext& ctx, const json& doc, const char* key) {
    static const json empty = json::array();
    auto it = doc.find(key);
    if (it == doc.end()) return empty;
    if (!it->is_array()) ctx.fail(std::string("'") + key + "' is not an array");
    for (size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_object()) {
            ctx.fail(std::string(key) + "[" + std::to_string(i) + "] is not a JSON object");
        }
    }
    return *it;
}

bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

// Bytes tinygltf's base64 decoder produces: it stops at the first '=' or
// non-base64 character.
size_t decodedBase64Size(const std::string& uri, size_t start) {
    size_t n = 0;
    while (start + n < uri.size() && isBase64Char(uri[start + n]))
        ++n;
    const size_t rest = n % 4;
    return n / 4 * 3 + (rest > 1 ? rest - 1 : 0);
}

bool isDataUri(const std::string& uri) {
    return uri.rfind("data:", 0) == 0;
}

std::string shortUri(const std::string& uri) {
    return uri.size() > 60 ? uri.substr(0, 57) + "..." : uri;
}

void checkRelativeUri(const LoadContext& ctx, const std::string& uri, const std::string& where) {
    if (uri.find("://") != std::string::npos) {
        ctx.fail(where + ": URI '" + shortUri(uri) + "' is not a relative file path");
    }
}

// Size of an existing regular file, or nullopt when it is missing.
std::optional<uint64_t> fileSize(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    const uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) return std::nullopt;
    return size;
}

void checkVersion(const LoadContext& ctx, const json& doc) {
    auto asset = doc.find("asset");
    if (asset == doc.end() || !asset->is_object()) {
        ctx.fail("no 'asset' object (not a glTF 2.0 file?)");
    }
    const std::optional<std::string> version = optString(ctx, *asset, "version", "asset");
    if (!version) ctx.fail("asset has no 'version'");
    const std::string v = version->rfind("2.", 0) == 0 ? "" : *version;
    if (!v.empty()) ctx.fail("unsupported glTF version '" + v + "' (need 2.x)");
    const std::optional<std::string> minVersion = optString(ctx, *asset, "minVersion", "asset");
    if (minVersion && *minVersion != "2.0") {
        ctx.fail("requires glTF minVersion '" + *minVersion + "' (we read 2.0)");
    }
}

void checkRequiredExtensions(const LoadContext& ctx, const json& doc) {
    auto it = doc.find("extensionsRequired");
    if (it == doc.end()) return;
    if (!it->is_array()) ctx.fail("'extensionsRequired' is not an array");
    std::string unsupported;
    for (const json& e : *it) {
        if (!e.is_string()) ctx.fail("'extensionsRequired' holds a non-string");
        const std::string name = e.get<std::string>();
        if (isSupportedExtension(name)) continue;
        unsupported += (unsupported.empty() ? "" : ", ") + name;
    }
    if (!unsupported.empty()) ctx.fail("requires unsupported extension(s): " + unsupported);
}

// Returns each buffer's byteLength; tinygltf then guarantees data.size() equals it.
std::vector<uint64_t> checkBuffers(const LoadContext& ctx, const json& doc) {
    const json& buffers = objectArray(ctx, doc, "buffers");
    std::vector<uint64_t> lengths;
    for (size_t i = 0; i < buffers.size(); ++i) {
        const json& b = buffers[i];
        const std::string where = "buffer " + std::to_string(i);
        const uint64_t byteLength = reqIndex(ctx, b, "byteLength", where);
        if (byteLength == 0) ctx.fail(where + " has byteLength 0");
        lengths.push_back(byteLength);
        const std::optional<std::string> uri = optString(ctx, b, "uri", where);
        if (!uri) {
            if (!ctx.binary) ctx.fail(where + " has no uri");
            if (i != 0) ctx.fail(where + " has no uri (only buffer 0 may use the GLB BIN chunk)");
            if (ctx.binChunkSize == 0)
                ctx.fail(where + " refers to a GLB BIN chunk the file lacks");
            if (ctx.binChunkSize < byteLength) {
                ctx.fail(where + " needs " + std::to_string(byteLength) +
                         " bytes but the GLB BIN chunk has " + std::to_string(ctx.binChunkSize));
            }
            continue;
        }
        if (isDataUri(*uri)) {
            const size_t comma = uri->find(";base64,");
            const std::string mime = uri->substr(5, comma == std::string::npos ? 0 : comma - 5);
            if (comma == std::string::npos ||
                (mime != "application/octet-stream" && mime != "application/gltf-buffer")) {
                ctx.fail(where + ": unsupported data URI (need base64 application/octet-stream)");
            }
            const size_t held = decodedBase64Size(*uri, comma + 8);
            if (held != byteLength) {
                ctx.fail(where + ": its data URI holds " + std::to_string(held) +
                         " bytes but byteLength is " + std::to_string(byteLength));
            }
            continue;
        }
        checkRelativeUri(ctx, *uri, where);
        const std::string file = resolveUri(ctx, *uri);
        const std::optional<uint64_t> size = fileSize(file);
        if (!size) ctx.fail("missing buffer file '" + file + "' (" + where + ")");
        if (*size != byteLength) {
            ctx.fail("buffer file '" + file + "' is " + std::to_string(*size) + " bytes but " +
                     where + " byteLength is " + std::to_string(byteLength));
        }
    }
    return lengths;
}

void checkBufferViews(const LoadContext& ctx, const json& doc,
                      const std::vector<uint64_t>& bufferLengths) {
    const json& views = objectArray(ctx, doc, "bufferViews");
    for (size_t i = 0; i < views.size(); ++i) {
        const json& v = views[i];
        const std::string where = "bufferView " + std::to_string(i);
        const uint64_t buffer = reqIndex(ctx, v, "buffer", where);
        if (buffer >= bufferLengths.size()) {
            ctx.fail(where + " references buffer " + std::to_string(buffer) + ", out of range (" +
                     std::to_string(bufferLengths.size()) + " buffers)");
        }
        const uint64_t offset = optIndex(ctx, v, "byteOffset", where).value_or(0);
        const uint64_t length = reqIndex(ctx, v, "byteLength", where);
        if (length == 0) ctx.fail(where + " has byteLength 0");
        const uint64_t available = bufferLengths[buffer];
        if (offset > available || length > available - offset) {
            ctx.fail(where + " (bytes " + std::to_string(offset) + ".." +
                     std::to_string(offset + length) + ") is out of range of buffer " +
                     std::to_string(buffer) + " (" + std::to_string(available) + " bytes)");
        }
        if (std::optional<uint64_t> stride = optIndex(ctx, v, "byteStride", where)) {
            if (*stride < 4 || *stride > 252 || *stride % 4 != 0) {
                ctx.fail(where + " has byteStride " + std::to_string(*stride) +
                         " (must be a multiple of 4 in 4..252)");
            }
        }
    }
}

void checkImages(const LoadContext& ctx, const json& doc) {
    const json& images = objectArray(ctx, doc, "images");
    const size_t viewCount = objectArray(ctx, doc, "bufferViews").size();
    for (size_t i = 0; i < images.size(); ++i) {
        const json& img = images[i];
        const std::string where = "image " + std::to_string(i);
        const std::optional<std::string> uri = optString(ctx, img, "uri", where);
        const std::optional<uint64_t> view = optIndex(ctx, img, "bufferView", where);
        if (uri && view) ctx.fail(where + " has both a uri and a bufferView");
        if (!uri && !view) ctx.fail(where + " has neither a uri nor a bufferView");
        if (view) {
            if (*view >= viewCount) {
                ctx.fail(where + " references bufferView " + std::to_string(*view) +
                         ", out of range (" + std::to_string(viewCount) + " bufferViews)");
            }
            continue;
        }
        if (isDataUri(*uri)) {
            if (uri->find(";base64,") == std::string::npos) {
                ctx.fail(where + ": data URI is not base64");
            }
            continue;
        }
        checkRelativeUri(ctx, *uri, where);
        const std::string file = resolveUri(ctx, *uri);
        if (!fileSize(file)) ctx.fail("missing image file '" + file + "' (" + where + ")");
    }
}

} // namespace

nlohmann::json parseJsonText(const LoadContext& ctx, const char* text, size_t size) {
    bool tooDeep = false;
    json doc;
    try {
        doc = json::parse(text, text + size, [&](int depth, json::parse_event_t, json&) {
            if (depth > kMaxJsonDepth) {
                tooDeep = true;
                throw std::runtime_error("nesting too deep");
            }
            return true;
        });
    } catch (const std::exception& e) {
        if (tooDeep) ctx.fail("malformed JSON: nested deeper than 64 levels");
        std::string what = e.what();
        const size_t bracket = what.find("] ");
        if (what.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) {
            what = what.substr(bracket + 2);
        }
        ctx.fail("malformed JSON: " + condenseMessage(what));
    }
    return doc;
}

void prevalidate(const LoadContext& ctx, const nlohmann::json& doc) {
    if (!doc.is_object()) ctx.fail("not glTF: the top-level JSON value is not an object");
    checkVersion(ctx, doc);
    checkRequiredExtensions(ctx, doc);
    for (const char* key : {"accessors", "meshes", "nodes", "materials", "textures", "samplers",
                            "scenes", "cameras", "skins", "animations"}) {
        objectArray(ctx, doc, key);
    }
    const std::vector<uint64_t> bufferLengths = checkBuffers(ctx, doc);
    checkBufferViews(ctx, doc, bufferLengths);
    checkImages(ctx, doc);
}

std::string resolveUri(const LoadContext& ctx, const std::string& uri) {
    // Same decoding as tinygltf (which also maps '+' to a space), so that the
    // file checked here is the file tinygltf then opens.
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return 0;
    };
    std::string decoded;
    for (size_t i = 0; i < uri.size(); ++i) {
        if (uri[i] == '+') {
            decoded += ' ';
        } else if (uri[i] == '%' && i + 2 < uri.size()) {
            decoded += static_cast<char>(hex(uri[i + 1]) * 16 + hex(uri[i + 2]));
            i += 2;
        } else {
            decoded += uri[i];
        }
    }
    return ctx.baseDir.empty() ? decoded : ctx.baseDir + "/" + decoded;
}

} // namespace nerva::scene::gltf
