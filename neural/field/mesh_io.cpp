// Mesh file dispatch by extension, the shared text helpers of the readers,
// and the OBJ writer (see mesh_io.h and mesh_io_detail.h).
#include "neural/field/mesh_io.h"

#include "neural/core/error.h"
#include "neural/field/mesh_io_detail.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace nerva::field {

namespace detail {

bool LineReader::next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    ++number_;
    return true;
}

void splitTokens(std::string_view line, std::vector<std::string_view>& out) {
    out.clear();
    size_t i = 0;
    const auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
    };
    while (i < line.size()) {
        while (i < line.size() && space(line[i]))
            ++i;
        const size_t start = i;
        while (i < line.size() && !space(line[i]))
            ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
}

namespace {

template <class T> bool parseWhole(std::string_view token, T& value) {
    if (!token.empty() && token.front() == '+') token.remove_prefix(1);
    if (token.empty()) return false;
    const char* end = token.data() + token.size();
    const auto [ptr, ec] = std::from_chars(token.data(), end, value);
    return ec == std::errc() && ptr == end;
}

} // namespace

bool parseNumber(std::string_view token, float& value) {
    return parseWhole(token, value);
}
bool parseNumber(std::string_view token, double& value) {
    return parseWhole(token, value);
}
bool parseNumber(std::string_view token, int64_t& value) {
    return parseWhole(token, value);
}

std::optional<size_t> findBinaryByte(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') return i;
        if (c == 0x7f) return i;
    }
    return std::nullopt;
}

void appendFan(TriangleMesh& mesh, const std::vector<uint32_t>& polygon) {
    for (size_t i = 1; i + 1 < polygon.size(); ++i) {
        mesh.triangles.emplace_back(polygon[0], polygon[i], polygon[i + 1]);
    }
}

} // namespace detail

namespace {

std::string readWholeFile(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw errorAt(path, "is a directory, not a mesh file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw errorAt(path, "cannot open file");
    std::ostringstream data;
    data << in.rdbuf();
    if (in.bad()) throw errorAt(path, "read error");
    return std::move(data).str();
}

std::string lowerExtension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

} // namespace

TriangleMesh loadMeshFile(const std::string& path) {
    const std::string ext = lowerExtension(path);
    TriangleMesh (*parse)(std::string_view, const std::string&) = nullptr;
    if (ext == ".obj")
        parse = detail::parseObj;
    else if (ext == ".ply")
        parse = detail::parsePly;
    else if (ext == ".off")
        parse = detail::parseOff;
    else {
        throw errorAt(path,
                      "unsupported mesh format '" + ext +
                          "' (expected .obj, .ply or .off; glTF goes through the scene loader)");
    }
    const std::string bytes = readWholeFile(path);
    if (bytes.empty()) throw errorAt(path, "file is empty");
    TriangleMesh mesh = parse(bytes, path);
    validateMesh(mesh, path);
    return mesh;
}

void saveMeshObj(const TriangleMesh& mesh, const std::string& path) {
    const std::string tmp = path + ".tmp";
    {
        std::FILE* f = std::fopen(tmp.c_str(), "wb");
        if (!f) throw errorAt(path, "cannot open for writing");
        bool ok = std::fprintf(f, "# Nerva triangle mesh: %zu vertices, %zu triangles\n",
                               mesh.positions.size(), mesh.triangles.size()) > 0;
        for (const glm::vec3& p : mesh.positions) {
            ok = ok &&
                 std::fprintf(f, "v %.9g %.9g %.9g\n", double(p.x), double(p.y), double(p.z)) > 0;
        }
        for (const glm::uvec3& t : mesh.triangles) {
            ok = ok && std::fprintf(f, "f %u %u %u\n", t.x + 1, t.y + 1, t.z + 1) > 0;
        }
        ok = (std::fclose(f) == 0) && ok;
        if (!ok) {
            std::remove(tmp.c_str());
            throw errorAt(path, "write failed");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw errorAt(path, "cannot rename temporary file into place: " + ec.message());
    }
}

} // namespace nerva::field
