// The material library of assets/materials (JSON + generated textures) packed
// into one LayeredMaterialSet, for the tests that run the layered material
// on real textures.
#pragma once

#include "neural/material/layered_json.h"
#include "neural/material/material_set.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace nerva::test {

// Paths of assets/materials/*.json, sorted.
inline std::vector<std::string> libraryMaterialFiles() {
    std::vector<std::string> files;
    const std::filesystem::path dir =
        std::filesystem::path(NERVA_SOURCE_DIR_FOR_TESTS) / "assets" / "materials";
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

struct LayeredLibrary {
    material::LayeredMaterialSet set;
    std::vector<std::string> names; // one per material of the set
};

inline LayeredLibrary loadLayeredLibrary() {
    LayeredLibrary lib;
    for (const std::string& f : libraryMaterialFiles()) {
        const material::LayeredMaterialDesc d = material::loadLayeredMaterialJson(f);
        lib.set.add(d);
        lib.names.push_back(d.name);
    }
    return lib;
}

} // namespace nerva::test
