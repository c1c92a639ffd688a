// The procedural scenes nerva-assetgen writes, and the small helpers their
// definitions share. Each writeXxx function builds one scene and writes it
// into the given folder (which it creates).
#pragma once

#include "gltf_writer.h"

#include <filesystem>
#include <string>
#include <vector>

namespace nerva::assetgen {

struct WrittenScene {
    std::string name;
    std::filesystem::path file; // the .gltf or .glb
    SceneStats stats;
};

// Writes every scene under outDir (scenes/demo/..., scenes/tests/...,
// scenes/shaderball/...).
std::vector<WrittenScene> writeAllScenes(const std::filesystem::path& outDir);

SceneStats writeDemoScene(const std::filesystem::path& directory);       // scenes.cpp
SceneStats writeSpheresScene(const std::filesystem::path& directory);    // scenes.cpp
SceneStats writeTexturesScene(const std::filesystem::path& directory);   // scenes_tests.cpp
SceneStats writeLightsScene(const std::filesystem::path& directory);     // scenes_tests.cpp
SceneStats writeHierarchyScene(const std::filesystem::path& directory);  // scenes_tests.cpp
SceneStats writeShaderBallScene(const std::filesystem::path& directory); // scenes_shaderball.cpp

// Helpers shared by the scene definitions.
inline float radians(float degrees) {
    return degrees * kPi / 180.0f;
}

inline TextureRef tex(int texture, int texCoord = 0) {
    TextureRef ref;
    ref.texture = texture;
    ref.texCoord = texCoord;
    return ref;
}

inline TextureRef tiled(int texture, float scaleU, float scaleV) {
    TextureRef ref = tex(texture);
    ref.transformed = true;
    ref.transform.scale = {scaleU, scaleV};
    return ref;
}

inline NodeDesc meshNode(const std::string& name, int mesh, Vec3 translation, Quat rotation = {},
                         Vec3 scale = {1.0f, 1.0f, 1.0f}) {
    NodeDesc node;
    node.name = name;
    node.mesh = mesh;
    node.translation = translation;
    node.rotation = rotation;
    node.scale = scale;
    return node;
}

// A perspective camera named `name` on a node of the same name at `eye`
// looking at `target`.
inline int addLookAtCamera(GltfWriter& writer, const std::string& name, Vec3 eye, Vec3 target,
                           float yfov, int parent = -1) {
    CameraDesc camera;
    camera.name = name;
    camera.yfov = yfov;
    NodeDesc node;
    node.name = name;
    node.camera = writer.addCamera(camera);
    node.translation = eye;
    node.rotation = quatLookAt(eye, target);
    return writer.addNode(node, parent);
}

// A punctual light on a node at `position` shining towards `target`.
inline int addLookAtLight(GltfWriter& writer, const LightDesc& light, Vec3 position, Vec3 target) {
    NodeDesc node;
    node.name = light.name;
    node.light = writer.addLight(light);
    node.translation = position;
    if (light.type != LightType::Point) node.rotation = quatLookAt(position, target);
    return writer.addNode(node);
}

} // namespace nerva::assetgen
