// Marching tetrahedra over a sampled SDF (see marching_tets.h).
//
// Orientation without tables: for a positively oriented tetrahedron
// (v0, v1, v2, v3), i.e. det(v1 - v0, v2 - v0, v3 - v0) > 0, the face
// (v1, v2, v3) is counter-clockwise seen from outside, i.e. its normal
// points away from v0; the same holds for any even permutation. So with one
// vertex i cut off, the triangle on edges (i,a), (i,b), (i,c), with
// (i, a, b, c) an even permutation, faces away from i; with two and two,
// the quad (i0,o0), (i0,o1), (i1,o1), (i1,o0) faces from {i0, i1} towards
// {o0, o1} when (i0, i1, o0, o1) is even.
#include "neural/field/marching_tets.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace nerva::field {

namespace {

// The 6 Kuhn tetrahedra of a cell, as cell-corner numbers (bit 0: +x,
// bit 1: +y, bit 2: +z), each positively oriented.
std::array<std::array<int, 4>, 6> kuhnTetrahedra() {
    std::array<std::array<int, 4>, 6> tets{};
    int axes[3] = {0, 1, 2};
    int n = 0;
    do {
        const int v1 = 1 << axes[0];
        const int v2 = v1 | (1 << axes[1]);
        std::array<int, 4> t = {0, v1, v2, 7};
        // det(e_a0, e_a0 + e_a1, e_a0 + e_a1 + e_a2) = sign of the axis permutation.
        const int inversions = (axes[0] > axes[1]) + (axes[0] > axes[2]) + (axes[1] > axes[2]);
        if (inversions % 2 == 1) std::swap(t[2], t[3]);
        tets[n++] = t;
    } while (std::next_permutation(axes, axes + 3));
    return tets;
}

int inversions(const int* seq, int n) {
    int count = 0;
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j)
            count += seq[i] > seq[j];
    }
    return count;
}

} // namespace

TriangleMesh marchingTetrahedra(const std::function<float(glm::vec3)>& sdf, const Aabb& box,
                                glm::ivec3 cells) {
    cells = glm::max(cells, glm::ivec3(1));
    const glm::ivec3 points = cells + 1;
    const glm::dvec3 step = glm::dvec3(box.extent()) / glm::dvec3(cells);
    const auto gridIndex = [&](int i, int j, int k) {
        return uint64_t(i) + uint64_t(points.x) * (uint64_t(j) + uint64_t(points.y) * uint64_t(k));
    };
    const auto gridPosition = [&](uint64_t g) {
        const auto i = double(g % uint64_t(points.x));
        const auto j = double((g / uint64_t(points.x)) % uint64_t(points.y));
        const auto k = double(g / (uint64_t(points.x) * uint64_t(points.y)));
        return glm::dvec3(box.lo) + glm::dvec3(i, j, k) * step;
    };

    // Exactly-zero samples move outside by a small fraction of a cell.
    const float nudge = 1e-4f * float(std::min({step.x, step.y, step.z}));
    std::vector<float> value(size_t(points.x) * size_t(points.y) * size_t(points.z));
    for (int k = 0; k < points.z; ++k) {
        for (int j = 0; j < points.y; ++j) {
            for (int i = 0; i < points.x; ++i) {
                float v = sdf(glm::vec3(gridPosition(gridIndex(i, j, k))));
                value[gridIndex(i, j, k)] = v == 0.0f ? nudge : v;
            }
        }
    }

    TriangleMesh mesh;
    std::unordered_map<uint64_t, uint32_t> edgeVertex;
    const uint64_t pointCount = value.size();
    // The vertex where the level set crosses grid edge (a, b), made once.
    const auto crossing = [&](uint64_t a, uint64_t b) {
        if (a > b) std::swap(a, b);
        const auto [it, inserted] = edgeVertex.try_emplace(a * pointCount + b, 0u);
        if (inserted) {
            const double fa = value[a], fb = value[b];
            const double t = fa / (fa - fb); // signs differ, so t in (0, 1]
            it->second = uint32_t(mesh.positions.size());
            mesh.positions.emplace_back(gridPosition(a) + t * (gridPosition(b) - gridPosition(a)));
        }
        return it->second;
    };

    const auto tets = kuhnTetrahedra();
    for (int k = 0; k < cells.z; ++k) {
        for (int j = 0; j < cells.y; ++j) {
            for (int i = 0; i < cells.x; ++i) {
                uint64_t corner[8];
                int insideMask = 0;
                for (int c = 0; c < 8; ++c) {
                    corner[c] = gridIndex(i + (c & 1), j + ((c >> 1) & 1), k + ((c >> 2) & 1));
                    if (value[corner[c]] < 0.0f) insideMask |= 1 << c;
                }
                if (insideMask == 0 || insideMask == 0xff) continue;
                for (const auto& tet : tets) {
                    int in[4], out[4], nIn = 0, nOut = 0;
                    for (int v = 0; v < 4; ++v) {
                        if (insideMask & (1 << tet[v]))
                            in[nIn++] = v;
                        else
                            out[nOut++] = v;
                    }
                    if (nIn == 0 || nOut == 0) continue;
                    const auto g = [&](int v) { return corner[tet[v]]; };
                    if (nIn == 1 || nIn == 3) {
                        // Lone vertex s and the others in an even order (s, a, b, c).
                        const int s = nIn == 1 ? in[0] : out[0];
                        int rest[3];
                        for (int v = 0, r = 0; v < 4; ++v) {
                            if (v != s) rest[r++] = v;
                        }
                        if (s % 2 == 1) std::swap(rest[1], rest[2]); // s inversions
                        uint32_t e0 = crossing(g(s), g(rest[0]));
                        uint32_t e1 = crossing(g(s), g(rest[1]));
                        uint32_t e2 = crossing(g(s), g(rest[2]));
                        if (nIn == 3) std::swap(e1, e2); // faces away from the outside vertex
                        mesh.triangles.emplace_back(e0, e1, e2);
                    } else {
                        int seq[4] = {in[0], in[1], out[0], out[1]};
                        if (inversions(seq, 4) % 2 == 1) std::swap(seq[2], seq[3]);
                        const uint32_t q0 = crossing(g(seq[0]), g(seq[2]));
                        const uint32_t q1 = crossing(g(seq[0]), g(seq[3]));
                        const uint32_t q2 = crossing(g(seq[1]), g(seq[3]));
                        const uint32_t q3 = crossing(g(seq[1]), g(seq[2]));
                        // Split along the shorter diagonal for better-shaped triangles.
                        const glm::vec3 d02 = mesh.positions[q2] - mesh.positions[q0];
                        const glm::vec3 d13 = mesh.positions[q3] - mesh.positions[q1];
                        if (glm::dot(d02, d02) <= glm::dot(d13, d13)) {
                            mesh.triangles.emplace_back(q0, q1, q2);
                            mesh.triangles.emplace_back(q0, q2, q3);
                        } else {
                            mesh.triangles.emplace_back(q0, q1, q3);
                            mesh.triangles.emplace_back(q1, q2, q3);
                        }
                    }
                }
            }
        }
    }
    return mesh;
}

} // namespace nerva::field
