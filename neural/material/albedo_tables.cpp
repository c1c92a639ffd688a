#include "albedo_tables.h"

#include "shaders/shared/lobes/dielectric_lobe.h"
#include "shaders/shared/lobes/ggx_aniso.h"
#include "shaders/shared/lobes/sheen.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

namespace nerva::material {
namespace {

using shared::vec2;
using shared::vec3;

// Van der Corput radical inverse in base 2.
float radicalInverse2(uint32_t i) {
    i = (i << 16u) | (i >> 16u);
    i = ((i & 0x55555555u) << 1u) | ((i & 0xAAAAAAAAu) >> 1u);
    i = ((i & 0x33333333u) << 2u) | ((i & 0xCCCCCCCCu) >> 2u);
    i = ((i & 0x0F0F0F0Fu) << 4u) | ((i & 0xF0F0F0F0u) >> 4u);
    i = ((i & 0x00FF00FFu) << 8u) | ((i & 0xFF00FF00u) >> 8u);
    return float(double(i) * (1.0 / 4294967296.0));
}

vec3 viewDirection(float cosTheta) {
    const float c = std::clamp(cosTheta, shared::kAlbedoMinCos, 1.0f);
    return vec3(std::sqrt(std::max(0.0f, 1.0f - c * c)), 0.0f, c);
}

// Mean of weight(u) over a Hammersley set of n points, u = ((i + 1/2) / n, phi2(i)).
template <typename Weight> float hammersleyMean(int samples, const Weight& weight) {
    const int n = std::max(samples, 1);
    double sum = 0.0;
    for (int i = 0; i < n; ++i)
        sum += double(weight(vec2((float(i) + 0.5f) / float(n), radicalInverse2(uint32_t(i)))));
    return float(sum / n);
}

} // namespace

float ggxDirectionalAlbedo(float cosTheta, float roughness, int samples) {
    shared::ConductorLobe lobe;
    lobe.f0 = vec3(1.0f);
    lobe.f82Tint = vec3(1.0f);
    lobe.alpha = shared::albedoTableAlpha(std::clamp(roughness, 0.0f, 1.0f));
    const vec3 wo = viewDirection(cosTheta);
    return hammersleyMean(samples,
                          [&](vec2 u) { return shared::conductorSample(lobe, wo, u).weight.x; });
}

float dielectricDirectionalAlbedo(float cosTheta, float roughness, float eta, int samples) {
    shared::DielectricReflectionLobe lobe;
    lobe.eta = std::max(eta, 1e-3f);
    lobe.alpha = shared::albedoTableAlpha(std::clamp(roughness, 0.0f, 1.0f));
    const vec3 wo = viewDirection(cosTheta);
    return hammersleyMean(
        samples, [&](vec2 u) { return shared::dielectricReflectionSample(lobe, wo, u).weight.x; });
}

float sheenDirectionalAlbedo(float cosTheta, float roughness, int samples) {
    shared::SheenLobe lobe;
    lobe.color = vec3(1.0f);
    lobe.roughness = std::clamp(roughness, 0.0f, 1.0f);
    const vec3 wo = viewDirection(cosTheta);
    return hammersleyMean(samples,
                          [&](vec2 u) { return shared::sheenSample(lobe, wo, u).weight.x; });
}

AlbedoTableSet computeAlbedoTables(int samples, unsigned threads) {
    using shared::kAlbedoCosSize;
    using shared::kAlbedoIorSize;
    using shared::kAlbedoRoughSize;
    AlbedoTableSet set;
    set.ggx.resize(size_t(kAlbedoCosSize) * kAlbedoRoughSize);
    set.dielectric.resize(set.ggx.size() * kAlbedoIorSize);
    set.sheen.resize(set.ggx.size());
    // Rows (one roughness of one table) are the unit of work; row r < R is
    // the ggx table's, the next R the sheen table's, the others the
    // dielectric slices' in order.
    const unsigned rows = kAlbedoRoughSize * (2u + kAlbedoIorSize);
    auto work = [&](unsigned first, unsigned stride) {
        for (unsigned row = first; row < rows; row += stride) {
            const unsigned j = row % kAlbedoRoughSize;
            const float r = shared::albedoNodeRoughness(j);
            for (unsigned i = 0; i < kAlbedoCosSize; ++i) {
                const float mu = shared::albedoNodeCos(i);
                if (row < kAlbedoRoughSize) {
                    set.ggx[size_t(j) * kAlbedoCosSize + i] = ggxDirectionalAlbedo(mu, r, samples);
                } else if (row < 2u * kAlbedoRoughSize) {
                    set.sheen[size_t(j) * kAlbedoCosSize + i] =
                        sheenDirectionalAlbedo(mu, r, samples);
                } else {
                    const unsigned k = row / kAlbedoRoughSize - 2u;
                    set.dielectric[(size_t(k) * kAlbedoRoughSize + j) * kAlbedoCosSize + i] =
                        dielectricDirectionalAlbedo(mu, r, shared::albedoNodeIor(k), samples);
                }
            }
        }
    };
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min(threads, rows);
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work, t, threads);
    work(0, threads);
    for (std::thread& t : pool)
        t.join();
    return set;
}

namespace {

std::filesystem::path albedoCacheDir() {
    if (const char* d = std::getenv("NERVA_CACHE_DIR"); d && *d) return d;
    if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d)
        return std::filesystem::path(d) / "nerva";
    if (const char* d = std::getenv("HOME"); d && *d)
        return std::filesystem::path(d) / ".cache" / "nerva";
    return {};
}

// FNV-1a over the float bits: catches a truncated or damaged file.
uint64_t tableChecksum(const AlbedoTableSet& t) {
    uint64_t h = 1469598103934665603ull;
    for (const std::vector<float>* v : {&t.ggx, &t.dielectric, &t.sheen})
        for (float f : *v) {
            uint32_t bits;
            std::memcpy(&bits, &f, 4);
            h = (h ^ bits) * 1099511628211ull;
        }
    return h;
}

} // namespace

AlbedoTableSet loadOrComputeAlbedoTables() {
    using shared::kAlbedoCosSize;
    using shared::kAlbedoIorSize;
    using shared::kAlbedoRoughSize;
    const std::filesystem::path dir = albedoCacheDir();
    const std::string name =
        "albedo-tables-v" + std::to_string(kAlbedoTablesVersion) + "-" +
        std::to_string(kAlbedoTableSamples) + "-" + std::to_string(kAlbedoCosSize) + "x" +
        std::to_string(kAlbedoRoughSize) + "x" + std::to_string(kAlbedoIorSize) + ".bin";
    AlbedoTableSet t;
    t.ggx.resize(size_t(kAlbedoCosSize) * kAlbedoRoughSize);
    t.sheen.resize(t.ggx.size());
    t.dielectric.resize(t.ggx.size() * kAlbedoIorSize);
    if (!dir.empty()) {
        std::ifstream in(dir / name, std::ios::binary);
        uint64_t stored = 0;
        if (in) {
            for (std::vector<float>* v : {&t.ggx, &t.dielectric, &t.sheen})
                in.read(reinterpret_cast<char*>(v->data()), std::streamsize(v->size() * 4));
            in.read(reinterpret_cast<char*>(&stored), sizeof stored);
            if (in && in.peek() == EOF && stored == tableChecksum(t)) return t;
        }
    }
    t = computeAlbedoTables();
    if (!dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        // Written under a unique name, then renamed: readers never see half a file.
        const std::filesystem::path tmp =
            dir / (name + ".tmp" +
                   std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())));
        {
            std::ofstream out(tmp, std::ios::binary);
            for (const std::vector<float>* v : {&t.ggx, &t.dielectric, &t.sheen})
                out.write(reinterpret_cast<const char*>(v->data()), std::streamsize(v->size() * 4));
            const uint64_t sum = tableChecksum(t);
            out.write(reinterpret_cast<const char*>(&sum), sizeof sum);
        }
        std::filesystem::rename(tmp, dir / name, ec);
        if (ec) std::filesystem::remove(tmp, ec);
    }
    return t;
}

} // namespace nerva::material
