#include "neural/material/shading_frames.h"

#include <cmath>

namespace nerva::material {
namespace {

// A forward-mode dual number with N tangent directions: v + sum_j d[j] e_j.
template <class T, int N> struct Dual {
    T v{};
    T d[N]{};
};

template <class T, int N> Dual<T, N> operator+(const Dual<T, N>& a, const Dual<T, N>& b) {
    Dual<T, N> r;
    r.v = a.v + b.v;
    for (int j = 0; j < N; ++j)
        r.d[j] = a.d[j] + b.d[j];
    return r;
}
template <class T, int N> Dual<T, N> operator-(const Dual<T, N>& a, const Dual<T, N>& b) {
    Dual<T, N> r;
    r.v = a.v - b.v;
    for (int j = 0; j < N; ++j)
        r.d[j] = a.d[j] - b.d[j];
    return r;
}
template <class T, int N> Dual<T, N> operator*(const Dual<T, N>& a, const Dual<T, N>& b) {
    Dual<T, N> r;
    r.v = a.v * b.v;
    for (int j = 0; j < N; ++j)
        r.d[j] = a.d[j] * b.v + a.v * b.d[j];
    return r;
}
template <class T, int N> Dual<T, N> operator*(const Dual<T, N>& a, T s) {
    Dual<T, N> r;
    r.v = a.v * s;
    for (int j = 0; j < N; ++j)
        r.d[j] = a.d[j] * s;
    return r;
}
template <class T, int N> Dual<T, N> operator+(const Dual<T, N>& a, T s) {
    Dual<T, N> r = a;
    r.v += s;
    return r;
}

// 1 / sqrt(max(x, eps)): the guarded inverse length (derivative 0 below eps).
template <class T, int N> Dual<T, N> invLength(const Dual<T, N>& x) {
    Dual<T, N> r;
    const T eps = T(kFrameEpsilon);
    if (x.v <= eps) {
        r.v = T(1) / std::sqrt(eps);
        return r;
    }
    r.v = T(1) / std::sqrt(x.v);
    const T dr = T(-0.5) * r.v / x.v; // d(x^-1/2)/dx
    for (int j = 0; j < N; ++j)
        r.d[j] = x.d[j] * dr;
    return r;
}

template <class S> struct V3 { S x, y, z; };
template <class S> S dot(const V3<S>& a, const V3<S>& b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
template <class S> V3<S> scale(const V3<S>& a, const S& s) {
    return {a.x * s, a.y * s, a.z * s};
}
template <class S> V3<S> sub(const V3<S>& a, const V3<S>& b) {
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}
template <class S> V3<S> cross(const V3<S>& a, const V3<S>& b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

// One frame: out[6] = (a.t, a.b, a.n, b.t, b.b, b.n) for dn = d[0..2],
// dt = d[3..5], with tangent j of the dual = d/d d[j].
template <class T>
void oneFrame(const T d[6], const glm::vec3& a, const glm::vec3& b, T out[6], T* jac) {
    using D = Dual<T, 6>;
    D in[6];
    for (int j = 0; j < 6; ++j) {
        in[j].v = d[j];
        in[j].d[j] = T(1);
    }
    const V3<D> nRaw{in[0], in[1], in[2] + T(1)};
    const V3<D> n = scale(nRaw, invLength(dot(nRaw, nRaw)));
    const V3<D> tRaw{in[3] + T(1), in[4], in[5]};
    const V3<D> u = sub(tRaw, scale(n, dot(tRaw, n)));
    const V3<D> t = scale(u, invLength(dot(u, u)));
    const V3<D> bt = cross(n, t);
    const glm::vec3* dirs[2] = {&a, &b};
    for (int w = 0; w < 2; ++w) {
        const T x = T(dirs[w]->x), y = T(dirs[w]->y), z = T(dirs[w]->z);
        const V3<D>* axes[3] = {&t, &bt, &n};
        for (int k = 0; k < 3; ++k) {
            const D p = axes[k]->x * x + axes[k]->y * y + axes[k]->z * z;
            const int i = w * 3 + k;
            out[i] = p.v;
            if (jac)
                for (int j = 0; j < 6; ++j)
                    jac[i * 6 + j] = p.d[j];
        }
    }
}

} // namespace

template <class T>
void frameFeaturesJacobian(const T delta[12], const glm::vec3& wo, const glm::vec3& wi, T out[12],
                           T jac[72]) {
    const glm::vec3 h = halfVector(wo, wi);
    oneFrame(delta, h, wo, out, jac);
    oneFrame(delta + 6, h, wi, out + 6, jac ? jac + 36 : nullptr);
}

template <class T>
void frameFeatures(const T delta[12], const glm::vec3& wo, const glm::vec3& wi, T out[12]) {
    frameFeaturesJacobian<T>(delta, wo, wi, out, nullptr);
}

template <class T> void frameFeaturesBackward(const T jac[72], const T dOut[12], T dDelta[12]) {
    for (int k = 0; k < 2; ++k)
        for (int j = 0; j < 6; ++j) {
            T s = T(0);
            for (int i = 0; i < 6; ++i)
                s += jac[k * 36 + i * 6 + j] * dOut[k * 6 + i];
            dDelta[k * 6 + j] = s;
        }
}

glm::vec3 halfVector(const glm::vec3& wo, const glm::vec3& wi) {
    const glm::vec3 s = wo + wi;
    const float len2 = glm::dot(s, s);
    return len2 > 1e-12f ? s / std::sqrt(len2) : glm::vec3(0.0f, 0.0f, 1.0f);
}

void shadingFrames(const float delta[12], glm::vec3 t[2], glm::vec3 b[2], glm::vec3 n[2]) {
    // The projections of the axes e_x, e_y, e_z are the frames' coordinates.
    const glm::vec3 ex(1, 0, 0), ey(0, 1, 0), ez(0, 0, 1);
    float fx[12], fz[12];
    for (int k = 0; k < 2; ++k) {
        oneFrame<float>(delta + 6 * k, ex, ey, fx + 6 * k, nullptr);
        oneFrame<float>(delta + 6 * k, ez, ez, fz + 6 * k, nullptr);
    }
    for (int k = 0; k < 2; ++k) {
        // fx[6k + 0..2] = e_x.(t, b, n), fx[6k + 3..5] = e_y.(t, b, n).
        t[k] = glm::vec3(fx[6 * k + 0], fx[6 * k + 3], fz[6 * k + 0]);
        b[k] = glm::vec3(fx[6 * k + 1], fx[6 * k + 4], fz[6 * k + 1]);
        n[k] = glm::vec3(fx[6 * k + 2], fx[6 * k + 5], fz[6 * k + 2]);
    }
}

#define NERVA_FRAMES_INSTANTIATE(T)                                                                \
    template void frameFeatures<T>(const T*, const glm::vec3&, const glm::vec3&, T*);              \
    template void frameFeaturesJacobian<T>(const T*, const glm::vec3&, const glm::vec3&, T*, T*);  \
    template void frameFeaturesBackward<T>(const T*, const T*, T*);
NERVA_FRAMES_INSTANTIATE(float)
NERVA_FRAMES_INSTANTIATE(double)
#undef NERVA_FRAMES_INSTANTIATE

} // namespace nerva::material
