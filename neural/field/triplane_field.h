// The tri-plane field model (DESIGN.md §5): three axis-aligned feature planes
// sampled bilinearly, their features SUMMED and decoded by a small MLP.
//
// Convention (shared with the .ntri format and the GPU shaders):
//   - The field lives in the box [-1, 1]^3 (field units; the mesh -> field
//     map is field::FieldTransform, stored in the .ntri header).
//   - Plane XY is indexed by (u, v) = (x, y), plane XZ by (x, z), plane YZ by
//     (y, z): u is the first named axis, v the second.
//   - A plane of resolution R holds R x R x C floats stored row-major
//     [v][u][c]: texel (i, j) = (u index, v index), channel c at
//     ((j * R + i) * C + c).
//   - Texel centres sit at -1 + (i + 0.5) * 2 / R; sampling is bilinear with
//     clamp-to-edge (outside the outermost centres the edge texel's value is
//     held, and its spatial derivative is 0).
//   - Levels: level 0 has resolution R, level l has max(R >> l, 2)
//     (--multires: 2 or 3 levels); every plane of every level adds into the
//     same C features: f(p) = sum_l (XY_l(x, y) + XZ_l(x, z) + YZ_l(y, z)).
//   - MLP: C -> hidden... -> outputs, ReLU hidden, linear output (raw).
// Kinds and what the raw MLP output means:
//   "sdf":           1 output, the truncated signed distance in field units,
//                    negative inside, trained against clamp(d, -tau, tau).
//   "occupancy":     1 output, the logit of P(inside).
//   "density_color": 4 outputs, density = softplus(raw0) (per field unit),
//                    rgb = sigmoid(raw1..3).
//
// Parameters live in ONE flat array (as nn::Mlp): all plane texels first,
// level by level, planes XY, XZ, YZ within a level, then the MLP's
// parameters (nn::Mlp layout). Adam treats [0, planeFloats) and
// [mlpOffset, end) as two groups.
//
// Everything is templated on float (fitting) and double (gradient checks).
#pragma once

#include "neural/nn/mlp.h"

#include <glm/glm.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nerva::field {

enum class FieldKind : uint32_t { Sdf = 0, Occupancy = 1, DensityColor = 2 };

const char* fieldKindName(FieldKind k); // "sdf" | "occupancy" | "density_color"
// Throws nerva::Error "<where>: unknown field kind ..." for other names.
FieldKind parseFieldKind(const std::string& name, const std::string& where);
uint32_t fieldKindOutputs(FieldKind k); // 1, 1, 4

enum class Plane : uint32_t { XY = 0, XZ = 1, YZ = 2 };
constexpr uint32_t kPlaneCount = 3;
constexpr uint32_t kMaxFieldLevels = 3;

struct TriplaneConfig {
    FieldKind kind = FieldKind::Sdf;
    uint32_t resolution = 128; // level 0 texels per side, 2..4096
    uint32_t channels = 16;    // features per texel, 1..64
    uint32_t levels = 1;       // 1..kMaxFieldLevels
    std::vector<uint32_t> hidden = {32, 32};
    float truncation = 0.1f; // sdf: the band tau (field units), > 0
};

// Throws nerva::Error "<where>: ..." on sizes out of range.
void validateTriplaneConfig(const TriplaneConfig& c, const std::string& where);

// Resolution of level l (see the file comment).
inline uint32_t levelResolution(uint32_t resolution, uint32_t level) {
    const uint32_t r = resolution >> level;
    return r < 2 ? 2 : r;
}

// The four bilinear taps of one plane at (a, b) (the plane's u, v in field
// units): texel indices j * R + i and weights, plus d weight / d a and
// d weight / d b (field units^-1). Clamped taps may repeat a texel.
template <class T> struct BilinearTaps {
    std::array<uint32_t, 4> texel{};
    std::array<T, 4> w{}, dwa{}, dwb{};
};
template <class T> BilinearTaps<T> bilinearTaps(T a, T b, uint32_t resolution);

// Per-batch scratch of forward/backward (reused between calls).
template <class T> struct FieldWorkspace {
    nn::MlpWorkspace<T> mlp;
    std::vector<T> features; // n x C, the MLP input
    std::vector<T> dFeatures;
    std::vector<T> mlpGrad; // backward's scratch for the MLP gradient when none is wanted
};

class TriplaneField {
  public:
    // Validates the config and initialises the parameters from `seed`.
    explicit TriplaneField(TriplaneConfig config, uint64_t seed = 1);

    const TriplaneConfig& config() const { return config_; }
    const nn::Mlp& mlp() const { return mlp_; }
    uint32_t outputs() const { return mlp_.outputs(); }
    uint32_t resolution(uint32_t level) const { return levelResolution(config_.resolution, level); }
    // Floats from the start of the flat array to plane `p` of `level`.
    size_t planeOffset(uint32_t level, Plane p) const;
    size_t planeFloats() const { return planeFloats_; } // all planes together
    size_t mlpOffset() const { return planeFloats_; }
    size_t parameterCount() const { return params_.size(); }
    std::vector<float>& parameters() { return params_; }
    const std::vector<float>& parameters() const { return params_; }

    // Planes uniform in +-planeNoise, the MLP Kaiming/Xavier (nn::Mlp); all
    // from PCG32 streams of `seed`.
    void initialise(uint64_t seed, float planeNoise = 0.01f);

    // The summed features at p (C values). Points outside the box are
    // clamped to its edge texels.
    template <class T> void features(std::span<const T> params, glm::vec<3, T> p, T* out) const;

    // raw = MLP(features) for n points xyz[3 i ..]; keeps in ws what
    // backward and the feature gradient need.
    template <class T>
    void forward(std::span<const T> params, const T* xyz, size_t n, FieldWorkspace<T>& ws,
                 T* raw) const;

    // After forward(params, xyz, n, ws): given dRaw = dL/draw (n x outputs),
    // ADDS dL/dparams to dparams (planes by scattering the bilinear taps,
    // in point order; the MLP through nn::Mlp::backward).
    template <class T>
    void backward(std::span<const T> params, const T* xyz, size_t n, FieldWorkspace<T>& ws,
                  const T* dRaw, std::span<T> dparams) const;

    // The pieces of backward for a chunked, deterministic batch: the MLP
    // part (ADDS to mlpGrad, the MLP's parameterCount floats; WRITES
    // ws.dFeatures) and the scatter of dFeatures (n x C) into ONE plane of
    // the gradient (ADDS to dPlanes, the whole planes range), in point order.
    template <class T>
    void backwardMlp(std::span<const T> params, FieldWorkspace<T>& ws, const T* dRaw, size_t n,
                     std::span<T> mlpGrad) const;
    template <class T>
    void scatterPlane(uint32_t level, Plane plane, const T* xyz, const T* dFeatures, size_t n,
                      T* dPlanes) const;

    // raw output 0 and its spatial gradient d raw0 / d p (field units^-1)
    // for n points (grad: n x 3), analytic through bilinear and MLP.
    template <class T>
    void gradient(std::span<const T> params, const T* xyz, size_t n, FieldWorkspace<T>& ws, T* raw0,
                  T* grad) const;

    // Single points with this field's own parameters (float).
    float value(glm::vec3 p) const;        // raw output 0
    glm::vec3 gradient(glm::vec3 p) const; // d raw0 / d p

  private:
    TriplaneConfig config_;
    nn::Mlp mlp_;
    size_t planeFloats_ = 0;
    std::vector<float> params_;
};

// A value that is negative inside for every kind, for the zero level set and
// the metrics: sdf -> raw0; occupancy -> -logit (0 at P(inside) = 0.5);
// density_color -> -raw0 (0 where the density is softplus(0) = log 2).
inline float signedValue(FieldKind k, float raw0) {
    return k == FieldKind::Sdf ? raw0 : -raw0;
}

} // namespace nerva::field
