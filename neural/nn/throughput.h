// Training throughput micro-benchmark (not a test: speed is reported by
// `nerva bench`, never asserted).
#pragma once

#include "neural/nn/mlp.h"

#include <cstddef>
#include <vector>

namespace nerva::nn {

// The paper's BRDF decoder: 20 -> 32 -> 32 -> 3, ReLU, Exp3 output, biases.
std::vector<LayerSpec> decoderBenchmarkSpec();

// Runs full training steps (forward, L1-log loss, backward through
// BatchGradient, Adam) of `spec` on fixed random inputs and positive targets
// for about `seconds` (after one untimed warm-up step) on `threads` threads
// and returns trained rows per second.
double trainingSamplesPerSecond(const std::vector<LayerSpec>& spec, size_t batch, unsigned threads,
                                double seconds);

} // namespace nerva::nn
