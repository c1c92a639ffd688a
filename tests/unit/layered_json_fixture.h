// Shared by the layered-material JSON tests: a folder per test with a few
// texture files, and a check of nerva::Error lines.
#pragma once

#include "neural/core/error.h"
#include "neural/material/layered_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace nerva::layeredtest {

namespace fs = std::filesystem;
using namespace nerva::material;
using nlohmann::json;

// A folder per test with a few texture files (any bytes: only their existence
// is checked) and a material path inside it.
class LayeredJson : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("nerva-layered-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "tex");
        for (const char* name : {"base.png", "rough.png", "normal.png", "coat_normal.png"})
            std::ofstream(dir_ / "tex" / name) << "not really a png";
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string file() const { return (dir_ / "mat.json").string(); }
    std::string tex(const char* name) const { return (dir_ / "tex" / name).string(); }

    LayeredMaterialDesc parse(const json& j) const {
        return parseLayeredMaterialJson(j.dump(), file());
    }

    // Parses `text` expecting a nerva::Error; checks it is one line
    // "<file>: <path>: ..." that contains `problem`.
    void expectError(const std::string& text, const std::string& path,
                     const std::string& problem) const {
        try {
            parseLayeredMaterialJson(text, file());
            ADD_FAILURE() << "parsed without an error: " << text;
        } catch (const nerva::Error& e) {
            const std::string m = e.what();
            EXPECT_EQ(m.find('\n'), std::string::npos) << m;
            const std::string prefix = file() + ": " + (path.empty() ? "" : path + ": ");
            EXPECT_EQ(m.rfind(prefix, 0), 0u) << "expected prefix '" << prefix << "' in: " << m;
            EXPECT_NE(m.find(problem), std::string::npos)
                << "expected '" << problem << "' in: " << m;
        }
    }
    void expectError(const json& j, const std::string& path, const std::string& problem) const {
        expectError(j.dump(), path, problem);
    }

    fs::path dir_;
};

inline json material(json layers) {
    return {{"nerva_layered_material", 1}, {"name", "test"}, {"layers", std::move(layers)}};
}

inline json diffuse() {
    return {{"type", "diffuse"}};
}

inline void expectVec(glm::vec3 a, glm::vec3 b, float eps = 1e-6f) {
    for (int i = 0; i < 3; ++i)
        EXPECT_NEAR(a[i], b[i], eps) << "component " << i;
}

} // namespace nerva::layeredtest
