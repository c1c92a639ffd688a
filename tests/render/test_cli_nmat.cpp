// End-to-end checks of `nerva info MATERIAL.nmat` (docs/nmat-format.md): a good
// file prints its summary, exit 0; a truncated one gives exactly one error line
// on stderr naming the file, nothing on stdout, exit code 2.
#include "neural/formats/nmat.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace nerva::formats;
using nerva::test::RunResult;

using nerva::test::runCli;

const fs::path& scratch() {
    return nerva::test::cliScratch();
}

// A tiny but complete material: 4 x 4 -> 2 x 2 -> 1 x 1 latents, paper-shaped
// frames layer and a 2 x 16 decoder.
fs::path writeGood() {
    NmatAsset a;
    a.name = "velvet-cli";
    a.sourceName = "materials/velvet.json";
    a.sourceHash = "deadbeef";
    a.levels = {{4, 4, {}}, {2, 2, {}}, {1, 1, {}}};
    for (NmatLatentLevel& l : a.levels)
        l.texels.assign(size_t(l.width) * l.height * a.latentChannels, 0.25f);
    a.networks = {
        {"frames", {{8, 12, false, "none"}}, {}},
        {"decoder", {{20, 16, true, "relu"}, {16, 16, true, "relu"}, {16, 3, true, "exp3"}}, {}}};
    for (NmatNetwork& n : a.networks)
        n.params.assign(nmatParamCount(n.layers), -0.5f);
    a.training = {{"steps", 100}};
    a.metrics = {{"flip", 0.06}};
    const fs::path p = scratch() / "good.nmat";
    writeNmat(a, p.string());
    return p;
}

TEST(CliNmat, InfoGoodFile) {
    const fs::path good = writeGood();
    const RunResult r = runCli("info " + good.string());
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_NE(r.out.find("velvet-cli"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("decoder: 20 -> 16 relu -> 16 relu -> 3 exp3"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("level 2: 1 x 1"), std::string::npos) << r.out;
}

TEST(CliNmat, InfoTruncatedFile) {
    const std::string bytes = nerva::test::readAll(writeGood());
    const fs::path bad = scratch() / "truncated.nmat";
    std::ofstream(bad, std::ios::binary) << bytes.substr(0, bytes.size() - 30);
    const RunResult r = runCli("info " + bad.string());
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out;
    std::string err = r.err;
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.back(), '\n');
    err.pop_back();
    EXPECT_EQ(err.find('\n'), std::string::npos) << "not one line:\n" << r.err;
    EXPECT_NE(err.find(bad.string() + ": truncated"), std::string::npos) << r.err;
}

} // namespace
