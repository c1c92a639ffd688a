// glTF loader: meshes, accessors, the node hierarchy and warnings, from
// files built in code.
#include "gltf_fixtures.h"

#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"

namespace {

using namespace nerva::gltftest;
using nerva::scene::loadGltf;
using nerva::scene::Scene;

GltfBuilder twoPrimitiveScene() {
    GltfBuilder b;
    b.push("materials", {{"name", "red"}});
    const json p0 = b.triangle();
    const int quad = b.addFloats({0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0}, "VEC3");
    const int idx = b.addIndices({0, 1, 2, 0, 2, 3});
    const json p1 = {{"attributes", {{"POSITION", quad}}}, {"indices", idx}, {"material", 0}};
    const int mesh = b.addMesh("Two", json::array({p0, p1}));
    b.addNode({{"mesh", mesh}, {"name", "holder"}});
    return b;
}

void checkTwoPrimitiveScene(const Scene& s) {
    ASSERT_EQ(s.meshes.size(), 1u);
    EXPECT_EQ(s.meshes[0].name, "Two");
    ASSERT_EQ(s.meshes[0].primitives.size(), 2u);
    const auto& p0 = s.meshes[0].primitives[0];
    const auto& p1 = s.meshes[0].primitives[1];
    EXPECT_EQ(p0.positions.size(), 3u);
    EXPECT_EQ(p0.indices, (std::vector<uint32_t>{0, 1, 2})); // generated
    EXPECT_EQ(p0.material, -1);
    ASSERT_EQ(p0.normals.size(), 3u); // generated
    for (const glm::vec3& n : p0.normals)
        expectNear(n, {0, 0, 1});
    EXPECT_TRUE(p0.uv0.empty());
    EXPECT_EQ(p1.positions.size(), 4u);
    EXPECT_EQ(p1.indices, (std::vector<uint32_t>{0, 1, 2, 0, 2, 3}));
    EXPECT_EQ(p1.material, 0);
    ASSERT_EQ(s.materials.size(), 1u);
    EXPECT_EQ(s.materials[0].name, "red");
    ASSERT_EQ(s.instances.size(), 1u);
    EXPECT_EQ(s.instances[0].node, "holder");
    EXPECT_EQ(nerva::scene::triangleCount(s), 3u);
    ASSERT_EQ(s.samplers.size(), 1u); // the default sampler is always there
    EXPECT_TRUE(s.warnings.empty());
    expectNear(s.boundsMin, {0, 0, 0});
    expectNear(s.boundsMax, {1, 1, 0});
}

TEST(GltfLoader, MeshKeepsAllItsPrimitives) {
    TempDir dir;
    const std::string path = twoPrimitiveScene().writeEmbedded(dir.file("two.gltf"));
    const Scene s = loadGltf(path);
    EXPECT_EQ(s.path, path);
    checkTwoPrimitiveScene(s);
}

TEST(GltfLoader, ExternalBinAndGlbLoadTheSame) {
    TempDir dir;
    const GltfBuilder b = twoPrimitiveScene();
    checkTwoPrimitiveScene(
        loadGltf(b.writeWithBin(dir.file("two.gltf"), "two%20data.bin", "two data.bin")));
    checkTwoPrimitiveScene(loadGltf(b.writeGlb(dir.file("two.glb"))));
}

TEST(GltfLoader, HierarchyMultipliesParentTimesChildAndTrsInOrder) {
    TempDir dir;
    GltfBuilder b;
    const int mesh = b.addMesh("tri", json::array({b.triangle()}));
    const int grandchild = b.addNode(
        {{"name", "grandchild"},
         {"mesh", mesh},
         {"matrix", {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 5, 1}}}, // column-major T(0,0,5)
        false);
    const int child = b.addNode({{"name", "child"},
                                 {"mesh", mesh},
                                 {"translation", {0, 2, 0}},
                                 {"scale", {2, 2, 2}},
                                 {"children", {grandchild}}},
                                false);
    b.addNode({{"name", "parent"},
               {"translation", {1, 0, 0}},
               {"rotation", quatAxisAngle({0, 0, 1}, kPi / 2)},
               {"children", {child}}});
    b.addNode({{"name", "trs"},
               {"mesh", mesh},
               {"translation", {1, 2, 3}},
               {"rotation", quatAxisAngle({0, 1, 0}, kPi / 2)},
               {"scale", {2, 1, 1}}});
    const Scene s = loadGltf(b.writeEmbedded(dir.file("tree.gltf")));
    ASSERT_EQ(s.instances.size(), 3u);
    EXPECT_EQ(s.instances[0].node, "child");
    EXPECT_EQ(s.instances[1].node, "grandchild");
    EXPECT_EQ(s.instances[2].node, "trs");

    // child world = T(1,0,0) Rz(90) T(0,2,0) S(2): (1,0,0) -> (2,0,0) -> (2,2,0)
    // -> (-2,2,0) -> (-1,2,0).
    const glm::mat4& childWorld = s.instances[0].toWorld;
    expectNear(apply(childWorld, {1, 0, 0}), {-1, 2, 0});
    expectNear(apply(childWorld, {0, 1, 0}), {-3, 0, 0});
    // grandchild world = child world * T(0,0,5): origin -> (0,0,5) -> (0,0,10) -> (-1,0,10).
    expectNear(apply(s.instances[1].toWorld, {0, 0, 0}), {-1, 0, 10});
    // T*R*S within one node: (1,0,0) -S-> (2,0,0) -Ry(90)-> (0,0,-2) -T-> (1,2,1).
    expectNear(apply(s.instances[2].toWorld, {1, 0, 0}), {1, 2, 1});

    // Bounds: child triangle spans x -3..-1, y 0..2; grandchild z 10; trs
    // triangle spans (1,2,3), (1,2,1), (1,3,3).
    expectNear(s.boundsMin, {-3, 0, 0});
    expectNear(s.boundsMax, {1, 3, 10});
}

TEST(GltfLoader, UnsupportedFeaturesWarnOnceEach) {
    TempDir dir;
    GltfBuilder b;
    b.doc["extensionsUsed"] = {"KHR_materials_transmission", "KHR_texture_transform", "EXT_unknown",
                               "KHR_materials_transmission"};
    const json transmission = {{"KHR_materials_transmission", {{"transmissionFactor", 1}}}};
    b.push("materials", {{"extensions", transmission}});
    b.push("materials", {{"extensions", transmission}});
    const int colours = b.addFloats({1, 0, 0, 0, 1, 0, 0, 0, 1}, "VEC3");
    json coloured = b.triangle(0);
    coloured["attributes"]["COLOR_0"] = colours;
    json coloured2 = b.triangle(1);
    coloured2["attributes"]["COLOR_0"] = colours;
    coloured2["attributes"]["TEXCOORD_3"] = b.addFloats({0, 0, 1, 0, 0, 1}, "VEC2");
    json points = b.triangle();
    points["mode"] = 0;
    json morph = b.triangle();
    morph["targets"] = json::array({{{"POSITION", colours}}});
    b.addMesh("a", json::array({coloured, points}));
    b.addMesh("b", json::array({coloured2, points, morph}));
    b.addNode({{"mesh", 0}, {"skin", 0}});
    b.addNode({{"mesh", 1}});
    b.doc["skins"] = {{{"joints", {1}}}};
    b.doc["animations"] = {{{"channels", json::array()}, {"samplers", json::array()}}};
    const Scene s = loadGltf(b.writeEmbedded(dir.file("warn.gltf")));

    const auto& w = s.warnings;
    EXPECT_EQ(countMentions(w, "KHR_materials_transmission"), 1u);
    EXPECT_EQ(countMentions(w, "EXT_unknown"), 1u);
    EXPECT_EQ(countMentions(w, "KHR_texture_transform"), 0u);
    EXPECT_EQ(countMentions(w, "COLOR_0"), 1u);
    EXPECT_EQ(countMentions(w, "point and line"), 1u);
    EXPECT_EQ(countMentions(w, "TEXCOORD_1"), 1u);
    EXPECT_EQ(countMentions(w, "morph targets"), 1u);
    EXPECT_EQ(countMentions(w, "skins"), 1u);
    EXPECT_EQ(countMentions(w, "animations"), 1u);
    EXPECT_EQ(std::set<std::string>(w.begin(), w.end()).size(), w.size());
    for (const std::string& line : w)
        EXPECT_EQ(line.find('\n'), std::string::npos);
    // Points are skipped; the triangles around them stay.
    ASSERT_EQ(s.meshes.size(), 2u);
    EXPECT_EQ(s.meshes[0].primitives.size(), 1u);
    EXPECT_EQ(s.meshes[1].primitives.size(), 2u);
}

TEST(GltfLoader, AccessorsOfEveryLayout) {
    TempDir dir;
    GltfBuilder b;
    // Interleaved position (3 floats) + uv (2 floats), stride 20.
    const std::vector<float> interleaved = {0, 0, 0, 0.25f, 0.5f, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1};
    const int view = b.addView(interleaved.data(), interleaved.size() * 4, 20);
    const int pos = b.addAccessor(view, kFloat, 3, "VEC3");
    const int uv0 = b.addAccessor(view, kFloat, 3, "VEC2", 12);
    const int uv1 =
        b.addData(std::vector<uint16_t>{0, 65535, 32768, 0, 65535, 65535}, kUShort, "VEC2", true);
    const int idx8 = b.addData(std::vector<uint8_t>{2, 1, 0}, kUByte, "SCALAR");
    const json p0 = {{"attributes", {{"POSITION", pos}, {"TEXCOORD_0", uv0}, {"TEXCOORD_1", uv1}}},
                     {"indices", idx8}};

    // Normalised signed bytes for normals, unsigned bytes for uvs, u32 indices.
    const int nrm =
        b.addData(std::vector<int8_t>{0, 0, 127, 0, -128, 0, 127, 0, 0}, kByte, "VEC3", true);
    const int uvb = b.addData(std::vector<uint8_t>{0, 255, 51, 102, 255, 0}, kUByte, "VEC2", true);
    const int idx32 = b.addData(std::vector<uint32_t>{0, 1, 2}, kUInt, "SCALAR");
    const json p1 = {{"attributes", {{"POSITION", pos}, {"NORMAL", nrm}, {"TEXCOORD_0", uvb}}},
                     {"indices", idx32}};

    // Sparse: vertex 2 of a stored accessor replaced; and a sparse accessor
    // without bufferView (zeros, then substitutes).
    const std::vector<uint16_t> sparseIdx = {2};
    const std::vector<float> sparseVal = {5, 5, 5};
    const int si = b.addView(sparseIdx.data(), 2);
    const int sv = b.addView(sparseVal.data(), 12);
    const json sparse = {{"count", 1},
                         {"indices", {{"bufferView", si}, {"componentType", kUShort}}},
                         {"values", {{"bufferView", sv}}}};
    const int stored = b.addFloats({0, 0, 0, 1, 0, 0, 0, 1, 0}, "VEC3");
    b.doc["accessors"][size_t(stored)]["sparse"] = sparse;
    const int zeros = b.addAccessor(-1, kFloat, 3, "VEC3");
    b.doc["accessors"][size_t(zeros)]["sparse"] = sparse;
    const json p2 = {{"attributes", {{"POSITION", stored}}}};
    const json p3 = {{"attributes", {{"POSITION", zeros}, {"NORMAL", pos}}}};

    // Strip and fan over five vertices.
    const int five = b.addFloats({0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 2, 0, 0}, "VEC3");
    const json strip = {{"attributes", {{"POSITION", five}}}, {"mode", 5}};
    const json fan = {{"attributes", {{"POSITION", five}}}, {"mode", 6}};
    b.addMesh("layouts", json::array({p0, p1, p2, p3, strip, fan}));
    b.addNode({{"mesh", 0}});

    const Scene s = loadGltf(b.writeGlb(dir.file("layouts.glb")));
    const auto& prims = s.meshes.at(0).primitives;
    ASSERT_EQ(prims.size(), 6u);
    expectNear(prims[0].positions[1], {1, 0, 0});
    EXPECT_EQ(prims[0].uv0[0], glm::vec2(0.25f, 0.5f));
    EXPECT_EQ(prims[0].uv0[2], glm::vec2(0.0f, 1.0f));
    EXPECT_NEAR(prims[0].uv1[0].y, 1.0f, 1e-6f);
    EXPECT_NEAR(prims[0].uv1[1].x, 32768.0f / 65535.0f, 1e-6f);
    EXPECT_EQ(prims[0].indices, (std::vector<uint32_t>{2, 1, 0}));

    expectNear(prims[1].normals[0], {0, 0, 1});
    expectNear(prims[1].normals[1], {0, -1, 0}); // -128 clamps to -1
    expectNear(prims[1].normals[2], {1, 0, 0});
    EXPECT_NEAR(prims[1].uv0[1].x, 0.2f, 1e-6f);
    EXPECT_NEAR(prims[1].uv0[1].y, 0.4f, 1e-6f);
    EXPECT_EQ(prims[1].indices, (std::vector<uint32_t>{0, 1, 2}));

    expectNear(prims[2].positions[1], {1, 0, 0});
    expectNear(prims[2].positions[2], {5, 5, 5});
    expectNear(prims[3].positions[0], {0, 0, 0});
    expectNear(prims[3].positions[2], {5, 5, 5});

    EXPECT_EQ(prims[4].indices, (std::vector<uint32_t>{0, 1, 2, 1, 3, 2, 2, 3, 4}));
    EXPECT_EQ(prims[5].indices, (std::vector<uint32_t>{1, 2, 0, 2, 3, 0, 3, 4, 0}));
}

TEST(GltfLoader, GeneratedNormalsAreAreaWeighted) {
    // Vertex 0 is shared by a triangle of area 2 facing +Z and one of area
    // 0.5 facing +Y: its normal leans 4:1 towards +Z.
    const std::vector<glm::vec3> p = {{0, 0, 0}, {2, 0, 0}, {0, 2, 0}, {0, 0, 1}, {1, 0, 0}};
    TempDir dir;
    GltfBuilder b;
    std::vector<float> flat;
    for (const glm::vec3& v : p)
        flat.insert(flat.end(), {v.x, v.y, v.z});
    const json prim = {{"attributes", {{"POSITION", b.addFloats(flat, "VEC3")}}},
                       {"indices", b.addIndices({0, 1, 2, 0, 3, 4})}};
    b.addMesh("n", json::array({prim}));
    const Scene s = loadGltf(b.writeEmbedded(dir.file("normals.gltf")));
    const auto& n = s.meshes.at(0).primitives.at(0).normals;
    expectNear(n[0], glm::normalize(glm::vec3(0, 1, 4)));
    expectNear(n[1], {0, 0, 1});
    expectNear(n[3], {0, 1, 0});
}

TEST(GltfLoader, DefaultSceneOrAllRootNodes) {
    TempDir dir;
    GltfBuilder b;
    const int mesh = b.addMesh("m", json::array({b.triangle()}));
    const int a = b.push("nodes", {{"name", "A"}, {"mesh", mesh}});
    const int child = b.push("nodes", {{"name", "C"}, {"mesh", mesh}});
    const int bnode = b.push("nodes", {{"name", "B"}, {"mesh", mesh}, {"children", {child}}});
    b.doc["scenes"] = {{{"nodes", {a}}}, {{"nodes", {bnode}}}};
    b.doc["scene"] = 1;
    Scene s = loadGltf(b.writeEmbedded(dir.file("chosen.gltf")));
    ASSERT_EQ(s.instances.size(), 2u);
    EXPECT_EQ(s.instances[0].node, "B");
    EXPECT_EQ(s.instances[1].node, "C");

    b.doc.erase("scene");
    s = loadGltf(b.writeEmbedded(dir.file("first.gltf")));
    ASSERT_EQ(s.instances.size(), 1u);
    EXPECT_EQ(s.instances[0].node, "A");

    b.doc.erase("scenes");
    s = loadGltf(b.writeEmbedded(dir.file("none.gltf")));
    ASSERT_EQ(s.instances.size(), 3u); // roots A and B, and B's child C
    EXPECT_EQ(nerva::scene::triangleCount(s), 3u);
}

} // namespace
