// The neural material's shared headers (shaders/shared/neural) compile as
// GLSL: a compute kernel includes them and calls every entry point.
// Compilation only; no device needed.
#include "renderer/shader/shader_compiler.h"

#include <gtest/gtest.h>

namespace nerva {
namespace {

TEST(NeuralGlsl, SamplerMixtureCompilesAsGlsl) {
    ShaderCompiler compiler(NERVA_SHADER_DIR, ""); // no cache: really compile
    const std::vector<uint32_t> spirv = compiler.compile("tests/neural_compile.comp");
    ASSERT_GT(spirv.size(), 5u);
    EXPECT_EQ(spirv[0], 0x07230203u);
}

} // namespace
} // namespace nerva
