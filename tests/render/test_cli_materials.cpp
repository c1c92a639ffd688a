// End-to-end checks of `nerva info MATERIAL.json` (docs/layered-materials.md):
// a good material prints its layers, exit 0; a bad one gives exactly one
// error line on stderr naming the file and the JSON path, nothing on stdout,
// exit code 2.
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using nerva::test::RunResult;

using nerva::test::runCli;

const fs::path& scratch() {
    return nerva::test::cliScratch();
}

fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = scratch() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

std::string materialJson(const std::string& secondType) {
    return R"({"nerva_layered_material": 1, "name": "paint", "layers": [
        {"type": "diffuse", "color": {"texture": "tex/base.png"}, "roughness": 0.2},
        {"type": ")" +
           secondType +
           R"(", "roughness": {"texture": "tex/base.png", "channel": "g", "factor": 0.1}}
    ]})";
}

TEST(CliMaterials, InfoGoodMaterial) {
    fs::create_directories(scratch() / "tex");
    write("tex/base.png", "any bytes: only existence is checked");
    const fs::path good = write("good.json", materialJson("coat"));
    const RunResult r = runCli("info " + good.string());
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_NE(r.out.find("paint"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("diffuse, coat"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find((scratch() / "tex" / "base.png").string()), std::string::npos) << r.out;
}

TEST(CliMaterials, InfoBadMaterial) {
    fs::create_directories(scratch() / "tex");
    write("tex/base.png", "any bytes");
    const fs::path bad = write("bad.json", materialJson("glitter"));
    const RunResult r = runCli("info " + bad.string());
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out;
    std::string err = r.err;
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.back(), '\n');
    err.pop_back();
    EXPECT_EQ(err.find('\n'), std::string::npos) << "not one line:\n" << r.err;
    EXPECT_NE(err.find(bad.string() + ": layers[1].type: unknown layer type \"glitter\""),
              std::string::npos)
        << r.err;
}

} // namespace
