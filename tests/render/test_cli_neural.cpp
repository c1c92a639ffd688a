// `nerva render` with neural materials: a scene naming a corrupt .nmat still
// renders, that material from its reference, with one warning naming the
// file; with --strict the same scene is an error naming the file, exit code
// 2, no image. Bad --materials / --neural-precision values are usage errors.
#include "tests/support/process.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using nerva::test::runCli;
using nerva::test::RunResult;

const fs::path kSource = NERVA_SOURCE_DIR_FOR_TESTS;

// The shader ball with its material references made absolute and velvet's .nmat
// replaced by a corrupt copy, written to the scratch folder.
fs::path sceneWithCorruptVelvet(fs::path& corrupt) {
    const fs::path dir = kSource / "assets/scenes/shaderball";
    std::ifstream in(dir / "shaderball.gltf");
    nlohmann::json doc = nlohmann::json::parse(in);
    std::string bytes = nerva::test::readAll(kSource / "assets/materials/neural/velvet.nmat");
    bytes.resize(bytes.size() / 2); // truncated
    corrupt = nerva::test::cliScratch() / "velvet_truncated.nmat";
    std::ofstream(corrupt, std::ios::binary) << bytes;
    // The buffer next to the copy (buffer URIs are relative to the glTF).
    for (const auto& b : doc["buffers"]) {
        const std::string uri = b["uri"].get<std::string>();
        fs::copy_file(dir / uri, nerva::test::cliScratch() / uri,
                      fs::copy_options::overwrite_existing);
    }
    for (auto& m : doc["materials"]) {
        if (!m.contains("extensions")) continue;
        for (const char* ext : {"NERVA_materials_layered", "NERVA_materials_neural"})
            if (m["extensions"].contains(ext)) {
                auto& uri = m["extensions"][ext]["uri"];
                uri = (dir / uri.get<std::string>()).lexically_normal().string();
            }
        if (m["name"] == "velvet")
            m["extensions"]["NERVA_materials_neural"]["uri"] = corrupt.string();
    }
    const fs::path out = nerva::test::cliScratch() / "shaderball_corrupt.gltf";
    std::ofstream(out) << doc.dump();
    return out;
}

TEST(CliNeural, CorruptNmatFallsBackToItsReferenceWithAWarning) {
    fs::path corrupt;
    const fs::path scene = sceneWithCorruptVelvet(corrupt);
    const fs::path png = nerva::test::cliScratch() / "fallback.png";
    const RunResult r = runCli("render " + scene.string() + " -o " + png.string() +
                               " --size 8x8 --spp 1 --camera velvet --quiet");
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(fs::exists(png));
    EXPECT_NE(r.err.find(corrupt.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("material 'velvet' falls back to its reference"), std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("neural materials 4"), std::string::npos) << r.out;
}

TEST(CliNeural, CorruptNmatWithStrictIsExitTwoNamingTheFile) {
    fs::path corrupt;
    const fs::path scene = sceneWithCorruptVelvet(corrupt);
    const fs::path png = nerva::test::cliScratch() / "strict.png";
    const RunResult r = runCli("render " + scene.string() + " -o " + png.string() +
                               " --size 8x8 --spp 1 --camera velvet --quiet --strict");
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_FALSE(fs::exists(png)) << "no output on error";
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(corrupt.string()), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(CliNeural, BadMaterialsAndPrecisionValuesAreUsageErrors) {
    const std::string scene = (kSource / "assets/scenes/shaderball/shaderball.gltf").string();
    const fs::path png = nerva::test::cliScratch() / "bad.png";
    for (const char* opt : {"--materials layered", "--neural-precision fp8"}) {
        const RunResult r = runCli("render " + scene + " -o " + png.string() + " " + opt);
        EXPECT_EQ(r.exitCode, 2) << opt << ": " << r.err;
        EXPECT_FALSE(fs::exists(png));
    }
}

} // namespace
