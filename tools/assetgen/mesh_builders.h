// Procedural triangle meshes for the asset generator.
//
// Every builder returns positions, unit normals, tangents (xyz unit and
// orthogonal to the normal, w = +-1 handedness as glTF defines it:
// bitangent = cross(normal, tangent.xyz) * w points towards decreasing v, i.e.
// "up" in the texture image), uv0 and counter-clockwise triangles seen from
// the side the normals point to. Units are metres, +Y up (glTF).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nerva::assetgen {

constexpr float kPi = 3.14159265358979323846f;

struct Vec2 {
    float x = 0.0f, y = 0.0f;
};
struct Vec3 {
    float x = 0.0f, y = 0.0f, z = 0.0f;
};
struct Vec4 {
    float x = 0.0f, y = 0.0f, z = 0.0f, w = 0.0f;
};

inline Vec3 operator+(Vec3 a, Vec3 b) {
    return {a.x + b.x, a.y + b.y, a.z + b.z};
}
inline Vec3 operator-(Vec3 a, Vec3 b) {
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}
inline Vec3 operator*(Vec3 a, float s) {
    return {a.x * s, a.y * s, a.z * s};
}
inline Vec3 operator-(Vec3 a) {
    return {-a.x, -a.y, -a.z};
}
inline float dot(Vec3 a, Vec3 b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
inline Vec3 cross(Vec3 a, Vec3 b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline float length(Vec3 a) {
    return std::sqrt(dot(a, a));
}
inline Vec3 normalize(Vec3 a) {
    float len = length(a);
    return len > 0.0f ? a * (1.0f / len) : Vec3{0.0f, 0.0f, 0.0f};
}

struct MeshData {
    std::vector<Vec3> positions;
    std::vector<Vec3> normals;
    std::vector<Vec4> tangents;
    std::vector<Vec2> uv0;
    std::vector<Vec2> uv1; // optional second set; empty or one per vertex
    std::vector<uint32_t> indices;

    size_t vertexCount() const { return positions.size(); }
    size_t triangleCount() const { return indices.size() / 3; }
};

// A point of a surface-of-revolution profile in the (radius, height) half
// plane with its unit normal in that plane. A crease is two points at the same
// place with different normals.
struct ProfilePoint {
    float r = 0.0f, y = 0.0f;
    float nr = 1.0f, ny = 0.0f;
};

// Revolves a profile (ordered top to bottom, so that v grows downwards) about
// +Y. u runs once around (u = 0.5 faces +Z), v along the profile's arc length.
// Points with r == 0 become poles without degenerate triangles.
MeshData makeLathe(const std::vector<ProfilePoint>& profile, int segments);

// Turns a polyline in the (r, y) plane into profile points: normals from the
// neighbouring edges, split into a crease where they turn by more than
// creaseDegrees. The outside is on the left of the walking direction when r
// points right and y up (walk downwards on the outside of a solid).
std::vector<ProfilePoint> profileFromPolyline(const std::vector<Vec2>& points, float creaseDegrees);

MeshData makeUvSphere(float radius, int segments, int rings);
MeshData makeTorus(float majorRadius, float minorRadius, int segments, int sides);
// Centred on the origin, axis +Y; caps = false gives an open tube.
MeshData makeCylinder(float radius, float height, int segments, bool caps);
// A "shader ball": a sphere on a flared pedestal, base at y = 0, about 1 m tall.
MeshData makeShaderBall(int segments);

// The material library's shader ball (mesh_shaderball.cpp): a sphere of
// radius 0.3 m centred 0.4 m above y = 0 with a recessed equatorial groove
// (0.094 m tall, 0.04 m deep, rounded edges) that shows an inner core, and
// a separate pedestal (a neck and a round base on y = 0) below it. The ball
// is open at the bottom, where the neck enters it. uv: u runs `uRepeats`
// times around (integer, so tileable textures wrap without a seam; the uv
// seam faces -Z), v along the profile at the density u has on the
// equator, so that texture density is uniform on the visible part.
struct ShaderBallMeshes {
    MeshData ball, pedestal;
};
ShaderBallMeshes makeGroovedShaderBall(int segments, int uRepeats);

// Axis-aligned box centred on the origin, one quad per face; uv in metres
// times uvPerMetre.
MeshData makeBox(Vec3 halfExtent, float uvPerMetre);
// Box with edges and corners rounded by radius (< every half extent).
MeshData makeRoundedBox(Vec3 halfExtent, float radius, int bevelSegments, float uvPerMetre);
// Horizontal grid at y = 0 facing +Y, uv 0..1 across (u along +X, v along +Z).
MeshData makePlane(float sizeX, float sizeZ, int divisionsX, int divisionsZ);
// Vertical quad in the XY plane facing +Z, centred on the origin, uv 0..1.
MeshData makeQuad(float width, float height);

// Fills uv1 with uv0 rotated by 90 degrees and scaled, so that a texture read
// through uv1 is visibly different from one read through uv0.
void addRotatedUv1(MeshData& mesh, float scale);

// Per-vertex tangents from positions, normals, uv0 and the triangles.
void computeTangents(MeshData& mesh);

} // namespace nerva::assetgen
