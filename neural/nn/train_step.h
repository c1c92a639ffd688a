// The data-parallel part of one training step: forward, loss and backward of
// an Mlp over a batch, split into fixed chunks that run on a ThreadPool.
//
// Determinism: the batch is cut into chunks of a fixed number of rows that
// does NOT depend on the thread count; each chunk accumulates into its own
// gradient buffer and the buffers are summed in chunk order. The result is
// therefore bit-identical for any thread count (and any scheduling), given
// the same chunk size, inputs and build.
#pragma once

#include "neural/nn/mlp.h"
#include "neural/nn/thread_pool.h"

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace nerva::nn {

// Loss of rows [first, first + count) of the batch given their predictions
// (count x outputs, batch-major): returns their share of the batch loss
// (already divided by the whole batch size, see losses.h) and writes
// d loss / d pred to dPred. Called concurrently for different chunks.
using ChunkLoss =
    std::function<double(size_t first, size_t count, const float* pred, float* dPred)>;

class BatchGradient {
  public:
    // Rows per chunk: rounded up to a multiple of kMlpBlock. pool may be
    // null (then everything runs on the calling thread). Both must outlive
    // this object.
    BatchGradient(const Mlp& mlp, ThreadPool* pool, size_t chunkRows = 256);

    // x: batch x inputs (batch-major). Overwrites grad (parameterCount())
    // with d loss / d params and, when dx is not null, dx (batch x inputs)
    // with d loss / d x. Returns the batch loss.
    double compute(std::span<const float> params, const float* x, size_t batch,
                   const ChunkLoss& loss, std::span<float> grad, float* dx = nullptr);

    size_t chunkRows() const { return chunkRows_; }

  private:
    struct Chunk {
        MlpWorkspace<float> ws;
        std::vector<float> pred, dPred, grad;
        double loss = 0.0;
    };
    const Mlp* mlp_;
    ThreadPool* pool_;
    size_t chunkRows_;
    std::vector<Chunk> chunks_;
};

} // namespace nerva::nn
