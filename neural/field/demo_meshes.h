// Procedural meshes: the shapes the tri-plane demo fits (a torus knot and a
// machined CSG part) and simple ones for tests (icosphere, open
// hemisphere). All counter-clockwise seen from outside; the closed ones are
// watertight (every edge in exactly two triangles, in opposite directions).
#pragma once

#include "neural/field/triangle_mesh.h"

namespace nerva::field {

// (p, q) torus knot: the centre line
//   c(t) = ((1 + 0.45 cos qt) cos pt, (1 + 0.45 cos qt) sin pt, 0.45 sin qt),
// t in [0, 2 pi), swept by a circle of tubeRadius (keep it below ~0.3 for
// the (2, 3) knot so the tube does not touch itself). segments around the
// knot, sides around the tube: 2 * segments * sides triangles.
TriangleMesh makeTorusKnot(int p = 2, int q = 3, float tubeRadius = 0.2f, int segments = 320,
                           int sides = 32);

// A machined part, roughly 1.6 x 0.95 x 1 units around the origin: a
// rounded plate with a through bore, plus a cylindrical boss (drilled) on
// top; polygonised by marching tetrahedra with `resolution` cells along the
// longest side. The analytic SDF is csgPartDistance.
TriangleMesh makeCsgPart(int resolution = 96);
float csgPartDistance(glm::vec3 p);

// Icosahedron subdivided `subdivisions` times (20 * 4^s triangles), corners
// on the sphere of `radius` about the origin.
TriangleMesh makeIcosphere(int subdivisions, float radius = 1.0f);

// The z >= 0 half of the sphere of `radius` about the origin, open along
// the equator (a rim of `segments` edges in the z = 0 plane); `rings`
// latitude bands from the pole. Normals point away from the centre.
TriangleMesh makeOpenHemisphere(float radius = 1.0f, int rings = 32, int segments = 64);

} // namespace nerva::field
