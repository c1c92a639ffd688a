// Run-time GLSL -> SPIR-V compilation through shaderc, with an includer rooted
// at shaders/, #define specialisation and an on-disk SPIR-V cache keyed by a
// hash of the fully preprocessed source (so editing an included header
// invalidates exactly the shaders that include it).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nerva {

using ShaderDefines = std::vector<std::pair<std::string, std::string>>;

struct ShaderCompileStats {
    uint32_t compiled = 0;  // cache misses
    uint32_t cacheHits = 0; // served from the SPIR-V cache
};

class ShaderCompiler {
  public:
    // root: the shaders/ folder (default: the source tree's, for hot reload).
    // cacheDir: SPIR-V cache folder; empty disables the cache.
    explicit ShaderCompiler(std::string root = NERVA_SHADER_DIR,
                            std::string cacheDir = defaultCacheDir());

    // Compiles `path` (relative to root; the stage comes from its extension:
    // .rgen .rchit .rahit .rmiss .rint .comp) with the given #defines.
    // Throws nerva::Error "shaders/<file>:<line>: error: ..." on failure.
    std::vector<uint32_t> compile(const std::string& path, const ShaderDefines& defines = {});

    const ShaderCompileStats& stats() const { return stats_; }
    const std::string& root() const { return root_; }

    static std::string defaultCacheDir();

  private:
    std::string root_;
    std::string cacheDir_;
    ShaderCompileStats stats_;
};

} // namespace nerva
