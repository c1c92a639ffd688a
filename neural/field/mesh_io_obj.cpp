// Wavefront OBJ reader: "v x y z [w]" and "f" lines (v, v/vt, v//vn,
// v/vt/vn corners; negative indices count back from the latest vertex);
// polygons are fan-triangulated; every other statement (vt, vn, o, g, s,
// usemtl, mtllib, l, p, ...) and '#' comments are ignored. Line
// continuations ('\' at the end of a line) are not supported.
#include "neural/core/error.h"
#include "neural/field/mesh_io_detail.h"

namespace nerva::field::detail {

TriangleMesh parseObj(std::string_view text, const std::string& path) {
    if (const auto at = findBinaryByte(text)) {
        throw errorAt(path, "not an OBJ file (binary data at byte " + std::to_string(*at) + ")");
    }
    TriangleMesh mesh;
    LineReader lines(text);
    std::string_view line;
    std::vector<std::string_view> tokens;
    std::vector<uint32_t> polygon;
    // Positive indices may refer ahead; the largest one is checked at the end.
    int64_t largestIndex = 0;
    size_t largestLine = 0;
    const auto fail = [&](const std::string& what) {
        return errorAt(path, "line " + std::to_string(lines.lineNumber()) + ": " + what);
    };
    while (lines.next(line)) {
        if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        splitTokens(line, tokens);
        if (tokens.empty()) continue;
        if (tokens[0] == "v") {
            glm::vec3 p;
            if (tokens.size() < 4 || !parseNumber(tokens[1], p.x) || !parseNumber(tokens[2], p.y) ||
                !parseNumber(tokens[3], p.z)) {
                throw fail("bad vertex (expected 'v x y z')");
            }
            mesh.positions.push_back(p);
        } else if (tokens[0] == "f") {
            if (tokens.size() < 4) throw fail("face with fewer than 3 vertices");
            polygon.clear();
            for (size_t i = 1; i < tokens.size(); ++i) {
                const std::string_view corner = tokens[i].substr(0, tokens[i].find('/'));
                int64_t index = 0;
                if (!parseNumber(corner, index) || index == 0) {
                    throw fail("bad face index '" + std::string(tokens[i]) + "'");
                }
                const auto count = static_cast<int64_t>(mesh.positions.size());
                if (index < 0) {
                    if (-index > count) {
                        throw fail("relative index " + std::to_string(index) +
                                   " before the first vertex");
                    }
                    index = count + index; // -1 is the latest vertex
                } else {
                    if (index > int64_t(UINT32_MAX)) throw fail("face index too large");
                    if (index > largestIndex) {
                        largestIndex = index;
                        largestLine = lines.lineNumber();
                    }
                    index -= 1;
                }
                polygon.push_back(static_cast<uint32_t>(index));
            }
            appendFan(mesh, polygon);
        }
    }
    if (mesh.positions.empty() && mesh.triangles.empty()) {
        throw errorAt(path, "not an OBJ file (no 'v' or 'f' lines)");
    }
    if (mesh.triangles.empty()) throw errorAt(path, "OBJ file has no faces ('f' lines)");
    if (largestIndex > static_cast<int64_t>(mesh.positions.size())) {
        throw errorAt(path, "line " + std::to_string(largestLine) + ": face index " +
                                std::to_string(largestIndex) + " out of range (" +
                                std::to_string(mesh.positions.size()) + " vertices)");
    }
    return mesh;
}

} // namespace nerva::field::detail
