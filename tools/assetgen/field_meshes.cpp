#include "field_meshes.h"

#include "neural/core/error.h"
#include "neural/field/demo_meshes.h"
#include "neural/field/mesh_io.h"

#include <map>
#include <utility>

namespace nerva::assetgen {
namespace {

// Default arguments on purpose: the meshes are the ones the tests and the
// DISABLED measurement in tests/gpu/test_field_gpu.cpp fit.
const char* const kNames[] = {"torus_knot", "csg_part"};

field::TriangleMesh makeMesh(const std::string& name) {
    return name == "torus_knot" ? field::makeTorusKnot() : field::makeCsgPart();
}

} // namespace

std::vector<std::filesystem::path> fieldMeshFiles(const std::filesystem::path& outDir) {
    std::vector<std::filesystem::path> files;
    for (const char* name : kNames)
        files.push_back(outDir / "meshes" / (std::string(name) + ".obj"));
    return files;
}

std::vector<WrittenMesh> writeFieldMeshes(const std::filesystem::path& outDir) {
    std::filesystem::create_directories(outDir / "meshes");
    std::vector<WrittenMesh> written;
    const std::vector<std::filesystem::path> files = fieldMeshFiles(outDir);
    for (size_t i = 0; i < files.size(); ++i) {
        const field::TriangleMesh mesh = makeMesh(kNames[i]);
        field::saveMeshObj(mesh, files[i].string());
        written.push_back(
            {kNames[i], files[i], mesh.triangles.size(), std::filesystem::file_size(files[i])});
    }
    return written;
}

std::vector<std::string> checkMeshFile(const std::filesystem::path& file) {
    field::TriangleMesh mesh;
    try {
        mesh = field::loadMeshFile(file.string());
    } catch (const Error& e) {
        return {e.what()};
    }
    // Directed edge -> uses; a closed, consistently wound mesh has each
    // directed edge once and its reverse once.
    std::map<std::pair<uint32_t, uint32_t>, int> edges;
    for (const glm::uvec3& t : mesh.triangles)
        for (int k = 0; k < 3; ++k)
            ++edges[{t[k], t[(k + 1) % 3]}];
    size_t bad = 0;
    for (const auto& [edge, uses] : edges) {
        const auto reverse = edges.find({edge.second, edge.first});
        if (uses != 1 || reverse == edges.end() || reverse->second != 1) ++bad;
    }
    if (bad == 0) return {};
    return {std::to_string(bad) + " directed edges not matched by exactly one reverse edge (the "
                                  "mesh is open or inconsistently wound)"};
}

} // namespace nerva::assetgen
