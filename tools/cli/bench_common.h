// Helpers shared by the `nerva bench` shading measurements
// (bench_materials.cpp, bench_neural.cpp): medians, the random shading inputs
// both measure on, and the Lambert-only baseline material.
#pragma once

#include "shaders/shared/layered/layered_fetch.h"
#include "shaders/shared/rng.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace nerva::cli {

inline double medianOf(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// One shading query: uv with a small footprint, two directions above the
// horizon, three random numbers (deterministic: the same inputs every run).
struct ShadeInput {
    shared::LayeredUv tc;
    shared::vec3 wo, wi, u;
};

inline std::vector<ShadeInput> shadeInputs(uint32_t n) {
    std::vector<ShadeInput> in(n);
    for (uint32_t i = 0; i < n; ++i) {
        uint rng = shared::rngSeed(0xbe7c4u, 0u, i);
        auto next = [&] { return shared::rngNext(rng); };
        auto dir = [&] {
            const float z = 0.05f + 0.95f * next(), phi = shared::kTwoPi * next();
            const float s = std::sqrt(1.0f - z * z);
            return shared::vec3(s * std::cos(phi), s * std::sin(phi), z);
        };
        ShadeInput& e = in[i];
        e.tc = shared::layeredUvFinest(shared::vec2(next(), next()));
        e.tc.footprint0 = e.tc.footprint1 = 1e-4f * (1.0f + 10.0f * next());
        e.wo = dir();
        e.wi = dir();
        e.u = shared::vec3(next(), next(), next());
    }
    return in;
}

// A Lambert-only material file (the baseline), written to a temporary folder.
inline std::string writeLambertMaterial() {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "nerva-bench";
    std::filesystem::create_directories(dir);
    const std::filesystem::path p = dir / "lambert.json";
    std::ofstream(p) << R"({"nerva_layered_material": 1, "name": "lambert",
  "layers": [{"type": "diffuse", "color": [0.5, 0.5, 0.5]}]})";
    return p.string();
}

} // namespace nerva::cli
