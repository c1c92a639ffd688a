// Chi-squared test for direction samplers on the hemisphere or the sphere.
//
// A sampler draws directions; its claimed pdf (solid-angle measure) is
// integrated over bins of equal area -- equal steps in cos(theta) times
// equal steps in phi, so d(omega) = d(cos theta) d(phi) -- to give expected
// counts. Bins expecting fewer than 5 samples are pooled into one cell,
// samples the sampler rejected (pdf 0) form a cell of their own whose
// expectation is the mass the pdf leaves out, and chi2Test (chi2.h) gives
// the p-value. Samples where the pdf integrates to zero, or outside the
// domain, reject outright.
//
// Header-only: included by both the unit and the GPU test binaries.
#pragma once

#include "tests/support/chi2.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace nerva::test {

namespace chi2detail {
constexpr double kTwoPi = 6.283185307179586476925;
} // namespace chi2detail

enum class DirectionDomain {
    Hemisphere, // z >= 0 (reflection-only samplers)
    Sphere,
};

// cosThetaBins x phiBins bins of equal solid angle; cos(theta) = z, phi =
// atan2(y, x) in [0, 2 pi). Bin index = cosIndex * phiBins + phiIndex.
struct DirectionBinning {
    int cosThetaBins = 20;
    int phiBins = 40;
    DirectionDomain domain = DirectionDomain::Hemisphere;

    int count() const { return cosThetaBins * phiBins; }
    double cosMin() const { return domain == DirectionDomain::Hemisphere ? 0.0 : -1.0; }
    double cosLo(int bin) const {
        return cosMin() + (1.0 - cosMin()) * (bin / phiBins) / cosThetaBins;
    }
    double cosHi(int bin) const {
        return cosMin() + (1.0 - cosMin()) * (bin / phiBins + 1) / cosThetaBins;
    }
    double phiLo(int bin) const { return chi2detail::kTwoPi * (bin % phiBins) / phiBins; }
    double phiHi(int bin) const { return chi2detail::kTwoPi * (bin % phiBins + 1) / phiBins; }
    double solidAngle(int bin) const {
        return (cosHi(bin) - cosLo(bin)) * (phiHi(bin) - phiLo(bin));
    }

    // Bin of a direction (need not be normalised); -1 outside the domain or
    // when not finite.
    int index(double x, double y, double z) const {
        const double len = std::sqrt(x * x + y * y + z * z);
        if (!(len > 0.0) || !std::isfinite(len)) return -1;
        const double c = z / len;
        if (c < cosMin()) return -1;
        const int i =
            std::min(int((c - cosMin()) / (1.0 - cosMin()) * cosThetaBins), cosThetaBins - 1);
        double phi = std::atan2(y, x);
        if (phi < 0.0) phi += chi2detail::kTwoPi;
        const int j = std::min(int(phi / chi2detail::kTwoPi * phiBins), phiBins - 1);
        return i * phiBins + j;
    }

    std::string label(int bin) const {
        constexpr double deg = 360.0 / chi2detail::kTwoPi;
        return chi2detail::format("cos(theta) [%.4f, %.4f] phi [%.1f, %.1f] deg", cosLo(bin),
                                  cosHi(bin), phiLo(bin) * deg, phiHi(bin) * deg);
    }
};

// Counts of sampled directions per bin, of samples the sampler rejected
// (returned pdf 0: "invalid") and of samples outside the domain.
class DirectionHistogram {
  public:
    explicit DirectionHistogram(DirectionBinning binning = {})
        : binning_(binning), counts_(size_t(binning.count()), 0) {}

    void add(double x, double y, double z) {
        const int bin = binning_.index(x, y, z);
        if (bin < 0)
            ++outside_;
        else
            ++counts_[size_t(bin)];
    }
    void addInvalid() { ++invalid_; }

    const DirectionBinning& binning() const { return binning_; }
    const std::vector<uint64_t>& counts() const { return counts_; }
    uint64_t invalid() const { return invalid_; }
    uint64_t outside() const { return outside_; }
    uint64_t total() const {
        return std::accumulate(counts_.begin(), counts_.end(), uint64_t(0)) + invalid_ + outside_;
    }

  private:
    DirectionBinning binning_;
    std::vector<uint64_t> counts_;
    uint64_t invalid_ = 0;
    uint64_t outside_ = 0;
};

// A pdf in solid-angle measure of a direction (x, y, z), |(x, y, z)| = 1.
using DirectionPdf = std::function<double(double x, double y, double z)>;

namespace chi2detail {

// Adaptive Simpson quadrature in one dimension: an interval's Simpson rule
// is compared with the sum of its halves' and the interval splits until they
// agree to the tolerance (Richardson-corrected), between a minimum and a
// maximum depth and within a budget of evaluations. `f`: double -> double.
template <typename F> class AdaptiveSimpson {
  public:
    AdaptiveSimpson(const F& f, int minDepth, int maxDepth, long budget)
        : f_(f), minDepth_(minDepth), maxDepth_(maxDepth), budget_(budget) {}

    double integrate(double a, double b, double tolerance) const {
        evaluations_ = 3;
        const double fa = f_(a), fm = f_(0.5 * (a + b)), fb = f_(b);
        return step(a, b, fa, fm, fb, (b - a) / 6.0 * (fa + 4.0 * fm + fb), tolerance, 0);
    }

  private:
    double step(double a, double b, double fa, double fm, double fb, double whole, double tolerance,
                int depth) const {
        const double m = 0.5 * (a + b);
        const double flm = f_(0.5 * (a + m)), frm = f_(0.5 * (m + b));
        evaluations_ += 2;
        const double left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
        const double right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
        const double delta = left + right - whole;
        // Float pdfs carry rounding noise (~1e-7 relative per evaluation,
        // more through pow and divisions): do not chase it.
        const bool converged =
            std::abs(delta) <= 15.0 * tolerance || std::abs(delta) <= 1e-5 * std::abs(left + right);
        if (depth >= maxDepth_ || evaluations_ > budget_ || (depth >= minDepth_ && converged))
            return left + right + delta / 15.0;
        return step(a, m, fa, flm, fm, left, 0.5 * tolerance, depth + 1) +
               step(m, b, fm, frm, fb, right, 0.5 * tolerance, depth + 1);
    }

    const F& f_;
    int minDepth_;
    int maxDepth_;
    long budget_;
    mutable long evaluations_ = 0;
};

// Integral of a direction pdf over [c0, c1] x [p0, p1] in (cos theta, phi):
// nested adaptive Simpson (outer over cos theta, inner over phi), so a lobe
// narrow in one coordinate refines only that one. `tolerance` is absolute.
inline double integrateRectangle(const DirectionPdf& pdf, double c0, double c1, double p0,
                                 double p1, double tolerance) {
    constexpr int kMinDepth = 2, kMaxDepth = 30;
    constexpr long kInnerBudget = 4000, kOuterBudget = 1000;
    double c = 0.0, s = 0.0;
    auto alongPhi = [&](double phi) {
        const double value = pdf(s * std::cos(phi), s * std::sin(phi), c);
        if (!std::isfinite(value) || value < 0.0)
            throw std::runtime_error("DirectionPdf returned a negative or non-finite value");
        return value;
    };
    const AdaptiveSimpson<decltype(alongPhi)> inner(alongPhi, kMinDepth, kMaxDepth, kInnerBudget);
    // Inner errors reach the result scaled by the cos(theta) extent.
    const double innerTolerance = 0.25 * tolerance / (c1 - c0);
    auto alongCos = [&](double cosTheta) {
        c = cosTheta;
        s = std::sqrt(std::max(0.0, 1.0 - c * c));
        return inner.integrate(p0, p1, innerTolerance);
    };
    const AdaptiveSimpson<decltype(alongCos)> outer(alongCos, kMinDepth, kMaxDepth, kOuterBudget);
    return outer.integrate(c0, c1, 0.5 * tolerance);
}

} // namespace chi2detail

// Probability mass of `pdf` in every bin. `sampleCount` (the number of
// samples the masses will be compared with) sets the accuracy: each bin's
// expected count to about 1% of its standard deviation. The pdf is evaluated
// a hair (1e-12 of the bin) inside bin edges, so a jump at a bin edge (the
// horizon of a reflection pdf: zero at z = 0, not beyond) is seen from the
// bin's own side; the mass of that sliver is negligible even under a peak.
inline std::vector<double> binProbabilities(const DirectionBinning& binning,
                                            const DirectionPdf& pdf, double sampleCount) {
    constexpr double inset = 1e-12;
    const double n = std::max(sampleCount, 1.0);
    std::vector<double> p(size_t(binning.count()));
    for (int bin = 0; bin < binning.count(); ++bin) {
        const double dc = inset * (binning.cosHi(bin) - binning.cosLo(bin));
        const double dp = inset * (binning.phiHi(bin) - binning.phiLo(bin));
        const double c0 = binning.cosLo(bin) + dc, c1 = binning.cosHi(bin) - dc;
        const double p0 = binning.phiLo(bin) + dp, p1 = binning.phiHi(bin) - dp;
        // A coarse first estimate of the mass sets the tolerance; missing a
        // narrow peak there only makes the tolerance stricter.
        const double coarse = chi2detail::integrateRectangle(pdf, c0, c1, p0, p1, 1e300);
        const double tolerance = 0.01 * std::sqrt(std::max(coarse * n, 1.0)) / n;
        p[size_t(bin)] =
            std::max(0.0, chi2detail::integrateRectangle(pdf, c0, c1, p0, p1, tolerance));
    }
    return p;
}

// Tests the histogram of a sampler against the bin masses of its claimed pdf
// (from binProbabilities with the same binning): one cell per bin plus one
// for invalid samples, expecting N (1 - total mass). Samples outside the
// domain reject the sampler outright.
inline Chi2Result directionChi2Test(const DirectionHistogram& histogram,
                                    const std::vector<double>& probabilities,
                                    double minExpected = 5.0, int worstCells = 8) {
    const DirectionBinning& binning = histogram.binning();
    if (probabilities.size() != size_t(binning.count()))
        throw std::invalid_argument("directionChi2Test: one probability per bin needed");
    const double n = double(histogram.total());
    const double mass = std::accumulate(probabilities.begin(), probabilities.end(), 0.0);
    std::vector<double> observed, expected;
    observed.reserve(probabilities.size() + 2);
    expected.reserve(probabilities.size() + 2);
    for (size_t i = 0; i < probabilities.size(); ++i) {
        observed.push_back(double(histogram.counts()[i]));
        expected.push_back(n * probabilities[i]);
    }
    const size_t invalidCell = observed.size();
    observed.push_back(double(histogram.invalid()));
    expected.push_back(n * std::max(0.0, 1.0 - mass));
    const size_t outsideCell = observed.size();
    observed.push_back(double(histogram.outside()));
    expected.push_back(0.0);
    auto label = [&](size_t i) -> std::string {
        if (i == invalidCell) return "invalid samples (pdf 0)";
        if (i == outsideCell) return "samples outside the domain or not finite";
        return binning.label(int(i));
    };
    Chi2Result r = chi2Test(observed, expected, label, minExpected, worstCells);
    r.report = chi2detail::format("%.0f samples in %d x %d bins, pdf mass %.6f, invalid "
                                  "fraction %.6f\n",
                                  n, binning.cosThetaBins, binning.phiBins, mass,
                                  n > 0 ? double(histogram.invalid()) / n : 0.0) +
               r.report;
    return r;
}

} // namespace nerva::test
