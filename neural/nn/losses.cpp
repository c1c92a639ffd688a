#include "neural/nn/losses.h"

#include <cmath>

namespace nerva::nn {

template <class T>
double l1LogLoss(const T* pred, const T* target, size_t samples, size_t channels, size_t batchSize,
                 T* dPred, T eps) {
    const T invN = T(1) / T(batchSize);
    double sum = 0.0;
    for (size_t k = 0; k < samples * channels; ++k) {
        const T d = std::log(eps + pred[k]) - std::log(eps + target[k]);
        sum += double(std::fabs(d));
        if (dPred) {
            const T s = d > T(0) ? T(1) : (d < T(0) ? T(-1) : T(0));
            dPred[k] = s * invN / (eps + pred[k]);
        }
    }
    return sum / double(batchSize);
}

template <class T>
double l2Loss(const T* pred, const T* target, size_t samples, size_t channels, size_t batchSize,
              T* dPred) {
    const T invN = T(1) / T(batchSize);
    double sum = 0.0;
    for (size_t k = 0; k < samples * channels; ++k) {
        const T d = pred[k] - target[k];
        sum += double(d) * double(d);
        if (dPred) dPred[k] = T(2) * d * invN;
    }
    return sum / double(batchSize);
}

template <class T>
double nllLoss(const T* logPdf, const T* weights, size_t samples, size_t batchSize, T* dLogPdf) {
    const T invN = T(1) / T(batchSize);
    double sum = 0.0;
    for (size_t b = 0; b < samples; ++b) {
        const T w = weights ? weights[b] : T(1);
        sum += double(w) * double(logPdf[b]);
        if (dLogPdf) dLogPdf[b] = -w * invN;
    }
    return -sum / double(batchSize);
}

template double l1LogLoss<float>(const float*, const float*, size_t, size_t, size_t, float*, float);
template double l1LogLoss<double>(const double*, const double*, size_t, size_t, size_t, double*,
                                  double);
template double l2Loss<float>(const float*, const float*, size_t, size_t, size_t, float*);
template double l2Loss<double>(const double*, const double*, size_t, size_t, size_t, double*);
template double nllLoss<float>(const float*, const float*, size_t, size_t, float*);
template double nllLoss<double>(const double*, const double*, size_t, size_t, double*);

} // namespace nerva::nn
