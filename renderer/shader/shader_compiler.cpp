#include "shader_compiler.h"

#include "neural/core/error.h"
#include "renderer/vk/context.h"

#include <shaderc/shaderc.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include <unistd.h>

namespace nerva {
namespace fs = std::filesystem;
namespace {

// Bump when compile options change, so old cache entries are not reused.
constexpr const char* kCacheSalt = "nerva-spirv-v1";

std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return {};
    return {std::istreambuf_iterator<char>(in), {}};
}

uint64_t fnv1a(const std::string& s, uint64_t h = 1469598103934665603ull) {
    for (unsigned char c : s)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

shaderc_shader_kind stageOf(const std::string& path) {
    const std::string ext = fs::path(path).extension().string();
    if (ext == ".rgen") return shaderc_raygen_shader;
    if (ext == ".rchit") return shaderc_closesthit_shader;
    if (ext == ".rahit") return shaderc_anyhit_shader;
    if (ext == ".rmiss") return shaderc_miss_shader;
    if (ext == ".rint") return shaderc_intersection_shader;
    if (ext == ".rcall") return shaderc_callable_shader;
    if (ext == ".comp") return shaderc_compute_shader;
    throw errorAt("shaders/" + path, "unknown shader stage for extension '" + ext + "'");
}

// Resolves #include "x" against the including file's folder, then the root;
// #include <x> against the root only. Names stay relative to the root so
// messages read "shaders/shared/foo.h:12".
class RootIncluder : public shaderc::CompileOptions::IncluderInterface {
  public:
    explicit RootIncluder(fs::path root) : root_(std::move(root)) {}

    shaderc_include_result* GetInclude(const char* requested, shaderc_include_type type,
                                       const char* requesting, size_t) override {
        auto* r = new Result;
        std::vector<fs::path> candidates;
        if (type == shaderc_include_type_relative)
            candidates.push_back(fs::path(requesting).parent_path() / requested);
        candidates.push_back(fs::path(requested));
        for (const fs::path& c : candidates) {
            const fs::path full = root_ / c;
            if (fs::is_regular_file(full)) {
                r->name = c.lexically_normal().string();
                r->content = readText(full);
                break;
            }
        }
        if (r->name.empty()) r->content = std::string("cannot find include '") + requested + "'";
        r->result = {r->name.c_str(), r->name.size(), r->content.c_str(), r->content.size(), r};
        return &r->result;
    }
    void ReleaseInclude(shaderc_include_result* data) override {
        delete static_cast<Result*>(data->user_data);
    }

  private:
    struct Result {
        std::string name, content;
        shaderc_include_result result;
    };
    fs::path root_;
};

shaderc::CompileOptions makeOptions(const fs::path& root, const ShaderDefines& defines) {
    shaderc::CompileOptions o;
    o.SetIncluder(std::make_unique<RootIncluder>(root));
    o.SetTargetEnvironment(shaderc_target_env_vulkan, shaderc_env_version_vulkan_1_3);
    o.SetTargetSpirv(shaderc_spirv_version_1_6);
    o.SetSourceLanguage(shaderc_source_language_glsl);
    o.SetOptimizationLevel(shaderc_optimization_level_performance);
    o.SetWarningsAsErrors();
    for (const auto& [name, value] : defines)
        o.AddMacroDefinition(name, value);
    return o;
}

// shaderc reports "file:line: error: text" lines; keep the first one and count
// the rest, so the message is one line that points at the problem.
Error compileError(const std::string& messages, const std::string& path) {
    std::istringstream in(messages);
    std::string line, first;
    int errors = 0;
    while (std::getline(in, line)) {
        if (line.find("error") == std::string::npos) continue;
        if (first.empty()) first = line;
        ++errors;
    }
    if (first.empty()) first = path + ": " + messages;
    if (first.rfind("shaders/", 0) != 0) first = "shaders/" + first;
    if (errors > 1) first += " (and " + std::to_string(errors - 1) + " more errors)";
    return Error(first);
}

} // namespace

std::string ShaderCompiler::defaultCacheDir() {
    return vk::cacheDirectory() + "/spirv";
}

ShaderCompiler::ShaderCompiler(std::string root, std::string cacheDir)
    : root_(std::move(root)), cacheDir_(std::move(cacheDir)) {
    if (!cacheDir_.empty()) {
        std::error_code ec;
        fs::create_directories(cacheDir_, ec);
        if (ec) cacheDir_.clear(); // an unwritable cache only costs time
    }
}

std::vector<uint32_t> ShaderCompiler::compile(const std::string& path,
                                              const ShaderDefines& defines) {
    const shaderc_shader_kind kind = stageOf(path);
    const fs::path full = fs::path(root_) / path;
    const std::string source = readText(full);
    if (source.empty()) throw errorAt("shaders/" + path, "shader source missing or empty");

    shaderc::Compiler compiler;
    // The cache key covers the preprocessed text (all includes and defines
    // expanded), the stage and the option salt.
    const auto pre =
        compiler.PreprocessGlsl(source, kind, path.c_str(), makeOptions(root_, defines));
    if (pre.GetCompilationStatus() != shaderc_compilation_status_success)
        throw compileError(pre.GetErrorMessage(), path);
    const std::string preprocessed(pre.cbegin(), pre.cend());
    uint64_t key = fnv1a(preprocessed, fnv1a(kCacheSalt));
    key = fnv1a(std::to_string(int(kind)), key);
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.spv", static_cast<unsigned long long>(key));
    const fs::path cached = cacheDir_.empty() ? fs::path() : fs::path(cacheDir_) / name;

    if (!cached.empty()) {
        const std::string bytes = readText(cached);
        if (!bytes.empty() && bytes.size() % 4 == 0) {
            std::vector<uint32_t> words(bytes.size() / 4);
            std::memcpy(words.data(), bytes.data(), bytes.size());
            if (words[0] == 0x07230203u) { // SPIR-V magic: not a torn file
                ++stats_.cacheHits;
                return words;
            }
        }
    }

    const auto result =
        compiler.CompileGlslToSpv(source, kind, path.c_str(), makeOptions(root_, defines));
    if (result.GetCompilationStatus() != shaderc_compilation_status_success)
        throw compileError(result.GetErrorMessage(), path);
    std::vector<uint32_t> words(result.cbegin(), result.cend());
    ++stats_.compiled;

    if (!cached.empty()) {
        const fs::path tmp = cached.string() + ".tmp" + std::to_string(::getpid());
        {
            std::ofstream out(tmp, std::ios::binary);
            out.write(reinterpret_cast<const char*>(words.data()),
                      std::streamsize(words.size() * 4));
        }
        std::error_code ec;
        fs::rename(tmp, cached, ec);
        if (ec) fs::remove(tmp, ec);
    }
    return words;
}

} // namespace nerva
