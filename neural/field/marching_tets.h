// Polygonises the zero level set of a signed distance function (negative
// inside) by marching tetrahedra: the box is cut into cells, each cell into
// the 6 Kuhn tetrahedra around its main diagonal (neighbouring cells agree
// on every face diagonal), and each tetrahedron's sign pattern gives 0, 1 or
// 2 triangles. Crossing points are linear interpolations along tetrahedron
// edges, welded by edge, so the result is watertight (every edge in exactly
// two triangles, consistently) when the surface stays inside the box, and
// oriented outward (towards positive values) by construction.
//
// Used for the procedural demo meshes; no lookup tables needed.
#pragma once

#include "neural/field/triangle_mesh.h"

#include <functional>

namespace nerva::field {

// sdf is sampled once per grid point of `cells` (x, y, z) cells over `box`.
// Values that are exactly 0 count as outside, nudged by a tiny amount so no
// crossing point lands on a grid point twice.
TriangleMesh marchingTetrahedra(const std::function<float(glm::vec3)>& sdf, const Aabb& box,
                                glm::ivec3 cells);

} // namespace nerva::field
