// Chamfer-L1, normal consistency, F-score and IoU of a fitted field against
// its mesh (definitions in field_metrics.h). Every parallel loop writes
// per-item results that are reduced serially in order: deterministic.
#include "neural/field/field_metrics.h"

#include "neural/field/marching_tets.h"
#include "neural/field/mesh_bvh.h"
#include "neural/nn/pcg32.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace nerva::field {

namespace {

constexpr size_t kChunk = 1024;

void parallel(nn::ThreadPool* pool, size_t n, const std::function<void(size_t, size_t)>& fn) {
    const size_t chunks = (n + kChunk - 1) / kChunk;
    auto run = [&](size_t c) { fn(c * kChunk, std::min(n, (c + 1) * kChunk)); };
    if (pool)
        pool->parallelFor(chunks, run);
    else
        for (size_t c = 0; c < chunks; ++c)
            run(c);
}

// signedValue of the field at n points (xyz, 3 floats each).
std::vector<float> evaluate(const TriplaneField& f, const std::vector<float>& xyz,
                            nn::ThreadPool* pool) {
    const size_t n = xyz.size() / 3;
    const uint32_t O = f.outputs();
    std::vector<float> out(n);
    parallel(pool, n, [&](size_t b, size_t e) {
        FieldWorkspace<float> ws;
        std::vector<float> raw((e - b) * O);
        f.forward<float>(f.parameters(), xyz.data() + 3 * b, e - b, ws, raw.data());
        for (size_t i = b; i < e; ++i)
            out[i] = signedValue(f.config().kind, raw[(i - b) * O]);
    });
    return out;
}

glm::vec3 faceNormal(const TriangleMesh& m, uint32_t t) {
    const glm::uvec3 tri = m.triangles[t];
    const glm::vec3 n = glm::cross(m.positions[tri.y] - m.positions[tri.x],
                                   m.positions[tri.z] - m.positions[tri.x]);
    const float l = glm::length(n);
    return l > 0.0f ? n / l : glm::vec3(0.0f);
}

} // namespace

void sampleSurface(const TriangleMesh& mesh, size_t n, uint64_t seed,
                   std::vector<glm::vec3>& points, std::vector<uint32_t>& triangles) {
    std::vector<double> cdf(mesh.triangles.size());
    double total = 0.0;
    for (size_t t = 0; t < mesh.triangles.size(); ++t) {
        const glm::uvec3 tri = mesh.triangles[t];
        const glm::dvec3 a(mesh.positions[tri.x]), b(mesh.positions[tri.y]),
            c(mesh.positions[tri.z]);
        total += 0.5 * glm::length(glm::cross(b - a, c - a));
        cdf[t] = total;
    }
    points.resize(n);
    triangles.resize(n);
    nn::Pcg32 rng(seed, 0x853c49e6748fea9bULL);
    for (size_t i = 0; i < n; ++i) {
        const double u = (double(rng.next()) + 0.5) / 4294967296.0 * total;
        const size_t t = std::min(size_t(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()),
                                  cdf.size() - 1);
        // Uniform on the triangle: (1 - sqrt r1, sqrt r1 (1 - r2), sqrt r1 r2).
        const float s = std::sqrt(rng.uniform()), r2 = rng.uniform();
        const glm::uvec3 tri = mesh.triangles[t];
        points[i] = (1.0f - s) * mesh.positions[tri.x] + s * (1.0f - r2) * mesh.positions[tri.y] +
                    s * r2 * mesh.positions[tri.z];
        triangles[i] = uint32_t(t);
    }
}

FieldMetrics evaluateFieldMetrics(const TriplaneField& field, const TriangleMesh& mesh,
                                  const FastWindingNumber& winding, const FieldMetricOptions& o,
                                  nn::ThreadPool* pool) {
    FieldMetrics m;
    const Aabb meshBox = boundingBox(mesh);
    m.boxDiagonal = glm::length(meshBox.extent());
    const int G = int(std::max(o.grid, 2u));
    const Aabb box{glm::vec3(-1.0f), glm::vec3(1.0f)};
    const double step = 2.0 / G;

    // Grid points (for marching tetrahedra) and cell centres (for IoU).
    const size_t P = size_t(G + 1);
    std::vector<float> xyz(P * P * P * 3);
    for (size_t k = 0, i = 0; k < P; ++k)
        for (size_t j = 0; j < P; ++j)
            for (size_t x = 0; x < P; ++x, i += 3) {
                xyz[i] = float(-1.0 + double(x) * step);
                xyz[i + 1] = float(-1.0 + double(j) * step);
                xyz[i + 2] = float(-1.0 + double(k) * step);
            }
    const std::vector<float> gridValue = evaluate(field, xyz, pool);
    const TriangleMesh surface = marchingTetrahedra(
        [&](glm::vec3 p) {
            auto idx = [&](float c) {
                return std::clamp(size_t(std::lround((double(c) + 1.0) / step)), size_t(0), P - 1);
            };
            return gridValue[(idx(p.z) * P + idx(p.y)) * P + idx(p.x)];
        },
        box, glm::ivec3(G));

    // IoU on the cell centres.
    const size_t C = size_t(G);
    xyz.resize(C * C * C * 3);
    for (size_t k = 0, i = 0; k < C; ++k)
        for (size_t j = 0; j < C; ++j)
            for (size_t x = 0; x < C; ++x, i += 3) {
                xyz[i] = float(-1.0 + (double(x) + 0.5) * step);
                xyz[i + 1] = float(-1.0 + (double(j) + 0.5) * step);
                xyz[i + 2] = float(-1.0 + (double(k) + 0.5) * step);
            }
    const std::vector<float> cellValue = evaluate(field, xyz, pool);
    std::vector<uint8_t> meshInside(C * C * C);
    parallel(pool, meshInside.size(), [&](size_t b, size_t e) {
        for (size_t i = b; i < e; ++i)
            meshInside[i] = winding.inside({xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]});
    });
    size_t inter = 0, uni = 0;
    for (size_t i = 0; i < meshInside.size(); ++i) {
        const bool a = cellValue[i] < 0.0f, b = meshInside[i] != 0;
        inter += a && b;
        uni += a || b;
    }
    m.iou = uni ? double(inter) / double(uni) : 1.0;

    m.triangles = surface.triangles.size();
    if (surface.triangles.empty()) {
        m.chamferL1 = std::numeric_limits<double>::infinity();
        return m;
    }
    const MeshBvh surfaceBvh(surface);
    const MeshBvh& meshBvh = winding.bvh();
    const size_t N = std::max<uint32_t>(o.samples, 1);
    std::vector<glm::vec3> sp, mp;
    std::vector<uint32_t> st, mt;
    sampleSurface(surface, N, o.seed, sp, st);
    sampleSurface(mesh, N, o.seed + 1, mp, mt);

    // Per pair: distance and the point where the field's normal is taken.
    std::vector<float> dist(2 * N);
    std::vector<glm::vec3> at(2 * N), meshNormal(2 * N);
    parallel(pool, N, [&](size_t b, size_t e) {
        for (size_t i = b; i < e; ++i) {
            const ClosestPoint c = meshBvh.closestPoint(sp[i]);
            dist[i] = std::sqrt(c.distanceSquared);
            at[i] = sp[i];
            meshNormal[i] = faceNormal(mesh, c.triangle);
            const ClosestPoint d = surfaceBvh.closestPoint(mp[i]);
            dist[N + i] = std::sqrt(d.distanceSquared);
            at[N + i] = d.point;
            meshNormal[N + i] = faceNormal(mesh, mt[i]);
        }
    });
    std::vector<float> nc(2 * N);
    parallel(pool, 2 * N, [&](size_t b, size_t e) {
        FieldWorkspace<float> ws;
        std::vector<float> raw(e - b), grad(3 * (e - b));
        field.gradient<float>(field.parameters(), &at[b].x, e - b, ws, raw.data(), grad.data());
        for (size_t i = b; i < e; ++i) {
            const glm::vec3 g(grad[3 * (i - b)], grad[3 * (i - b) + 1], grad[3 * (i - b) + 2]);
            const float l = glm::length(g);
            nc[i] = l > 0.0f ? std::abs(glm::dot(g / l, meshNormal[i])) : 0.0f;
        }
    });
    const double t = 0.01 * m.boxDiagonal;
    double sumA = 0.0, sumB = 0.0, sumN = 0.0;
    size_t precise = 0, recalled = 0;
    for (size_t i = 0; i < N; ++i) {
        sumA += dist[i];
        sumB += dist[N + i];
        precise += dist[i] < t;
        recalled += dist[N + i] < t;
    }
    for (const float v : nc)
        sumN += v;
    m.chamferL1 = 0.5 * (sumA + sumB) / double(N) / std::max(m.boxDiagonal, 1e-30);
    m.normalConsistency = sumN / double(2 * N);
    const double pr = double(precise) / double(N), rc = double(recalled) / double(N);
    m.fScore = pr + rc > 0.0 ? 2.0 * pr * rc / (pr + rc) : 0.0;
    return m;
}

nlohmann::json FieldMetrics::toJson() const {
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
    return {{"chamfer_l1", num(chamferL1)},
            {"chamfer_units", "mesh bounding-box diagonals"},
            {"normal_consistency", num(normalConsistency)},
            {"f_score", num(fScore)},
            {"f_score_threshold", "1% of the mesh bounding-box diagonal"},
            {"iou", num(iou)},
            {"extracted_triangles", triangles}};
}

std::string FieldMetrics::format() const {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "chamfer-L1          %.6f of the box diagonal\n"
                  "normal consistency  %.4f\n"
                  "F-score (1%%)        %.4f\n"
                  "IoU                 %.4f\n",
                  chamferL1, normalConsistency, fScore, iou);
    return buf;
}

} // namespace nerva::field
