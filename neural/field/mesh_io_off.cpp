// Object File Format (OFF) reader, text form: an "OFF" header (also COFF,
// NOFF, CNOFF, STOFF and combinations; the extra per-vertex values are
// ignored), "nv nf ne" counts (on the header line or the next), nv vertex
// lines "x y z ...", then nf face lines "n i0 ... i(n-1) [colour]"; '#'
// starts a comment. Polygons are fan-triangulated; indices are 0-based.
#include "neural/core/error.h"
#include "neural/field/mesh_io_detail.h"

namespace nerva::field::detail {

namespace {

// OFF keyword variants: [ST][C][N]OFF; 4OFF / nOFF (other dimensions) and
// the binary form are rejected by the caller.
bool isOffKeyword(std::string_view token) {
    if (token.size() < 3 || token.substr(token.size() - 3) != "OFF") return false;
    std::string_view prefix = token.substr(0, token.size() - 3);
    if (prefix.starts_with("ST")) prefix.remove_prefix(2);
    if (prefix.starts_with("C")) prefix.remove_prefix(1);
    if (prefix.starts_with("N")) prefix.remove_prefix(1);
    return prefix.empty();
}

} // namespace

TriangleMesh parseOff(std::string_view text, const std::string& path) {
    LineReader lines(text);
    std::string_view line;
    std::vector<std::string_view> tokens;
    // The next line with tokens (comments stripped); false at the end.
    const auto nextTokens = [&]() {
        while (lines.next(line)) {
            if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
                line = line.substr(0, hash);
            }
            splitTokens(line, tokens);
            if (!tokens.empty()) return true;
        }
        return false;
    };
    const auto fail = [&](const std::string& what) {
        return errorAt(path, "line " + std::to_string(lines.lineNumber()) + ": " + what);
    };

    if (!nextTokens() || !isOffKeyword(tokens[0])) {
        throw errorAt(path, "not an OFF file (no 'OFF' header)");
    }
    if (tokens.size() > 1 && tokens[1] == "BINARY")
        throw errorAt(path, "binary OFF is not supported");
    if (const auto at = findBinaryByte(text)) {
        throw errorAt(path,
                      "not a text OFF file (binary data at byte " + std::to_string(*at) + ")");
    }
    std::vector<std::string_view> counts(tokens.begin() + 1, tokens.end());
    if (counts.empty()) {
        if (!nextTokens()) throw errorAt(path, "truncated OFF file (no vertex/face counts)");
        counts = tokens;
    }
    int64_t nv = 0, nf = 0;
    if (counts.size() < 2 || !parseNumber(counts[0], nv) || !parseNumber(counts[1], nf) || nv < 0 ||
        nf < 0) {
        throw fail("bad counts line (expected 'vertices faces edges')");
    }
    // Every vertex or face line takes at least 6 characters ("0 0 0\n").
    if (uint64_t(nv) + uint64_t(nf) > text.size() / 6 + 1) {
        throw errorAt(path, "truncated OFF file (counts " + std::to_string(nv) + " vertices, " +
                                std::to_string(nf) + " faces exceed the file size)");
    }
    TriangleMesh mesh;
    mesh.positions.reserve(size_t(nv));
    for (int64_t v = 0; v < nv; ++v) {
        if (!nextTokens()) {
            throw errorAt(path, "truncated OFF file (" + std::to_string(v) + " of " +
                                    std::to_string(nv) + " vertices)");
        }
        glm::vec3 p;
        if (tokens.size() < 3 || !parseNumber(tokens[0], p.x) || !parseNumber(tokens[1], p.y) ||
            !parseNumber(tokens[2], p.z)) {
            throw fail("bad vertex (expected 'x y z')");
        }
        mesh.positions.push_back(p);
    }
    std::vector<uint32_t> polygon;
    for (int64_t f = 0; f < nf; ++f) {
        if (!nextTokens()) {
            throw errorAt(path, "truncated OFF file (" + std::to_string(f) + " of " +
                                    std::to_string(nf) + " faces)");
        }
        int64_t n = 0;
        if (!parseNumber(tokens[0], n) || n < 3 || size_t(n) + 1 > tokens.size()) {
            throw fail("bad face (expected 'n i0 ... i(n-1)' with n >= 3)");
        }
        polygon.clear();
        for (int64_t i = 1; i <= n; ++i) {
            int64_t index = 0;
            if (!parseNumber(tokens[size_t(i)], index) || index < 0 || index >= nv) {
                throw fail("bad face index '" + std::string(tokens[size_t(i)]) + "' (" +
                           std::to_string(nv) + " vertices)");
            }
            polygon.push_back(uint32_t(index));
        }
        appendFan(mesh, polygon);
    }
    return mesh;
}

} // namespace nerva::field::detail
