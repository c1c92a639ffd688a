// The single-source libraries compile as GLSL: for each, a compute kernel
// includes every header and calls every entry point — the lobe library
// (shaders/shared/lobes) and the neural material's sampler mixture
// (shaders/shared/neural). Compilation only; no device needed.
#include "renderer/shader/shader_compiler.h"

#include <gtest/gtest.h>

namespace nerva {
namespace {

class SharedGlsl : public ::testing::TestWithParam<const char*> {};

TEST_P(SharedGlsl, CompilesAsGlsl) {
    ShaderCompiler compiler(NERVA_SHADER_DIR, ""); // no cache: really compile
    const std::vector<uint32_t> spirv = compiler.compile(GetParam());
    ASSERT_GT(spirv.size(), 5u);
    EXPECT_EQ(spirv[0], 0x07230203u);
}

INSTANTIATE_TEST_SUITE_P(Kernels, SharedGlsl,
                         ::testing::Values("tests/lobes_compile.comp",
                                           "tests/neural_compile.comp"));

} // namespace
} // namespace nerva
