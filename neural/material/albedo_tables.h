// Directional-albedo tables of the GGX lobes of shaders/shared/lobes,
// computed by deterministic quasi-Monte Carlo integration of the lobes' own
// C++ builds (layout, nodes and the GPU/CPU lookup: albedo_lookup.h).
#pragma once

#include "shaders/shared/lobes/albedo_lookup.h"

#include <vector>

namespace nerva::material {

// Samples per table entry that computeAlbedoTables uses by default.
constexpr int kAlbedoTableSamples = 1024;

// Directional albedo of GGX reflection with F = 1 (E_ggx) and of
// DielectricReflectionLobe (E_diel) for isotropic alpha = max(r^2,
// kLobeMinAlpha), by `samples` points of a Hammersley set driving the lobes'
// visible-normal samplers (the estimate is the mean sample weight). Every
// argument is clamped to the lobes' domain (cosTheta to [kAlbedoMinCos, 1]).
float ggxDirectionalAlbedo(float cosTheta, float roughness, int samples = kAlbedoTableSamples);
float dielectricDirectionalAlbedo(float cosTheta, float roughness, float eta,
                                  int samples = kAlbedoTableSamples);
// Directional albedo of SheenLobe with colour 1 (E_sheen; uniform hemisphere
// samples, as the lobe's own sampler).
float sheenDirectionalAlbedo(float cosTheta, float roughness, int samples = kAlbedoTableSamples);

struct AlbedoTableSet {
    std::vector<float> ggx;        // kAlbedoCosSize * kAlbedoRoughSize
    std::vector<float> dielectric; // ... * kAlbedoIorSize
    std::vector<float> sheen;      // kAlbedoCosSize * kAlbedoRoughSize

    // Pointers for the shared lookup; valid while this set lives unchanged.
    shared::AlbedoTables view() const { return {ggx.data(), dielectric.data(), sheen.data()}; }
};

// Every entry of the three tables (deterministic: same result on every run and
// for any number of threads; threads = 0 uses the hardware's).
AlbedoTableSet computeAlbedoTables(int samples = kAlbedoTableSamples, unsigned threads = 0);

// Bump when a lobe or the integration changes: it keys the on-disk cache.
constexpr int kAlbedoTablesVersion = 2;

// computeAlbedoTables() with the default samples, read from a cache file
// when one of this version and layout exists (else computed and written):
// $NERVA_CACHE_DIR, else $XDG_CACHE_HOME/nerva, else ~/.cache/nerva. The
// tables take seconds to integrate and every render needs them. A missing,
// unwritable or damaged cache only costs the computation.
AlbedoTableSet loadOrComputeAlbedoTables();

} // namespace nerva::material
