// Binned-SAH construction and closest-point traversal of MeshBvh (see
// mesh_bvh.h).
#include "neural/field/mesh_bvh.h"

#include "neural/field/point_triangle.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace nerva::field {

namespace {

constexpr int kBins = 16;
// Past this depth nodes split at the object median, which halves the count,
// so the tree stays under kMedianDepth + 32 levels (the query stack's size).
constexpr int kMedianDepth = 40;
constexpr int kStackSize = 128;
constexpr float kInf = std::numeric_limits<float>::infinity();

struct Box {
    glm::vec3 lo{kInf};
    glm::vec3 hi{-kInf};
    void grow(glm::vec3 p) {
        lo = glm::min(lo, p);
        hi = glm::max(hi, p);
    }
    void grow(const Box& b) {
        lo = glm::min(lo, b.lo);
        hi = glm::max(hi, b.hi);
    }
    float halfArea() const {
        if (lo.x > hi.x) return 0.0f;
        const glm::vec3 e = hi - lo;
        return e.x * e.y + e.y * e.z + e.z * e.x;
    }
};

struct BuildTask {
    uint32_t node;
    uint32_t first;
    uint32_t count;
    int depth;
};

} // namespace

MeshBvh::MeshBvh(const TriangleMesh& mesh) {
    const auto n = static_cast<uint32_t>(mesh.triangles.size());
    if (n == 0) return;
    std::vector<Box> triBox(n);
    std::vector<glm::vec3> centroid(n);
    for (uint32_t t = 0; t < n; ++t) {
        for (int k = 0; k < 3; ++k)
            triBox[t].grow(mesh.positions[mesh.triangles[t][k]]);
        centroid[t] = 0.5f * (triBox[t].lo + triBox[t].hi);
    }
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0u);
    nodes_.reserve(2 * size_t(n) / kBvhLeafSize * 2 + 1);
    nodes_.emplace_back();

    std::vector<BuildTask> tasks{{0, 0, n, 0}};
    while (!tasks.empty()) {
        const BuildTask task = tasks.back();
        tasks.pop_back();
        depth_ = std::max(depth_, task.depth);
        Box bounds, centres;
        for (uint32_t i = task.first; i < task.first + task.count; ++i) {
            bounds.grow(triBox[order_[i]]);
            centres.grow(centroid[order_[i]]);
        }
        nodes_[task.node].lo = bounds.lo;
        nodes_[task.node].hi = bounds.hi;
        if (task.count <= kBvhLeafSize) {
            nodes_[task.node].first = task.first;
            nodes_[task.node].count = task.count;
            continue;
        }

        uint32_t* begin = order_.data() + task.first;
        uint32_t* end = begin + task.count;
        uint32_t* mid = nullptr;
        const glm::vec3 extent = centres.hi - centres.lo;
        if (task.depth < kMedianDepth) {
            // Binned SAH: cost of a split = nLeft * area(left) + nRight * area(right).
            float bestCost = kInf;
            int bestAxis = -1, bestBin = 0;
            for (int axis = 0; axis < 3; ++axis) {
                if (!(extent[axis] > 0.0f)) continue;
                Box binBox[kBins];
                uint32_t binCount[kBins] = {};
                const float toBin = float(kBins) / extent[axis];
                for (const uint32_t* t = begin; t != end; ++t) {
                    const int b =
                        std::min(kBins - 1, int((centroid[*t][axis] - centres.lo[axis]) * toBin));
                    binBox[b].grow(triBox[*t]);
                    ++binCount[b];
                }
                float rightCost[kBins] = {};
                Box acc;
                uint32_t accCount = 0;
                for (int b = kBins - 1; b > 0; --b) {
                    acc.grow(binBox[b]);
                    accCount += binCount[b];
                    rightCost[b] = float(accCount) * acc.halfArea();
                }
                acc = Box{};
                accCount = 0;
                for (int b = 0; b < kBins - 1; ++b) { // split between bins b and b + 1
                    acc.grow(binBox[b]);
                    accCount += binCount[b];
                    const float cost = float(accCount) * acc.halfArea() + rightCost[b + 1];
                    if (accCount > 0 && accCount < task.count && cost < bestCost) {
                        bestCost = cost;
                        bestAxis = axis;
                        bestBin = b;
                    }
                }
            }
            if (bestAxis >= 0) {
                const float toBin = float(kBins) / extent[bestAxis];
                const float lo = centres.lo[bestAxis];
                mid = std::partition(begin, end, [&](uint32_t t) {
                    return std::min(kBins - 1, int((centroid[t][bestAxis] - lo) * toBin)) <=
                           bestBin;
                });
                if (mid == begin || mid == end) mid = nullptr;
            }
        }
        if (!mid) { // object median on the widest centroid axis (or any halving)
            const int axis =
                extent.x >= extent.y && extent.x >= extent.z ? 0 : (extent.y >= extent.z ? 1 : 2);
            mid = begin + task.count / 2;
            std::nth_element(begin, mid, end, [&](uint32_t a, uint32_t b) {
                return centroid[a][axis] < centroid[b][axis];
            });
        }
        const auto left = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
        nodes_.emplace_back();
        nodes_[task.node].first = left;
        nodes_[task.node].count = 0;
        const auto leftCount = static_cast<uint32_t>(mid - begin);
        tasks.push_back({left, task.first, leftCount, task.depth + 1});
        tasks.push_back({left + 1, task.first + leftCount, task.count - leftCount, task.depth + 1});
    }

    corners_.resize(3 * size_t(n));
    for (uint32_t i = 0; i < n; ++i) {
        for (int k = 0; k < 3; ++k)
            corners_[3 * i + k] = mesh.positions[mesh.triangles[order_[i]][k]];
    }
}

ClosestPoint MeshBvh::closestPoint(glm::vec3 p) const {
    ClosestPoint best;
    best.distanceSquared = kInf;
    if (nodes_.empty()) return best;
    struct Entry {
        uint32_t node;
        float distanceSquared;
    };
    Entry stack[kStackSize];
    int size = 0;
    stack[size++] = {0, distanceSquaredToBox(p, nodes_[0].lo, nodes_[0].hi)};
    while (size > 0) {
        const Entry e = stack[--size];
        if (e.distanceSquared >= best.distanceSquared) continue;
        const BvhNode& node = nodes_[e.node];
        if (node.isLeaf()) {
            for (uint32_t i = node.first; i < node.first + node.count; ++i) {
                const glm::vec3* c = &corners_[3 * size_t(i)];
                const TrianglePoint tp = closestPointOnTriangle(p, c[0], c[1], c[2]);
                const glm::vec3 d = tp.point - p;
                const float d2 = glm::dot(d, d);
                if (d2 < best.distanceSquared) {
                    best = {d2, tp.point, order_[i], tp.barycentric};
                }
            }
            continue;
        }
        uint32_t near = node.first, far = node.first + 1;
        float dNear = distanceSquaredToBox(p, nodes_[near].lo, nodes_[near].hi);
        float dFar = distanceSquaredToBox(p, nodes_[far].lo, nodes_[far].hi);
        if (dFar < dNear) {
            std::swap(near, far);
            std::swap(dNear, dFar);
        }
        if (dFar < best.distanceSquared) stack[size++] = {far, dFar};
        if (dNear < best.distanceSquared) stack[size++] = {near, dNear};
    }
    return best;
}

} // namespace nerva::field
