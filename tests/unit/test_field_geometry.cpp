// Geometry core for fitting tri-plane fields (neural/field/): mesh
// validation and normalisation, the BVH's closest points against brute
// force, fast vs exact generalised winding numbers on closed, open and
// non-manifold meshes, and the procedural demo meshes (watertight, outward,
// marching tetrahedra accurate on a sphere).
#include "neural/core/error.h"
#include "neural/field/demo_meshes.h"
#include "neural/field/marching_tets.h"
#include "neural/field/mesh_bvh.h"
#include "neural/field/point_triangle.h"
#include "neural/field/triangle_mesh.h"
#include "neural/field/winding_number.h"
#include "neural/nn/pcg32.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <numbers>

namespace {

using namespace nerva::field;
using nerva::nn::Pcg32;

glm::vec3 randomPoint(Pcg32& rng, glm::vec3 lo, glm::vec3 hi) {
    return {rng.uniform(lo.x, hi.x), rng.uniform(lo.y, hi.y), rng.uniform(lo.z, hi.z)};
}

// Every directed edge appears once and its reverse once: closed, manifold
// along edges, consistently oriented. Returns the first problem, or "".
std::string edgeProblem(const TriangleMesh& mesh) {
    std::map<std::pair<uint32_t, uint32_t>, int> directed;
    for (const glm::uvec3& t : mesh.triangles) {
        for (int k = 0; k < 3; ++k)
            ++directed[{t[k], t[(k + 1) % 3]}];
    }
    for (const auto& [edge, count] : directed) {
        if (count != 1) return "directed edge used " + std::to_string(count) + " times";
        const auto reverse = directed.find({edge.second, edge.first});
        if (reverse == directed.end()) return "boundary edge";
    }
    return "";
}

ClosestPoint bruteForceClosest(const TriangleMesh& mesh, glm::vec3 p) {
    ClosestPoint best;
    best.distanceSquared = std::numeric_limits<float>::infinity();
    for (uint32_t t = 0; t < mesh.triangles.size(); ++t) {
        const glm::uvec3 tri = mesh.triangles[t];
        const TrianglePoint tp = closestPointOnTriangle(
            p, mesh.positions[tri.x], mesh.positions[tri.y], mesh.positions[tri.z]);
        const float d2 = glm::dot(tp.point - p, tp.point - p);
        if (d2 < best.distanceSquared) best = {d2, tp.point, t, tp.barycentric};
    }
    return best;
}

TEST(FieldMesh, ValidationNamesTheProblem) {
    TriangleMesh empty;
    try {
        validateMesh(empty, "empty.obj");
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()), "empty.obj: mesh has no triangles");
    }

    TriangleMesh nan = makeIcosphere(0);
    nan.positions[5].y = std::numeric_limits<float>::quiet_NaN();
    EXPECT_THROW(validateMesh(nan, "nan.ply"), nerva::Error);
    try {
        validateMesh(nan, "nan.ply");
    } catch (const nerva::Error& e) {
        EXPECT_NE(std::string(e.what()).find("nan.ply: vertex 5"), std::string::npos) << e.what();
    }
    TriangleMesh inf = makeIcosphere(0);
    inf.positions[0].x = std::numeric_limits<float>::infinity();
    EXPECT_THROW(validateMesh(inf, "inf"), nerva::Error);

    TriangleMesh range = makeIcosphere(0);
    range.triangles[3].z = 12;
    try {
        validateMesh(range, "range.off");
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_NE(std::string(e.what()).find("range.off: triangle 3 uses vertex 12"),
                  std::string::npos)
            << e.what();
    }
    // Unused non-finite vertices are fine.
    TriangleMesh unused = makeIcosphere(0);
    unused.positions.emplace_back(std::numeric_limits<float>::quiet_NaN());
    EXPECT_NO_THROW(validateMesh(unused, "unused"));
}

TEST(FieldMesh, RemovesDegenerateTriangles) {
    TriangleMesh mesh = makeIcosphere(1);
    const size_t good = mesh.triangles.size();
    mesh.positions.push_back(mesh.positions[0] * 0.5f); // collinear with 0 and origin...
    mesh.positions.push_back(mesh.positions[0]);        // a duplicate of vertex 0
    const auto n = uint32_t(mesh.positions.size());
    mesh.triangles.insert(mesh.triangles.begin() + 3, {0u, 0u, 1u}); // repeated index
    mesh.triangles.emplace_back(0u, n - 1, 2u);                      // zero-length edge
    mesh.positions.push_back(mesh.positions[0] * 0.25f);
    mesh.triangles.emplace_back(0u, n - 2, n); // collinear: zero area
    EXPECT_EQ(removeDegenerateTriangles(mesh, "m"), 3u);
    EXPECT_EQ(mesh.triangles.size(), good);
    EXPECT_EQ(edgeProblem(mesh), "");

    TriangleMesh all;
    all.positions = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
    all.triangles = {{0, 1, 2}, {0, 0, 1}};
    try {
        removeDegenerateTriangles(all, "flat.obj");
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()), "flat.obj: all 2 triangles are degenerate");
    }
}

TEST(FieldMesh, NormalisesIntoTheFieldBox) {
    TriangleMesh mesh = makeTorusKnot(2, 3, 0.2f, 64, 8);
    for (glm::vec3& p : mesh.positions)
        p = p * glm::vec3(3.0f) + glm::vec3(10.0f, -4.0f, 2.0f);
    const TriangleMesh original = mesh;
    const FieldTransform xf = normaliseToBox(mesh, 0.1f);
    const Aabb box = boundingBox(mesh);
    const glm::vec3 halfExtent = 0.5f * box.extent();
    EXPECT_NEAR(std::max({halfExtent.x, halfExtent.y, halfExtent.z}), 0.9f, 1e-5f);
    EXPECT_NEAR(glm::length(box.centre()), 0.0f, 1e-5f);
    EXPECT_GE(box.lo.x, -0.9f - 1e-5f);
    EXPECT_LE(box.hi.z, 0.9f + 1e-5f);
    for (size_t i = 0; i < mesh.positions.size(); i += 17) {
        EXPECT_NEAR(glm::distance(xf.toMesh(mesh.positions[i]), original.positions[i]), 0.0f,
                    1e-4f);
        EXPECT_NEAR(glm::distance(xf.toField(original.positions[i]), mesh.positions[i]), 0.0f,
                    1e-6f);
    }
}

TEST(FieldBvh, ClosestPointMatchesBruteForce) {
    for (const TriangleMesh& mesh : {makeTorusKnot(), makeCsgPart(40), makeOpenHemisphere()}) {
        const MeshBvh bvh(mesh);
        EXPECT_LT(bvh.depth(), 64);
        const Aabb box = boundingBox(mesh);
        const glm::vec3 pad = 0.3f * box.extent();
        Pcg32 rng(7);
        for (int i = 0; i < 1000; ++i) {
            // Half the points near the surface, half anywhere around it.
            glm::vec3 p = randomPoint(rng, box.lo - pad, box.hi + pad);
            if (i % 2 == 0) {
                const glm::uvec3 t = mesh.triangles[rng.next() % mesh.triangles.size()];
                p = mesh.positions[t.x] + glm::vec3(rng.uniform(-0.03f, 0.03f),
                                                    rng.uniform(-0.03f, 0.03f),
                                                    rng.uniform(-0.03f, 0.03f));
            }
            const ClosestPoint fast = bvh.closestPoint(p);
            const ClosestPoint slow = bruteForceClosest(mesh, p);
            ASSERT_NEAR(fast.distanceSquared, slow.distanceSquared, 1e-6f * slow.distanceSquared)
                << "point " << i;
            // The reported point lies on the reported triangle at those barycentrics.
            const glm::uvec3 t = mesh.triangles[fast.triangle];
            const glm::vec3 fromBary = fast.barycentric.x * mesh.positions[t.x] +
                                       fast.barycentric.y * mesh.positions[t.y] +
                                       fast.barycentric.z * mesh.positions[t.z];
            EXPECT_NEAR(glm::distance(fromBary, fast.point), 0.0f, 1e-5f);
            EXPECT_NEAR(glm::dot(fast.point - p, fast.point - p), fast.distanceSquared,
                        1e-5f * fast.distanceSquared + 1e-12f);
        }
    }
}

TEST(FieldBvh, PointTriangleRegions) {
    const glm::vec3 a(0, 0, 0), b(1, 0, 0), c(0, 1, 0);
    EXPECT_EQ(closestPointOnTriangle({-1, -1, 2}, a, b, c).point, a);
    EXPECT_EQ(closestPointOnTriangle({2, -0.5f, 1}, a, b, c).point, b);
    EXPECT_EQ(closestPointOnTriangle({0.5f, -1, 0}, a, b, c).point, glm::vec3(0.5f, 0, 0));
    EXPECT_EQ(closestPointOnTriangle({-3, 0.25f, 0}, a, b, c).point, glm::vec3(0, 0.25f, 0));
    const TrianglePoint hyp = closestPointOnTriangle({1, 1, 5}, a, b, c);
    EXPECT_NEAR(glm::distance(hyp.point, glm::vec3(0.5f, 0.5f, 0)), 0.0f, 1e-6f);
    const TrianglePoint face = closestPointOnTriangle({0.2f, 0.3f, -4}, a, b, c);
    EXPECT_NEAR(glm::distance(face.point, glm::vec3(0.2f, 0.3f, 0)), 0.0f, 1e-6f);
    EXPECT_NEAR(face.barycentric.y, 0.2f, 1e-6f);
    EXPECT_NEAR(face.barycentric.z, 0.3f, 1e-6f);
    // Degenerate: all corners equal, or collinear; no NaN.
    const TrianglePoint point = closestPointOnTriangle({1, 2, 3}, a, a, a);
    EXPECT_EQ(point.point, a);
    const TrianglePoint line = closestPointOnTriangle({0.5f, 1, 0}, a, b, glm::vec3(2, 0, 0));
    EXPECT_NEAR(glm::distance(line.point, glm::vec3(0.5f, 0, 0)), 0.0f, 1e-6f);
}

TEST(FieldWindingNumber, SolidAngleOfAnOctant) {
    // The triangle (e_x, e_y, e_z) covers one octant, 4 pi / 8, seen from the origin.
    const double octant = triangleSolidAngle({0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1});
    EXPECT_NEAR(octant, std::numbers::pi / 2.0, 1e-12);
    EXPECT_NEAR(triangleSolidAngle({0, 0, 0}, {1, 0, 0}, {0, 0, 1}, {0, 1, 0}),
                -std::numbers::pi / 2.0, 1e-12);
    EXPECT_EQ(triangleSolidAngle({5, 5, 0}, {1, 0, 0}, {0, 1, 0}, {2, 2, 0}), 0.0);
}

TEST(FieldWindingNumber, ClosedIcosphere) {
    const TriangleMesh mesh = makeIcosphere(4, 0.8f);
    const FastWindingNumber wn(mesh);
    Pcg32 rng(11);
    for (int i = 0; i < 2000; ++i) {
        const glm::vec3 p = randomPoint(rng, glm::vec3(-1.5f), glm::vec3(1.5f));
        const float w = wn.windingNumber(p);
        const float r = glm::length(p);
        if (i < 300) {
            EXPECT_NEAR(w, windingNumberExact(mesh, p), 1e-2) << "point " << i;
        }
        if (r < 0.79f) {
            EXPECT_NEAR(w, 1.0f, 1e-2f) << "r " << r;
        } else if (r > 0.81f) {
            EXPECT_NEAR(w, 0.0f, 1e-2f) << "r " << r;
        }
    }
    EXPECT_NEAR(wn.windingNumber({0, 0, 0}), 1.0f, 1e-2f);
    EXPECT_NEAR(wn.windingNumber({0, 0, 50}), 0.0f, 1e-6f);
}

TEST(FieldWindingNumber, TorusKnotFastMatchesExact) {
    const TriangleMesh mesh = makeTorusKnot();
    ASSERT_GT(mesh.triangles.size(), 20000u);
    const FastWindingNumber wn(mesh);
    const Aabb box = boundingBox(mesh);
    Pcg32 rng(3);
    double worst = 0.0;
    int insideCount = 0;
    for (int i = 0; i < 400; ++i) {
        glm::vec3 p = randomPoint(rng, box.lo - 0.2f, box.hi + 0.2f);
        if (i % 2 == 0) { // near the surface
            p = mesh.positions[rng.next() % mesh.positions.size()] +
                glm::vec3(rng.uniform(-0.1f, 0.1f), rng.uniform(-0.1f, 0.1f),
                          rng.uniform(-0.1f, 0.1f));
        }
        const double exact = windingNumberExact(mesh, p);
        const float fast = wn.windingNumber(p);
        worst = std::max(worst, std::abs(exact - fast));
        ASSERT_NEAR(fast, exact, 1e-2) << "point " << i;
        // Inside/outside agrees away from a thin shell around the surface,
        // and the exact value is then near 0 or 1.
        const float distance = std::sqrt(wn.bvh().closestPoint(p).distanceSquared);
        if (distance > 1e-3f) {
            EXPECT_EQ(fast > 0.5f, exact > 0.5) << "point " << i;
            EXPECT_NEAR(std::abs(exact - 0.5), 0.5, 0.05) << "point " << i;
            insideCount += exact > 0.5;
        }
    }
    EXPECT_GT(insideCount, 20);
    RecordProperty("worst_abs_error", std::to_string(worst));
}

TEST(FieldWindingNumber, OpenHemisphere) {
    const TriangleMesh mesh = makeOpenHemisphere(1.0f, 48, 96);
    const FastWindingNumber wn(mesh);
    Pcg32 rng(5);
    // In the plane of the rim: 1/2 inside the rim, 0 outside it.
    for (int i = 0; i < 200; ++i) {
        const float r = rng.uniform(0.0f, 0.9f), phi = rng.uniform(0.0f, 6.283f);
        const glm::vec3 p(r * std::cos(phi), r * std::sin(phi), 0.0f);
        EXPECT_NEAR(wn.windingNumber(p), 0.5f, 1e-2f) << r;
        const glm::vec3 q = (1.1f + 2.0f * r) * glm::vec3(std::cos(phi), std::sin(phi), 0.0f);
        EXPECT_NEAR(wn.windingNumber(q), 0.0f, 1e-2f);
    }
    // On the axis: 1 minus the disc's share above, the disc's share below.
    for (float z : {-2.0f, -0.7f, -0.2f, 0.1f, 0.4f, 0.8f}) {
        const double h = std::abs(z), disc = 0.5 * (1.0 - h / std::sqrt(h * h + 1.0));
        const double expected = z > 0.0f ? 1.0 - disc : disc;
        EXPECT_NEAR(wn.windingNumber({0, 0, z}), expected, 1e-2) << z;
        EXPECT_NEAR(windingNumberExact(mesh, {0, 0, z}), expected, 1e-2) << z;
    }
    // Smooth and consistent: fast agrees with exact at random points.
    for (int i = 0; i < 200; ++i) {
        const glm::vec3 p = randomPoint(rng, glm::vec3(-1.5f), glm::vec3(1.5f));
        EXPECT_NEAR(wn.windingNumber(p), windingNumberExact(mesh, p), 1e-2);
    }
}

TEST(FieldWindingNumber, NonManifoldSoups) {
    // Every face twice: w = 2 inside.
    TriangleMesh doubled = makeIcosphere(3);
    const size_t n = doubled.triangles.size();
    for (size_t t = 0; t < n; ++t)
        doubled.triangles.push_back(doubled.triangles[t]);
    EXPECT_NEAR(FastWindingNumber(doubled).windingNumber({0.1f, 0.2f, 0.3f}), 2.0f, 1e-2f);
    // Inside out: w = -1 inside.
    TriangleMesh flipped = makeIcosphere(3);
    for (glm::uvec3& t : flipped.triangles)
        std::swap(t.y, t.z);
    EXPECT_NEAR(FastWindingNumber(flipped).windingNumber({0.1f, 0.2f, 0.3f}), -1.0f, 1e-2f);
    // Two overlapping spheres as one soup: 2 in the lens, 1 in either, 0 outside.
    TriangleMesh pair = makeIcosphere(3);
    const TriangleMesh other = makeIcosphere(3);
    const auto base = uint32_t(pair.positions.size());
    for (const glm::vec3& p : other.positions)
        pair.positions.push_back(p + glm::vec3(1.0f, 0, 0));
    for (const glm::uvec3& t : other.triangles)
        pair.triangles.push_back(t + base);
    const FastWindingNumber wn(pair);
    EXPECT_NEAR(wn.windingNumber({0.5f, 0, 0}), 2.0f, 1e-2f);
    EXPECT_NEAR(wn.windingNumber({-0.5f, 0, 0}), 1.0f, 1e-2f);
    EXPECT_NEAR(wn.windingNumber({1.5f, 0, 0}), 1.0f, 1e-2f);
    EXPECT_NEAR(wn.windingNumber({0.5f, 1.5f, 0}), 0.0f, 1e-2f);
    // A sphere with holes punched in it still reads as inside near its centre.
    TriangleMesh holey = makeIcosphere(3);
    for (size_t t = 0; t < holey.triangles.size(); t += 9)
        holey.triangles[t] = holey.triangles[t + 1];
    const float w = FastWindingNumber(holey).windingNumber({0, 0, 0});
    EXPECT_GT(w, 0.75f);
    EXPECT_NEAR(w, windingNumberExact(holey, {0, 0, 0}), 1e-2);
}

TEST(FieldDemoMeshes, TorusKnotIsClosedAndOutward) {
    const TriangleMesh mesh = makeTorusKnot(2, 3, 0.2f, 320, 32);
    EXPECT_EQ(mesh.triangles.size(), 2u * 320u * 32u);
    EXPECT_NO_THROW(validateMesh(mesh, "knot"));
    EXPECT_EQ(edgeProblem(mesh), "");
    EXPECT_GT(signedVolume(mesh), 0.0);
    TriangleMesh copy = mesh;
    EXPECT_EQ(removeDegenerateTriangles(copy, "knot"), 0u);
    // Outward: each triangle's normal points away from the tube's centre line,
    // approximated by the mean of its ring of vertices.
    int inwards = 0;
    for (size_t i = 0; i < 320; ++i) {
        glm::vec3 centre(0.0f);
        for (size_t j = 0; j < 32; ++j)
            centre += mesh.positions[i * 32 + j] / 32.0f;
        const glm::uvec3 t = mesh.triangles[2 * (i * 32)];
        const glm::vec3 a = mesh.positions[t.x], b = mesh.positions[t.y], c = mesh.positions[t.z];
        inwards += glm::dot(glm::cross(b - a, c - a), a - centre) <= 0.0f;
    }
    EXPECT_EQ(inwards, 0);
}

TEST(FieldDemoMeshes, CsgPartIsWatertightAndOutward) {
    const TriangleMesh mesh = makeCsgPart(64);
    EXPECT_NO_THROW(validateMesh(mesh, "part"));
    EXPECT_EQ(edgeProblem(mesh), "");
    EXPECT_GT(signedVolume(mesh), 0.0);
    const FastWindingNumber wn(mesh);
    EXPECT_NEAR(wn.windingNumber({0.0f, 0.0f, 0.3f}), 1.0f, 1e-2f);   // in the plate
    EXPECT_NEAR(wn.windingNumber({0.35f, 0.0f, 0.0f}), 0.0f, 1e-2f);  // in the bore
    EXPECT_NEAR(wn.windingNumber({-0.25f, 0.5f, 0.0f}), 1.0f, 1e-2f); // in the boss wall
    EXPECT_NEAR(wn.windingNumber({-0.4f, 0.5f, 0.0f}), 0.0f, 1e-2f);  // in the drilled hole
    EXPECT_NEAR(wn.windingNumber({0.3f, 0.5f, 0.0f}), 0.0f, 1e-2f);   // above the plate
    // Vertices lie on the analytic surface to within a fraction of a cell.
    for (size_t i = 0; i < mesh.positions.size(); i += 7) {
        EXPECT_LT(std::abs(csgPartDistance(mesh.positions[i])), 0.01f);
    }
}

TEST(FieldDemoMeshes, MarchingTetrahedraSphereArea) {
    const float radius = 0.8f;
    const auto sphere = [radius](glm::vec3 p) { return glm::length(p) - radius; };
    const TriangleMesh mesh =
        marchingTetrahedra(sphere, {glm::vec3(-1.0f), glm::vec3(1.0f)}, glm::ivec3(64));
    EXPECT_EQ(edgeProblem(mesh), "");
    const double exactArea = 4.0 * std::numbers::pi * radius * radius;
    EXPECT_NEAR(surfaceArea(mesh), exactArea, 0.01 * exactArea);
    const double exactVolume = 4.0 / 3.0 * std::numbers::pi * radius * radius * radius;
    EXPECT_NEAR(signedVolume(mesh), exactVolume, 0.01 * exactVolume);
    // Grid points exactly on the surface (radius 0.5 on this grid) stay watertight.
    const auto aligned = [](glm::vec3 p) { return glm::length(p) - 0.5f; };
    const TriangleMesh onGrid =
        marchingTetrahedra(aligned, {glm::vec3(-1.0f), glm::vec3(1.0f)}, glm::ivec3(16));
    EXPECT_EQ(edgeProblem(onGrid), "");
    EXPECT_GT(signedVolume(onGrid), 0.0);
}

TEST(FieldDemoMeshes, IcosphereAndHemisphere) {
    const TriangleMesh ico = makeIcosphere(2, 2.0f);
    EXPECT_EQ(ico.triangles.size(), 320u);
    EXPECT_EQ(ico.positions.size(), 162u);
    EXPECT_EQ(edgeProblem(ico), "");
    EXPECT_GT(signedVolume(ico), 0.0);
    for (const glm::vec3& p : ico.positions)
        EXPECT_NEAR(glm::length(p), 2.0f, 1e-5f);

    const TriangleMesh cup = makeOpenHemisphere(1.0f, 8, 16);
    EXPECT_EQ(cup.triangles.size(), 16u + 2u * 7u * 16u);
    EXPECT_NEAR(surfaceArea(cup), 2.0 * std::numbers::pi, 0.05 * 2.0 * std::numbers::pi);
    for (const glm::uvec3& t : cup.triangles) {
        const glm::vec3 a = cup.positions[t.x], b = cup.positions[t.y], c = cup.positions[t.z];
        EXPECT_GT(glm::dot(glm::cross(b - a, c - a), a + b + c), 0.0f);
        EXPECT_GE(std::min({a.z, b.z, c.z}), 0.0f);
    }
}

} // namespace
