// Procedural meshes (see demo_meshes.h).
#include "neural/field/demo_meshes.h"

#include "neural/field/marching_tets.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

namespace nerva::field {

namespace {

constexpr float kPi = std::numbers::pi_v<float>;
constexpr float kKnotRadius = 1.0f;  // R of the knot's centre line
constexpr float kKnotWobble = 0.45f; // r of the knot's centre line

// Centre line of the torus knot and its derivative.
glm::vec3 knotPoint(float t, float p, float q) {
    const float rho = kKnotRadius + kKnotWobble * std::cos(q * t);
    return {rho * std::cos(p * t), rho * std::sin(p * t), kKnotWobble * std::sin(q * t)};
}

glm::vec3 knotTangent(float t, float p, float q) {
    const float rho = kKnotRadius + kKnotWobble * std::cos(q * t);
    const float drho = -kKnotWobble * q * std::sin(q * t);
    return {drho * std::cos(p * t) - rho * p * std::sin(p * t),
            drho * std::sin(p * t) + rho * p * std::cos(p * t), kKnotWobble * q * std::cos(q * t)};
}

float sdRoundBox(glm::vec3 p, glm::vec3 halfExtent, float radius) {
    const glm::vec3 q = glm::abs(p) - halfExtent + radius;
    return glm::length(glm::max(q, 0.0f)) + std::min(std::max({q.x, q.y, q.z}), 0.0f) - radius;
}

// Cylinder along y with axis through (x, z) = centre, spanning y0..y1.
float sdCylinderY(glm::vec3 p, glm::vec2 centre, float radius, float y0, float y1) {
    const glm::vec2 d(glm::length(glm::vec2(p.x, p.z) - centre) - radius,
                      std::abs(p.y - 0.5f * (y0 + y1)) - 0.5f * (y1 - y0));
    return std::min(std::max(d.x, d.y), 0.0f) + glm::length(glm::max(d, 0.0f));
}

} // namespace

TriangleMesh makeTorusKnot(int p, int q, float tubeRadius, int segments, int sides) {
    segments = std::max(segments, 3);
    sides = std::max(sides, 3);
    const auto fp = float(p), fq = float(q);
    TriangleMesh mesh;
    mesh.positions.reserve(size_t(segments) * size_t(sides));
    for (int i = 0; i < segments; ++i) {
        const float t = 2.0f * kPi * float(i) / float(segments);
        const glm::vec3 c = knotPoint(t, fp, fq);
        const glm::vec3 tangent = glm::normalize(knotTangent(t, fp, fq));
        // Frame from the radial direction (the centre line never passes
        // the z axis, and is never radial): periodic in t, so the tube closes.
        const glm::vec3 n = glm::normalize(c - glm::dot(c, tangent) * tangent);
        const glm::vec3 b = glm::cross(tangent, n);
        for (int j = 0; j < sides; ++j) {
            const float theta = 2.0f * kPi * float(j) / float(sides);
            mesh.positions.push_back(c + tubeRadius * (std::cos(theta) * n + std::sin(theta) * b));
        }
    }
    const auto vertex = [&](int i, int j) {
        return uint32_t((i % segments) * sides + (j % sides));
    };
    for (int i = 0; i < segments; ++i) {
        for (int j = 0; j < sides; ++j) {
            // Around the tube x along it is the outward normal: (theta, t) order.
            mesh.triangles.emplace_back(vertex(i, j), vertex(i, j + 1), vertex(i + 1, j + 1));
            mesh.triangles.emplace_back(vertex(i, j), vertex(i + 1, j + 1), vertex(i + 1, j));
        }
    }
    return mesh;
}

float csgPartDistance(glm::vec3 p) {
    const float plate = sdRoundBox(p, {0.8f, 0.3f, 0.5f}, 0.08f);
    const float boss = sdCylinderY(p, {-0.4f, 0.0f}, 0.22f, 0.0f, 0.65f);
    const float bore = glm::length(glm::vec2(p.x - 0.35f, p.z)) - 0.2f;
    const float drill = glm::length(glm::vec2(p.x + 0.4f, p.z)) - 0.08f;
    return std::max({std::min(plate, boss), -bore, -drill});
}

TriangleMesh makeCsgPart(int resolution) {
    const Aabb part{{-0.8f, -0.3f, -0.5f}, {0.8f, 0.65f, 0.5f}};
    const float cell = 1.6f / float(std::max(resolution, 4));
    // Two cells of margin, and an odd fraction of a cell of offset so that
    // grid points do not fall exactly on the part's flat faces.
    Aabb box{part.lo - 2.0f * cell + 0.2137f * cell, part.hi + 2.0f * cell};
    const glm::ivec3 cells = glm::ivec3(glm::ceil(box.extent() / cell));
    box.hi = box.lo + glm::vec3(cells) * cell;
    return marchingTetrahedra(csgPartDistance, box, cells);
}

TriangleMesh makeIcosphere(int subdivisions, float radius) {
    const float phi = 0.5f * (1.0f + std::sqrt(5.0f));
    TriangleMesh mesh;
    // The 12 corners: cyclic permutations of (0, +-1, +-phi).
    for (int axis = 0; axis < 3; ++axis) {
        for (float s1 : {-1.0f, 1.0f}) {
            for (float s2 : {-phi, phi}) {
                glm::vec3 v(0.0f);
                v[(axis + 1) % 3] = s1;
                v[(axis + 2) % 3] = s2;
                mesh.positions.push_back(v);
            }
        }
    }
    // The 20 faces: triples of corners at mutual distance 2, turned outward.
    for (uint32_t a = 0; a < 12; ++a) {
        for (uint32_t b = a + 1; b < 12; ++b) {
            for (uint32_t c = b + 1; c < 12; ++c) {
                const glm::vec3 pa = mesh.positions[a], pb = mesh.positions[b],
                                pc = mesh.positions[c];
                const auto edge = [](glm::vec3 u, glm::vec3 v) {
                    return std::abs(glm::distance(u, v) - 2.0f) < 1e-3f;
                };
                if (!edge(pa, pb) || !edge(pb, pc) || !edge(pa, pc)) continue;
                if (glm::dot(glm::cross(pb - pa, pc - pa), pa + pb + pc) > 0.0f) {
                    mesh.triangles.emplace_back(a, b, c);
                } else {
                    mesh.triangles.emplace_back(a, c, b);
                }
            }
        }
    }
    for (int s = 0; s < subdivisions; ++s) {
        std::map<std::pair<uint32_t, uint32_t>, uint32_t> midpoint;
        const auto mid = [&](uint32_t u, uint32_t v) {
            const auto key = std::minmax(u, v);
            const auto [it, inserted] = midpoint.try_emplace(key, uint32_t(mesh.positions.size()));
            if (inserted) mesh.positions.push_back(0.5f * (mesh.positions[u] + mesh.positions[v]));
            return it->second;
        };
        std::vector<glm::uvec3> finer;
        finer.reserve(mesh.triangles.size() * 4);
        for (const glm::uvec3& t : mesh.triangles) {
            const uint32_t ab = mid(t.x, t.y), bc = mid(t.y, t.z), ca = mid(t.z, t.x);
            finer.emplace_back(t.x, ab, ca);
            finer.emplace_back(t.y, bc, ab);
            finer.emplace_back(t.z, ca, bc);
            finer.emplace_back(ab, bc, ca);
        }
        mesh.triangles = std::move(finer);
    }
    for (glm::vec3& p : mesh.positions)
        p = radius * glm::normalize(p);
    return mesh;
}

TriangleMesh makeOpenHemisphere(float radius, int rings, int segments) {
    rings = std::max(rings, 1);
    segments = std::max(segments, 3);
    TriangleMesh mesh;
    mesh.positions.emplace_back(0.0f, 0.0f, radius); // the pole
    for (int k = 1; k <= rings; ++k) {
        const float polar = 0.5f * kPi * float(k) / float(rings);
        // The last ring lies exactly in z = 0.
        const float z = k == rings ? 0.0f : radius * std::cos(polar);
        for (int j = 0; j < segments; ++j) {
            const float azimuth = 2.0f * kPi * float(j) / float(segments);
            mesh.positions.emplace_back(radius * std::sin(polar) * std::cos(azimuth),
                                        radius * std::sin(polar) * std::sin(azimuth), z);
        }
    }
    const auto ring = [&](int k, int j) { return uint32_t(1 + (k - 1) * segments + j % segments); };
    for (int j = 0; j < segments; ++j)
        mesh.triangles.emplace_back(0u, ring(1, j), ring(1, j + 1));
    for (int k = 1; k < rings; ++k) {
        for (int j = 0; j < segments; ++j) {
            mesh.triangles.emplace_back(ring(k, j), ring(k + 1, j), ring(k + 1, j + 1));
            mesh.triangles.emplace_back(ring(k, j), ring(k + 1, j + 1), ring(k, j + 1));
        }
    }
    return mesh;
}

} // namespace nerva::field
