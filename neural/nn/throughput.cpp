#include "neural/nn/throughput.h"

#include "neural/nn/adam.h"
#include "neural/nn/losses.h"
#include "neural/nn/pcg32.h"
#include "neural/nn/thread_pool.h"
#include "neural/nn/train_step.h"

#include <chrono>

namespace nerva::nn {

std::vector<LayerSpec> decoderBenchmarkSpec() {
    return {{20, 32, true, Activation::ReLU},
            {32, 32, true, Activation::ReLU},
            {32, 3, true, Activation::Exp3}};
}

double trainingSamplesPerSecond(const std::vector<LayerSpec>& spec, size_t batch, unsigned threads,
                                double seconds) {
    const Mlp mlp(spec);
    std::vector<float> params(mlp.parameterCount()), grad(mlp.parameterCount());
    mlp.initialise(params, 1);
    Pcg32 rng(7);
    std::vector<float> x(batch * mlp.inputs()), target(batch * mlp.outputs());
    for (float& v : x)
        v = rng.uniform(-1.0f, 1.0f);
    for (float& v : target)
        v = rng.uniform(0.0f, 1.0f);

    ThreadPool pool(threads);
    BatchGradient step(mlp, &pool);
    Adam adam(params.size());
    const size_t nOut = mlp.outputs();
    const ChunkLoss loss = [&](size_t first, size_t count, const float* pred, float* dPred) {
        return l1LogLoss(pred, target.data() + first * nOut, count, nOut, batch, dPred);
    };
    auto trainStep = [&] {
        step.compute(params, x.data(), batch, loss, grad);
        adam.step(params, grad, 1e-4f);
    };
    trainStep(); // warm-up: allocations, caches, thread start
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    size_t steps = 0;
    double elapsed = 0.0;
    do {
        trainStep();
        ++steps;
        elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    } while (elapsed < seconds);
    return double(steps * batch) / elapsed;
}

} // namespace nerva::nn
