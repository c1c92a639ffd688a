// Exact and hierarchical generalised winding numbers (see winding_number.h).
#include "neural/field/winding_number.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace nerva::field {

namespace {

constexpr int kStackSize = 128; // as MeshBvh: depth < 72
constexpr float kInv4Pi = float(0.25 / std::numbers::pi);

// Van Oosterom-Strackee in float, for the leaves of the fast evaluation.
float solidAngleF(glm::vec3 q, glm::vec3 a, glm::vec3 b, glm::vec3 c) {
    a -= q;
    b -= q;
    c -= q;
    const float la = glm::length(a), lb = glm::length(b), lc = glm::length(c);
    const float det = glm::dot(a, glm::cross(b, c));
    const float den =
        la * lb * lc + glm::dot(a, b) * lc + glm::dot(a, c) * lb + glm::dot(b, c) * la;
    return 2.0f * std::atan2(det, den);
}

} // namespace

double triangleSolidAngle(glm::dvec3 q, glm::dvec3 a, glm::dvec3 b, glm::dvec3 c) {
    a -= q;
    b -= q;
    c -= q;
    const double la = glm::length(a), lb = glm::length(b), lc = glm::length(c);
    // tan(omega / 2) = [a b c] / (|a||b||c| + (a.b)|c| + (a.c)|b| + (b.c)|a|);
    // atan2 keeps the right branch when the denominator goes negative.
    const double det = glm::dot(a, glm::cross(b, c));
    const double den =
        la * lb * lc + glm::dot(a, b) * lc + glm::dot(a, c) * lb + glm::dot(b, c) * la;
    return 2.0 * std::atan2(det, den);
}

double windingNumberExact(const TriangleMesh& mesh, glm::vec3 q) {
    double sum = 0.0;
    for (const glm::uvec3& t : mesh.triangles) {
        sum += triangleSolidAngle(glm::dvec3(q), glm::dvec3(mesh.positions[t.x]),
                                  glm::dvec3(mesh.positions[t.y]), glm::dvec3(mesh.positions[t.z]));
    }
    return sum / (4.0 * std::numbers::pi);
}

FastWindingNumber::FastWindingNumber(const TriangleMesh& mesh, float beta)
    : bvh_(mesh), beta_(beta) {
    const std::vector<BvhNode>& nodes = bvh_.nodes();
    expansions_.resize(nodes.size());
    // Each node's range in the leaf order (subtrees are contiguous there);
    // children come after parents, so a reverse sweep sees them first.
    std::vector<glm::uvec2> range(nodes.size()); // (first, end)
    for (size_t i = nodes.size(); i-- > 0;) {
        const BvhNode& node = nodes[i];
        if (node.isLeaf()) {
            range[i] = {node.first, node.first + node.count};
        } else {
            range[i] = {range[node.first].x, range[node.first + 1].y};
        }
        // Area, centroid and normal sum over the range, in double.
        double a = 0.0;
        glm::dvec3 centre(0.0), normal(0.0);
        for (uint32_t t = range[i].x; t < range[i].y; ++t) {
            const glm::dvec3 p0(bvh_.corner(t, 0)), p1(bvh_.corner(t, 1)), p2(bvh_.corner(t, 2));
            const glm::dvec3 n = 0.5 * glm::cross(p1 - p0, p2 - p0);
            const double at = glm::length(n);
            a += at;
            centre += at * (p0 + p1 + p2) / 3.0;
            normal += n;
        }
        centre = a > 0.0 ? centre / a : 0.5 * (glm::dvec3(node.lo) + glm::dvec3(node.hi));
        // First and second moments about the centre; per triangle with
        // y = x - p~ and s = y0 + y1 + y2: int y dA = a s / 3 and
        // int y y^T dA = a (y0 y0^T + y1 y1^T + y2 y2^T + s s^T) / 12.
        glm::dmat3 moment(0.0);
        glm::dmat3 second[3] = {glm::dmat3(0.0), glm::dmat3(0.0), glm::dmat3(0.0)};
        double radius2 = 0.0;
        for (uint32_t t = range[i].x; t < range[i].y; ++t) {
            const glm::dvec3 y0 = glm::dvec3(bvh_.corner(t, 0)) - centre;
            const glm::dvec3 y1 = glm::dvec3(bvh_.corner(t, 1)) - centre;
            const glm::dvec3 y2 = glm::dvec3(bvh_.corner(t, 2)) - centre;
            const glm::dvec3 n = 0.5 * glm::cross(y1 - y0, y2 - y0);
            const glm::dvec3 s = y0 + y1 + y2;
            moment += glm::outerProduct(n, s / 3.0); // column j = n * y_j
            const glm::dmat3 yy = (glm::outerProduct(y0, y0) + glm::outerProduct(y1, y1) +
                                   glm::outerProduct(y2, y2) + glm::outerProduct(s, s)) /
                                  12.0;
            for (int k = 0; k < 3; ++k)
                second[k] += n[k] * yy;
            radius2 = std::max({radius2, glm::dot(y0, y0), glm::dot(y1, y1), glm::dot(y2, y2)});
        }
        Expansion& e = expansions_[i];
        e.centre = glm::vec3(centre);
        e.radius = float(std::sqrt(radius2));
        e.normal = glm::vec3(normal);
        e.moment = glm::mat3(moment);
        e.traceC = float(moment[0][0] + moment[1][1] + moment[2][2]);
        // u_k = sum_i D_iik, v_i = sum_j D_ijj (D_ijk = second[i][j][k]).
        glm::dvec3 u(0.0), v(0.0);
        for (int k = 0; k < 3; ++k) {
            u += second[k][k];
            v[k] = second[k][0][0] + second[k][1][1] + second[k][2][2];
            e.second[k] = glm::mat3(second[k]);
        }
        e.traceTerm = glm::vec3(2.0 * u + v);
    }
}

float FastWindingNumber::windingNumber(glm::vec3 q) const {
    const std::vector<BvhNode>& nodes = bvh_.nodes();
    if (nodes.empty()) return 0.0f;
    float farSum = 0.0f;   // Taylor terms, already divided by 4 pi
    float exactSum = 0.0f; // solid angles, steradians
    uint32_t stack[kStackSize];
    int size = 0;
    stack[size++] = 0;
    const float beta2 = beta_ * beta_;
    while (size > 0) {
        const uint32_t index = stack[--size];
        const Expansion& e = expansions_[index];
        const glm::vec3 d = e.centre - q;
        const float d2 = glm::dot(d, d);
        if (d2 > beta2 * e.radius * e.radius) {
            const float inv = 1.0f / std::sqrt(d2);
            const float inv3 = inv * inv * inv;
            const float dipole = glm::dot(e.normal, d) * inv3;
            const float inv2 = inv * inv;
            const float order2 = (e.traceC - 3.0f * glm::dot(d, e.moment * d) * inv2) * inv3;
            const glm::vec3 dDd(glm::dot(d, e.second[0] * d), glm::dot(d, e.second[1] * d),
                                glm::dot(d, e.second[2] * d));
            const float order3 =
                (-1.5f * glm::dot(e.traceTerm, d) + 7.5f * glm::dot(d, dDd) * inv2) * inv3 * inv2;
            farSum += (dipole + order2 + order3) * kInv4Pi;
            continue;
        }
        const BvhNode& node = nodes[index];
        if (node.isLeaf()) {
            for (uint32_t t = node.first; t < node.first + node.count; ++t) {
                exactSum += solidAngleF(q, bvh_.corner(t, 0), bvh_.corner(t, 1), bvh_.corner(t, 2));
            }
        } else {
            stack[size++] = node.first;
            stack[size++] = node.first + 1;
        }
    }
    return farSum + exactSum * kInv4Pi;
}

} // namespace nerva::field
