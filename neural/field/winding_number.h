// Generalised winding number of a triangle mesh (Jacobson, Kavan and
// Sorkine-Hornung 2013): w(q) = sum over triangles of the signed solid angle
// they subtend at q, divided by 4 pi. For a closed, outward-oriented mesh it
// is 1 inside and 0 outside; on open, non-manifold or self-overlapping
// meshes it varies smoothly in between, so "inside" = w > 0.5 stays a
// robust decision where ray parity breaks down.
//
// FastWindingNumber evaluates it hierarchically (Barill, Dickson, Schmidt,
// Levin and Jacobson 2018, "Fast Winding Numbers for Soups and Clouds"):
// each BVH node stores its area-weighted centroid p~, radius r (largest
// distance from p~ to a corner under it) and the moments of n dA about p~:
//   N = int n dA,  C_ij = int n_i y_j dA,  D_ijk = int n_i y_j y_k dA,
// y = x - p~ (exact for flat triangles). A node with |q - p~| > beta r
// contributes the Taylor expansion around p~ of the solid-angle integral
// int n . (x - q) / (4 pi |x - q|^3) dA, with d = p~ - q:
//   order 1 (dipole): N . d / |d|^3
//   order 2: (tr C - 3 d.C d / |d|^2) / |d|^3
//   order 3: (-3/2 (2u + v) . d + 15/2 sum_ijk D_ijk d_i d_j d_k / |d|^2) / |d|^5,
//            u_k = sum_i D_iik, v_i = sum_j D_ijj
// (all over 4 pi); nearer nodes recurse, and leaves sum exact solid angles
// (Van Oosterom and Strackee 1983). Order 3 is kept because at beta = 2 the
// series converges slowly for nodes near the threshold: measured inside an
// icosphere, the largest error was 0.06 with orders 1-2 and 0.006 with 1-3
// (mean 6e-4); beta = 3 brings the largest to 6e-4 but opens more nodes.
#pragma once

#include "neural/field/mesh_bvh.h"

#include <vector>

namespace nerva::field {

// Signed solid angle (steradians, in [-2 pi, 2 pi]) of triangle abc seen
// from q: positive when q is behind it, i.e. on the side opposite to the
// normal (b - a) x (c - a). 0 when q is on the triangle's plane.
double triangleSolidAngle(glm::dvec3 q, glm::dvec3 a, glm::dvec3 b, glm::dvec3 c);

// The exact sum over every triangle, in double: O(triangles) per query; the
// reference for tests. Requires a valid mesh.
double windingNumberExact(const TriangleMesh& mesh, glm::vec3 q);

class FastWindingNumber {
  public:
    // Builds a BVH of the (valid) mesh and the per-node expansions.
    // beta: far-field threshold, |q - p~| > beta r (larger = slower and
    // more accurate; 2 is the paper's default).
    explicit FastWindingNumber(const TriangleMesh& mesh, float beta = 2.0f);

    float windingNumber(glm::vec3 q) const;
    bool inside(glm::vec3 q) const { return windingNumber(q) > 0.5f; }

    // The hierarchy it walks, also usable for closest-point queries.
    const MeshBvh& bvh() const { return bvh_; }
    float beta() const { return beta_; }

  private:
    struct Expansion {
        glm::vec3 centre{0.0f}; // area-weighted centroid p~
        float radius = 0.0f;
        glm::vec3 normal{0.0f}; // N, area-weighted (mesh units^2)
        float traceC = 0.0f;
        glm::mat3 moment{0.0f};    // C[j][i] = sum a_t n_i (c_t - p~)_j (GLM column j)
        glm::mat3 second[3];       // D_i = int n_i (x - p~)(x - p~)^T dA, i = 0..2
        glm::vec3 traceTerm{0.0f}; // 2 u + v, u_k = sum_i D_iik, v_i = sum_j D_ijj
    };

    MeshBvh bvh_;
    float beta_;
    std::vector<Expansion> expansions_; // one per BVH node
};

} // namespace nerva::field
