#include "sampler_mixture_grad.h"

#include <algorithm>
#include <cmath>

namespace nerva::material {
namespace {

constexpr double kLogZero = double(shared::kSamplerLogZero);
constexpr double kLimit = double(shared::kSamplerRawLimit);
constexpr double kPi = 3.14159265358979323846;

double softplus(double x) {
    return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
}

} // namespace

SamplerLogPdfGrad samplerMixtureLogPdfGrad(const SamplerRaw& rawIn, const glm::dvec3& wo,
                                           const glm::dvec3& wi) {
    SamplerLogPdfGrad out;
    if (!(wo.z > 0.0)) return out;
    SamplerRaw r;
    std::array<bool, kSamplerRawCount> inside;
    for (int k = 0; k < kSamplerRawCount; ++k) {
        r[size_t(k)] = std::clamp(rawIn[size_t(k)], -kLimit, kLimit);
        inside[size_t(k)] = std::abs(rawIn[size_t(k)]) < kLimit;
    }
    const double w = 1.0 / (1.0 + std::exp(-r[0]));
    const double logW = -softplus(-r[0]);
    const double log1mW = -softplus(r[0]);

    // GGX lobe (see sampler_mixture.h for the Jacobians).
    double A = kLogZero;
    double ux = 0.0, uy = 0.0, gx = 0.0, gy = 0.0;
    const double a = std::exp(r[3]), b = r[4], c = std::exp(r[5]);
    const glm::dvec3 hv = wo + wi;
    const double len2 = glm::dot(hv, hv);
    if (len2 > 1e-12) {
        glm::dvec3 h = hv / std::sqrt(len2);
        if (h.z < 0.0) h = -h;
        const double woh = std::abs(glm::dot(wo, h));
        if (h.z > double(shared::kSamplerMinHalfZ) && woh > 0.0) {
            const double dx = -h.x / h.z - r[1], dy = -h.y / h.z - r[2];
            ux = dx / a;
            uy = (dy - b * ux) / c;
            const double q = ux * ux + uy * uy;
            gx = -4.0 * ux / (1.0 + q);
            gy = -4.0 * uy / (1.0 + q);
            const double logP22 = -std::log(kPi) - 2.0 * std::log1p(q);
            A = logW + logP22 - (r[3] + r[5]) - 3.0 * std::log(h.z) - std::log(4.0 * woh);
        }
    }

    // Power-cosine lobe.
    double B = kLogZero;
    const glm::dvec3 v(r[6], r[7], 1.0);
    const double vlen = glm::length(v);
    const glm::dvec3 axis = v / vlen;
    const double n = std::exp(r[8]);
    const double cosA = glm::dot(wi, axis);
    if (cosA > 0.0) B = log1mW + softplus(r[8]) - std::log(2.0 * kPi) + n * std::log(cosA);

    const double hi = std::max(A, B);
    if (hi <= 0.5 * kLogZero) return out; // p = 0: no gradient
    out.logPdf = hi + std::log1p(std::exp(std::min(A, B) - hi));
    const double pG = std::exp(A - out.logPdf);
    const double pC = std::exp(B - out.logPdf);

    SamplerRaw& g = out.grad;
    g[0] = pG * (1.0 - w) - pC * w;
    if (pG > 0.0) {
        g[1] = pG * (-gx / a + gy * b / (a * c));
        g[2] = pG * (-gy / c);
        g[3] = pG * (-gx * ux + gy * b * ux / c - 1.0);
        g[4] = pG * (-gy * ux / c);
        g[5] = pG * (-gy * uy - 1.0);
    }
    if (pC > 0.0) {
        g[6] = pC * n * (wi.x - axis.x * cosA) / (vlen * cosA);
        g[7] = pC * n * (wi.y - axis.y * cosA) / (vlen * cosA);
        g[8] = pC * (n / (n + 1.0) + n * std::log(cosA));
    }
    for (int k = 0; k < kSamplerRawCount; ++k)
        if (!inside[size_t(k)]) g[size_t(k)] = 0.0;
    return out;
}

float samplerMixtureLogPdfGrad(const float raw[kSamplerRawCount], shared::vec3 wo, shared::vec3 wi,
                               float grad[kSamplerRawCount]) {
    SamplerRaw r;
    for (int k = 0; k < kSamplerRawCount; ++k)
        r[size_t(k)] = double(raw[k]);
    const SamplerLogPdfGrad g = samplerMixtureLogPdfGrad(r, glm::dvec3(wo), glm::dvec3(wi));
    for (int k = 0; k < kSamplerRawCount; ++k)
        grad[k] = float(g.grad[size_t(k)]);
    return float(std::max(g.logPdf, kLogZero));
}

shared::SamplerMixture samplerMixtureFromRaw(const float raw[kSamplerRawCount]) {
    return shared::samplerMixtureFromRaw(shared::vec3(raw[0], raw[1], raw[2]),
                                         shared::vec3(raw[3], raw[4], raw[5]),
                                         shared::vec3(raw[6], raw[7], raw[8]));
}

} // namespace nerva::material
