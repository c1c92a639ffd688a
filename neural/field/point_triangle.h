// Closest point on a triangle to a point (Ericson, "Real-Time Collision
// Detection", 5.1.5: Voronoi-region tests on the vertex and edge regions,
// then the face). Shared by the BVH and the brute-force checks in tests.
#pragma once

#include <glm/glm.hpp>

namespace nerva::field {

struct TrianglePoint {
    glm::vec3 point{0.0f};
    glm::vec3 barycentric{1.0f, 0.0f, 0.0f}; // weights of a, b, c; point = sum w_k v_k
};

// Exact up to float rounding; degenerate triangles (zero-length edges,
// collinear corners) return a closest point on their segment(s) with no
// division by zero.
inline TrianglePoint closestPointOnTriangle(glm::vec3 p, glm::vec3 a, glm::vec3 b, glm::vec3 c) {
    const glm::vec3 ab = b - a, ac = c - a, ap = p - a;
    const float d1 = glm::dot(ab, ap), d2 = glm::dot(ac, ap);
    if (d1 <= 0.0f && d2 <= 0.0f) return {a, {1.0f, 0.0f, 0.0f}}; // vertex a
    const glm::vec3 bp = p - b;
    const float d3 = glm::dot(ab, bp), d4 = glm::dot(ac, bp);
    if (d3 >= 0.0f && d4 <= d3) return {b, {0.0f, 1.0f, 0.0f}}; // vertex b
    const float vc = d1 * d4 - d3 * d2;
    if (vc <= 0.0f && d1 >= 0.0f && d3 <= 0.0f) { // edge ab (d1 - d3 = |ab|^2 > 0 here)
        const float v = d1 - d3 > 0.0f ? d1 / (d1 - d3) : 0.0f;
        return {a + v * ab, {1.0f - v, v, 0.0f}};
    }
    const glm::vec3 cp = p - c;
    const float d5 = glm::dot(ab, cp), d6 = glm::dot(ac, cp);
    if (d6 >= 0.0f && d5 <= d6) return {c, {0.0f, 0.0f, 1.0f}}; // vertex c
    const float vb = d5 * d2 - d1 * d6;
    if (vb <= 0.0f && d2 >= 0.0f && d6 <= 0.0f) { // edge ac
        const float w = d2 - d6 > 0.0f ? d2 / (d2 - d6) : 0.0f;
        return {a + w * ac, {1.0f - w, 0.0f, w}};
    }
    const float va = d3 * d6 - d5 * d4;
    if (va <= 0.0f && d4 - d3 >= 0.0f && d5 - d6 >= 0.0f) { // edge bc
        const float sum = (d4 - d3) + (d5 - d6);
        const float w = sum > 0.0f ? (d4 - d3) / sum : 0.0f;
        return {b + w * (c - b), {0.0f, 1.0f - w, w}};
    }
    // Inside the face: va, vb, vc are the (scaled) barycentrics, all > 0.
    const float denom = 1.0f / (va + vb + vc);
    const float v = vb * denom, w = vc * denom;
    return {a + v * ab + w * ac, {1.0f - v - w, v, w}};
}

} // namespace nerva::field
