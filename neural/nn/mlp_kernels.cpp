// The blocked forward/backward kernels of Mlp (layouts: mlp.h). Every
// reduction runs in a fixed order, so results are bit-identical for the same
// inputs on the same build. Compiled at -O3 (neural/CMakeLists.txt).
#include "neural/core/error.h"
#include "neural/nn/mlp.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace nerva::nn {
namespace {

constexpr size_t B = kMlpBlock;

// Sum over the B rows of a[b] * c[b] with 8 explicit lanes combined in a
// fixed tree: vectorisable without -ffast-math (which would license GCC to
// reorder a plain loop) and deterministic.
template <class T> inline T dotRows(const T* __restrict a, const T* __restrict c) {
    T lane[8] = {};
    for (size_t k = 0; k < B; k += 8)
        for (size_t j = 0; j < 8; ++j)
            lane[j] += a[k + j] * c[k + j];
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
           ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

// Q dot products sharing `a`: out[q] += dotRows(a, c + q * B), same lanes and
// tree as dotRows (so bit-identical), with a loaded once for all Q.
template <class T, size_t Q>
inline void dotRowsN(const T* __restrict a, const T* __restrict c, T* __restrict out) {
    T lane[Q][8] = {};
    for (size_t k = 0; k < B; k += 8)
        for (size_t q = 0; q < Q; ++q)
            for (size_t j = 0; j < 8; ++j)
                lane[q][j] += a[k + j] * c[q * B + k + j];
    for (size_t q = 0; q < Q; ++q)
        out[q] += ((lane[q][0] + lane[q][1]) + (lane[q][2] + lane[q][3])) +
                  ((lane[q][4] + lane[q][5]) + (lane[q][6] + lane[q][7]));
}

template <class T> inline T sumRows(const T* __restrict a) {
    T lane[8] = {};
    for (size_t k = 0; k < B; k += 8)
        for (size_t j = 0; j < 8; ++j)
            lane[j] += a[k + j];
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
           ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

// acc[b] -> act(acc[b]) stored to y[b].
template <class T> inline void activate(Activation a, const T* __restrict acc, T* __restrict y) {
    const T slope = T(kLeakySlope);
    switch (a) {
    case Activation::None:
        for (size_t b = 0; b < B; ++b)
            y[b] = acc[b];
        break;
    case Activation::ReLU:
        for (size_t b = 0; b < B; ++b)
            y[b] = std::max(acc[b], T(0));
        break;
    case Activation::LeakyReLU: // max(x, 0.01 x) == leaky ReLU for slope < 1
        for (size_t b = 0; b < B; ++b)
            y[b] = std::max(acc[b], slope * acc[b]);
        break;
    case Activation::Exp3:
        for (size_t b = 0; b < B; ++b)
            y[b] = std::exp(acc[b] - T(3));
        break;
    }
}

// g[b] *= act'(pre-activation), written through the output y[b]. Leaky
// ReLU's (here and in activate) are written with max(): GCC 12 at -O2 left
// the equivalent selects unvectorised.
template <class T>
inline void activationGrad(Activation a, const T* __restrict y, T* __restrict g) {
    const T slope = T(kLeakySlope);
    switch (a) {
    case Activation::None:
        break;
    case Activation::ReLU:
        for (size_t b = 0; b < B; ++b)
            g[b] = y[b] > T(0) ? g[b] : T(0);
        break;
    case Activation::LeakyReLU:
        for (size_t b = 0; b < B; ++b)
            g[b] *= std::max(T(y[b] > T(0)), slope);
        break;
    case Activation::Exp3:
        for (size_t b = 0; b < B; ++b)
            g[b] *= y[b];
        break;
    }
}

// out[o][b] = act(bias[o] + sum_i W[o][i] in[i][b]) for one block. The B
// accumulators of one output row live in registers across the i loop.
template <class T>
void layerForward(const LayerSpec& L, const T* __restrict w, const T* __restrict bias,
                  const T* __restrict in, T* __restrict out) {
    for (size_t o = 0; o < L.out; ++o) {
        T acc[B];
        const T b0 = bias ? bias[o] : T(0);
        for (size_t b = 0; b < B; ++b)
            acc[b] = b0;
        const T* wo = w + o * L.in;
        for (size_t i = 0; i < L.in; ++i) {
            const T wi = wo[i];
            const T* xi = in + i * B;
            for (size_t b = 0; b < B; ++b)
                acc[b] += wi * xi[b];
        }
        activate(L.activation, acc, out + o * B);
    }
}

// One block of one layer, given g = dL/d(output) [out][B] (overwritten with
// dL/d(pre-activation)): adds to dW/db and, when gin is set, writes
// gin[i][b] = sum_o W[o][i] g[o][b].
template <class T>
void layerBackward(const LayerSpec& L, const T* __restrict w, const T* __restrict in,
                   const T* __restrict out, T* __restrict g, T* __restrict dw, T* __restrict db,
                   T* __restrict gin) {
    for (size_t o = 0; o < L.out; ++o)
        activationGrad(L.activation, out + o * B, g + o * B);
    if (db)
        for (size_t o = 0; o < L.out; ++o)
            db[o] += sumRows(g + o * B);
    for (size_t o = 0; o < L.out; ++o) {
        const T* go = g + o * B;
        T* dwo = dw + o * L.in;
        size_t i = 0;
        for (; i + 4 <= L.in; i += 4)
            dotRowsN<T, 4>(go, in + i * B, dwo + i);
        for (; i < L.in; ++i)
            dwo[i] += dotRows(go, in + i * B);
    }
    if (!gin) return;
    for (size_t i = 0; i < L.in; ++i) {
        T acc[B] = {};
        for (size_t o = 0; o < L.out; ++o) {
            const T wi = w[o * L.in + i];
            const T* go = g + o * B;
            for (size_t b = 0; b < B; ++b)
                acc[b] += wi * go[b];
        }
        T* gi = gin + i * B;
        for (size_t b = 0; b < B; ++b)
            gi[b] = acc[b];
    }
}

} // namespace

template <class T>
void Mlp::forward(std::span<const T> params, const T* x, size_t batch, MlpWorkspace<T>& ws,
                  T* y) const {
    if (params.size() != paramCount_) throw Error("nn::Mlp::forward: wrong parameter count");
    const size_t blocks = (batch + B - 1) / B;
    ws.batch = batch;
    ws.acts.resize(blocks * blockStride_);
    const size_t nIn = inputs(), nOut = outputs();
    for (size_t blk = 0; blk < blocks; ++blk) {
        T* base = ws.acts.data() + blk * blockStride_;
        const size_t r0 = blk * B, rows = std::min(B, batch - r0);
        // Transpose the block's inputs to [i][b]; padded rows are zero.
        for (size_t b = 0; b < B; ++b)
            for (size_t i = 0; i < nIn; ++i)
                base[i * B + b] = b < rows ? x[(r0 + b) * nIn + i] : T(0);
        for (size_t l = 0; l < layers_.size(); ++l) {
            const LayerSpec& L = layers_[l];
            const T* w = params.data() + offsets_[l].weights;
            const T* bias = L.bias ? params.data() + offsets_[l].bias : nullptr;
            layerForward(L, w, bias, base + actOffsets_[l], base + actOffsets_[l + 1]);
        }
        const T* a = base + actOffsets_.back();
        for (size_t b = 0; b < rows; ++b)
            for (size_t o = 0; o < nOut; ++o)
                y[(r0 + b) * nOut + o] = a[o * B + b];
    }
}

template <class T>
void Mlp::backward(std::span<const T> params, MlpWorkspace<T>& ws, const T* dy, size_t batch,
                   std::span<T> dparams, T* dx) const {
    if (params.size() != paramCount_ || dparams.size() != paramCount_)
        throw Error("nn::Mlp::backward: wrong parameter count");
    if (batch != ws.batch) throw Error("nn::Mlp::backward: batch differs from the last forward");
    const size_t blocks = (batch + B - 1) / B;
    ws.gradA.resize(maxWidth_ * B);
    ws.gradB.resize(maxWidth_ * B);
    const size_t nIn = inputs(), nOut = outputs();
    for (size_t blk = 0; blk < blocks; ++blk) {
        const T* base = ws.acts.data() + blk * blockStride_;
        const size_t r0 = blk * B, rows = std::min(B, batch - r0);
        T* g = ws.gradA.data();
        T* gin = ws.gradB.data();
        for (size_t b = 0; b < B; ++b)
            for (size_t o = 0; o < nOut; ++o)
                g[o * B + b] = b < rows ? dy[(r0 + b) * nOut + o] : T(0);
        for (size_t l = layers_.size(); l-- > 0;) {
            const LayerSpec& L = layers_[l];
            const T* w = params.data() + offsets_[l].weights;
            T* dw = dparams.data() + offsets_[l].weights;
            T* db = L.bias ? dparams.data() + offsets_[l].bias : nullptr;
            const bool needIn = l > 0 || dx != nullptr;
            layerBackward(L, w, base + actOffsets_[l], base + actOffsets_[l + 1], g, dw, db,
                          needIn ? gin : nullptr);
            std::swap(g, gin);
        }
        if (dx)
            for (size_t b = 0; b < rows; ++b)
                for (size_t i = 0; i < nIn; ++i)
                    dx[(r0 + b) * nIn + i] = g[i * B + b];
    }
}

template void Mlp::forward<float>(std::span<const float>, const float*, size_t,
                                  MlpWorkspace<float>&, float*) const;
template void Mlp::forward<double>(std::span<const double>, const double*, size_t,
                                   MlpWorkspace<double>&, double*) const;
template void Mlp::backward<float>(std::span<const float>, MlpWorkspace<float>&, const float*,
                                   size_t, std::span<float>, float*) const;
template void Mlp::backward<double>(std::span<const double>, MlpWorkspace<double>&, const double*,
                                    size_t, std::span<double>, double*) const;

} // namespace nerva::nn
