// The neural sampler's analytic mixture (shaders/shared/neural/
// sampler_mixture.h, C++ build) and its gradient (neural/material/
// sampler_mixture_grad.h): chi-squared of the sampler against its pdf over the
// hemisphere (below-horizon samples in the invalid cell; significance 0.01
// over all settings, Sidak), unit mass of each lobe and of the mixture over the
// whole sphere (double build), sample pdf == pdf, log pdf == log(pdf), float vs double log
// pdf, the analytic gradient vs central differences, finiteness at extreme
// raw outputs.
#include "neural/material/sampler_mixture_grad.h"
#include "shaders/shared/neural/sampler_mixture.h"
#include "shaders/shared/rng.h"
#include "tests/support/direction_chi2.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace nerva::test {
namespace {

using material::kSamplerRawCount;
using shared::SamplerMixture;
using shared::vec3;
using Raw = std::array<float, kSamplerRawCount>;

struct MixCase {
    std::string name;
    Raw raw; // w | mean slope | log L00, L10, log L11 | axis tilt | log n
};

std::vector<MixCase> mixCases() {
    return {
        {"isotropic a=0.3, n=1", {0.0f, 0.0f, 0.0f, -1.204f, 0.0f, -1.204f, 0.2f, -0.1f, 0.0f}},
        {"anisotropic 0.05 x 0.6", {2.0f, 0.0f, 0.0f, -2.996f, 0.0f, -0.511f, 0.0f, 0.0f, 0.0f}},
        {"correlated L", {1.0f, 0.0f, 0.0f, -1.609f, 0.4f, -2.303f, 0.0f, 0.0f, 0.0f}},
        {"off-centre mean slope", {0.5f, 0.6f, -0.3f, -1.609f, 0.0f, -1.609f, 0.0f, 0.0f, 0.0f}},
        {"sharp cosine n=50", {-1.0f, 0.0f, 0.0f, -1.2f, 0.0f, -1.2f, 0.3f, 0.2f, 3.912f}},
        {"broad cosine n=0.5", {-1.0f, 0.2f, 0.1f, -1.2f, 0.0f, -1.2f, -0.5f, 0.4f, -0.693f}},
        {"w near 0", {-6.0f, 0.0f, 0.0f, -1.0f, 0.0f, -1.0f, 0.1f, 0.1f, 1.0f}},
        {"w near 1", {6.0f, 0.1f, 0.2f, -2.0f, -0.3f, -1.5f, 0.0f, 0.0f, 0.0f}},
        {"rough GGX a=1.5", {1.0f, 0.0f, 0.0f, 0.405f, 0.3f, 0.405f, 0.0f, 0.0f, 0.0f}},
        {"tight GGX a=0.02", {1.0f, -0.2f, 0.1f, -3.9f, 0.0f, -3.9f, 0.0f, 0.0f, 0.0f}},
        {"cosine tilted past horizon", {-2.0f, 0.0f, 0.0f, -1.0f, 0.0f, -1.0f, 1.5f, 0.0f, 1.0f}},
    };
}

SamplerMixture mixtureOf(const Raw& r) {
    return material::samplerMixtureFromRaw(r.data());
}

vec3 direction(float cosTheta, float phi) {
    const float s = std::sqrt(std::max(0.0f, 1.0f - cosTheta * cosTheta));
    return vec3(s * std::cos(phi), s * std::sin(phi), cosTheta);
}

struct Wo {
    const char* name;
    float cosTheta, phi;
};
// phi off the bin edges and off the axes.
const Wo kWos[] = {
    {"normal", 1.0f, 0.0f}, {"45 deg", 0.70710678f, 0.7f}, {"cos 0.15", 0.15f, 2.1f}};

TEST(SamplerMixture, SamplerMatchesItsPdf) {
    const std::vector<MixCase> cases = mixCases();
    const double alpha = sidakAlpha(0.01, int(cases.size() * std::size(kWos)));
    const int n = 100000;
    const DirectionBinning binning{20, 40};
    int index = 0;
    double minP = 1.0;
    for (const MixCase& c : cases)
        for (const Wo& w : kWos) {
            const std::string name = c.name + ", wo " + w.name;
            SCOPED_TRACE(name);
            const SamplerMixture m = mixtureOf(c.raw);
            const vec3 wo = direction(w.cosTheta, w.phi);
            DirectionHistogram histogram(binning);
            int pdfMismatches = 0;
            for (int i = 0; i < n; ++i) {
                uint rng = shared::rngSeed(20261204u, uint(index), uint(i));
                const float u0 = shared::rngNext(rng);
                const float u1 = shared::rngNext(rng);
                const float u2 = shared::rngNext(rng);
                const shared::LobeSample s = shared::samplerMixtureSample(m, wo, vec3(u0, u1, u2));
                if (!(s.pdf > 0.0f)) {
                    histogram.addInvalid();
                    continue;
                }
                histogram.add(s.wi.x, s.wi.y, s.wi.z);
                const float pdf = shared::samplerMixturePdf(m, wo, s.wi);
                if (!(std::abs(s.pdf - pdf) <= 1e-5f * pdf) || s.wi.z <= 0.0f) ++pdfMismatches;
            }
            EXPECT_EQ(pdfMismatches, 0);
            const std::vector<double> p = binProbabilities(
                binning,
                [&m, wo](double x, double y, double z) {
                    return double(
                        shared::samplerMixturePdf(m, wo, vec3(float(x), float(y), float(z))));
                },
                double(n));
            const Chi2Result r = directionChi2Test(histogram, p);
            double mass = 0.0;
            for (double q : p)
                mass += q;
            const double valid = 1.0 - double(histogram.invalid()) / n;
            std::printf("[mixture chi2] %-46s chi2 %8.2f dof %4d p %.4f mass %.4f valid %.4f\n",
                        name.c_str(), r.statistic, r.dof, r.pValue, mass, valid);
            minP = std::min(minP, r.pValue);
            EXPECT_FALSE(r.rejected(alpha)) << name << " (alpha per test " << alpha << ")\n"
                                            << r.report;
            // The hemisphere's mass is the fraction of valid samples (5 sigma).
            const double sigma = std::sqrt(std::max(valid * (1.0 - valid), 1e-4) / n);
            EXPECT_NEAR(mass, valid, 5.0 * sigma + 2e-3);
            ++index;
        }
    std::printf("[mixture chi2] %d tests, smallest p %.4f (alpha per test %.5f)\n", index, minP,
                alpha);
}

// Mass over the whole sphere of the mixture with raw outputs `raw`, by the
// double-precision build of log p (sampler_mixture_grad.h; its agreement with
// the float build is tested below). Float's wo + wi cancels catastrophically
// near wi = -wo, where the GGX lobe has an integrable 1 / |wo + wi|
// singularity (h = normalize(wo + wi) undefined); coordinates with the pole at
// -wo remove it: c = wi.(-wo) = 1 - 2 t^2 gives |wo + wi| = 2 t, and with the
// binning's own cosine c_v = 1 - 2 t in [-1, 1], dc = 2 t dc_v cancels it.
// Equal-area bins, adaptive quadrature in each (direction_chi2.h).
double sphereMass(const material::SamplerRaw& raw, vec3 wo) {
    const shared::Frame f = shared::frameFromNormal(-wo);
    const glm::dvec3 ft(f.t), fb(f.b), fn(f.n), o(wo);
    auto substituted = [&](double x, double y, double z) {
        const double t = 0.5 * (1.0 - z);
        const double c = 1.0 - 2.0 * t * t;
        const double s = std::sqrt(std::max(0.0, 1.0 - c * c));
        const double phi = std::atan2(y, x);
        const glm::dvec3 wi = ft * (s * std::cos(phi)) + fb * (s * std::sin(phi)) + fn * c;
        return std::exp(material::samplerMixtureLogPdfGrad(raw, o, wi).logPdf) * 2.0 * t;
    };
    const DirectionBinning sphere{24, 32, DirectionDomain::Sphere};
    double mass = 0.0;
    for (double q : binProbabilities(sphere, substituted, 1e7))
        mass += q;
    return mass;
}

TEST(SamplerMixture, EachLobeAndTheMixtureHaveUnitMassOverTheSphere) {
    for (const MixCase& c : mixCases())
        for (const Wo& w : kWos) {
            const std::string name = c.name + ", wo " + w.name;
            SCOPED_TRACE(name);
            const vec3 wo = direction(w.cosTheta, w.phi);
            material::SamplerRaw raw;
            for (int k = 0; k < kSamplerRawCount; ++k)
                raw[size_t(k)] = double(c.raw[size_t(k)]);
            const double mix = sphereMass(raw, wo);
            // One lobe alone: w at its limits (the other lobe then weighs e^-40).
            raw[0] = double(shared::kSamplerRawLimit);
            const double ggx = sphereMass(raw, wo);
            raw[0] = -double(shared::kSamplerRawLimit);
            const double cosine = sphereMass(raw, wo);
            std::printf("[mixture mass] %-46s ggx %.6f cos %.6f mixture %.6f\n", name.c_str(), ggx,
                        cosine, mix);
            EXPECT_NEAR(ggx, 1.0, 1e-3);
            EXPECT_NEAR(cosine, 1.0, 1e-3);
            EXPECT_NEAR(mix, 1.0, 1e-3);
        }
}

Raw randomRaw(std::mt19937& gen, float range) {
    std::uniform_real_distribution<float> d(-range, range);
    Raw r;
    for (float& x : r)
        x = d(gen);
    return r;
}

vec3 randomDirection(std::mt19937& gen, bool upper) {
    std::uniform_real_distribution<float> d(0.0f, 1.0f);
    const float z = upper ? d(gen) : 2.0f * d(gen) - 1.0f;
    return direction(z, 6.2831853f * d(gen));
}

TEST(SamplerMixture, LogPdfMatchesPdfAndTheDoubleBuild) {
    std::mt19937 gen(7);
    int compared = 0;
    for (int t = 0; t < 20000; ++t) {
        const Raw raw = randomRaw(gen, 2.5f);
        const SamplerMixture m = mixtureOf(raw);
        const vec3 wo = randomDirection(gen, true);
        if (wo.z < 1e-3f) continue;
        vec3 wi = randomDirection(gen, false);
        if (t % 2) { // half from the sampler itself: where the density is
            std::uniform_real_distribution<float> d(0.0f, 1.0f);
            const shared::LobeSample s =
                shared::samplerMixtureSample(m, wo, vec3(d(gen), d(gen), d(gen)));
            if (!(s.pdf > 0.0f)) continue;
            wi = s.wi;
        }
        const float logPdf = shared::samplerMixtureLogPdf(m, wo, wi);
        const float pdf = shared::samplerMixturePdf(m, wo, wi);
        if (pdf > 1e-30f) {
            EXPECT_NEAR(logPdf, std::log(pdf), 1e-5f * std::max(1.0f, std::abs(logPdf)));
        }
        material::SamplerRaw rd;
        for (int k = 0; k < kSamplerRawCount; ++k)
            rd[size_t(k)] = double(raw[size_t(k)]);
        const double ref =
            material::samplerMixtureLogPdfGrad(rd, glm::dvec3(wo), glm::dvec3(wi)).logPdf;
        if (ref > -60.0) {
            ++compared;
            EXPECT_NEAR(double(logPdf), ref, 2e-4 * std::max(1.0, std::abs(ref)))
                << "t " << t << " wi.z " << wi.z;
        }
    }
    EXPECT_GT(compared, 10000);
}

TEST(SamplerMixture, GradientMatchesCentralDifferences) {
    std::mt19937 gen(11);
    std::uniform_real_distribution<float> d(0.0f, 1.0f);
    int checked = 0;
    double worst = 0.0;
    for (int t = 0; t < 4000; ++t) {
        const Raw raw = randomRaw(gen, 2.5f);
        const SamplerMixture m = mixtureOf(raw);
        const vec3 wo = randomDirection(gen, true);
        if (wo.z < 1e-2f) continue;
        vec3 wi = randomDirection(gen, true);
        if (t % 2) {
            const shared::LobeSample s =
                shared::samplerMixtureSample(m, wo, vec3(d(gen), d(gen), d(gen)));
            if (!(s.pdf > 0.0f)) continue;
            wi = s.wi;
        }
        material::SamplerRaw r;
        for (int k = 0; k < kSamplerRawCount; ++k)
            r[size_t(k)] = double(raw[size_t(k)]);
        const glm::dvec3 o(wo), i(wi);
        // Stay clear of the cosine lobe's edge (cos = 0), where log p has a kink.
        const glm::dvec3 v(r[6], r[7], 1.0);
        if (std::abs(glm::dot(i, v / glm::length(v))) < 1e-2) continue;
        const material::SamplerLogPdfGrad g = material::samplerMixtureLogPdfGrad(r, o, i);
        if (g.logPdf < -60.0) continue;
        ++checked;
        for (int k = 0; k < kSamplerRawCount; ++k) {
            const double h = 1e-5;
            material::SamplerRaw up = r, down = r;
            up[size_t(k)] += h;
            down[size_t(k)] -= h;
            const double fd = (material::samplerMixtureLogPdfGrad(up, o, i).logPdf -
                               material::samplerMixtureLogPdfGrad(down, o, i).logPdf) /
                              (2.0 * h);
            const double an = g.grad[size_t(k)];
            const double scale = std::max(std::abs(an), 1e-2);
            worst = std::max(worst, std::abs(fd - an) / scale);
            EXPECT_NEAR(fd, an, 1e-4 * scale) << "t " << t << " r[" << k << "]";
        }
    }
    std::printf("[mixture grad] %d points, worst relative error %.3g\n", checked, worst);
    EXPECT_GT(checked, 2000);
    // The float entry point agrees with the double one.
    const Raw raw = mixCases()[2].raw;
    float grad[kSamplerRawCount];
    const vec3 wo = direction(0.7f, 0.3f), wi = direction(0.8f, 2.0f);
    const float logPdf = material::samplerMixtureLogPdfGrad(raw.data(), wo, wi, grad);
    EXPECT_NEAR(logPdf, shared::samplerMixtureLogPdf(mixtureOf(raw), wo, wi), 1e-4f);
}

bool finite(vec3 v) {
    return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

TEST(SamplerMixture, ExtremeRawOutputsStayFinite) {
    std::mt19937 gen(3);
    std::uniform_real_distribution<float> d(0.0f, 1.0f);
    int bad = 0;
    for (int t = 0; t < 50000; ++t) {
        Raw raw = randomRaw(gen, 30.0f);
        if (t % 5 == 0) // corners: every output at +-30, or far beyond
            for (float& x : raw)
                x = (d(gen) < 0.5f ? -1.0f : 1.0f) * (t % 10 == 0 ? 30.0f : 1e20f);
        const SamplerMixture m = mixtureOf(raw);
        vec3 wo = randomDirection(gen, t % 7 != 0);     // some wo below the horizon
        if (t % 11 == 0) wo = direction(1e-6f, d(gen)); // grazing
        const vec3 wi = randomDirection(gen, false);
        const float pdf = shared::samplerMixturePdf(m, wo, wi);
        const float logPdf = shared::samplerMixtureLogPdf(m, wo, wi);
        const shared::LobeSample s =
            shared::samplerMixtureSample(m, wo, vec3(d(gen), d(gen), d(gen)));
        float grad[kSamplerRawCount];
        const float gLog = material::samplerMixtureLogPdfGrad(raw.data(), wo, wi, grad);
        bool ok = std::isfinite(pdf) && pdf >= 0.0f && std::isfinite(logPdf) &&
                  std::isfinite(s.pdf) && s.pdf >= 0.0f && finite(s.wi) && std::isfinite(gLog);
        for (float x : grad)
            ok = ok && std::isfinite(x);
        if (s.pdf > 0.0f) ok = ok && s.wi.z > 0.0f;
        if (wo.z <= 0.0f) ok = ok && pdf == 0.0f && s.pdf == 0.0f;
        if (!ok && bad++ < 5)
            ADD_FAILURE() << "t " << t << ": pdf " << pdf << " log " << logPdf << " sample pdf "
                          << s.pdf << " grad log " << gLog;
    }
    EXPECT_EQ(bad, 0);
}

} // namespace
} // namespace nerva::test
