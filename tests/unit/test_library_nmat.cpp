// The baked neural versions of the library materials
// (assets/materials/neural/*.nmat, made by tools/scripts/bake-library.sh)
// are valid .nmat files and are up to date: each one's source hash is the
// content hash of the library material as the build generates it now. When a
// material's JSON, its texture generator or the packing changes, this fails
// and names the script that re-bakes them.
#include "neural/formats/nmat.h"
#include "neural/material/layered_json.h"
#include "neural/material/material_set.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace {

using namespace nerva;

class LibraryNmat : public testing::TestWithParam<const char*> {};

TEST_P(LibraryNmat, IsValidAndMatchesItsSource) {
    const std::string root = NERVA_SOURCE_DIR_FOR_TESTS;
    const std::string name = GetParam();
    const formats::NmatAsset a =
        formats::readNmat(root + "/assets/materials/neural/" + name + ".nmat");
    EXPECT_EQ(a.name, name);
    EXPECT_EQ(a.sourceName, "assets/materials/" + name + ".json");
    EXPECT_TRUE(a.metrics.contains("levels"));
    EXPECT_EQ(a.training.at("latent_size"), 256);

    material::LayeredMaterialSet set;
    set.add(material::loadLayeredMaterialJson(root + "/assets/materials/" + name + ".json"));
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", set.contentCrc());
    EXPECT_EQ(a.sourceHash, hex) << name
                                 << ".nmat was baked from another version of the material: "
                                    "re-bake with tools/scripts/bake-library.sh";
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryNmat,
                         testing::Values("car_paint", "coated_leather", "brushed_metal",
                                         "lacquered_wood", "velvet"));

} // namespace
