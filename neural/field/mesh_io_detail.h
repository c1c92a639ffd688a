// Internals shared by the OBJ, PLY and OFF readers (mesh_io_*.cpp): the
// per-format parsers over a whole file held in memory, and small text
// helpers (lines, tokens, numbers). Not part of the public interface.
#pragma once

#include "neural/field/triangle_mesh.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nerva::field::detail {

// `path` is only used to name the file in error messages.
TriangleMesh parseObj(std::string_view text, const std::string& path);
TriangleMesh parsePly(std::string_view bytes, const std::string& path);
TriangleMesh parseOff(std::string_view text, const std::string& path);

// Splits text into lines ('\n', with a trailing '\r' dropped); numbers from 1.
class LineReader {
  public:
    explicit LineReader(std::string_view text) : text_(text) {}
    // The next line (possibly empty); false at the end of the text.
    bool next(std::string_view& line);
    size_t lineNumber() const { return number_; }
    // Bytes consumed so far (the offset of the next line's start).
    size_t offset() const { return pos_; }

  private:
    std::string_view text_;
    size_t pos_ = 0;
    size_t number_ = 0;
};

// Whitespace-separated tokens of `line` into `out` (cleared first).
void splitTokens(std::string_view line, std::vector<std::string_view>& out);

// Whole-token number parsing (a leading '+' is accepted); false if the token
// is not entirely a number of that kind or is out of range.
bool parseNumber(std::string_view token, float& value);
bool parseNumber(std::string_view token, double& value);
bool parseNumber(std::string_view token, int64_t& value);

// Offset of the first byte that cannot occur in a text mesh file (NUL or a
// control character other than tab, CR, LF, VT, FF), if any.
std::optional<size_t> findBinaryByte(std::string_view text);

// Appends the fan (p0, p[i], p[i+1]) of a polygon with >= 3 corners.
void appendFan(TriangleMesh& mesh, const std::vector<uint32_t>& polygon);

} // namespace nerva::field::detail
