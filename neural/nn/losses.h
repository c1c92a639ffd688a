// Training losses: each returns the loss of `samples` rows divided by
// `batchSize` (the whole batch's row count) and, when the gradient pointer
// is not null, WRITES d loss / d prediction in the same layout. A batch
// split in chunks therefore gets the batch mean by summing the chunks'
// values, and every chunk's gradient already carries the 1/N factor.
// Predictions and targets are batch-major: p[b * channels + c].
// Templates for float (training) and double (gradient checks).
#pragma once

#include <cstddef>

namespace nerva::nn {

// The paper's BRDF loss (Zeltner et al., "Real-Time Neural Appearance Models"): L1 between
// log(eps + y) and log(eps + t) per channel, summed over channels, mean over
// rows. The log compresses the huge dynamic range of f*cos (specular peaks
// vs. grazing diffuse) so the few bright samples do not dominate, and eps
// keeps it finite and ~linear below eps.
//   L = (1/N) sum_b sum_c |log(eps + y) - log(eps + t)|
//   dL/dy = sign(log(eps + y) - log(eps + t)) / ((eps + y) N)   (0 where equal)
// Requires y, t > -eps (the decoder's Exp3 output is positive), eps > 0.
// eps sets where "relative" error turns into "absolute": with eps = 1
// (log1p) a decoder output y << 1 below a bright target gets a push of
// only y / (1 + y) through its exp output, so specular peaks are learned
// very slowly; the bake uses a smaller eps (BakeOptions::lossEpsilon).
template <class T>
double l1LogLoss(const T* pred, const T* target, size_t samples, size_t channels, size_t batchSize,
                 T* dPred, T eps = T(1));

// Plain squared error: L = (1/N) sum_b sum_c (y - t)^2, dL/dy = 2 (y - t) / N.
template <class T>
double l2Loss(const T* pred, const T* target, size_t samples, size_t channels, size_t batchSize,
              T* dPred);

// Sampler training (KL divergence up to a constant): samples x_b are drawn
// from the target (with importance weights w_b, e.g. f cos / p_source; null
// means 1) and the network predicts log q(x_b). Minimising
//   L = -(1/N) sum_b w_b log q(x_b)
// minimises KL(target || q). dL/dlogq_b = -w_b / N; the network maps that
// back through log q to its own parameters.
template <class T>
double nllLoss(const T* logPdf, const T* weights, size_t samples, size_t batchSize, T* dLogPdf);

} // namespace nerva::nn
