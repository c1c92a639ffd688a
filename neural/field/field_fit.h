// Fitting a tri-plane field (triplane_field.h) to a triangle mesh on the CPU
// (DESIGN.md §5).
//
// The mesh is normalised into the field box [-1, 1]^3 with a margin
// (FieldTransform). Three sample pools are built once, deterministically
// from the seed:
//   SURFACE: area-weighted points on the triangles (target 0);
//   NEAR:    surface points plus isotropic Gaussian offsets of each width in
//            nearSigmas (field units), as many per width;
//   UNIFORM: points uniform in the box.
// Targets: d = |closest point| from the BVH, signed by the fast winding
// number (inside where w > 0.5, d < 0), clamped to [-tau, tau] for "sdf";
// "occupancy" uses the sign only (1 inside, 0 outside, 0.5 on the surface).
// Each iteration draws `batch` rows: surfaceFraction of them from SURFACE,
// uniformFraction from UNIFORM, the rest from NEAR.
//
// Loss: sdf: mean |raw - clamp(d, -tau, tau)| (L1; the prediction itself is
// not clamped, so far points are pulled to +-tau and keep their sign);
// occupancy: binary cross-entropy on the logit. Plus planeTv * the total
// variation of the planes: per plane, the mean over texel pairs of
// sum_c (f[i+1] - f[i])^2 along u and v, summed over planes and levels.
// No eikonal / normal term: it needs the gradient of the spatial gradient
// with respect to the parameters (second derivatives through the MLP),
// which the CPU MLP core does not provide; normals come out of the L1 fit of
// the near-surface band instead.
//
// Adam on two groups (planes, MLP), each with a cosine schedule and warm-up.
// Deterministic: rows come from PCG32 streams keyed by (seed, iteration,
// chunk) with fixed 256-row chunks; per-chunk MLP gradients are summed in
// chunk order and plane gradients are scattered plane by plane in row
// order, so the result does not depend on the thread count. A checkpoint
// holds everything a run depends on: interrupt + resume equals an
// uninterrupted run bit for bit.
#pragma once

#include "neural/field/field_metrics.h"
#include "neural/field/triangle_mesh.h"
#include "neural/field/triplane_field.h"
#include "neural/field/winding_number.h"
#include "neural/formats/ntri.h"
#include "neural/nn/adam.h"
#include "neural/nn/thread_pool.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace nerva::field {

struct FitOptions {
    FieldKind kind = FieldKind::Sdf; // sdf or occupancy (density_color has no mesh target)
    uint32_t resolution = 128;
    uint32_t channels = 16;
    uint32_t levels = 1; // 2 or 3 with --multires
    std::vector<uint32_t> hidden = {32, 32};
    float truncation = 0.1f; // tau, field units
    uint64_t iterations = 3000;
    uint32_t batch = 8192;
    float lrPlanes = 0.02f;
    float lrMlp = 0.005f;
    float lrMinFraction = 0.05f; // each schedule ends at lr * lrMinFraction
    uint32_t warmup = 50;
    // Total-variation weight (see the file comment). Without it the
    // analytic normals are noisy: icosphere at 32^2 x 8, 400 steps, normal
    // consistency 0.908 at 0, 0.989 at 0.1, 0.998 at 1 (Chamfer best at 0.1);
    // torus knot at 128^2 x 16, 1500 steps: 0.992 at 0.1, 0.982 at 1.
    float planeTv = 0.1f;
    float margin = 0.1f; // the mesh fills [-1 + margin, 1 - margin] on its longest side
    float surfaceFraction = 0.3f;
    float uniformFraction = 0.1f;
    std::vector<float> nearSigmas = {0.003f, 0.01f, 0.05f}; // field units
    uint32_t poolSize = 1u << 18; // points in SURFACE, UNIFORM and each NEAR width
    uint64_t seed = 1;
    unsigned threads = 0; // 0: all cores; never changes the result

    TriplaneConfig fieldConfig() const;
    nlohmann::json toJson() const;                       // everything that changes the result
    static FitOptions fromJson(const nlohmann::json& j); // throws nerva::Error
};

struct FitProgress {
    uint64_t iteration = 0;
    uint64_t total = 0;
    double loss = 0.0;    // the last step's data loss
    double lossEma = 0.0; // exponential moving average (0.98)
    float lr = 0.0f;      // the planes' learning rate of the last step
};

class FieldFitter {
  public:
    // `mesh` in its own units; it must pass validateMesh (degenerate
    // triangles are fine but not all of them). Builds the pools (the slow
    // part of the set-up). Throws nerva::Error "<where>: ..." on bad options
    // or meshes.
    FieldFitter(const TriangleMesh& mesh, FitOptions options, const std::string& where = "fit");
    ~FieldFitter();

    double step(); // one iteration; returns its data loss. Throws when done().
    bool done() const { return iteration_ >= opt_.iterations; }
    FitProgress progress() const;
    const FitOptions& options() const { return opt_; }
    const TriplaneField& field() const { return field_; }
    const FieldTransform& transform() const { return transform_; }
    const TriangleMesh& fieldMesh() const { return mesh_; } // normalised
    // Planes and MLP learning rates at iteration `it`.
    std::array<float, 2> learningRates(uint64_t it) const;

    // Temp file + rename; nerva::Error on failure, nothing left behind.
    void saveCheckpoint(const std::string& path) const;
    // nerva::Error when unreadable, corrupt or made with other options.
    void loadCheckpoint(const std::string& path);

    FieldMetrics evaluate(const FieldMetricOptions& m = {}) const;

    // The asset (fp16 planes unless quantise8); `metrics` stored as given.
    formats::NtriAsset toNtri(const std::string& sourceName, const std::string& sourceHash,
                              const nlohmann::json& metrics, bool quantise8 = false) const;

  private:
    struct Pools;
    struct Scratch;
    void buildPools();

    FitOptions opt_;
    FieldTransform transform_; // before mesh_: its initialiser sets it
    TriangleMesh mesh_;        // in field units
    std::unique_ptr<FastWindingNumber> winding_;
    TriplaneField field_;
    std::unique_ptr<nn::ThreadPool> pool_;
    std::vector<nn::Adam> adam_; // one per plane (level-major), then the MLP
    std::unique_ptr<Pools> pools_;
    std::unique_ptr<Scratch> scratch_;
    uint64_t iteration_ = 0;
    double lossEma_ = 0.0, lastLoss_ = 0.0;
    float lastLr_ = 0.0f;
};

} // namespace nerva::field
