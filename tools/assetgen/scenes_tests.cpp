// Test scenes: texture slots and transforms, punctual lights, node hierarchy.
#include "scenes.h"

namespace nerva::assetgen {

// Quads and a box exercising all five texture slots, KHR_texture_transform
// (offset/rotation/scale and a texCoord override to uv1), and an alpha-masked
// double-sided leaf in front of a coloured wall. One point light.
SceneStats writeTexturesScene(const std::filesystem::path& directory) {
    GltfWriter w("textures");
    const int repeat = w.addSampler({});
    SamplerDesc clampDesc;
    clampDesc.wrapS = clampDesc.wrapT = 33071; // CLAMP_TO_EDGE
    const int clamp = w.addSampler(clampDesc);

    const int uvTest = w.addTexture("uv_test", makeUvTest(256), repeat);
    const PbrSet metal = makeWornMetal(256, {0.91f, 0.92f, 0.92f}, {0.55f, 0.35f, 0.2f}, 5);
    const int metalMr = w.addTexture("worn_metallicroughness", metal.metallicRoughness, repeat);
    const PbrSet bricks = makeBricks(256, 7);
    const int brickColor = w.addTexture("brick_basecolor", bricks.baseColor, repeat);
    const int brickNormal = w.addTexture("brick_normal", bricks.normal, repeat);
    const int brickOcclusion = w.addTexture("brick_occlusion", bricks.occlusion, repeat);
    const int brickMr = w.addTexture("brick_metallicroughness", bricks.metallicRoughness, repeat);
    const int glow =
        w.addTexture("grid_emissive", makeEmissiveGrid(256, 4, {1.0f, 0.6f, 0.25f}), repeat);
    const int leaf = w.addTexture("leaf", makeLeaf(256, 3), clamp);

    MaterialDesc floorDesc;
    floorDesc.name = "floor_grey";
    floorDesc.baseColor = {0.4f, 0.4f, 0.4f, 1.0f};
    floorDesc.roughness = 0.9f;
    MaterialDesc wallDesc;
    wallDesc.name = "wall_blue";
    wallDesc.baseColor = {0.08f, 0.18f, 0.45f, 1.0f};
    wallDesc.roughness = 0.8f;

    MaterialDesc transformed;
    transformed.name = "basecolor_transform";
    transformed.roughness = 0.6f;
    transformed.baseColorTexture = tex(uvTest);
    transformed.baseColorTexture.transformed = true;
    transformed.baseColorTexture.transform.offset = {0.25f, 0.1f};
    transformed.baseColorTexture.transform.rotation = 0.3f;
    transformed.baseColorTexture.transform.scale = {2.0f, 2.0f};

    MaterialDesc metalRough;
    metalRough.name = "metallicroughness_texture";
    metalRough.baseColor = {0.9f, 0.9f, 0.9f, 1.0f};
    metalRough.metallic = 1.0f;
    metalRough.roughness = 1.0f;
    metalRough.metallicRoughnessTexture = tex(metalMr);

    MaterialDesc emissive;
    emissive.name = "emissive_texture";
    emissive.baseColor = {0.05f, 0.05f, 0.05f, 1.0f};
    emissive.emissive = {1.0f, 1.0f, 1.0f};
    emissive.emissiveStrength = 2.0f;
    emissive.emissiveTexture = tex(glow);

    MaterialDesc brick;
    brick.name = "normal_occlusion";
    brick.roughness = 1.0f;
    brick.baseColorTexture = tex(brickColor);
    brick.metallicRoughnessTexture = tex(brickMr);
    brick.normalTexture = tex(brickNormal);
    brick.occlusionTexture = tex(brickOcclusion);

    MaterialDesc uv1;
    uv1.name = "texcoord_override_uv1";
    uv1.roughness = 0.6f;
    uv1.baseColorTexture = tex(uvTest);
    uv1.baseColorTexture.transformed = true;
    uv1.baseColorTexture.transform.texCoord = 1; // read uv1, though texCoord says 0

    MaterialDesc leafDesc;
    leafDesc.name = "alpha_mask_leaf";
    leafDesc.roughness = 0.7f;
    leafDesc.baseColorTexture = tex(leaf);
    leafDesc.alphaMode = AlphaMode::Mask;
    leafDesc.alphaCutoff = 0.5f;
    leafDesc.doubleSided = true;

    const int quad = w.addGeometry(makeQuad(0.9f, 0.9f));
    MeshData quadUv1Data = makeQuad(0.9f, 0.9f);
    addRotatedUv1(quadUv1Data, 2.0f);
    const int quadUv1 = w.addGeometry(quadUv1Data);
    const int box = w.addGeometry(makeBox({0.4f, 0.4f, 0.4f}, 1.25f));

    auto place = [&](const char* name, int geometry, const MaterialDesc& m, Vec3 at, Quat r = {}) {
        w.addNode(meshNode(name, w.addMesh(name, {{geometry, w.addMaterial(m)}}), at, r));
    };
    place("floor", w.addGeometry(makePlane(8.0f, 8.0f, 4, 4)), floorDesc, {0.0f, 0.0f, 0.0f});
    place("wall", w.addGeometry(makeQuad(6.0f, 3.2f)), wallDesc, {0.0f, 1.6f, -1.2f});
    place("basecolor_transform", quad, transformed, {-1.5f, 1.9f, -0.6f});
    place("metallicroughness_texture", quad, metalRough, {0.0f, 1.9f, -0.6f});
    place("emissive_texture", quad, emissive, {1.5f, 1.9f, -0.6f});
    place("normal_occlusion_box", box, brick, {-1.5f, 0.4f, -0.4f},
          quatAxisAngle({0, 1, 0}, radians(30.0f)));
    place("texcoord_override_uv1", quadUv1, uv1, {0.0f, 0.65f, -0.6f});
    place("alpha_mask_leaf", quad, leafDesc, {1.5f, 0.65f, -0.9f},
          quatAxisAngle({0, 1, 0}, radians(-20.0f)));

    LightDesc point;
    point.name = "point";
    point.type = LightType::Point;
    point.color = {1.0f, 0.95f, 0.85f};
    point.intensity = 20.0f;
    addLookAtLight(w, point, {0.0f, 2.6f, 2.0f}, {0.0f, 0.0f, 0.0f});
    addLookAtCamera(w, "main", {0.0f, 1.3f, 5.0f}, {0.0f, 1.2f, -0.5f}, 0.75f);
    return w.write(directory, false);
}

// A room corner (floor, back and left wall) lit by a point, a spot and a
// directional light, with diffuse and metal objects casting shadows.
SceneStats writeLightsScene(const std::filesystem::path& directory) {
    GltfWriter w("lights");
    auto material = [&](const char* name, std::array<float, 4> color, float metallic,
                        float roughness) {
        return w.addPlainMaterial(name, color, metallic, roughness);
    };
    const int white = material("diffuse_white", {0.75f, 0.75f, 0.72f, 1.0f}, 0.0f, 1.0f);
    const int red = material("diffuse_red", {0.65f, 0.15f, 0.1f, 1.0f}, 0.0f, 1.0f);
    const int green = material("diffuse_green", {0.15f, 0.45f, 0.2f, 1.0f}, 0.0f, 0.9f);
    const int aluminium = material("metal_aluminium", {0.91f, 0.92f, 0.92f, 1.0f}, 1.0f, 0.3f);
    const int gold = material("metal_gold", {1.0f, 0.766f, 0.336f, 1.0f}, 1.0f, 0.2f);

    const int wall = w.addGeometry(makeQuad(6.0f, 3.0f));
    auto place = [&](const char* name, int geometry, int mat, Vec3 at, Quat r = {}) {
        w.addNode(meshNode(name, w.addMesh(name, {{geometry, mat}}), at, r));
    };
    place("floor", w.addGeometry(makePlane(6.0f, 6.0f, 6, 6)), white, {0.0f, 0.0f, 0.0f});
    place("back_wall", wall, white, {0.0f, 1.5f, -3.0f});
    place("left_wall", wall, red, {-3.0f, 1.5f, 0.0f}, quatAxisAngle({0, 1, 0}, radians(90.0f)));
    place("diffuse_sphere", w.addGeometry(makeUvSphere(0.5f, 64, 32)), white, {-1.2f, 0.5f, -1.2f});
    place("metal_box", w.addGeometry(makeRoundedBox({0.35f, 0.35f, 0.35f}, 0.03f, 3, 1.0f)),
          aluminium, {0.6f, 0.35f, -1.5f}, quatAxisAngle({0, 1, 0}, radians(20.0f)));
    place("diffuse_cylinder", w.addGeometry(makeCylinder(0.25f, 1.2f, 48, true)), green,
          {1.6f, 0.6f, -0.4f});
    place("gold_sphere", w.addGeometry(makeUvSphere(0.3f, 48, 24)), gold, {0.2f, 0.3f, 0.3f});

    LightDesc point;
    point.name = "point_warm";
    point.type = LightType::Point;
    point.color = {1.0f, 0.85f, 0.6f};
    point.intensity = 8.0f;
    addLookAtLight(w, point, {0.8f, 2.2f, 0.2f}, {0.0f, 0.0f, 0.0f});
    LightDesc spot;
    spot.name = "spot_blue";
    spot.type = LightType::Spot;
    spot.color = {0.5f, 0.7f, 1.0f};
    spot.intensity = 40.0f;
    spot.innerConeAngle = 0.25f;
    spot.outerConeAngle = 0.45f;
    addLookAtLight(w, spot, {-1.8f, 2.8f, 1.2f}, {-1.2f, 0.0f, -1.2f});
    LightDesc sun;
    sun.name = "directional_dim";
    sun.type = LightType::Directional;
    sun.intensity = 0.8f;
    addLookAtLight(w, sun, {3.0f, 5.0f, 4.0f}, {0.0f, 0.0f, 0.0f});

    addLookAtCamera(w, "main", {2.2f, 1.8f, 4.2f}, {-0.6f, 0.7f, -1.2f}, 0.8f);
    return w.write(directory, false);
}

// Binary .glb: nested TRS and matrix transforms, a mesh placed by many nodes,
// a mesh with two primitives of different materials, a mirrored instance
// (negative determinant: the loader must flip the winding), an embedded PNG,
// and camera "main" as the child of a rotated node.
SceneStats writeHierarchyScene(const std::filesystem::path& directory) {
    GltfWriter w("hierarchy");
    const int repeat = w.addSampler({});
    const int checker = w.addTexture(
        "checker", makeChecker(256, 8, {0.85f, 0.85f, 0.85f}, {0.35f, 0.35f, 0.38f}), repeat);
    MaterialDesc groundDesc;
    groundDesc.name = "ground_checker";
    groundDesc.roughness = 0.85f;
    groundDesc.baseColorTexture = tiled(checker, 5.0f, 5.0f);
    const int groundMat = w.addMaterial(groundDesc);
    auto material = [&](const char* name, std::array<float, 4> color, float metallic,
                        float roughness) {
        return w.addPlainMaterial(name, color, metallic, roughness);
    };
    const int orange = material("orange", {0.8f, 0.3f, 0.05f, 1.0f}, 0.0f, 0.5f);
    const int blue = material("blue", {0.1f, 0.2f, 0.7f, 1.0f}, 0.0f, 0.4f);
    const int gold = material("gold", {1.0f, 0.766f, 0.336f, 1.0f}, 1.0f, 0.25f);
    const int teal = material("teal", {0.05f, 0.5f, 0.45f, 1.0f}, 0.0f, 0.6f);

    const int ground =
        w.addMesh("ground", {{w.addGeometry(makePlane(10.0f, 10.0f, 4, 4)), groundMat}});
    const int cube =
        w.addMesh("cube", {{w.addGeometry(makeBox({0.15f, 0.15f, 0.15f}, 2.0f)), orange}});
    const int post =
        w.addMesh("post_with_ring", {{w.addGeometry(makeCylinder(0.12f, 0.4f, 32, true)), blue},
                                     {w.addGeometry(makeTorus(0.3f, 0.05f, 48, 16)), gold}});
    const int arrow =
        w.addMesh("arm_box", {{w.addGeometry(makeBox({0.15f, 0.15f, 0.15f}, 2.0f)), teal}});

    w.addNode(meshNode("ground", ground, {0.0f, 0.0f, 0.0f}));
    // Everything under the turntable is rotated by 30 degrees and scaled by 1.5.
    const int turntable =
        w.addNode(meshNode("turntable", -1, {0.0f, 0.0f, 0.0f},
                           quatAxisAngle({0, 1, 0}, radians(30.0f)), {1.5f, 1.5f, 1.5f}));
    w.addNode(meshNode("post", post, {0.0f, 0.2f, 0.0f}), turntable);

    // A ring of six instances of "cube" under a node given by a matrix:
    // rotation of 15 degrees about +Y, then a lift of 0.15 (column-major).
    NodeDesc ring;
    ring.name = "ring_matrix";
    ring.useMatrix = true;
    const float c = std::cos(radians(15.0f)), s = std::sin(radians(15.0f));
    ring.matrix = {c, 0.0f, -s, 0.0f, 0.0f, 1.0f,  0.0f, 0.0f,
                   s, 0.0f, c,  0.0f, 0.0f, 0.15f, 0.0f, 1.0f};
    const int ringNode = w.addNode(ring, turntable);
    for (int k = 0; k < 6; ++k) {
        const float a = radians(60.0f * k);
        w.addNode(meshNode("cube_" + std::to_string(k), cube, {std::sin(a), 0.0f, std::cos(a)},
                           quatAxisAngle({0, 1, 0}, a)),
                  ringNode);
    }

    // A chain: rotation about Z, then a non-uniform scale, then an offset: the
    // child box comes out stretched along the tilted arm.
    const int arm =
        w.addNode(meshNode("arm", -1, {0.0f, 0.6f, 0.0f}, quatAxisAngle({0, 0, 1}, radians(30.0f))),
                  turntable);
    const int stretched =
        w.addNode(meshNode("arm_scale", -1, {0, 0, 0}, {}, {2.0f, 0.5f, 0.5f}), arm);
    w.addNode(meshNode("arm_box", arrow, {0.3f, 0.0f, 0.0f}), stretched);

    // Mirrored: scale.x < 0 flips handedness (and so the triangle winding).
    w.addNode(meshNode("mirrored_post", post, {1.2f, 0.2f, 2.6f}, {}, {-1.0f, 1.0f, 1.0f}));

    LightDesc sun;
    sun.name = "sun";
    sun.type = LightType::Directional;
    sun.color = {1.0f, 0.95f, 0.9f};
    sun.intensity = 2.5f;
    addLookAtLight(w, sun, {3.0f, 6.0f, 2.0f}, {0.0f, 0.0f, 0.0f});

    // The rig turns about +Y; the camera sits in it and pitches down a little.
    const int rig =
        w.addNode(meshNode("camera_rig", -1, {0, 0, 0}, quatAxisAngle({0, 1, 0}, radians(20.0f))));
    addLookAtCamera(w, "main", {0.0f, 2.2f, 6.5f}, {0.0f, 0.5f, 0.0f}, 0.9f, rig);
    return w.write(directory, true);
}

} // namespace nerva::assetgen
