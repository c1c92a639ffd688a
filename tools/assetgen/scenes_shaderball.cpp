// The material library's shader-ball scene: one grooved shader ball per
// library material in a row on a grey ground, lit only by the renderer's
// environment. Each ball's material carries NERVA_materials_layered (the
// JSON in assets/materials/) over a glTF PBR fallback, and
// NERVA_materials_neural (its baked .nmat in assets/materials/neural/).
#include "material_library.h"
#include "scenes.h"

namespace nerva::assetgen {

namespace {

constexpr float kSpacing = 0.8f;      // metres between the balls' axes
constexpr float kBallCentreY = 0.40f; // see makeGroovedShaderBall

} // namespace

SceneStats writeShaderBallScene(const std::filesystem::path& directory) {
    GltfWriter w("shaderball");
    const ShaderBallMeshes meshes = makeGroovedShaderBall(72, 4);
    const int ball = w.addGeometry(meshes.ball);
    const int pedestal = w.addGeometry(meshes.pedestal);

    MaterialDesc ground;
    ground.name = "ground_grey";
    ground.baseColor = {0.30f, 0.30f, 0.30f, 1.0f};
    ground.roughness = 0.85f;
    w.addNode(meshNode("ground",
                       w.addMesh("ground", {{w.addGeometry(makePlane(30.0f, 30.0f, 1, 1)),
                                             w.addMaterial(ground)}}),
                       {0, 0, 0}));
    const int stand =
        w.addPlainMaterial("pedestal_dark_grey", {0.05f, 0.05f, 0.05f, 1.0f}, 0.0f, 0.45f);

    const std::vector<LibraryMaterial>& library = materialLibrary();
    const float first = -0.5f * kSpacing * float(library.size() - 1);
    for (size_t i = 0; i < library.size(); ++i) {
        const LibraryMaterial& lm = library[i];
        MaterialDesc m;
        m.name = lm.name;
        m.baseColor = lm.baseColor;
        m.metallic = lm.metallic;
        m.roughness = lm.roughness;
        m.layeredUri = "../../materials/" + lm.name + ".json";
        m.neuralUri = "../../materials/neural/" + lm.name + ".nmat";
        // glTF binds materials to primitives: one mesh per material, all
        // sharing the ball's and the pedestal's accessors.
        const int mesh =
            w.addMesh("shaderball_" + lm.name, {{ball, w.addMaterial(m)}, {pedestal, stand}});
        const float x = first + kSpacing * float(i);
        w.addNode(meshNode("shaderball_" + lm.name, mesh, {x, 0.0f, 0.0f}));
    }

    // The whole row (render at 16:9), then one close-up (square) per ball,
    // slightly from above, the ball filling about 70% of the frame.
    addLookAtCamera(w, "main", {0.0f, 1.05f, 3.9f}, {0.0f, 0.34f, 0.0f}, 0.6f);
    for (size_t i = 0; i < library.size(); ++i) {
        const float x = first + kSpacing * float(i);
        const float elevation = radians(15.0f), distance = 1.75f;
        addLookAtCamera(
            w, library[i].name,
            {x, kBallCentreY + distance * std::sin(elevation), distance * std::cos(elevation)},
            {x, kBallCentreY - 0.04f, 0.0f}, 0.5f);
    }
    return w.write(directory, false);
}

} // namespace nerva::assetgen
