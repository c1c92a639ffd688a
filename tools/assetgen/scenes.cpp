// The demo scene and the sphere grid; the other test scenes are in
// scenes_tests.cpp.
#include "scenes.h"

#include "material_library.h"

namespace nerva::assetgen {

std::vector<WrittenScene> writeAllScenes(const std::filesystem::path& outDir) {
    const std::filesystem::path demo = outDir / "scenes" / "demo";
    const std::filesystem::path tests = outDir / "scenes" / "tests";
    std::vector<WrittenScene> written;
    auto add = [&](const std::string& name, const SceneStats& stats) {
        written.push_back({name, stats.files.back(), stats});
    };
    add("demo", writeDemoScene(demo));
    add("spheres", writeSpheresScene(tests));
    add("textures", writeTexturesScene(tests));
    add("lights", writeLightsScene(tests));
    add("hierarchy", writeHierarchyScene(tests));
    add("shaderball", writeShaderBallScene(outDir / "scenes" / "shaderball"));
    return written;
}

// Several objects with clearly different materials on a checker-textured
// ground, lit by a warm sun (plus the renderer's sky). About 34k triangles,
// plus two tri-plane SDF fields in front (docs/fields.md, "Demo"): the
// torus knot in the library's car paint (neural by default) and the CSG
// part in plain PBR steel. Their .ntri files come from
// tools/scripts/fit-fields.sh, not from this tool.
SceneStats writeDemoScene(const std::filesystem::path& directory) {
    GltfWriter w("demo");
    const int repeat = w.addSampler({});

    // Textures.
    const int checker =
        w.addTexture("ground_checker",
                     makeChecker(256, 8, {0.78f, 0.78f, 0.76f}, {0.52f, 0.53f, 0.55f}), repeat);
    const PbrSet bricks = makeBricks(256, 11);
    const int brickColor = w.addTexture("brick_basecolor", bricks.baseColor, repeat);
    const int brickNormal = w.addTexture("brick_normal", bricks.normal, repeat);
    const int brickOcclusion = w.addTexture("brick_occlusion", bricks.occlusion, repeat);
    const PbrSet wood = makeWood(256, 23);
    const int woodColor = w.addTexture("wood_basecolor", wood.baseColor, repeat);
    const int woodNormal = w.addTexture("wood_normal", wood.normal, repeat);
    const int woodRough = w.addTexture("wood_metallicroughness", wood.metallicRoughness, repeat);
    const PbrSet copper = makeWornMetal(256, {0.93f, 0.62f, 0.52f}, {0.30f, 0.62f, 0.52f}, 37);
    const int copperColor = w.addTexture("copper_basecolor", copper.baseColor, repeat);
    const int copperNormal = w.addTexture("copper_normal", copper.normal, repeat);
    const int copperMr = w.addTexture("copper_metallicroughness", copper.metallicRoughness, repeat);
    const int glow =
        w.addTexture("orb_emissive", makeEmissiveGrid(256, 8, {0.35f, 0.85f, 1.0f}), repeat);
    const int sheet = w.addTexture("sheet_perforated",
                                   makePerforatedSheet(256, 8, {0.62f, 0.62f, 0.64f}, 41), repeat);

    // Materials.
    MaterialDesc ground;
    ground.name = "ground_checker";
    ground.roughness = 0.8f;
    ground.baseColorTexture = tiled(checker, 8.0f, 8.0f);
    const int groundMat = w.addMaterial(ground);

    MaterialDesc gold;
    gold.name = "gold_polished";
    gold.baseColor = {1.0f, 0.766f, 0.336f, 1.0f};
    gold.metallic = 1.0f;
    gold.roughness = 0.12f;
    const int goldMat = w.addMaterial(gold);

    MaterialDesc plastic;
    plastic.name = "blue_rough_dielectric";
    plastic.baseColor = {0.10f, 0.22f, 0.55f, 1.0f};
    plastic.roughness = 0.55f;
    const int plasticMat = w.addMaterial(plastic);

    MaterialDesc copperDesc;
    copperDesc.name = "copper_patina";
    copperDesc.metallic = 1.0f;
    copperDesc.roughness = 1.0f;
    copperDesc.baseColorTexture = tiled(copperColor, 3.0f, 1.0f);
    copperDesc.metallicRoughnessTexture = tiled(copperMr, 3.0f, 1.0f);
    copperDesc.normalTexture = tiled(copperNormal, 3.0f, 1.0f);
    const int copperMat = w.addMaterial(copperDesc);

    MaterialDesc woodDesc;
    woodDesc.name = "wood_planks";
    woodDesc.roughness = 1.0f;
    woodDesc.baseColorTexture = tex(woodColor);
    woodDesc.metallicRoughnessTexture = tex(woodRough);
    woodDesc.normalTexture = tex(woodNormal);
    const int woodMat = w.addMaterial(woodDesc);

    MaterialDesc brick;
    brick.name = "brick";
    brick.roughness = 0.85f;
    brick.baseColorTexture = tiled(brickColor, 2.0f, 4.5f);
    brick.normalTexture = tiled(brickNormal, 2.0f, 4.5f);
    brick.occlusionTexture = tiled(brickOcclusion, 2.0f, 4.5f);
    const int brickMat = w.addMaterial(brick);

    MaterialDesc orb;
    orb.name = "emissive_orb";
    orb.baseColor = {0.05f, 0.05f, 0.06f, 1.0f};
    orb.roughness = 0.3f;
    orb.emissive = {1.0f, 1.0f, 1.0f};
    orb.emissiveStrength = 6.0f;
    orb.emissiveTexture = tex(glow);
    const int orbMat = w.addMaterial(orb);

    MaterialDesc perforated;
    perforated.name = "perforated_metal";
    perforated.metallic = 1.0f;
    perforated.roughness = 0.35f;
    perforated.baseColorTexture = tiled(sheet, 3.0f, 1.0f);
    perforated.alphaMode = AlphaMode::Mask;
    perforated.alphaCutoff = 0.5f;
    perforated.doubleSided = true;
    const int perforatedMat = w.addMaterial(perforated);

    // The car paint of the material library (layered reference and its baked
    // neural version), with the library's PBR fallback.
    const LibraryMaterial& paint = [] {
        for (const LibraryMaterial& m : materialLibrary())
            if (m.name == "car_paint") return m;
        return materialLibrary().front();
    }();
    MaterialDesc paintDesc;
    paintDesc.name = paint.name; // --check: must equal the JSON's name
    paintDesc.baseColor = paint.baseColor;
    paintDesc.metallic = paint.metallic;
    paintDesc.roughness = paint.roughness;
    paintDesc.layeredUri = "../../materials/car_paint.json";
    paintDesc.neuralUri = "../../materials/neural/car_paint.nmat";
    const int paintMat = w.addMaterial(paintDesc);

    MaterialDesc steel;
    steel.name = "machined_steel";
    steel.baseColor = {0.63f, 0.62f, 0.60f, 1.0f};
    steel.metallic = 1.0f;
    steel.roughness = 0.28f;
    const int steelMat = w.addMaterial(steel);

    // Meshes and their placement.
    const MeshData plane = makePlane(16.0f, 16.0f, 32, 32);
    const MeshData ball = makeShaderBall(96);
    const MeshData sphere = makeUvSphere(0.45f, 80, 40);
    const MeshData torus = makeTorus(0.38f, 0.12f, 96, 40);
    const MeshData box = makeRoundedBox({0.35f, 0.25f, 0.35f}, 0.05f, 4, 1.4f);
    const MeshData pillar = makeCylinder(0.28f, 1.4f, 64, true);
    const MeshData orbMesh = makeUvSphere(0.18f, 48, 24);
    const MeshData tube = makeCylinder(0.22f, 0.7f, 64, false);

    w.addNode(
        meshNode("ground", w.addMesh("ground", {{w.addGeometry(plane), groundMat}}), {0, 0, 0}));
    w.addNode(meshNode("shader_ball", w.addMesh("shader_ball", {{w.addGeometry(ball), goldMat}}),
                       {0.0f, 0.0f, -0.4f}, quatAxisAngle({0, 1, 0}, radians(20.0f))));
    w.addNode(meshNode("sphere", w.addMesh("sphere", {{w.addGeometry(sphere), plasticMat}}),
                       {-1.35f, 0.45f, -0.2f}));
    w.addNode(meshNode(
        "torus", w.addMesh("torus", {{w.addGeometry(torus), copperMat}}), {1.3f, 0.5f, -0.5f},
        quatAxisAngle({0, 1, 0}, radians(-35.0f)) * quatAxisAngle({1, 0, 0}, radians(90.0f))));
    w.addNode(meshNode("wood_box", w.addMesh("wood_box", {{w.addGeometry(box), woodMat}}),
                       {-0.75f, 0.25f, 0.95f}, quatAxisAngle({0, 1, 0}, radians(25.0f))));
    w.addNode(meshNode("brick_pillar",
                       w.addMesh("brick_pillar", {{w.addGeometry(pillar), brickMat}}),
                       {-2.0f, 0.7f, -1.4f}));
    w.addNode(meshNode("emissive_orb",
                       w.addMesh("emissive_orb", {{w.addGeometry(orbMesh), orbMat}}),
                       {0.55f, 0.18f, 1.0f}));
    w.addNode(meshNode("perforated_tube",
                       w.addMesh("perforated_tube", {{w.addGeometry(tube), perforatedMat}}),
                       {1.25f, 0.35f, 0.75f}));

    // The fields: a node's transform maps the field box [-1, 1]^3 to the
    // world, and the fitter put each mesh in [-0.9, 0.9] along its longest
    // side, centred on its bounding box (see the .ntri transform). So a
    // scale of s world units per field unit makes the object 1.8 s long,
    // and a translation of s * (its lowest field y) lifts it onto the
    // ground.
    NodeDesc knot;
    knot.name = "torus_knot_field";
    knot.fieldUri = "../../fields/torus_knot.ntri";
    knot.fieldMaterial = paintMat;
    knot.scale = {0.3f, 0.3f, 0.3f}; // 0.54 m across: the knot stands up in its xy plane
    knot.translation = {-0.2f, 0.27f, 2.15f};
    knot.rotation = quatAxisAngle({0, 1, 0}, radians(20.0f));
    w.addNode(knot);
    NodeDesc part;
    part.name = "csg_part_field";
    part.fieldUri = "../../fields/csg_part.ntri";
    part.fieldMaterial = steelMat;
    part.scale = {0.28f, 0.28f, 0.28f}; // 0.5 m long plate
    part.translation = {0.55f, 0.15f, 2.2f};
    part.rotation = quatAxisAngle({0, 1, 0}, radians(-30.0f));
    w.addNode(part);

    LightDesc sun;
    sun.name = "sun";
    sun.type = LightType::Directional;
    sun.color = {1.0f, 0.9f, 0.75f};
    sun.intensity = 3.0f;
    addLookAtLight(w, sun, {-4.0f, 6.0f, -3.0f}, {0.0f, 0.0f, 0.0f});

    addLookAtCamera(w, "main", {0.0f, 1.35f, 4.9f}, {0.0f, 0.5f, 0.0f}, 0.75f);
    CameraDesc top;
    top.name = "top";
    top.perspective = false;
    top.xmag = top.ymag = 2.6f;
    top.znear = 0.1f;
    top.zfar = 20.0f;
    NodeDesc topNode;
    topNode.name = "top";
    topNode.camera = w.addCamera(top);
    topNode.translation = {0.0f, 10.0f, 0.0f};
    topNode.rotation = quatLookAt(topNode.translation, {0.0f, 0.0f, 0.0f});
    w.addNode(topNode);
    return w.write(directory, false);
}

// A 5x3 grid of spheres: roughness 0.05 -> 1 from left to right; rows from
// the top: white dielectric, gold metal, red dielectric. Sky light only.
SceneStats writeSpheresScene(const std::filesystem::path& directory) {
    GltfWriter w("spheres");
    const int sphere = w.addGeometry(makeUvSphere(0.4f, 64, 32));
    const MeshData plane = makePlane(14.0f, 14.0f, 8, 8);

    MaterialDesc ground;
    ground.name = "ground_grey";
    ground.baseColor = {0.45f, 0.45f, 0.45f, 1.0f};
    ground.roughness = 0.9f;
    w.addNode(meshNode(
        "ground", w.addMesh("ground", {{w.addGeometry(plane), w.addMaterial(ground)}}), {0, 0, 0}));

    struct Row {
        const char* name;
        std::array<float, 4> color;
        float metallic;
        float y;
    };
    const Row rows[3] = {{"white", {0.8f, 0.8f, 0.8f, 1.0f}, 0.0f, 2.4f},
                         {"gold", {1.0f, 0.766f, 0.336f, 1.0f}, 1.0f, 1.4f},
                         {"red", {0.7f, 0.05f, 0.05f, 1.0f}, 0.0f, 0.4f}};
    // glTF binds materials to primitives: one mesh per material, all sharing
    // the same sphere accessors.
    for (const Row& row : rows) {
        for (int i = 0; i < 5; ++i) {
            MaterialDesc m;
            const float roughness = 0.05f + 0.95f * i / 4.0f;
            m.name = std::string(row.name) + "_roughness_" + std::to_string(i);
            m.baseColor = row.color;
            m.metallic = row.metallic;
            m.roughness = roughness;
            const int mesh = w.addMesh("sphere_" + m.name, {{sphere, w.addMaterial(m)}});
            w.addNode(meshNode("sphere_" + m.name, mesh, {-2.0f + 1.0f * i, row.y, 0.0f}));
        }
    }
    addLookAtCamera(w, "main", {0.0f, 1.4f, 7.5f}, {0.0f, 1.4f, 0.0f}, 0.7f);
    return w.write(directory, false);
}

} // namespace nerva::assetgen
