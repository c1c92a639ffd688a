// glTF meshes to scene meshes: every triangle primitive becomes an indexed
// triangle list with finite positions, normals (generated when absent),
// optional tangents and up to two texture coordinate sets.
#include "renderer/scene/gltf_internal.h"

#include <cmath>

namespace nerva::scene::gltf {

namespace {

std::string describe(int accessor, const std::string& use) {
    return "accessor " + std::to_string(accessor) + " (" + use + ")";
}

// Vertex data must be finite: NaN or Inf in a mesh poisons a BVH build.
void checkFinite(const LoadContext& ctx, const std::vector<float>& values, size_t components,
                 int accessor, const std::string& use) {
    for (size_t i = 0; i < values.size(); ++i) {
        if (std::isfinite(values[i])) continue;
        ctx.fail(describe(accessor, use) + " has " + (std::isnan(values[i]) ? "NaN" : "Inf") +
                 " at vertex " + std::to_string(i / components));
    }
}

template <typename Vec> std::vector<Vec> unpack(const std::vector<float>& values) {
    constexpr size_t n = size_t(Vec::length());
    std::vector<Vec> out(values.size() / n);
    for (size_t i = 0; i < out.size(); ++i) {
        for (size_t c = 0; c < n; ++c)
            out[i][int(c)] = values[i * n + c];
    }
    return out;
}

// Reads one vertex attribute, checking its type, count and values.
template <typename Vec>
std::vector<Vec> readAttribute(const LoadContext& ctx, int accessor, const std::string& use,
                               size_t vertexCount) {
    constexpr int n = Vec::length();
    const std::vector<float> values = readFloats(ctx, accessor, n, use);
    if (values.size() / size_t(n) != vertexCount) {
        ctx.fail(describe(accessor, use) + " has " + std::to_string(values.size() / size_t(n)) +
                 " elements but POSITION has " + std::to_string(vertexCount));
    }
    checkFinite(ctx, values, size_t(n), accessor, use);
    return unpack<Vec>(values);
}

bool degenerate(uint32_t a, uint32_t b, uint32_t c) {
    return a == b || b == c || a == c;
}

// Strips and fans to lists, with the vertex order the glTF spec gives; the
// degenerate triangles strips use as joints are dropped.
std::vector<uint32_t> toTriangleList(const LoadContext& ctx, int mode, std::vector<uint32_t> idx,
                                     const std::string& where) {
    if (mode == TINYGLTF_MODE_TRIANGLES) {
        if (idx.size() % 3 != 0) {
            ctx.fail(where + " has " + std::to_string(idx.size()) +
                     " vertices in its triangle list, not a multiple of 3");
        }
        return idx;
    }
    std::vector<uint32_t> list;
    for (size_t i = 0; i + 2 < idx.size(); ++i) {
        uint32_t a, b, c;
        if (mode == TINYGLTF_MODE_TRIANGLE_STRIP) {
            a = idx[i];
            b = idx[i + 1 + i % 2];
            c = idx[i + 2 - i % 2];
        } else { // fan
            a = idx[i + 1];
            b = idx[i + 2];
            c = idx[0];
        }
        if (degenerate(a, b, c)) continue;
        list.insert(list.end(), {a, b, c});
    }
    return list;
}

void warnAboutAttribute(LoadContext& ctx, const std::string& name) {
    auto startsWith = [&](const char* prefix) { return name.rfind(prefix, 0) == 0; };
    if (startsWith("_")) return; // application-specific, by definition not ours
    if (startsWith("TEXCOORD_")) {
        ctx.warn("texture coordinate sets beyond TEXCOORD_1 are not supported (ignored)");
    } else if (startsWith("COLOR_")) {
        ctx.warn("vertex colours (" + name + ") are not supported (ignored)");
    } else if (startsWith("JOINTS_") || startsWith("WEIGHTS_")) {
        ctx.warn("skinning attributes (JOINTS_n/WEIGHTS_n) are not supported (ignored)");
    } else {
        ctx.warn("vertex attribute " + name + " is not supported (ignored)");
    }
}

// Converts one primitive; returns false when it is skipped (not triangles).
bool convertPrimitive(LoadContext& ctx, const tinygltf::Primitive& src, const std::string& where,
                      Primitive& dst) {
    const int mode = src.mode;
    if (mode < TINYGLTF_MODE_POINTS || mode > TINYGLTF_MODE_TRIANGLE_FAN) {
        ctx.fail(where + " has invalid mode " + std::to_string(mode));
    }
    if (mode < TINYGLTF_MODE_TRIANGLES) {
        ctx.warn("point and line primitives are not supported (skipped)");
        return false;
    }
    if (!src.targets.empty()) ctx.warn("morph targets are not supported (base shapes used)");

    auto attribute = [&](const char* name) {
        auto it = src.attributes.find(name);
        return it == src.attributes.end() ? -1 : it->second;
    };
    for (const auto& [name, accessor] : src.attributes) {
        if (name != "POSITION" && name != "NORMAL" && name != "TANGENT" && name != "TEXCOORD_0" &&
            name != "TEXCOORD_1") {
            warnAboutAttribute(ctx, name);
        }
    }
    const int position = attribute("POSITION");
    if (position < 0) ctx.fail(where + " has no POSITION attribute");

    const std::vector<float> raw = readFloats(ctx, position, 3, "POSITION of " + where);
    checkFinite(ctx, raw, 3, position, "POSITION of " + where);
    dst.positions = unpack<glm::vec3>(raw);
    const size_t vertexCount = dst.positions.size();
    if (int a = attribute("NORMAL"); a >= 0) {
        dst.normals = readAttribute<glm::vec3>(ctx, a, "NORMAL of " + where, vertexCount);
    }
    if (int a = attribute("TANGENT"); a >= 0) {
        dst.tangents = readAttribute<glm::vec4>(ctx, a, "TANGENT of " + where, vertexCount);
    }
    if (int a = attribute("TEXCOORD_0"); a >= 0) {
        dst.uv0 = readAttribute<glm::vec2>(ctx, a, "TEXCOORD_0 of " + where, vertexCount);
    }
    if (int a = attribute("TEXCOORD_1"); a >= 0) {
        dst.uv1 = readAttribute<glm::vec2>(ctx, a, "TEXCOORD_1 of " + where, vertexCount);
    }

    std::vector<uint32_t> indices;
    if (src.indices != -1) {
        const std::string use = "indices of " + where;
        indices = readIndices(ctx, src.indices, use);
        for (size_t i = 0; i < indices.size(); ++i) {
            if (indices[i] < vertexCount) continue;
            ctx.fail(describe(src.indices, use) + " has index " + std::to_string(indices[i]) +
                     " at position " + std::to_string(i) + ", out of range (" +
                     std::to_string(vertexCount) + " vertices)");
        }
    } else {
        indices.resize(vertexCount);
        for (size_t i = 0; i < vertexCount; ++i)
            indices[i] = uint32_t(i);
    }
    dst.indices = toTriangleList(ctx, mode, std::move(indices), where);
    if (dst.indices.empty()) {
        ctx.warn("primitives without triangles are skipped");
        return false;
    }
    if (dst.normals.empty()) dst.normals = generateNormals(dst.positions, dst.indices);

    const size_t materialCount = ctx.model.materials.size();
    if (src.material < -1 || (src.material >= 0 && size_t(src.material) >= materialCount)) {
        ctx.fail(where + " references material " + std::to_string(src.material) +
                 ", out of range (" + std::to_string(materialCount) + " materials)");
    }
    dst.material = src.material;
    return true;
}

} // namespace

std::vector<glm::vec3> generateNormals(const std::vector<glm::vec3>& positions,
                                       const std::vector<uint32_t>& indices) {
    std::vector<glm::vec3> normals(positions.size(), glm::vec3(0.0f));
    for (size_t t = 0; t + 2 < indices.size(); t += 3) {
        const uint32_t a = indices[t], b = indices[t + 1], c = indices[t + 2];
        // The cross product's length is twice the triangle's area: summing
        // unnormalised face normals weights each face by its area.
        const glm::vec3 face = glm::cross(positions[b] - positions[a], positions[c] - positions[a]);
        normals[a] += face;
        normals[b] += face;
        normals[c] += face;
    }
    for (glm::vec3& n : normals) {
        const float len = glm::length(n);
        n = (len > 0.0f && std::isfinite(len)) ? n / len : glm::vec3(0.0f, 0.0f, 1.0f);
    }
    return normals;
}

void convertMeshes(LoadContext& ctx) {
    const std::vector<tinygltf::Mesh>& meshes = ctx.model.meshes;
    ctx.scene->meshes.resize(meshes.size());
    for (size_t m = 0; m < meshes.size(); ++m) {
        Mesh& mesh = ctx.scene->meshes[m];
        mesh.name = meshes[m].name;
        const std::string meshLabel = label("mesh", m, meshes[m].name);
        for (size_t p = 0; p < meshes[m].primitives.size(); ++p) {
            Primitive prim;
            const std::string where = meshLabel + " primitive " + std::to_string(p);
            if (convertPrimitive(ctx, meshes[m].primitives[p], where, prim)) {
                mesh.primitives.push_back(std::move(prim));
            }
        }
    }
}

} // namespace nerva::scene::gltf
