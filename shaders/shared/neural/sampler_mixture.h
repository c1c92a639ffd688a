// The neural material's importance sampler: an analytic two-lobe mixture
// whose 9 parameters the sampler network predicts from (latent code, wo).
// Sample and pdf are closed-form; the C++ trainer and the GLSL hit shader
// both use this file (C++-only gradients: neural/material/sampler_mixture_grad.h).
// Directions are local (z = normal), point away from the surface; pdfs are in
// solid-angle measure of wi (steradian^-1), as in ../lobes/lobe_sample.h.
//
// Raw network outputs r[0..8] -> parameters (every map smooth and total):
//   w = sigmoid(r0)                  weight of the GGX lobe (cosine: 1 - w)
//   m = (r1, r2)                     mean slope (slope of the lobe's centre h)
//   L = [[exp r3, 0], [r4, exp r5]]  lower-triangular slope transform;
//                                    det L = exp(r3 + r5) > 0. L L^T is any
//                                    SPD matrix: alphas and rotation/correlation
//   a = normalize(r6, r7, 1)         axis of the power-cosine lobe (a tilt)
//   n = exp(r8)                      its exponent (n = 1: tilted cosine)
// Raw values are first clamped to +-kSamplerRawLimit: a trained network never
// goes there, and it bounds every float below (exp(40) = 2e17, det L >=
// exp(-80) = 2e-35), so no input produces NaN or Inf.
//
// GGX lobe in slope space. A microfacet normal h (h.z > 0) has slope
// s = (-h.x / h.z, -h.y / h.z); the standard isotropic GGX of alpha 1 has the
// slope density P22(x, y) = 1 / (pi (1 + x^2 + y^2)^2). We draw s0 ~ P22 and
// set s = m + L s0, so
//   p_slope(s) = P22(L^-1 (s - m)) / det L           (linear change of variables).
// Slope -> normal: h = (-s, 1) / sqrt(1 + |s|^2) maps the plane onto the upper
// hemisphere with area element d(omega_h) = ds / (1 + |s|^2)^(3/2) = h.z^3 ds,
// hence p_h(h) = p_slope(s) / h.z^3. (Check: alpha 1 gives p_h = h.z / pi, the
// cosine-weighted hemisphere, i.e. D(h) cos(theta_h) with D = 1 / pi.)
// Normal -> direction: wi = reflect(-wo, h) = 2 (wo.h) h - wo has
// d(omega_i) = 4 |wo.h| d(omega_h) (Walter et al. 2007), so
//   p_ggx(wi) = p_h(h) / (4 |wo.h|),  h = normalize(wo + wi), flipped to h.z > 0.
// The flip: a drawn h with wo.h < 0 reflects wo to wi with wo + wi = 2 (wo.h) h,
// i.e. normalize(wo + wi) = -h; flipping recovers h (and such wi always lie
// below the horizon, since wi.z = 2 (wo.h) h.z - wo.z < 0). The map h -> wi is
// one-to-one on the upper hemisphere of h, so p_ggx integrates to 1 over the
// whole sphere of wi.
// Sampling s0: |s0|^2 has CDF R^2 / (1 + R^2), so |s0| = sqrt(u / (1 - u)),
// and its angle is uniform.
//
// Power-cosine lobe about a: p_cos(wi) = (n + 1) / (2 pi) max(0, wi.a)^n,
// normalised over the hemisphere around a. Sampled in a's frame with
// cos(theta) = U^(1 / (n + 1)) (its CDF in cos(theta) is cos^(n+1)).
//
// Mixture: p(wi) = w p_ggx(wi) + (1 - w) p_cos(wi), a density over the WHOLE
// sphere of wi (so it integrates to 1). Sampling picks the lobe with u.x and
// draws with u.yz; a sample with wi.z <= 0 is returned invalid (pdf 0): the mass
// below the horizon is lost, which the renderer sees as absorbed throughput.
// samplerMixturePdf also returns the full-sphere density below the horizon;
// renderers only ask for wi.z > 0. No sample and pdf 0 when wo.z <= 0.
//
// Log space: samplerMixtureLogPdf is computed from logs of every factor
// (log-sum-exp over the lobes), so tiny or huge densities stay accurate for the
// KL training loss; kSamplerLogZero (-1e30) stands for log 0. samplerMixturePdf
// is exp of it (one code path, no overflow or 0 * inf).
//
// LobeSample.weight is left vec3(0): the neural material fills it with
// eval / pdf (this header knows nothing about the BRDF).
#ifndef NERVA_SHARED_NEURAL_SAMPLER_MIXTURE_H
#define NERVA_SHARED_NEURAL_SAMPLER_MIXTURE_H

#include "../lobes/lobe_sample.h"

NERVA_SHARED_BEGIN

NERVA_CONST float kSamplerRawLimit = 40.0f;
NERVA_CONST float kSamplerLogZero = -1e30f;
// GGX density of a half-vector this close to the horizon is taken as 0 (it
// vanishes there like h.z for any finite L; keeps slopes finite).
NERVA_CONST float kSamplerMinHalfZ = 1e-15f;
// Standardised slopes u = L^-1 (s - m) and sampled slopes are clamped to this
// (|u|^2 stays finite in float; P22 there is < 1e-72 anyway).
NERVA_CONST float kSamplerSlopeLimit = 1e18f;
NERVA_CONST float kSamplerLogPi = 1.14472988584940017414f;
NERVA_CONST float kSamplerLogTwoPi = 1.83787706640934548356f;

struct SamplerMixture {
    float w;       // weight of the GGX lobe, sigmoid(r0)
    float logW;    // log w = -softplus(-r0)
    float log1mW;  // log(1 - w) = -softplus(r0)
    vec2 mean;     // mean slope m = (r1, r2)
    vec3 l;        // (L00, L10, L11) = (exp r3, r4, exp r5)
    float logDetL; // r3 + r5
    vec3 axis;     // power-cosine axis a, unit, a.z > 0
    float n;       // power-cosine exponent exp(r8)
    float logNorm; // log((n + 1) / (2 pi)) = softplus(r8) - log(2 pi)
};

// log(1 + exp(x)) without overflow.
NERVA_FN float samplerSoftplus(float x) {
    return max(x, 0.0f) + log(1.0f + exp(-abs(x)));
}

// Parameters from the raw outputs r = (r012, r345, r678) (GLSL has no array
// references, so the 9 floats travel as three vec3).
NERVA_FN SamplerMixture samplerMixtureFromRaw(vec3 r012, vec3 r345, vec3 r678) {
    vec3 a = clamp(r012, -kSamplerRawLimit, kSamplerRawLimit);
    vec3 b = clamp(r345, -kSamplerRawLimit, kSamplerRawLimit);
    vec3 c = clamp(r678, -kSamplerRawLimit, kSamplerRawLimit);
    SamplerMixture m;
    m.w = 1.0f / (1.0f + exp(-a.x));
    m.logW = -samplerSoftplus(-a.x);
    m.log1mW = -samplerSoftplus(a.x);
    m.mean = vec2(a.y, a.z);
    m.l = vec3(exp(b.x), b.y, exp(b.z));
    m.logDetL = b.x + b.z;
    m.axis = normalize(vec3(c.x, c.y, 1.0f));
    m.n = exp(c.z);
    m.logNorm = samplerSoftplus(c.z) - kSamplerLogTwoPi;
    return m;
}

// log p_ggx(wi) for the GGX lobe alone (full sphere; kSamplerLogZero where the
// density is 0: wi = -wo or h on the horizon).
NERVA_FN float samplerMixtureGgxLogPdf(SamplerMixture m, vec3 wo, vec3 wi) {
    vec3 hv = wo + wi;
    float len2 = dot(hv, hv);
    if (!(len2 > 1e-12f)) return kSamplerLogZero;
    vec3 h = hv * inversesqrt(len2);
    if (h.z < 0.0f) h = -h;
    if (!(h.z > kSamplerMinHalfZ)) return kSamplerLogZero;
    float woh = abs(dot(wo, h));
    if (!(woh > 0.0f)) return kSamplerLogZero;
    // Slope of h, then u = L^-1 (s - m) by forward substitution.
    vec2 d = vec2(-h.x / h.z, -h.y / h.z) - m.mean;
    float ux = clamp(d.x / m.l.x, -kSamplerSlopeLimit, kSamplerSlopeLimit);
    float uy = clamp((d.y - m.l.y * ux) / m.l.z, -kSamplerSlopeLimit, kSamplerSlopeLimit);
    // log P22(u) - log det L - 3 log h.z - log(4 |wo.h|).
    float logP22 = -kSamplerLogPi - 2.0f * log(1.0f + ux * ux + uy * uy);
    return logP22 - m.logDetL - 3.0f * log(h.z) - log(4.0f * woh);
}

// log p_cos(wi) for the power-cosine lobe alone.
NERVA_FN float samplerMixtureCosLogPdf(SamplerMixture m, vec3 wi) {
    float c = dot(wi, m.axis);
    if (!(c > 0.0f)) return kSamplerLogZero;
    return m.logNorm + m.n * log(c);
}

// log(exp(a) + exp(b)), exact for a, b = kSamplerLogZero too.
NERVA_FN float samplerLogSumExp(float a, float b) {
    float hi = max(a, b);
    return hi + log(1.0f + exp(min(a, b) - hi));
}

// log p(wi) of the mixture; kSamplerLogZero when wo.z <= 0.
NERVA_FN float samplerMixtureLogPdf(SamplerMixture m, vec3 wo, vec3 wi) {
    if (!(wo.z > 0.0f)) return kSamplerLogZero;
    float g = m.logW + samplerMixtureGgxLogPdf(m, wo, wi);
    float c = m.log1mW + samplerMixtureCosLogPdf(m, wi);
    return max(samplerLogSumExp(g, c), kSamplerLogZero);
}

// p(wi) of the mixture (full sphere), 0 when wo.z <= 0. Capped at exp(80)
// (only degenerate parameters come near it) so that it stays finite.
NERVA_FN float samplerMixturePdf(SamplerMixture m, vec3 wo, vec3 wi) {
    float lp = samplerMixtureLogPdf(m, wo, wi);
    if (lp <= -100.0f) return 0.0f; // below float's range anyway
    return exp(min(lp, 80.0f));
}

// A microfacet normal of the GGX lobe from u in [0, 1)^2 (the caller reflects).
NERVA_FN vec3 samplerMixtureSampleGgxNormal(SamplerMixture m, vec2 u) {
    float r = sqrt(u.x / (1.0f - u.x)); // |s0|: CDF r^2 / (1 + r^2)
    float phi = kTwoPi * u.y;
    vec2 s0 = vec2(r * cos(phi), r * sin(phi));
    vec2 s = m.mean + vec2(m.l.x * s0.x, m.l.y * s0.x + m.l.z * s0.y);
    s = clamp(s, -kSamplerSlopeLimit, kSamplerSlopeLimit);
    return normalize(vec3(-s.x, -s.y, 1.0f));
}

// A direction of the power-cosine lobe from u in [0, 1)^2.
NERVA_FN vec3 samplerMixtureSampleCos(SamplerMixture m, vec2 u) {
    float cosTheta = exp(log(1.0f - u.x) / (m.n + 1.0f)); // 1 - u.x in (0, 1]
    float sinTheta = sqrt(max(0.0f, 1.0f - cosTheta * cosTheta));
    float phi = kTwoPi * u.y;
    return toWorld(frameFromNormal(m.axis),
                   vec3(sinTheta * cos(phi), sinTheta * sin(phi), cosTheta));
}

// Draws wi from the mixture: u.x < w picks GGX, u.yz drive the lobe. pdf 0 (no
// sample) when wo.z <= 0 or wi.z <= 0; otherwise pdf = samplerMixturePdf(wi).
// weight stays vec3(0): the caller fills it with eval / pdf.
NERVA_FN LobeSample samplerMixtureSample(SamplerMixture m, vec3 wo, vec3 u) {
    LobeSample s = lobeSampleNone();
    if (!(wo.z > 0.0f)) return s;
    vec3 wi;
    if (u.x < m.w) {
        wi = reflect(-wo, samplerMixtureSampleGgxNormal(m, vec2(u.y, u.z)));
    } else {
        wi = samplerMixtureSampleCos(m, vec2(u.y, u.z));
    }
    if (!(wi.z > 0.0f)) return s;
    float pdf = samplerMixturePdf(m, wo, wi);
    if (!(pdf > 0.0f)) return s;
    s.wi = wi;
    s.pdf = pdf;
    return s;
}

NERVA_SHARED_END

#endif
