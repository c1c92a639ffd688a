#include "gltf_writer.h"

#include "neural/core/error.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>

namespace nerva::assetgen {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kFloat = 5126, kUnsignedShort = 5123, kUnsignedInt = 5125;
constexpr int kArrayBuffer = 34962, kElementArrayBuffer = 34963;

void appendU32(std::vector<uint8_t>& bytes, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

} // namespace

double jsonNumber(float v) {
    const double d = std::round(double(v) * 1e6) / 1e6;
    return d == 0.0 ? 0.0 : d;
}

double jsonExactFloat(float v) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof(text) - 1, v).ptr;
    *end = '\0';
    const double d = std::strtod(text, nullptr);
    return d == 0.0 ? 0.0 : d;
}

void padTo4(std::vector<uint8_t>& bytes, uint8_t value) {
    while (bytes.size() % 4 != 0)
        bytes.push_back(value);
}

Quat quatAxisAngle(Vec3 axis, float radians) {
    const Vec3 n = normalize(axis);
    const float s = std::sin(0.5f * radians);
    return {n.x * s, n.y * s, n.z * s, std::cos(0.5f * radians)};
}

Quat operator*(Quat a, Quat b) {
    return {a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
            a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z};
}

Quat quatLookAt(Vec3 eye, Vec3 target, Vec3 up) {
    const Vec3 z = normalize(eye - target); // the camera looks down its -Z
    Vec3 x = cross(up, z);
    if (length(x) < 1e-6f) x = cross(Vec3{0.0f, 0.0f, -1.0f}, z); // looking straight up/down
    x = normalize(x);
    const Vec3 y = cross(z, x);
    // Rotation matrix with columns x, y, z to a quaternion.
    const float trace = x.x + y.y + z.z;
    Quat q;
    if (trace > 0.0f) {
        const float s = 2.0f * std::sqrt(trace + 1.0f);
        q = {(y.z - z.y) / s, (z.x - x.z) / s, (x.y - y.x) / s, 0.25f * s};
    } else if (x.x > y.y && x.x > z.z) {
        const float s = 2.0f * std::sqrt(1.0f + x.x - y.y - z.z);
        q = {0.25f * s, (y.x + x.y) / s, (z.x + x.z) / s, (y.z - z.y) / s};
    } else if (y.y > z.z) {
        const float s = 2.0f * std::sqrt(1.0f + y.y - x.x - z.z);
        q = {(y.x + x.y) / s, 0.25f * s, (z.y + y.z) / s, (z.x - x.z) / s};
    } else {
        const float s = 2.0f * std::sqrt(1.0f + z.z - x.x - y.y);
        q = {(z.x + x.z) / s, (z.y + y.z) / s, 0.25f * s, (x.y - y.x) / s};
    }
    const float len = std::sqrt(q.x * q.x + q.y * q.y + q.z * q.z + q.w * q.w);
    const float sign = q.w < 0.0f ? -1.0f : 1.0f;
    return {q.x * sign / len, q.y * sign / len, q.z * sign / len, q.w * sign / len};
}

int GltfWriter::addSampler(const SamplerDesc& sampler) {
    samplers_.push_back(sampler);
    return static_cast<int>(samplers_.size()) - 1;
}

int GltfWriter::addTexture(const std::string& stem, const Image8& image, int sampler) {
    for (const Image& existing : images_)
        if (existing.stem == stem) throw Error(name_ + ": image name '" + stem + "' used twice");
    images_.push_back({stem, encodePng(image)});
    textures_.push_back({static_cast<int>(images_.size()) - 1, sampler});
    return static_cast<int>(textures_.size()) - 1;
}

int GltfWriter::addMaterial(const MaterialDesc& material) {
    materials_.push_back(material);
    return static_cast<int>(materials_.size()) - 1;
}

int GltfWriter::addAccessor(const void* data, size_t count, int componentType, const char* type,
                            int components, int target, const std::vector<double>* min,
                            const std::vector<double>* max) {
    const size_t componentSize = componentType == kUnsignedShort ? 2 : 4;
    const size_t byteLength = count * components * componentSize;
    padTo4(buffer_, 0);
    Json view;
    view["buffer"] = 0;
    view["byteOffset"] = buffer_.size();
    view["byteLength"] = byteLength;
    view["target"] = target;
    const auto* bytes = static_cast<const uint8_t*>(data);
    buffer_.insert(buffer_.end(), bytes, bytes + byteLength);
    bufferViews_.push_back(view);

    Json accessor;
    accessor["bufferView"] = bufferViews_.size() - 1;
    accessor["componentType"] = componentType;
    accessor["count"] = count;
    accessor["type"] = type;
    if (min && max) {
        accessor["min"] = *min;
        accessor["max"] = *max;
    }
    accessors_.push_back(accessor);
    return static_cast<int>(accessors_.size()) - 1;
}

int GltfWriter::addGeometry(const MeshData& m) {
    const size_t n = m.vertexCount();
    if (m.normals.size() != n || m.tangents.size() != n || m.uv0.size() != n ||
        (!m.uv1.empty() && m.uv1.size() != n) || m.indices.empty() || m.indices.size() % 3)
        throw Error(name_ + ": geometry " + std::to_string(geometries_.size()) +
                    " has inconsistent vertex arrays");
    std::vector<double> lo(3), hi(3);
    for (int c = 0; c < 3; ++c) {
        float a = std::numeric_limits<float>::max(), b = -a;
        for (const Vec3& v : m.positions) {
            const float x = c == 0 ? v.x : c == 1 ? v.y : v.z;
            a = std::min(a, x);
            b = std::max(b, x);
        }
        lo[c] = jsonExactFloat(a);
        hi[c] = jsonExactFloat(b);
    }
    Geometry g;
    auto& acc = g.accessors;
    acc[0] = addAccessor(m.positions.data(), n, kFloat, "VEC3", 3, kArrayBuffer, &lo, &hi);
    acc[1] = addAccessor(m.normals.data(), n, kFloat, "VEC3", 3, kArrayBuffer);
    acc[2] = addAccessor(m.tangents.data(), n, kFloat, "VEC4", 4, kArrayBuffer);
    acc[3] = addAccessor(m.uv0.data(), n, kFloat, "VEC2", 2, kArrayBuffer);
    acc[4] = m.uv1.empty() ? -1 : addAccessor(m.uv1.data(), n, kFloat, "VEC2", 2, kArrayBuffer);
    if (n <= 65535) { // 65535 itself is the primitive-restart value
        std::vector<uint16_t> small(m.indices.begin(), m.indices.end());
        acc[5] = addAccessor(small.data(), small.size(), kUnsignedShort, "SCALAR", 1,
                             kElementArrayBuffer);
    } else {
        acc[5] = addAccessor(m.indices.data(), m.indices.size(), kUnsignedInt, "SCALAR", 1,
                             kElementArrayBuffer);
    }
    g.triangles = m.triangleCount();
    geometries_.push_back(g);
    return static_cast<int>(geometries_.size()) - 1;
}

int GltfWriter::addMesh(const std::string& name, const std::vector<PrimitiveDesc>& primitives) {
    Mesh mesh;
    mesh.name = name;
    for (const PrimitiveDesc& p : primitives) {
        if (p.geometry < 0 || p.geometry >= static_cast<int>(geometries_.size()) ||
            p.material >= static_cast<int>(materials_.size()))
            throw Error(name_ + ": mesh '" + name + "' names a missing geometry or material");
        mesh.triangles += geometries_[static_cast<size_t>(p.geometry)].triangles;
    }
    mesh.primitives = primitives;
    meshes_.push_back(std::move(mesh));
    return static_cast<int>(meshes_.size()) - 1;
}

int GltfWriter::addCamera(const CameraDesc& camera) {
    cameras_.push_back(camera);
    return static_cast<int>(cameras_.size()) - 1;
}

int GltfWriter::addLight(const LightDesc& light) {
    lights_.push_back(light);
    return static_cast<int>(lights_.size()) - 1;
}

int GltfWriter::addNode(const NodeDesc& node, int parent) {
    nodes_.push_back({node, {}});
    const int index = static_cast<int>(nodes_.size()) - 1;
    if (parent < 0) {
        roots_.push_back(index);
    } else {
        nodes_.at(static_cast<size_t>(parent)).children.push_back(index);
    }
    return index;
}

size_t GltfWriter::countInstanceTriangles(int node) const {
    const Node& n = nodes_[static_cast<size_t>(node)];
    size_t count = n.desc.mesh >= 0 ? meshes_[static_cast<size_t>(n.desc.mesh)].triangles : 0;
    for (int child : n.children)
        count += countInstanceTriangles(child);
    return count;
}

SceneStats GltfWriter::write(const std::filesystem::path& directory, bool binary) const {
    std::filesystem::create_directories(directory);
    SceneStats stats;
    for (const Geometry& g : geometries_)
        stats.meshTriangles += g.triangles;
    for (int root : roots_)
        stats.instanceTriangles += countInstanceTriangles(root);

    std::vector<uint8_t> buffer = buffer_;
    std::string text = document(binary, buffer);
    if (binary) {
        while (text.size() % 4 != 0)
            text.push_back(' ');
        std::vector<uint8_t> glb;
        appendU32(glb, 0x46546C67u); // "glTF"
        appendU32(glb, 2);
        appendU32(glb, static_cast<uint32_t>(12 + 8 + text.size() + 8 + buffer.size()));
        appendU32(glb, static_cast<uint32_t>(text.size()));
        appendU32(glb, 0x4E4F534Au); // "JSON"
        glb.insert(glb.end(), text.begin(), text.end());
        appendU32(glb, static_cast<uint32_t>(buffer.size()));
        appendU32(glb, 0x004E4942u); // "BIN\0"
        glb.insert(glb.end(), buffer.begin(), buffer.end());
        stats.files.push_back(directory / (name_ + ".glb"));
        writeFileAtomic(stats.files.back(), glb);
    } else {
        for (const Image& image : images_) {
            stats.files.push_back(directory / (image.stem + ".png"));
            writeFileAtomic(stats.files.back(), image.png);
        }
        stats.files.push_back(directory / (name_ + ".bin"));
        writeFileAtomic(stats.files.back(), buffer);
        stats.files.push_back(directory / (name_ + ".gltf"));
        writeFileAtomic(stats.files.back(), std::vector<uint8_t>(text.begin(), text.end()));
    }
    for (const auto& file : stats.files)
        stats.bytes += std::filesystem::file_size(file);
    return stats;
}

void writeFileAtomic(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw errorAt(path.string(), "cannot write file");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) throw errorAt(path.string(), "cannot rename temporary file: " + ec.message());
}

} // namespace nerva::assetgen
