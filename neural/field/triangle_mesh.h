// The indexed triangle mesh that tri-plane fields are fitted from, and the
// checks and clean-ups every loaded or generated mesh goes through before
// fitting: validation (one nerva::Error line per problem), removal of
// degenerate triangles, bounding box, area / signed volume, and the uniform
// normalisation into the field's [-1, 1]^3 box.
//
// Conventions: positions in the mesh's own units; triangles are
// counter-clockwise seen from outside, so (b - a) x (c - a) is the outward
// normal of a closed, outward-oriented mesh and its signed volume is > 0.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <glm/glm.hpp>

namespace nerva::field {

struct TriangleMesh {
    std::vector<glm::vec3> positions;
    std::vector<glm::uvec3> triangles; // indices into positions
};

struct Aabb {
    glm::vec3 lo{0.0f};
    glm::vec3 hi{0.0f};
    glm::vec3 centre() const { return 0.5f * (lo + hi); }
    glm::vec3 extent() const { return hi - lo; }
};

// Throws nerva::Error "<where>: <problem>" when the mesh has no triangles, a
// NaN/Inf vertex that a triangle uses, or an index past positions.size().
// Unreferenced vertices are allowed (and ignored) even when non-finite.
void validateMesh(const TriangleMesh& mesh, const std::string& where);

// True when the triangle has a repeated index or (numerically) zero area:
// |(b - a) x (c - a)| <= 1e-12 * (longest edge)^2, computed in double.
bool isDegenerate(const TriangleMesh& mesh, size_t triangle);

// Removes degenerate triangles (see isDegenerate) in place, keeping the
// order of the others, and returns how many went. Throws
// "<where>: all N triangles are degenerate" when none would be left.
// Positions are not touched (unreferenced ones stay).
size_t removeDegenerateTriangles(TriangleMesh& mesh, const std::string& where);

// Box over the vertices that triangles use (all zero for a mesh without
// triangles). Requires valid indices.
Aabb boundingBox(const TriangleMesh& mesh);

// Total area in mesh units^2 (double accumulation).
double surfaceArea(const TriangleMesh& mesh);

// Signed volume (divergence theorem, sum of a . (b x c) / 6): the enclosed
// volume for a closed outward mesh, negative when it is inside out.
double signedVolume(const TriangleMesh& mesh);

// The uniform affine map from mesh space to field space:
//   p_field = (p_mesh - centre) * scale,   p_mesh = p_field / scale + centre.
// Distances scale by `scale` (a field distance d is d / scale mesh units).
struct FieldTransform {
    glm::vec3 centre{0.0f};
    float scale = 1.0f;
    glm::vec3 toField(glm::vec3 p) const { return (p - centre) * scale; }
    glm::vec3 toMesh(glm::vec3 p) const { return p / scale + centre; }
};

// The transform that maps `box` into [-1 + margin, 1 - margin]^3 uniformly:
// centre = box centre, scale = (1 - margin) / (largest half extent), so the
// longest side spans exactly [-1 + margin, 1 - margin] and the others are
// centred inside. margin in [0, 1). A box of zero size gets scale 1.
FieldTransform fieldTransformForBox(const Aabb& box, float margin);

// Applies fieldTransformForBox(boundingBox(mesh), margin) to every position
// in place and returns the transform (keep it to map results back).
FieldTransform normaliseToBox(TriangleMesh& mesh, float margin);

} // namespace nerva::field
