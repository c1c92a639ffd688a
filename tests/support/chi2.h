// Pearson's chi-squared goodness-of-fit test: the regularised incomplete
// gamma functions (for the statistic's upper tail probability), the Sidak
// correction for many tests, and the test itself over categories with
// pooling of sparse ones. Direction samplers use it through
// tests/support/direction_chi2.h.
//
// Header-only: included by both the unit and the GPU test binaries.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nerva::test {

// ---------------------------------------------------------------------------
// Special functions

namespace chi2detail {

constexpr double kRelEps = 1e-15;
constexpr double kTiny = 1e-300;
constexpr int kMaxIterations = 1000000;

// x^a e^-x / Gamma(a), in logs so that large a and x do not overflow.
inline double gammaPrefactor(double a, double x) {
    return std::exp(a * std::log(x) - x - std::lgamma(a));
}

// P(a, x) from the power series of the lower incomplete gamma function:
// gamma(a, x) = x^a e^-x sum_n x^n / (a (a+1) ... (a+n)). Converges fast
// for x < a + 1.
inline double gammaPSeries(double a, double x) {
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n < kMaxIterations; ++n) {
        term *= x / (a + n);
        sum += term;
        if (std::abs(term) <= std::abs(sum) * kRelEps) break;
    }
    return std::min(1.0, sum * gammaPrefactor(a, x));
}

// Q(a, x) from the continued fraction of the upper incomplete gamma function,
// Gamma(a, x) = x^a e^-x / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / ...)),
// evaluated with the modified Lentz method. Converges fast for x >= a + 1.
inline double gammaQContinuedFraction(double a, double x) {
    double b = x + 1.0 - a;
    double c = 1.0 / kTiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < kMaxIterations; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::abs(d) < kTiny) d = kTiny;
        c = b + an / c;
        if (std::abs(c) < kTiny) c = kTiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) <= kRelEps) break;
    }
    return std::min(1.0, h * gammaPrefactor(a, x));
}

} // namespace chi2detail

// Regularised lower incomplete gamma function P(a, x) = gamma(a, x) / Gamma(a).
inline double regularizedGammaP(double a, double x) {
    if (!(a > 0.0) || std::isnan(x)) throw std::invalid_argument("regularizedGammaP: need a > 0");
    if (x <= 0.0) return 0.0;
    if (std::isinf(x)) return 1.0;
    if (x < a + 1.0) return chi2detail::gammaPSeries(a, x);
    return 1.0 - chi2detail::gammaQContinuedFraction(a, x);
}

// Regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x).
inline double regularizedGammaQ(double a, double x) {
    if (!(a > 0.0) || std::isnan(x)) throw std::invalid_argument("regularizedGammaQ: need a > 0");
    if (x <= 0.0) return 1.0;
    if (std::isinf(x)) return 0.0;
    if (x < a + 1.0) return 1.0 - chi2detail::gammaPSeries(a, x);
    return chi2detail::gammaQContinuedFraction(a, x);
}

// Upper tail of the chi-squared distribution with `dof` degrees of freedom:
// the probability of a statistic >= `statistic` when the model is right.
inline double chi2PValue(double statistic, double dof) {
    return regularizedGammaQ(0.5 * dof, 0.5 * statistic);
}

// Significance level per test so that `tests` independent tests together
// reject a correct model with probability `familyAlpha` (Sidak correction):
// 1 - (1 - familyAlpha)^(1 / tests).
inline double sidakAlpha(double familyAlpha, int tests) {
    if (tests < 1 || !(familyAlpha > 0.0 && familyAlpha < 1.0))
        throw std::invalid_argument("sidakAlpha: need 0 < alpha < 1 and tests >= 1");
    return -std::expm1(std::log1p(-familyAlpha) / tests);
}

// ---------------------------------------------------------------------------
// Chi-squared test over categories

struct Chi2Result {
    double statistic = 0.0;
    int dof = 0;
    double pValue = 1.0;
    int cells = 0;       // cells in the statistic, the pooled one included
    int pooledCells = 0; // categories merged into the pooled cell
    // Non-empty when the data reject the model regardless of the statistic
    // (observations where the model expects none, too few cells).
    std::string failure;
    // A summary line, then the cells contributing most to the statistic.
    std::string report;

    bool rejected(double alpha) const { return !failure.empty() || !(pValue >= alpha); }
};

namespace chi2detail {

// printf into a std::string (the callers' formats are literals).
template <typename... Args> std::string format(const char* fmt, Args... args) {
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, args...);
    return buf;
}

} // namespace chi2detail

// Pearson's test of `observed` counts against `expected` counts (same
// length; the expected counts should sum to the observed total). Categories
// expecting fewer than `minExpected` are pooled into one cell; when that cell
// still expects fewer, the smallest regular cells join it. dof = cells - 1.
// `label(i)` names category i in the report (may be empty).
inline Chi2Result chi2Test(const std::vector<double>& observed, const std::vector<double>& expected,
                           const std::function<std::string(size_t)>& label = {},
                           double minExpected = 5.0, int worstCells = 8) {
    if (observed.size() != expected.size())
        throw std::invalid_argument("chi2Test: observed and expected differ in length");
    auto name = [&](size_t i) { return label ? label(i) : "cell " + std::to_string(i); };
    Chi2Result r;
    std::string zeroCells;
    double zeroObserved = 0.0;
    std::vector<size_t> regular;
    double pooledObserved = 0.0, pooledExpected = 0.0;
    std::vector<size_t> pooled;
    for (size_t i = 0; i < observed.size(); ++i) {
        const double e = expected[i];
        if (!(e >= 0.0) || !std::isfinite(e) || !std::isfinite(observed[i]))
            throw std::invalid_argument("chi2Test: expected counts must be finite and >= 0");
        if (e == 0.0 && observed[i] > 0.0) {
            zeroObserved += observed[i];
            if (zeroCells.size() < 400)
                zeroCells += "\n  " + name(i) + chi2detail::format(": observed %.0f", observed[i]);
        }
        if (e < minExpected) {
            pooledObserved += observed[i];
            pooledExpected += e;
            pooled.push_back(i);
        } else {
            regular.push_back(i);
        }
    }
    if (pooledExpected > 0.0 && pooledExpected < minExpected) {
        std::sort(regular.begin(), regular.end(),
                  [&](size_t a, size_t b) { return expected[a] > expected[b]; });
        while (pooledExpected < minExpected && !regular.empty()) {
            pooledObserved += observed[regular.back()];
            pooledExpected += expected[regular.back()];
            pooled.push_back(regular.back());
            regular.pop_back();
        }
    }

    struct Contribution {
        double value, observed, expected;
        std::string name;
    };
    std::vector<Contribution> contributions;
    auto add = [&](double o, double e, const std::string& n) {
        const double c = (o - e) * (o - e) / e;
        r.statistic += c;
        ++r.cells;
        contributions.push_back({c, o, e, n});
    };
    for (size_t i : regular)
        add(observed[i], expected[i], name(i));
    r.pooledCells = int(pooled.size());
    if (pooledExpected > 0.0) {
        // Name the members with the largest observed counts (where a
        // surplus hides).
        std::sort(pooled.begin(), pooled.end(),
                  [&](size_t a, size_t b) { return observed[a] > observed[b]; });
        std::string members;
        for (size_t k = 0; k < std::min<size_t>(pooled.size(), 3); ++k)
            members +=
                (k ? "; " : ": ") + name(pooled[k]) +
                chi2detail::format(" (O %.0f, E %.2f)", observed[pooled[k]], expected[pooled[k]]);
        add(pooledObserved, pooledExpected,
            "pooled (" + std::to_string(r.pooledCells) + " categories" + members +
                (pooled.size() > 3 ? "; ...)" : ")"));
    }
    r.dof = r.cells - 1;

    if (zeroObserved > 0.0)
        r.failure =
            chi2detail::format("%.0f observations where the model expects none:", zeroObserved) +
            zeroCells;
    else if (r.dof < 1)
        r.failure = "fewer than two cells expect at least " +
                    chi2detail::format("%g", minExpected) + " observations";
    r.pValue = r.dof >= 1 ? chi2PValue(r.statistic, r.dof) : 0.0;
    if (!r.failure.empty()) r.pValue = 0.0;

    r.report = chi2detail::format("chi2 %.2f, dof %d, p %.4g; ", r.statistic, r.dof, r.pValue) +
               std::to_string(r.cells) + " cells (" + std::to_string(r.pooledCells) +
               " categories pooled)";
    if (!r.failure.empty()) r.report += "\nrejected: " + r.failure;
    std::sort(contributions.begin(), contributions.end(),
              [](const Contribution& a, const Contribution& b) { return a.value > b.value; });
    const size_t shown = std::min(contributions.size(), size_t(std::max(worstCells, 0)));
    if (shown) r.report += "\nworst cells:";
    for (size_t k = 0; k < shown; ++k) {
        const Contribution& c = contributions[k];
        r.report +=
            "\n  " + c.name +
            chi2detail::format(": observed %.0f, expected %.1f, (O-E)/sqrt(E) %+.2f", c.observed,
                               c.expected, (c.observed - c.expected) / std::sqrt(c.expected));
    }
    return r;
}

} // namespace nerva::test
