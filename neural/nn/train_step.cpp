#include "neural/nn/train_step.h"

#include "neural/core/error.h"

#include <algorithm>

namespace nerva::nn {

BatchGradient::BatchGradient(const Mlp& mlp, ThreadPool* pool, size_t chunkRows)
    : mlp_(&mlp), pool_(pool),
      chunkRows_(std::max<size_t>(1, (chunkRows + kMlpBlock - 1) / kMlpBlock) * kMlpBlock) {}

double BatchGradient::compute(std::span<const float> params, const float* x, size_t batch,
                              const ChunkLoss& loss, std::span<float> grad, float* dx) {
    const size_t P = mlp_->parameterCount();
    if (params.size() != P || grad.size() != P)
        throw Error("nn::BatchGradient: wrong parameter count");
    const size_t count = (batch + chunkRows_ - 1) / chunkRows_;
    if (chunks_.size() < count) chunks_.resize(count);
    const size_t nIn = mlp_->inputs(), nOut = mlp_->outputs();

    auto run = [&](size_t c) {
        Chunk& ch = chunks_[c];
        const size_t first = c * chunkRows_, rows = std::min(chunkRows_, batch - first);
        ch.pred.resize(rows * nOut);
        ch.dPred.resize(rows * nOut);
        ch.grad.assign(P, 0.0f);
        mlp_->forward(params, x + first * nIn, rows, ch.ws, ch.pred.data());
        ch.loss = loss(first, rows, ch.pred.data(), ch.dPred.data());
        mlp_->backward(params, ch.ws, ch.dPred.data(), rows, std::span<float>(ch.grad),
                       dx ? dx + first * nIn : nullptr);
    };
    if (pool_)
        pool_->parallelFor(count, run);
    else
        for (size_t c = 0; c < count; ++c)
            run(c);

    // Fixed-order reduction: chunk 0, then 1, ... whatever thread ran them.
    double total = 0.0;
    std::fill(grad.begin(), grad.end(), 0.0f);
    for (size_t c = 0; c < count; ++c) {
        total += chunks_[c].loss;
        const float* __restrict g = chunks_[c].grad.data();
        float* __restrict out = grad.data();
        for (size_t k = 0; k < P; ++k)
            out[k] += g[k];
    }
    return total;
}

} // namespace nerva::nn
