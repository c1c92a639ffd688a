// glTF loader: cameras and KHR_lights_punctual placed by their nodes; the
// scene queries (findCamera, defaultCamera, triangleCount).
#include "gltf_fixtures.h"

#include "neural/core/error.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"

#include <algorithm>
#include <cmath>

namespace {

using namespace nerva::gltftest;
using nerva::scene::loadGltf;
using nerva::scene::Scene;

TEST(GltfLoader, PunctualLightsArePlacedByTheirNodes) {
    TempDir dir;
    GltfBuilder b;
    b.doc["extensionsUsed"] = {"KHR_lights_punctual"};
    b.doc["extensions"]["KHR_lights_punctual"]["lights"] = {
        {{"type", "directional"}, {"name", "sun"}, {"color", {1, 0.9, 0.8}}, {"intensity", 3}},
        {{"type", "point"}, {"intensity", 20}, {"range", 10}},
        {{"type", "spot"}, {"spot", {{"innerConeAngle", 0.2}, {"outerConeAngle", 0.5}}}}};
    auto light = [](int i) { return json{{"KHR_lights_punctual", {{"light", i}}}}; };
    b.addNode({{"rotation", quatAxisAngle({1, 0, 0}, -kPi / 2)}, {"extensions", light(0)}});
    b.addNode({{"name", "bulb"}, {"translation", {1, 2, 3}}, {"extensions", light(1)}});
    const int spot = b.addNode({{"translation", {0, 0, 1}},
                                {"rotation", quatAxisAngle({0, 1, 0}, kPi / 2)},
                                {"extensions", light(2)}},
                               false);
    b.addNode({{"translation", {0, 5, 0}}, {"children", {spot}}});
    const Scene s = loadGltf(b.writeEmbedded(dir.file("lights.gltf")));
    EXPECT_TRUE(s.warnings.empty());
    ASSERT_EQ(s.lights.size(), 3u);

    const auto& sun = s.lights[0];
    EXPECT_EQ(sun.name, "sun");
    EXPECT_EQ(sun.type, nerva::scene::LightType::Directional);
    expectNear(sun.color, {1, 0.9f, 0.8f});
    EXPECT_FLOAT_EQ(sun.intensity, 3.0f);
    expectNear(sun.direction, {0, -1, 0}); // -Z turned -90 degrees about X points down

    const auto& bulb = s.lights[1];
    EXPECT_EQ(bulb.name, "bulb");
    EXPECT_EQ(bulb.type, nerva::scene::LightType::Point);
    expectNear(bulb.color, {1, 1, 1});
    EXPECT_FLOAT_EQ(bulb.intensity, 20.0f);
    EXPECT_FLOAT_EQ(bulb.range, 10.0f);
    expectNear(bulb.position, {1, 2, 3});

    const auto& cone = s.lights[2];
    EXPECT_EQ(cone.name, "light[2]");
    EXPECT_EQ(cone.type, nerva::scene::LightType::Spot);
    EXPECT_FLOAT_EQ(cone.innerConeAngle, 0.2f);
    EXPECT_FLOAT_EQ(cone.outerConeAngle, 0.5f);
    expectNear(cone.position, {0, 5, 1});
    expectNear(cone.direction, {-1, 0, 0}); // -Z turned 90 degrees about Y
}

Scene cameraScene(const TempDir& dir, std::string* path) {
    GltfBuilder b;
    b.push("cameras",
           {{"type", "perspective"},
            {"name", "persp"},
            {"perspective", {{"yfov", 0.7}, {"znear", 0.1}, {"zfar", 100}, {"aspectRatio", 1.5}}}});
    b.push("cameras",
           {{"type", "orthographic"},
            {"name", "Ortho"},
            {"orthographic", {{"xmag", 2}, {"ymag", 1}, {"znear", 0.01}, {"zfar", 50}}}});
    b.push("cameras", {{"type", "perspective"}, {"perspective", {{"yfov", 1.0}, {"znear", 0.05}}}});
    b.addNode({{"name", "Main"}, {"camera", 0}, {"translation", {0, 1, 5}}});
    b.addNode({{"camera", 1}});
    b.addNode({{"camera", 2}});
    *path = b.writeEmbedded(dir.file("cams.gltf"));
    return loadGltf(*path);
}

TEST(GltfLoader, CamerasAreNamedByNodeThenCameraThenIndex) {
    TempDir dir;
    std::string path;
    const Scene s = cameraScene(dir, &path);
    ASSERT_EQ(s.cameras.size(), 3u);
    const auto& main = s.cameras[0];
    EXPECT_EQ(main.name, "Main");
    EXPECT_TRUE(main.perspective);
    EXPECT_FLOAT_EQ(main.yfov, 0.7f);
    EXPECT_FLOAT_EQ(main.aspect, 1.5f);
    EXPECT_FLOAT_EQ(main.znear, 0.1f);
    EXPECT_FLOAT_EQ(main.zfar, 100.0f);
    expectNear(glm::vec3(main.toWorld[3]), {0, 1, 5});
    EXPECT_EQ(s.cameras[1].name, "Ortho");
    EXPECT_FALSE(s.cameras[1].perspective);
    EXPECT_FLOAT_EQ(s.cameras[1].xmag, 2.0f);
    EXPECT_FLOAT_EQ(s.cameras[1].ymag, 1.0f);
    EXPECT_EQ(s.cameras[2].name, "camera[2]");
    EXPECT_FLOAT_EQ(s.cameras[2].aspect, 0.0f);
    EXPECT_TRUE(std::isinf(s.cameras[2].zfar)); // no zfar: infinite projection
}

TEST(SceneQueries, FindCameraByNameOrIndex) {
    TempDir dir;
    std::string path;
    const Scene s = cameraScene(dir, &path);
    using nerva::scene::findCamera;
    EXPECT_EQ(findCamera(s, "Main"), 0u);
    EXPECT_EQ(findCamera(s, "Ortho"), 1u);
    EXPECT_EQ(findCamera(s, "camera[2]"), 2u);
    EXPECT_EQ(findCamera(s, "0"), 0u);
    EXPECT_EQ(findCamera(s, "2"), 2u);
    try {
        findCamera(s, "nope");
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": no camera named 'nope' (cameras: Main, Ortho, camera[2])");
    }
    try {
        findCamera(s, "5");
        FAIL() << "no error";
    } catch (const nerva::Error& e) {
        EXPECT_EQ(std::string(e.what()), path + ": camera index 5 out of range (3 cameras)");
    }
    EXPECT_THROW(findCamera(s, "99999999999999999999999"), nerva::Error);
}

TEST(SceneQueries, DefaultCameraFramesTheBounds) {
    Scene s;
    s.boundsMin = {-1, 2, -3};
    s.boundsMax = {3, 4, 1};
    for (float aspect : {2.0f, 1.0f, 0.5f}) {
        const nerva::scene::Camera cam = nerva::scene::defaultCamera(s, aspect);
        EXPECT_TRUE(cam.perspective);
        EXPECT_FLOAT_EQ(cam.aspect, aspect);
        const glm::mat4 toCamera = glm::inverse(cam.toWorld);
        const float tanY = std::tan(cam.yfov / 2), tanX = tanY * aspect;
        for (int corner = 0; corner < 8; ++corner) {
            const glm::vec3 c((corner & 1) ? s.boundsMax.x : s.boundsMin.x,
                              (corner & 2) ? s.boundsMax.y : s.boundsMin.y,
                              (corner & 4) ? s.boundsMax.z : s.boundsMin.z);
            const glm::vec3 v = apply(toCamera, c);
            ASSERT_LT(v.z, -cam.znear);
            EXPECT_LE(std::abs(v.x / -v.z), tanX * 1.0001f);
            EXPECT_LE(std::abs(v.y / -v.z), tanY * 1.0001f);
            EXPECT_LT(-v.z, cam.zfar);
        }
        // Looks at the centre: it lies on the camera's -Z axis.
        const glm::vec3 centre = apply(toCamera, {1, 3, -1});
        EXPECT_NEAR(centre.x, 0.0f, 1e-4f);
        EXPECT_NEAR(centre.y, 0.0f, 1e-4f);
    }
}

TEST(SceneQueries, TriangleCountCountsEveryInstance) {
    TempDir dir;
    GltfBuilder b;
    const int mesh = b.addMesh("m", json::array({b.triangle(), b.triangle()}));
    b.addNode({{"mesh", mesh}});
    b.addNode({{"mesh", mesh}, {"translation", {3, 0, 0}}});
    b.addNode({{"name", "empty"}});
    const Scene s = loadGltf(b.writeEmbedded(dir.file("count.gltf")));
    EXPECT_EQ(s.instances.size(), 2u);
    EXPECT_EQ(nerva::scene::triangleCount(s), 4u);
    expectNear(s.boundsMax, {4, 1, 0});
}

} // namespace

namespace {

// The Scene panel's items: instances by node name with their world boxes,
// lights at their positions (directional: the whole scene), fields by their
// placed box; and the distance at which a sphere fits a view.
TEST(SceneQueries, SceneItemsHaveWorldBoxes) {
    const Scene s =
        loadGltf(std::string(NERVA_SOURCE_DIR_FOR_TESTS) + "/assets/scenes/tests/spheres.gltf");
    const std::vector<nerva::scene::SceneItem> items = nerva::scene::sceneItems(s);
    ASSERT_EQ(items.size(), s.instances.size() + s.fields.size() + s.lights.size());
    glm::vec3 lo(1e30f), hi(-1e30f);
    for (size_t i = 0; i < s.instances.size(); ++i) {
        EXPECT_EQ(items[i].kind, nerva::scene::ItemKind::Node);
        EXPECT_EQ(items[i].label, s.instances[i].node);
        EXPECT_LE(items[i].boundsMin.x, items[i].boundsMax.x);
        lo = glm::min(lo, items[i].boundsMin);
        hi = glm::max(hi, items[i].boundsMax);
    }
    // The instances' boxes together are the scene's bounds.
    expectNear(lo, s.boundsMin, 1e-4f);
    expectNear(hi, s.boundsMax, 1e-4f);
    // A sphere node: a cube box around its centre.
    const auto sphere = std::find_if(items.begin(), items.end(), [](const auto& it) {
        return it.label == "sphere_gold_roughness_2";
    });
    ASSERT_NE(sphere, items.end());
    const glm::vec3 size = sphere->boundsMax - sphere->boundsMin;
    EXPECT_NEAR(size.x, size.y, 1e-3f);
    EXPECT_NEAR(size.x, size.z, 1e-3f);

    Scene withField = s;
    nerva::scene::Field f;
    f.node = "knot";
    f.toWorld = glm::mat4(0.5f);
    f.toWorld[3] = glm::vec4(1.0f, 2.0f, 3.0f, 1.0f);
    withField.fields.push_back(f);
    const auto fieldItems = nerva::scene::sceneItems(withField);
    const auto& knot = fieldItems[s.instances.size()];
    EXPECT_EQ(knot.kind, nerva::scene::ItemKind::Field);
    EXPECT_EQ(knot.label, "knot");
    expectNear(knot.boundsMin, {0.5f, 1.5f, 2.5f}, 1e-6f);
    expectNear(knot.boundsMax, {1.5f, 2.5f, 3.5f}, 1e-6f);
}

TEST(SceneQueries, FitDistanceFitsTheSphereInTheNarrowerAngle) {
    const float yfov = 0.8f;
    // Wide view: the vertical angle decides, sin(yfov/2) = r / d.
    EXPECT_NEAR(nerva::scene::fitDistance(2.0f, yfov, 2.0f), 2.0f / std::sin(0.4f), 1e-5f);
    // Tall view: the horizontal angle, narrower, decides.
    const float halfX = std::atan(std::tan(0.4f) * 0.5f);
    EXPECT_NEAR(nerva::scene::fitDistance(2.0f, yfov, 0.5f), 2.0f / std::sin(halfX), 1e-5f);
}

} // namespace
