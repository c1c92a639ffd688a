// A bounding volume hierarchy over a mesh's triangles for closest-point
// (unsigned distance) queries while fitting fields; the fast winding number
// (winding_number.h) walks the same hierarchy.
//
// Layout: a flat node array, root at 0; an internal node's children are at
// `first` and `first + 1` (both after it, so a reverse sweep visits children
// before parents); a leaf holds triangles [first, first + count) of the
// leaf order (triangleOrder() maps them back to mesh triangle indices).
// Every subtree's triangles are contiguous in that order. Built by binned
// SAH (16 bins over centroids), leaves of at most kBvhLeafSize triangles.
//
// Queries are const and keep their state on the stack: safe from many
// threads at once.
#pragma once

#include "neural/field/triangle_mesh.h"

#include <cstdint>
#include <vector>

namespace nerva::field {

constexpr uint32_t kBvhLeafSize = 4;

struct BvhNode {
    glm::vec3 lo{0.0f};
    uint32_t first = 0; // leaf: first triangle in leaf order; internal: left child
    glm::vec3 hi{0.0f};
    uint32_t count = 0; // leaf: triangle count (> 0); internal: 0
    bool isLeaf() const { return count > 0; }
};

struct ClosestPoint {
    float distanceSquared = 0.0f; // mesh units^2
    glm::vec3 point{0.0f};        // on the surface
    uint32_t triangle = 0;        // index into the mesh's triangles
    glm::vec3 barycentric{0.0f};  // weights of the triangle's corners 0, 1, 2
};

class MeshBvh {
  public:
    // The mesh must be valid (validateMesh); the BVH keeps its own copy of
    // the triangle corners, so the mesh may go away afterwards.
    explicit MeshBvh(const TriangleMesh& mesh);

    // The closest surface point to p (ties: any of them).
    ClosestPoint closestPoint(glm::vec3 p) const;

    const std::vector<BvhNode>& nodes() const { return nodes_; }
    // Leaf order -> mesh triangle index.
    const std::vector<uint32_t>& triangleOrder() const { return order_; }
    size_t triangleCount() const { return order_.size(); }
    // Corner k (0..2) of the triangle at position i of the leaf order.
    glm::vec3 corner(size_t i, int k) const { return corners_[3 * i + size_t(k)]; }
    int depth() const { return depth_; }

  private:
    std::vector<BvhNode> nodes_;
    std::vector<uint32_t> order_;
    std::vector<glm::vec3> corners_; // 3 per triangle, in leaf order
    int depth_ = 0;
};

// Squared distance from p to the box (0 inside).
inline float distanceSquaredToBox(glm::vec3 p, glm::vec3 lo, glm::vec3 hi) {
    const glm::vec3 d = glm::max(glm::max(lo - p, p - hi), glm::vec3(0.0f));
    return glm::dot(d, d);
}

} // namespace nerva::field
