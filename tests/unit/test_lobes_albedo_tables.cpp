// Directional-albedo tables (neural/material/albedo_tables.h) and their shared
// lookup (shaders/shared/lobes/albedo_lookup.h, C++ build).
#include "neural/material/albedo_tables.h"
#include "shaders/shared/lobes/dielectric_lobe.h"
#include "shaders/shared/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace nerva::material {
namespace {

using shared::vec2;
using shared::vec3;

const AlbedoTableSet& tables() {
    static const AlbedoTableSet set = [] {
        const auto t0 = std::chrono::steady_clock::now();
        AlbedoTableSet s = computeAlbedoTables();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        std::printf("[albedo tables] computed in %.0f ms\n", ms);
        return s;
    }();
    return set;
}

// Albedo of DielectricReflectionLobe by another estimator than the tables':
// jittered-stratified random numbers (64 x 64) through the lobe's sampler.
float referenceDielectricAlbedo(float mu, float roughness, float eta, uint seed) {
    shared::DielectricReflectionLobe l;
    l.eta = eta;
    l.alpha = shared::albedoTableAlpha(roughness);
    const vec3 wo(std::sqrt(1.0f - mu * mu), 0.0f, mu);
    const int m = 64;
    double sum = 0.0;
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j) {
            uint rng = shared::rngSeed(seed, uint(i), uint(j));
            const vec2 u((float(i) + shared::rngNext(rng)) / m,
                         (float(j) + shared::rngNext(rng)) / m);
            sum += shared::dielectricReflectionSample(l, wo, u).weight.x;
        }
    return float(sum / (m * m));
}

TEST(LobesAlbedoTables, SizesAndRange) {
    const AlbedoTableSet& t = tables();
    ASSERT_EQ(t.ggx.size(), size_t(shared::kAlbedoCosSize * shared::kAlbedoRoughSize));
    ASSERT_EQ(t.dielectric.size(), t.ggx.size() * shared::kAlbedoIorSize);
    for (float e : t.ggx) {
        EXPECT_GE(e, 0.0f);
        EXPECT_LE(e, 1.0f);
    }
    for (float e : t.dielectric) {
        EXPECT_GE(e, 0.0f);
        EXPECT_LE(e, 1.0f);
    }
}

TEST(LobesAlbedoTables, KnownLimits) {
    const shared::AlbedoTables v = tables().view();
    // A smooth mirror with F = 1 reflects everything; roughness loses energy
    // to masking (alpha = 1: 0.307 at normal incidence, by quadrature of the
    // lobe).
    EXPECT_NEAR(shared::albedoLookupGgx(v, 1.0f, 0.0f), 1.0f, 1e-3f);
    EXPECT_NEAR(shared::albedoLookupGgx(v, 1.0f, 1.0f), 0.307f, 2e-3f);
    for (uint j = 1; j < shared::kAlbedoRoughSize; ++j)
        EXPECT_LE(tables().ggx[j * shared::kAlbedoCosSize + 16u],
                  tables().ggx[(j - 1u) * shared::kAlbedoCosSize + 16u] + 1e-4f);
    // A smooth dielectric reflects the exact Fresnel reflectance.
    for (uint k = 0; k < shared::kAlbedoIorSize; ++k)
        for (uint i = 6; i < shared::kAlbedoCosSize; ++i) {
            const float mu = shared::albedoNodeCos(i), eta = shared::albedoNodeIor(k);
            EXPECT_NEAR(shared::albedoLookupDielectric(v, mu, 0.0f, eta),
                        shared::fresnelDielectric(mu, eta), 1e-3f)
                << "mu " << mu << " eta " << eta;
        }
    // eta = 1: no interface, nothing reflected.
    EXPECT_NEAR(shared::albedoLookupDielectric(v, 0.5f, 0.5f, 1.0f), 0.0f, 1e-6f);
}

TEST(LobesAlbedoTables, LookupHitsTheNodes) {
    const AlbedoTableSet& t = tables();
    const shared::AlbedoTables v = t.view();
    for (uint j = 0; j < shared::kAlbedoRoughSize; j += 5u)
        for (uint i = 0; i < shared::kAlbedoCosSize; i += 3u) {
            const float mu = shared::sqr(float(i) / float(shared::kAlbedoCosSize - 1u));
            const float r = shared::albedoNodeRoughness(j);
            EXPECT_NEAR(shared::albedoLookupGgx(v, mu, r), t.ggx[j * shared::kAlbedoCosSize + i],
                        1e-6f);
            for (uint k = 0; k < shared::kAlbedoIorSize; k += 4u)
                EXPECT_NEAR(
                    shared::albedoLookupDielectric(v, mu, r, shared::albedoNodeIor(k)),
                    t.dielectric[(k * shared::kAlbedoRoughSize + j) * shared::kAlbedoCosSize + i],
                    1e-6f);
        }
}

TEST(LobesAlbedoTables, DielectricLobeAlbedoMatchesTheTable) {
    // Off the nodes the lookup is within interpolation error of the lobe's
    // albedo, over the whole domain (grazing mu and eta near 1 included,
    // where the warped node spacing keeps the error down): 0.005 absolute
    // (0.002 measured, which includes the reference's own noise).
    const shared::AlbedoTables v = tables().view();
    double worst = 0.0;
    for (uint n = 0; n < 200u; ++n) {
        uint rng = shared::rngSeed(4242u, 0u, n);
        const float mu = 0.01f + 0.99f * shared::rngNext(rng);
        const float r = shared::rngNext(rng);
        const float eta = 1.01f + 1.98f * shared::rngNext(rng);
        const float ref = referenceDielectricAlbedo(mu, r, eta, n);
        const float table = shared::albedoLookupDielectric(v, mu, r, eta);
        worst = std::max(worst, std::abs(double(ref) - table));
        EXPECT_NEAR(table, ref, 0.005f) << "mu " << mu << " r " << r << " eta " << eta;
    }
    std::printf("[albedo tables] worst |table - lobe albedo| off the nodes: %.5f\n", worst);
}

TEST(LobesAlbedoTables, ConductorWithUnitFresnelMatchesTheGgxTable) {
    const shared::AlbedoTables v = tables().view();
    for (uint n = 0; n < 50u; ++n) {
        uint rng = shared::rngSeed(99u, 1u, n);
        const float mu = 0.1f + 0.9f * shared::rngNext(rng);
        const float r = shared::rngNext(rng);
        // An independent, finer estimate of E_ggx off the nodes.
        EXPECT_NEAR(shared::albedoLookupGgx(v, mu, r), ggxDirectionalAlbedo(mu, r, 4096), 0.006f)
            << "mu " << mu << " r " << r;
    }
}

TEST(LobesAlbedoTables, DeterministicForAnyThreadCount) {
    const AlbedoTableSet a = computeAlbedoTables(16, 1);
    const AlbedoTableSet b = computeAlbedoTables(16, 3);
    EXPECT_EQ(a.ggx, b.ggx);
    EXPECT_EQ(a.dielectric, b.dielectric);
}

} // namespace
} // namespace nerva::material

namespace nerva::material {
namespace {

bool sameTables(const AlbedoTableSet& a, const AlbedoTableSet& b) {
    return a.ggx == b.ggx && a.dielectric == b.dielectric && a.sheen == b.sheen;
}

// The cache the renderer reads (this run's NERVA_CACHE_DIR) holds exactly
// what the lobes integrate to today: a lobe changed without bumping
// kAlbedoTablesVersion fails here.
TEST(LobesAlbedoTables, CachedTablesAreTheComputedOnes) {
    EXPECT_TRUE(sameTables(loadOrComputeAlbedoTables(), tables()));
}

TEST(LobesAlbedoTables, CacheIsWrittenReadAndRepaired) {
    namespace fs = std::filesystem;
    const char* old = std::getenv("NERVA_CACHE_DIR");
    const std::string saved = old ? old : "";
    const fs::path dir = fs::temp_directory_path() / "nerva-albedo-cache-test";
    fs::remove_all(dir);
    ::setenv("NERVA_CACHE_DIR", dir.c_str(), 1);
    EXPECT_TRUE(sameTables(loadOrComputeAlbedoTables(), tables())); // computed, written
    ASSERT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
    const fs::path file = fs::directory_iterator(dir)->path();
    EXPECT_TRUE(sameTables(loadOrComputeAlbedoTables(), tables())); // read back
    fs::resize_file(file, fs::file_size(file) - 100);               // damaged
    EXPECT_TRUE(sameTables(loadOrComputeAlbedoTables(), tables())); // recomputed
    EXPECT_GT(fs::file_size(file), 70000u);                         // and rewritten
    if (old)
        ::setenv("NERVA_CACHE_DIR", saved.c_str(), 1);
    else
        ::unsetenv("NERVA_CACHE_DIR");
    fs::remove_all(dir);
}

} // namespace
} // namespace nerva::material
