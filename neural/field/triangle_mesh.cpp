// Validation, degenerate-triangle removal and measures of TriangleMesh (see
// triangle_mesh.h).
#include "neural/field/triangle_mesh.h"

#include "neural/core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nerva::field {

namespace {

glm::dvec3 dpos(const TriangleMesh& mesh, uint32_t i) {
    return glm::dvec3(mesh.positions[i]);
}

bool finite(glm::vec3 p) {
    return std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z);
}

} // namespace

void validateMesh(const TriangleMesh& mesh, const std::string& where) {
    if (mesh.triangles.empty()) throw errorAt(where, "mesh has no triangles");
    const size_t n = mesh.positions.size();
    for (size_t t = 0; t < mesh.triangles.size(); ++t) {
        const glm::uvec3 tri = mesh.triangles[t];
        for (int k = 0; k < 3; ++k) {
            if (tri[k] >= n) {
                throw errorAt(where, "triangle " + std::to_string(t) + " uses vertex " +
                                         std::to_string(tri[k]) + " but there are only " +
                                         std::to_string(n) + " vertices");
            }
            if (!finite(mesh.positions[tri[k]])) {
                throw errorAt(where, "vertex " + std::to_string(tri[k]) +
                                         " has a NaN or infinite coordinate");
            }
        }
    }
}

bool isDegenerate(const TriangleMesh& mesh, size_t triangle) {
    const glm::uvec3 t = mesh.triangles[triangle];
    if (t.x == t.y || t.y == t.z || t.x == t.z) return true;
    const glm::dvec3 a = dpos(mesh, t.x), b = dpos(mesh, t.y), c = dpos(mesh, t.z);
    const double longest2 =
        std::max({glm::dot(b - a, b - a), glm::dot(c - b, c - b), glm::dot(a - c, a - c)});
    const double cross = glm::length(glm::cross(b - a, c - a));
    return cross <= 1e-12 * longest2;
}

size_t removeDegenerateTriangles(TriangleMesh& mesh, const std::string& where) {
    const size_t before = mesh.triangles.size();
    size_t kept = 0;
    for (size_t t = 0; t < before; ++t) {
        if (!isDegenerate(mesh, t)) mesh.triangles[kept++] = mesh.triangles[t];
    }
    if (kept == 0 && before > 0) {
        throw errorAt(where, "all " + std::to_string(before) + " triangles are degenerate");
    }
    mesh.triangles.resize(kept);
    return before - kept;
}

Aabb boundingBox(const TriangleMesh& mesh) {
    if (mesh.triangles.empty()) return {};
    constexpr float inf = std::numeric_limits<float>::infinity();
    Aabb box{glm::vec3(inf), glm::vec3(-inf)};
    for (const glm::uvec3& t : mesh.triangles) {
        for (int k = 0; k < 3; ++k) {
            box.lo = glm::min(box.lo, mesh.positions[t[k]]);
            box.hi = glm::max(box.hi, mesh.positions[t[k]]);
        }
    }
    return box;
}

double surfaceArea(const TriangleMesh& mesh) {
    double area = 0.0;
    for (const glm::uvec3& t : mesh.triangles) {
        const glm::dvec3 a = dpos(mesh, t.x), b = dpos(mesh, t.y), c = dpos(mesh, t.z);
        area += 0.5 * glm::length(glm::cross(b - a, c - a));
    }
    return area;
}

double signedVolume(const TriangleMesh& mesh) {
    // Relative to the first vertex, which keeps the terms small for meshes
    // far from the origin (the sum is translation invariant when closed).
    if (mesh.triangles.empty()) return 0.0;
    const glm::dvec3 o = dpos(mesh, mesh.triangles[0].x);
    double volume = 0.0;
    for (const glm::uvec3& t : mesh.triangles) {
        const glm::dvec3 a = dpos(mesh, t.x) - o, b = dpos(mesh, t.y) - o, c = dpos(mesh, t.z) - o;
        volume += glm::dot(a, glm::cross(b, c));
    }
    return volume / 6.0;
}

FieldTransform fieldTransformForBox(const Aabb& box, float margin) {
    FieldTransform xf;
    xf.centre = box.centre();
    const glm::vec3 half = 0.5f * box.extent();
    const float largest = std::max({half.x, half.y, half.z});
    xf.scale = largest > 0.0f ? (1.0f - margin) / largest : 1.0f;
    return xf;
}

FieldTransform normaliseToBox(TriangleMesh& mesh, float margin) {
    const FieldTransform xf = fieldTransformForBox(boundingBox(mesh), margin);
    for (glm::vec3& p : mesh.positions)
        p = xf.toField(p);
    return xf;
}

} // namespace nerva::field
