// Loading triangle meshes from OBJ, PLY and OFF files (and writing OBJ for
// tests and debugging), for fitting tri-plane fields.
//
// loadMeshFile dispatches on the extension (.obj .ply .off, any case); the
// content must match it. glTF/GLB go through the scene loader instead, so
// every other extension is an "unsupported mesh format" error. Polygons are
// fan-triangulated; normals, texture coordinates, colours and other
// attributes are ignored. The result has passed validateMesh (at least one
// triangle, finite used vertices, indices in range) but may still hold
// degenerate triangles (see removeDegenerateTriangles).
//
// Every failure is one nerva::Error line "<path>: <problem>" (with a line
// number for text formats where one helps).
#pragma once

#include "neural/field/triangle_mesh.h"

#include <string>

namespace nerva::field {

TriangleMesh loadMeshFile(const std::string& path);

// Writes "v x y z" (9 significant digits: floats round-trip exactly) and
// 1-based "f a b c" lines, through a temporary file renamed into place.
void saveMeshObj(const TriangleMesh& mesh, const std::string& path);

} // namespace nerva::field
