// How well a fitted tri-plane field matches its mesh (DESIGN.md §5): the
// four numbers `nerva fit` reports and stores in the .ntri metrics.
//
//   - The field's surface: the zero level set of signedValue (negative
//     inside) extracted by marching tetrahedra on grid^3 cells over the
//     field box [-1, 1]^3.
//   - Chamfer-L1: the mean of both directions' mean closest-point distance
//     between `samples` area-weighted points on each surface (mesh distances
//     by the mesh's BVH, distances to the extracted surface by a BVH over
//     it), divided by the diagonal of the mesh's bounding box.
//   - Normal consistency: mean |n_field . n_mesh| over the same samples,
//     n_field the normalised analytic gradient at the extracted-surface
//     point of the pair, n_mesh the face normal of the mesh triangle.
//   - F-score: harmonic mean of precision (extracted samples within t of
//     the mesh) and recall (mesh samples within t of the extracted surface),
//     t = 1% of the mesh's bounding-box diagonal.
//   - IoU: on the grid^3 cell centres, field inside (signedValue < 0) vs
//     mesh inside (winding number > 0.5).
// With no extracted surface, Chamfer is +inf and the others 0.
#pragma once

#include "neural/field/triangle_mesh.h"
#include "neural/field/triplane_field.h"
#include "neural/field/winding_number.h"
#include "neural/nn/thread_pool.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace nerva::field {

struct FieldMetricOptions {
    uint32_t grid = 128;        // marching-tetrahedra cells and IoU cells per side
    uint32_t samples = 100000;  // surface samples per side of the Chamfer distance
    uint64_t seed = 0x6d657472; // surface sampling
};

struct FieldMetrics {
    double chamferL1 = 0.0; // in mesh bounding-box diagonals
    double normalConsistency = 0.0;
    double fScore = 0.0;
    double iou = 0.0;
    double boxDiagonal = 0.0;      // field units
    size_t triangles = 0;          // of the extracted surface
    nlohmann::json toJson() const; // non-finite values as null
    std::string format() const;    // one line per metric, ends with a newline
};

// `mesh` and `winding` in field units (winding built over `mesh`). `pool`
// may be null. Deterministic for any thread count.
FieldMetrics evaluateFieldMetrics(const TriplaneField& field, const TriangleMesh& mesh,
                                  const FastWindingNumber& winding,
                                  const FieldMetricOptions& options, nn::ThreadPool* pool);

// Area-weighted surface samples: `n` points and their triangle indices,
// from PCG32 stream `seed` (used by fitting and metrics).
void sampleSurface(const TriangleMesh& mesh, size_t n, uint64_t seed,
                   std::vector<glm::vec3>& points, std::vector<uint32_t>& triangles);

} // namespace nerva::field
