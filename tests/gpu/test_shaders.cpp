// Every shipped shader permutation compiles, and the compiler reports errors
// with file and line.
#include "neural/core/error.h"
#include "renderer/gpu/neural_batch_decoder.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/shader/shader_compiler.h"
#include "tests/support/vk_test_env.h"

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

namespace nerva {
namespace {

namespace fs = std::filesystem;

fs::path tempDir(const std::string& name) {
    fs::path d =
        fs::temp_directory_path() / ("nerva-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// The generic permutation, and the one specialised on a neural network shape
// with the fp16 decoder and the subgroup waterfall (the closest hits are
// where the variants differ).
class ShadersPermutation : public ::testing::TestWithParam<bool> {};

TEST_P(ShadersPermutation, EveryPathTracerStageCompiles) {
    ShaderCompiler compiler(NERVA_SHADER_DIR, ""); // no cache: really compile
    pt::PipelineVariant variant;
    if (GetParam()) {
        variant.neural = gpu::NeuralShape{2, 32, 3, 32};
        variant.neuralMaxWidth = 32;
        variant.neuralFp16 = true;
        variant.neuralWaterfall = true;
    }
    const pt::RtPipelineDesc d = pt::PathTracer::pipelineDesc(VK_NULL_HANDLE, variant);
    std::vector<std::string> files = {d.rayGen};
    files.insert(files.end(), d.miss.begin(), d.miss.end());
    for (const auto& h : d.hitGroups) {
        if (!h.closestHit.empty()) files.push_back(h.closestHit);
        if (!h.anyHit.empty()) files.push_back(h.anyHit);
        if (!h.intersection.empty()) files.push_back(h.intersection);
    }
    for (const std::string& f : files) {
        SCOPED_TRACE(f);
        const std::vector<uint32_t> spirv = compiler.compile(f, d.defines);
        ASSERT_GT(spirv.size(), 5u);
        EXPECT_EQ(spirv[0], 0x07230203u);
    }
    EXPECT_EQ(compiler.stats().compiled, files.size());
}

INSTANTIATE_TEST_SUITE_P(Shaders, ShadersPermutation, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) {
                             return i.param ? std::string("NeuralFp16WaterfallSpecialised")
                                            : std::string("Generic");
                         });

TEST(Shaders, EveryShaderFileIsPartOfAPipeline) {
    // A stage file nobody builds would escape the permutation test above.
    const pt::RtPipelineDesc d = pt::PathTracer::pipelineDesc(VK_NULL_HANDLE);
    std::set<std::string> used = {d.rayGen};
    used.insert(d.miss.begin(), d.miss.end());
    for (const auto& h : d.hitGroups)
        used.insert({h.closestHit, h.anyHit, h.intersection});
    for (const std::string& k : gpu::NeuralBatchDecoder::shaderFiles())
        used.insert(k); // compute kernels the renderer builds
    const std::set<std::string> stages = {".rgen", ".rchit", ".rahit", ".rmiss", ".rint", ".comp"};
    for (const auto& e : fs::recursive_directory_iterator(NERVA_SHADER_DIR)) {
        if (!stages.count(e.path().extension().string())) continue;
        const std::string rel = fs::relative(e.path(), NERVA_SHADER_DIR).string();
        if (rel.rfind("tests/", 0) == 0)
            continue; // compute kernels of tests compile in their tests
        EXPECT_TRUE(used.count(rel)) << rel << " is not compiled by any pipeline description";
    }
}

TEST(Shaders, CacheServesTheSameSpirvAndSeesIncludeChanges) {
    const fs::path root = tempDir("shader-cache");
    fs::create_directories(root / "src" / "inc");
    std::ofstream(root / "src" / "inc" / "value.h") << "#define VALUE 1.0\n";
    std::ofstream(root / "src" / "k.comp")
        << "#version 460\n#include \"inc/value.h\"\nlayout(local_size_x=1) in;\n"
           "layout(binding=0) buffer B { float x; };\nvoid main() { x = VALUE * SCALE; }\n";
    ShaderCompiler c((root / "src").string(), (root / "cache").string());
    const auto a = c.compile("k.comp", {{"SCALE", "2.0"}});
    const auto b = c.compile("k.comp", {{"SCALE", "2.0"}});
    EXPECT_EQ(a, b);
    EXPECT_EQ(c.stats().compiled, 1u);
    EXPECT_EQ(c.stats().cacheHits, 1u);
    c.compile("k.comp", {{"SCALE", "3.0"}}); // another define: another entry
    EXPECT_EQ(c.stats().compiled, 2u);
    std::ofstream(root / "src" / "inc" / "value.h") << "#define VALUE 5.0\n";
    const auto changed = c.compile("k.comp", {{"SCALE", "2.0"}});
    EXPECT_EQ(c.stats().compiled, 3u);
    EXPECT_NE(changed, a);
    fs::remove_all(root);
}

TEST(Shaders, CompileErrorNamesFileAndLine) {
    const fs::path root = tempDir("shader-error");
    std::ofstream(root / "bad.comp") << "#version 460\nlayout(local_size_x=1) in;\n"
                                        "void main() {\n  undefined_thing = 1;\n}\n";
    ShaderCompiler c(root.string(), "");
    try {
        c.compile("bad.comp");
        FAIL() << "expected a compile error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("bad.comp:4"), std::string::npos) << msg;
        EXPECT_NE(msg.find("undefined_thing"), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    }
    EXPECT_THROW(c.compile("missing.comp"), Error);
    fs::remove_all(root);
}

class PipelineTest : public test::VulkanTest {};

TEST_F(PipelineTest, PathTracerPipelineBuildsWithoutValidationErrors) {
    ShaderCompiler compiler;
    pt::PathTracer tracer(ctx(), compiler);
    SUCCEED();
}

} // namespace
} // namespace nerva
