// The triangle meshes the tri-plane field demo fits (docs/fields.md):
// neural/field/demo_meshes.h's torus knot and CSG part written as OBJ under
// meshes/, so `nerva fit` (tools/scripts/fit-fields.sh) reads them like any
// other mesh file and the .ntri files record their source and its hash.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nerva::assetgen {

struct WrittenMesh {
    std::string name;
    std::filesystem::path file; // outDir/meshes/<name>.obj
    size_t triangles = 0;
    uintmax_t bytes = 0;
};

// Writes meshes/torus_knot.obj and meshes/csg_part.obj under outDir.
std::vector<WrittenMesh> writeFieldMeshes(const std::filesystem::path& outDir);

// The files writeFieldMeshes writes, for --check-only.
std::vector<std::filesystem::path> fieldMeshFiles(const std::filesystem::path& outDir);

// Loads one OBJ back and returns its problems (empty = good): it must parse,
// and be closed and consistently wound (every edge in exactly two
// triangles, once in each direction), as the fitter's inside/outside test
// assumes of these meshes.
std::vector<std::string> checkMeshFile(const std::filesystem::path& file);

} // namespace nerva::assetgen
