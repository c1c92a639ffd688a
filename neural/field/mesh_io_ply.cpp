// Stanford PLY reader: ascii, binary_little_endian and binary_big_endian.
// Reads the "vertex" element's x, y, z (any scalar type, converted to float)
// and the "face" element's "vertex_indices" (or "vertex_index") list (any
// integer count and index types; polygons fan-triangulated). Every other
// element and property is skipped by its declared size, so unknown data
// (normals, colours, edges, materials) does not disturb the reading.
#include "neural/core/error.h"
#include "neural/field/mesh_io_detail.h"

#include <bit>
#include <cstring>

namespace nerva::field::detail {

namespace {

enum class PlyType : uint8_t { Int8, Uint8, Int16, Uint16, Int32, Uint32, Float32, Float64 };

std::optional<PlyType> plyType(std::string_view name) {
    if (name == "char" || name == "int8") return PlyType::Int8;
    if (name == "uchar" || name == "uint8") return PlyType::Uint8;
    if (name == "short" || name == "int16") return PlyType::Int16;
    if (name == "ushort" || name == "uint16") return PlyType::Uint16;
    if (name == "int" || name == "int32") return PlyType::Int32;
    if (name == "uint" || name == "uint32") return PlyType::Uint32;
    if (name == "float" || name == "float32") return PlyType::Float32;
    if (name == "double" || name == "float64") return PlyType::Float64;
    return std::nullopt;
}

size_t plySize(PlyType t) {
    switch (t) {
    case PlyType::Int8:
    case PlyType::Uint8:
        return 1;
    case PlyType::Int16:
    case PlyType::Uint16:
        return 2;
    case PlyType::Int32:
    case PlyType::Uint32:
    case PlyType::Float32:
        return 4;
    case PlyType::Float64:
        return 8;
    }
    return 0;
}

bool isInteger(PlyType t) {
    return t != PlyType::Float32 && t != PlyType::Float64;
}

struct PlyProperty {
    std::string name;
    PlyType type = PlyType::Float32; // the item type for a list
    bool isList = false;
    PlyType countType = PlyType::Uint8;
};

struct PlyElement {
    std::string name;
    uint64_t count = 0;
    std::vector<PlyProperty> properties;
};

enum class PlyFormat : uint8_t { Ascii, LittleEndian, BigEndian };

struct PlyHeader {
    PlyFormat format = PlyFormat::Ascii;
    std::vector<PlyElement> elements;
    size_t dataOffset = 0; // first byte after the "end_header" line
};

PlyHeader parseHeader(std::string_view bytes, const std::string& path) {
    LineReader lines(bytes);
    std::string_view line;
    if (!lines.next(line) || line != "ply") throw errorAt(path, "not a PLY file (no 'ply' header)");
    const auto fail = [&](const std::string& what) {
        return errorAt(path, "PLY header line " + std::to_string(lines.lineNumber()) + ": " + what);
    };
    PlyHeader header;
    bool haveFormat = false;
    std::vector<std::string_view> tokens;
    while (true) {
        // A header line without its newline is cut short too.
        if (!lines.next(line) || lines.offset() > bytes.size()) {
            throw errorAt(path, "truncated PLY header (no 'end_header' line)");
        }
        splitTokens(line, tokens);
        if (tokens.empty()) continue;
        const std::string_view key = tokens[0];
        if (key == "end_header") break;
        if (key == "comment" || key == "obj_info") continue;
        if (key == "format") {
            if (tokens.size() < 3 || tokens[2] != "1.0") throw fail("bad format line");
            if (tokens[1] == "ascii")
                header.format = PlyFormat::Ascii;
            else if (tokens[1] == "binary_little_endian")
                header.format = PlyFormat::LittleEndian;
            else if (tokens[1] == "binary_big_endian")
                header.format = PlyFormat::BigEndian;
            else
                throw fail("unknown format '" + std::string(tokens[1]) + "'");
            haveFormat = true;
        } else if (key == "element") {
            int64_t count = 0;
            if (tokens.size() != 3 || !parseNumber(tokens[2], count) || count < 0) {
                throw fail("bad element line");
            }
            header.elements.push_back({std::string(tokens[1]), uint64_t(count), {}});
        } else if (key == "property") {
            if (header.elements.empty()) throw fail("property before any element");
            PlyProperty prop;
            if (tokens.size() == 5 && tokens[1] == "list") {
                const auto countType = plyType(tokens[2]);
                const auto itemType = plyType(tokens[3]);
                if (!countType || !itemType || !isInteger(*countType))
                    throw fail("bad list property");
                prop = {std::string(tokens[4]), *itemType, true, *countType};
            } else if (tokens.size() == 3) {
                const auto type = plyType(tokens[1]);
                if (!type) throw fail("unknown property type '" + std::string(tokens[1]) + "'");
                prop = {std::string(tokens[2]), *type, false, PlyType::Uint8};
            } else {
                throw fail("bad property line");
            }
            header.elements.back().properties.push_back(prop);
        } else {
            throw fail("unknown keyword '" + std::string(key) + "'");
        }
    }
    if (!haveFormat) throw errorAt(path, "PLY header has no 'format' line");
    header.dataOffset = lines.offset();
    return header;
}

// Reads scalars one after the other from the body, in any of the formats.
class PlyReader {
  public:
    PlyReader(std::string_view body, PlyFormat format, const std::string& path)
        : body_(body), format_(format), path_(path) {}

    void setContext(const std::string& element, uint64_t item, uint64_t count) {
        element_ = element;
        item_ = item;
        count_ = count;
    }

    // Bytes (binary) or characters (ascii) not read yet.
    size_t remaining() const { return body_.size() - pos_; }
    PlyFormat format() const { return format_; }

    double read(PlyType type) {
        if (format_ == PlyFormat::Ascii) return readAscii(type);
        const size_t n = plySize(type);
        if (remaining() < n) throw truncated();
        unsigned char raw[8];
        std::memcpy(raw, body_.data() + pos_, n);
        pos_ += n;
        const bool little = format_ == PlyFormat::LittleEndian;
        if (little != (std::endian::native == std::endian::little)) {
            for (size_t i = 0; i < n / 2; ++i)
                std::swap(raw[i], raw[n - 1 - i]);
        }
        switch (type) {
        case PlyType::Int8:
            return double(decode<int8_t>(raw));
        case PlyType::Uint8:
            return double(decode<uint8_t>(raw));
        case PlyType::Int16:
            return double(decode<int16_t>(raw));
        case PlyType::Uint16:
            return double(decode<uint16_t>(raw));
        case PlyType::Int32:
            return double(decode<int32_t>(raw));
        case PlyType::Uint32:
            return double(decode<uint32_t>(raw));
        case PlyType::Float32:
            return double(decode<float>(raw));
        case PlyType::Float64:
            return decode<double>(raw);
        }
        return 0.0;
    }

    void skip(PlyType type) {
        if (format_ == PlyFormat::Ascii) {
            readAscii(type);
        } else {
            if (remaining() < plySize(type)) throw truncated();
            pos_ += plySize(type);
        }
    }

    Error truncated() const {
        return errorAt(path_, "truncated PLY data (element '" + element_ + "', item " +
                                  std::to_string(item_) + " of " + std::to_string(count_) + ")");
    }
    Error bad(const std::string& what) const {
        return errorAt(path_, "bad PLY data in element '" + element_ + "', item " +
                                  std::to_string(item_) + ": " + what);
    }

  private:
    template <class T> static T decode(const unsigned char* raw) {
        T v;
        std::memcpy(&v, raw, sizeof(T));
        return v;
    }

    double readAscii(PlyType type) {
        const auto space = [](char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
        };
        while (pos_ < body_.size() && space(body_[pos_]))
            ++pos_;
        const size_t start = pos_;
        while (pos_ < body_.size() && !space(body_[pos_]))
            ++pos_;
        if (pos_ == start) throw truncated();
        const std::string_view token = body_.substr(start, pos_ - start);
        if (isInteger(type)) {
            int64_t v = 0;
            if (!parseNumber(token, v)) throw bad("'" + std::string(token) + "' is not an integer");
            return double(v);
        }
        double v = 0.0;
        if (!parseNumber(token, v)) throw bad("'" + std::string(token) + "' is not a number");
        return v;
    }

    std::string_view body_;
    size_t pos_ = 0;
    PlyFormat format_;
    const std::string& path_;
    std::string element_;
    uint64_t item_ = 0;
    uint64_t count_ = 0;
};

int findProperty(const PlyElement& element, std::initializer_list<std::string_view> names) {
    for (size_t i = 0; i < element.properties.size(); ++i) {
        for (std::string_view n : names) {
            if (element.properties[i].name == n) return int(i);
        }
    }
    return -1;
}

// The fewest bytes (binary) or characters (ascii: a digit and a separator
// per value) one item can take: bounds `count` before anything is reserved.
size_t minimumItemSize(const PlyElement& element, PlyFormat format) {
    size_t size = 0;
    for (const PlyProperty& p : element.properties) {
        const PlyType t = p.isList ? p.countType : p.type;
        size += format == PlyFormat::Ascii ? 2 : plySize(t);
    }
    return size;
}

} // namespace

TriangleMesh parsePly(std::string_view bytes, const std::string& path) {
    const PlyHeader header = parseHeader(bytes, path);
    PlyReader reader(bytes.substr(header.dataOffset), header.format, path);
    TriangleMesh mesh;
    bool haveVertices = false, haveFaces = false;
    std::vector<uint32_t> polygon;
    std::vector<double> values;
    for (const PlyElement& element : header.elements) {
        const size_t minSize = minimumItemSize(element, header.format);
        if (minSize > 0 && element.count > reader.remaining() / minSize) {
            reader.setContext(element.name, reader.remaining() / minSize, element.count);
            throw reader.truncated();
        }
        const bool isVertex = element.name == "vertex";
        const bool isFace = element.name == "face";
        int xyz[3] = {-1, -1, -1};
        int indices = -1;
        if (isVertex) {
            if (haveVertices) throw errorAt(path, "PLY file has two 'vertex' elements");
            haveVertices = true;
            xyz[0] = findProperty(element, {"x"});
            xyz[1] = findProperty(element, {"y"});
            xyz[2] = findProperty(element, {"z"});
            for (int k : xyz) {
                if (k < 0 || element.properties[k].isList) {
                    throw errorAt(path, "PLY 'vertex' element lacks scalar x, y and z properties");
                }
            }
            mesh.positions.reserve(element.count);
        } else if (isFace) {
            if (haveFaces) throw errorAt(path, "PLY file has two 'face' elements");
            haveFaces = true;
            indices = findProperty(element, {"vertex_indices", "vertex_index"});
            if (indices < 0 || !element.properties[indices].isList ||
                !isInteger(element.properties[indices].type)) {
                throw errorAt(path, "PLY 'face' element lacks an integer 'vertex_indices' list");
            }
            mesh.triangles.reserve(element.count);
        }
        values.resize(element.properties.size());
        for (uint64_t item = 0; item < element.count; ++item) {
            reader.setContext(element.name, item, element.count);
            for (size_t k = 0; k < element.properties.size(); ++k) {
                const PlyProperty& prop = element.properties[k];
                if (!prop.isList) {
                    if (isVertex)
                        values[k] = reader.read(prop.type);
                    else
                        reader.skip(prop.type);
                    continue;
                }
                const double count = reader.read(prop.countType);
                if (count < 0) throw reader.bad("negative list length");
                const auto n = static_cast<uint64_t>(count);
                if (isFace && int(k) == indices) {
                    if (n < 3) throw reader.bad("face with fewer than 3 vertices");
                    polygon.clear();
                    for (uint64_t i = 0; i < n; ++i) {
                        const double index = reader.read(prop.type);
                        if (index < 0 || index > double(UINT32_MAX)) {
                            throw reader.bad("vertex index " + std::to_string(int64_t(index)) +
                                             " out of range");
                        }
                        polygon.push_back(static_cast<uint32_t>(index));
                    }
                    appendFan(mesh, polygon);
                } else {
                    if (header.format != PlyFormat::Ascii &&
                        n * plySize(prop.type) > reader.remaining()) {
                        throw reader.truncated();
                    }
                    for (uint64_t i = 0; i < n; ++i)
                        reader.skip(prop.type);
                }
            }
            if (isVertex) {
                mesh.positions.emplace_back(float(values[xyz[0]]), float(values[xyz[1]]),
                                            float(values[xyz[2]]));
            }
        }
    }
    if (!haveVertices) throw errorAt(path, "PLY file has no 'vertex' element");
    if (!haveFaces)
        throw errorAt(path, "PLY file has no 'face' element (point clouds are not meshes)");
    return mesh;
}

} // namespace nerva::field::detail
