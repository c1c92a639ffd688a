// The tri-plane field model: bilinear taps, summed plane features, the MLP
// decode, backward (plane scatter + MLP) and the analytic spatial gradient.
// Conventions in triplane_field.h.
#include "neural/field/triplane_field.h"

#include "neural/core/error.h"
#include "neural/nn/pcg32.h"

#include <algorithm>
#include <cmath>

namespace nerva::field {

const char* fieldKindName(FieldKind k) {
    switch (k) {
    case FieldKind::Sdf:
        return "sdf";
    case FieldKind::Occupancy:
        return "occupancy";
    case FieldKind::DensityColor:
        return "density_color";
    }
    return "?";
}

FieldKind parseFieldKind(const std::string& name, const std::string& where) {
    for (const FieldKind k : {FieldKind::Sdf, FieldKind::Occupancy, FieldKind::DensityColor})
        if (name == fieldKindName(k)) return k;
    throw errorAt(where, "unknown field kind \"" + name + "\" (sdf, occupancy, density_color)");
}

uint32_t fieldKindOutputs(FieldKind k) {
    return k == FieldKind::DensityColor ? 4u : 1u;
}

void validateTriplaneConfig(const TriplaneConfig& c, const std::string& where) {
    if (uint32_t(c.kind) > uint32_t(FieldKind::DensityColor))
        throw errorAt(where, "unknown field kind " + std::to_string(uint32_t(c.kind)));
    if (c.resolution < 2 || c.resolution > 4096)
        throw errorAt(where,
                      "plane resolution " + std::to_string(c.resolution) + " outside 2..4096");
    if (c.channels < 1 || c.channels > 64)
        throw errorAt(where, "feature channels " + std::to_string(c.channels) + " outside 1..64");
    if (c.levels < 1 || c.levels > kMaxFieldLevels)
        throw errorAt(where, "plane levels " + std::to_string(c.levels) + " outside 1.." +
                                 std::to_string(kMaxFieldLevels));
    if (c.hidden.empty() || c.hidden.size() > 8)
        throw errorAt(where, std::to_string(c.hidden.size()) + " hidden layers, need 1..8");
    for (const uint32_t w : c.hidden)
        if (w < 1 || w > 1024)
            throw errorAt(where, "hidden width " + std::to_string(w) + " outside 1..1024");
    if (!(c.truncation > 0.0f) || !std::isfinite(c.truncation))
        throw errorAt(where, "truncation must be positive and finite");
}

template <class T> BilinearTaps<T> bilinearTaps(T a, T b, uint32_t resolution) {
    // Continuous texel coordinate: texel i's centre at s = i.
    const T half = T(resolution) * T(0.5);
    const T sa = (a + T(1)) * half - T(0.5), sb = (b + T(1)) * half - T(0.5);
    const T fa0 = std::floor(sa), fb0 = std::floor(sb);
    const T fa = sa - fa0, fb = sb - fb0;
    const int last = int(resolution) - 1;
    // Clamp in floating point first: huge coordinates must not overflow int.
    auto index = [last](T f) {
        return uint32_t(std::clamp(int(std::clamp(f, T(-1), T(last + 1))), 0, last));
    };
    const uint32_t i0 = index(fa0), i1 = index(fa0 + T(1));
    const uint32_t j0 = index(fb0), j1 = index(fb0 + T(1));
    BilinearTaps<T> t;
    t.texel = {j0 * resolution + i0, j0 * resolution + i1, j1 * resolution + i0,
               j1 * resolution + i1};
    t.w = {(T(1) - fa) * (T(1) - fb), fa * (T(1) - fb), (T(1) - fa) * fb, fa * fb};
    // d/da = d/dsa * half; with clamping both taps of an axis may be the same
    // texel, and their derivatives then cancel (clamp-to-edge is flat).
    t.dwa = {-(T(1) - fb) * half, (T(1) - fb) * half, -fb * half, fb * half};
    t.dwb = {-(T(1) - fa) * half, -fa * half, (T(1) - fa) * half, fa * half};
    return t;
}

template BilinearTaps<float> bilinearTaps(float, float, uint32_t);
template BilinearTaps<double> bilinearTaps(double, double, uint32_t);

namespace {

std::vector<uint32_t> mlpWidths(const TriplaneConfig& c) {
    std::vector<uint32_t> w{c.channels};
    w.insert(w.end(), c.hidden.begin(), c.hidden.end());
    w.push_back(fieldKindOutputs(c.kind));
    return w;
}

const TriplaneConfig& validated(const TriplaneConfig& c) {
    validateTriplaneConfig(c, "tri-plane field");
    return c;
}

// The (u, v) coordinates of plane p at point (x, y, z).
template <class T> inline void planeCoords(Plane p, const T* xyz, T& a, T& b) {
    a = p == Plane::YZ ? xyz[1] : xyz[0];
    b = p == Plane::XY ? xyz[1] : xyz[2];
}

} // namespace

TriplaneField::TriplaneField(TriplaneConfig config, uint64_t seed)
    : config_(validated(config)),
      mlp_(nn::Mlp::chain(mlpWidths(config_), nn::Activation::ReLU, nn::Activation::None)) {
    for (uint32_t l = 0; l < config_.levels; ++l)
        planeFloats_ += size_t(kPlaneCount) * resolution(l) * resolution(l) * config_.channels;
    params_.assign(planeFloats_ + mlp_.parameterCount(), 0.0f);
    initialise(seed);
}

size_t TriplaneField::planeOffset(uint32_t level, Plane p) const {
    size_t offset = 0;
    for (uint32_t l = 0; l < level; ++l)
        offset += size_t(kPlaneCount) * resolution(l) * resolution(l) * config_.channels;
    return offset + size_t(p) * resolution(level) * resolution(level) * config_.channels;
}

void TriplaneField::initialise(uint64_t seed, float planeNoise) {
    nn::Pcg32 rng(seed * 0x9e3779b97f4a7c15ULL + 1, 0xda3e39cb94b95bdbULL);
    for (size_t i = 0; i < planeFloats_; ++i)
        params_[i] = rng.uniform(-planeNoise, planeNoise);
    mlp_.initialise(std::span<float>(params_).subspan(planeFloats_),
                    seed * 0x9e3779b97f4a7c15ULL + 2);
}

template <class T>
void TriplaneField::features(std::span<const T> params, glm::vec<3, T> p, T* out) const {
    const uint32_t C = config_.channels;
    std::fill(out, out + C, T(0));
    const T xyz[3] = {p.x, p.y, p.z};
    for (uint32_t l = 0; l < config_.levels; ++l) {
        const uint32_t R = resolution(l);
        for (uint32_t k = 0; k < kPlaneCount; ++k) {
            T a, b;
            planeCoords(Plane(k), xyz, a, b);
            const BilinearTaps<T> t = bilinearTaps(a, b, R);
            const T* plane = params.data() + planeOffset(l, Plane(k));
            for (int q = 0; q < 4; ++q) {
                const T* f = plane + size_t(t.texel[q]) * C;
                const T w = t.w[q];
                for (uint32_t c = 0; c < C; ++c)
                    out[c] += w * f[c];
            }
        }
    }
}

template <class T>
void TriplaneField::forward(std::span<const T> params, const T* xyz, size_t n,
                            FieldWorkspace<T>& ws, T* raw) const {
    const uint32_t C = config_.channels;
    ws.features.resize(n * C);
    for (size_t i = 0; i < n; ++i)
        features<T>(params, {xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]}, &ws.features[i * C]);
    mlp_.forward<T>(params.subspan(planeFloats_), ws.features.data(), n, ws.mlp, raw);
}

template <class T>
void TriplaneField::backwardMlp(std::span<const T> params, FieldWorkspace<T>& ws, const T* dRaw,
                                size_t n, std::span<T> mlpGrad) const {
    ws.dFeatures.resize(n * config_.channels);
    mlp_.backward<T>(params.subspan(planeFloats_), ws.mlp, dRaw, n, mlpGrad, ws.dFeatures.data());
}

template <class T>
void TriplaneField::scatterPlane(uint32_t level, Plane plane, const T* xyz, const T* dFeatures,
                                 size_t n, T* dPlanes) const {
    const uint32_t C = config_.channels, R = resolution(level);
    T* g = dPlanes + planeOffset(level, plane);
    for (size_t i = 0; i < n; ++i) {
        T a, b;
        planeCoords(plane, xyz + 3 * i, a, b);
        const BilinearTaps<T> t = bilinearTaps(a, b, R);
        const T* d = dFeatures + i * C;
        for (int q = 0; q < 4; ++q) {
            T* f = g + size_t(t.texel[q]) * C;
            const T w = t.w[q];
            for (uint32_t c = 0; c < C; ++c)
                f[c] += w * d[c];
        }
    }
}

template <class T>
void TriplaneField::backward(std::span<const T> params, const T* xyz, size_t n,
                             FieldWorkspace<T>& ws, const T* dRaw, std::span<T> dparams) const {
    if (params.size() != parameterCount() || dparams.size() != parameterCount())
        throw Error("TriplaneField::backward: parameter count mismatch");
    backwardMlp<T>(params, ws, dRaw, n, dparams.subspan(planeFloats_));
    for (uint32_t l = 0; l < config_.levels; ++l)
        for (uint32_t k = 0; k < kPlaneCount; ++k)
            scatterPlane<T>(l, Plane(k), xyz, ws.dFeatures.data(), n, dparams.data());
}

template <class T>
void TriplaneField::gradient(std::span<const T> params, const T* xyz, size_t n,
                             FieldWorkspace<T>& ws, T* raw0, T* grad) const {
    const uint32_t C = config_.channels, O = outputs();
    std::vector<T> raw(n * O), dRaw(n * O, T(0));
    forward<T>(params, xyz, n, ws, raw.data());
    for (size_t i = 0; i < n; ++i) {
        raw0[i] = raw[i * O];
        dRaw[i * O] = T(1);
    }
    ws.mlpGrad.assign(mlp_.parameterCount(), T(0)); // not wanted, but backward adds to it
    backwardMlp<T>(params, ws, dRaw.data(), n, ws.mlpGrad);
    for (size_t i = 0; i < n; ++i) {
        const T* p = xyz + 3 * i;
        const T* d = &ws.dFeatures[i * C];
        T g[3] = {T(0), T(0), T(0)};
        for (uint32_t l = 0; l < config_.levels; ++l) {
            for (uint32_t k = 0; k < kPlaneCount; ++k) {
                T a, b;
                planeCoords(Plane(k), p, a, b);
                const BilinearTaps<T> t = bilinearTaps(a, b, resolution(l));
                const T* plane = params.data() + planeOffset(l, Plane(k));
                T ga = T(0), gb = T(0);
                for (int q = 0; q < 4; ++q) {
                    const T* f = plane + size_t(t.texel[q]) * C;
                    T dot = T(0);
                    for (uint32_t c = 0; c < C; ++c)
                        dot += d[c] * f[c];
                    ga += t.dwa[q] * dot;
                    gb += t.dwb[q] * dot;
                }
                // XY: (a, b) = (x, y); XZ: (x, z); YZ: (y, z).
                g[k == 2 ? 1 : 0] += ga;
                g[k == 0 ? 1 : 2] += gb;
            }
        }
        grad[3 * i] = g[0];
        grad[3 * i + 1] = g[1];
        grad[3 * i + 2] = g[2];
    }
}

float TriplaneField::value(glm::vec3 p) const {
    FieldWorkspace<float> ws;
    std::vector<float> raw(outputs());
    const float xyz[3] = {p.x, p.y, p.z};
    forward<float>(params_, xyz, 1, ws, raw.data());
    return raw[0];
}

glm::vec3 TriplaneField::gradient(glm::vec3 p) const {
    FieldWorkspace<float> ws;
    const float xyz[3] = {p.x, p.y, p.z};
    float raw0 = 0.0f, g[3];
    gradient<float>(params_, xyz, 1, ws, &raw0, g);
    return {g[0], g[1], g[2]};
}

#define NERVA_TRIPLANE_INSTANTIATE(T)                                                              \
    template void TriplaneField::features<T>(std::span<const T>, glm::vec<3, T>, T*) const;        \
    template void TriplaneField::forward<T>(std::span<const T>, const T*, size_t,                  \
                                            FieldWorkspace<T>&, T*) const;                         \
    template void TriplaneField::backward<T>(std::span<const T>, const T*, size_t,                 \
                                             FieldWorkspace<T>&, const T*, std::span<T>) const;    \
    template void TriplaneField::backwardMlp<T>(std::span<const T>, FieldWorkspace<T>&, const T*,  \
                                                size_t, std::span<T>) const;                       \
    template void TriplaneField::scatterPlane<T>(uint32_t, Plane, const T*, const T*, size_t, T*)  \
        const;                                                                                     \
    template void TriplaneField::gradient<T>(std::span<const T>, const T*, size_t,                 \
                                             FieldWorkspace<T>&, T*, T*) const;
NERVA_TRIPLANE_INSTANTIATE(float)
NERVA_TRIPLANE_INSTANTIATE(double)
#undef NERVA_TRIPLANE_INSTANTIATE

} // namespace nerva::field
