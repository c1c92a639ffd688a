// Gradients of the neural sampler's log density (shaders/shared/neural/
// sampler_mixture.h) with respect to the 9 raw network outputs, for the
// trainer's KL loss: for wi drawn from the reference BSDF it minimises
// -log p(wi | r) and back-propagates d log p / d r into the sampler network.
//
// Analytic, in double precision, mirroring the float code's maps and guards
// (raw clamp to +-kSamplerRawLimit, whose derivative is 0 beyond it; GGX
// density 0 for wi = -wo or a horizontal half-vector). Derivation (the header
// defines the symbols): with A = log w + log p_ggx, B = log(1 - w) + log p_cos
// and log p = logsumexp(A, B), d log p = pG dA + pC dB where pG = exp(A - log p)
// and pC = exp(B - log p) are the lobes' responsibilities.
//   r0: d log w / dr0 = 1 - w, d log(1 - w) / dr0 = -w  ->  pG - w.
//   GGX, u = L^-1 (s - m), q = |u|^2, log P22 = -log pi - 2 log(1 + q),
//   g = d log P22 / du = -4 u / (1 + q); L = [[a, 0], [b, c]]:
//     ux = dx / a, uy = (dy - b ux) / c
//     r1: -gx / a + gy b / (a c)      r2: -gy / c
//     r3: -gx ux + gy b ux / c - 1    r4: -gy ux / c      r5: -gy uy - 1
//   (the -1 from -log det L = -(r3 + r5)).
//   Cosine, v = (r6, r7, 1), a = v / |v|, c = wi.a: d c / dv = (wi - a c) / |v|
//     r6, r7: n (wi.x|y - a.x|y c) / (|v| c)     r8: n / (n + 1) + n log c
//   (d log(n + 1) / dr8 = n / (n + 1), n = exp r8).
#pragma once

#include "shaders/shared/neural/sampler_mixture.h"

#include <array>
#include <glm/glm.hpp>

namespace nerva::material {

constexpr int kSamplerRawCount = 9;
using SamplerRaw = std::array<double, kSamplerRawCount>;

struct SamplerLogPdfGrad {
    double logPdf = double(shared::kSamplerLogZero); // log p(wi); kSamplerLogZero for p = 0
    SamplerRaw grad{};                               // d log p / d r[k]; 0 where p = 0
};

// log p(wi) and its gradient in the raw outputs (double precision). wo, wi
// unit vectors in the local frame; p = 0 (and grad 0) when wo.z <= 0.
SamplerLogPdfGrad samplerMixtureLogPdfGrad(const SamplerRaw& raw, const glm::dvec3& wo,
                                           const glm::dvec3& wi);

// Float convenience for the trainer: writes grad[0..8], returns log p(wi).
float samplerMixtureLogPdfGrad(const float raw[kSamplerRawCount], shared::vec3 wo, shared::vec3 wi,
                               float grad[kSamplerRawCount]);

// The shared parameter struct from 9 raw floats (packs them into three vec3).
shared::SamplerMixture samplerMixtureFromRaw(const float raw[kSamplerRawCount]);

} // namespace nerva::material
