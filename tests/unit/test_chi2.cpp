// The chi-squared machinery of tests/support/chi2.h: incomplete gamma against
// closed forms and tabulated critical values, pooling and degrees of freedom,
// bin integration, and that the test accepts right pdfs and rejects wrong
// ones (the property every sampler test relies on).
#include "shaders/shared/rng.h"
#include "shaders/shared/sampling.h"
#include "tests/support/direction_chi2.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nerva::test {
namespace {

constexpr double kPi = 3.14159265358979323846;

TEST(IncompleteGamma, ShapeOneIsTheExponential) {
    // Q(1, x) = e^-x; x on both sides of a + 1 = 2 (series and fraction).
    for (double x : {1e-4, 0.1, 0.5, 1.0, 1.9, 2.1, 5.0, 10.0, 30.0, 200.0}) {
        EXPECT_NEAR(regularizedGammaQ(1.0, x), std::exp(-x), 1e-13 * std::exp(-x) + 1e-15) << x;
        EXPECT_NEAR(regularizedGammaP(1.0, x), -std::expm1(-x), 1e-13) << x;
    }
}

TEST(IncompleteGamma, ShapeOneHalfIsTheComplementaryErrorFunction) {
    for (double x : {1e-6, 1e-2, 0.3, 1.0, 1.49, 1.51, 4.0, 20.0, 100.0}) {
        const double expected = std::erfc(std::sqrt(x));
        EXPECT_NEAR(regularizedGammaQ(0.5, x), expected, 1e-12 * expected + 1e-15) << x;
    }
}

TEST(IncompleteGamma, IntegerShapeIsAPoissonTail) {
    // Q(n, x) = e^-x sum_{k<n} x^k / k!
    for (int n : {2, 5, 17, 60}) {
        for (double x : {0.5 * n, n - 0.5, n + 1.5, 2.0 * n}) {
            double term = std::exp(-x), sum = 0.0;
            for (int k = 0; k < n; ++k) {
                sum += term;
                term *= x / (k + 1);
            }
            EXPECT_NEAR(regularizedGammaQ(n, x), sum, 1e-11 * sum) << "n " << n << " x " << x;
            EXPECT_NEAR(regularizedGammaP(n, x) + regularizedGammaQ(n, x), 1.0, 1e-13);
        }
    }
}

TEST(IncompleteGamma, EdgesAndBadArguments) {
    EXPECT_EQ(regularizedGammaQ(3.0, 0.0), 1.0);
    EXPECT_EQ(regularizedGammaP(3.0, 0.0), 0.0);
    EXPECT_EQ(regularizedGammaQ(3.0, INFINITY), 0.0);
    EXPECT_THROW(regularizedGammaQ(0.0, 1.0), std::invalid_argument);
    EXPECT_THROW(regularizedGammaP(-1.0, 1.0), std::invalid_argument);
}

TEST(Chi2Distribution, TabulatedCriticalValues) {
    struct Row {
        double criticalValue, dof, alpha;
    };
    // Upper-tail critical values of the chi-squared distribution.
    const Row rows[] = {
        {3.841459, 1, 0.05},     {6.634897, 1, 0.01},    {9.210340, 2, 0.01},
        {18.307038, 10, 0.05},   {23.209251, 10, 0.01},  {124.342113, 100, 0.05},
        {135.806723, 100, 0.01}, {1106.969, 1000, 0.01},
    };
    for (const Row& r : rows)
        EXPECT_NEAR(chi2PValue(r.criticalValue, r.dof), r.alpha, 1e-5 * r.alpha)
            << "dof " << r.dof << " x " << r.criticalValue;
    // Two degrees of freedom: p = e^(-x/2) exactly.
    EXPECT_NEAR(chi2PValue(7.0, 2), std::exp(-3.5), 1e-14);
}

TEST(Sidak, PerTestLevelKeepsTheFamilyLevel) {
    EXPECT_NEAR(sidakAlpha(0.01, 1), 0.01, 1e-16);
    EXPECT_NEAR(sidakAlpha(0.05, 10), 0.0051161968918237, 1e-14);
    for (int n : {2, 21, 500})
        EXPECT_NEAR(std::pow(1.0 - sidakAlpha(0.01, n), n), 0.99, 1e-12) << n;
    EXPECT_LT(sidakAlpha(0.01, 21), 0.01 / 21 * 1.01); // close to Bonferroni
    EXPECT_THROW(sidakAlpha(0.01, 0), std::invalid_argument);
}

TEST(Chi2Test, StatisticDofAndPValue) {
    const Chi2Result r = chi2Test({110, 90, 100}, {100, 100, 100});
    EXPECT_DOUBLE_EQ(r.statistic, 2.0);
    EXPECT_EQ(r.dof, 2);
    EXPECT_NEAR(r.pValue, std::exp(-1.0), 1e-13);
    EXPECT_TRUE(r.failure.empty());
    EXPECT_FALSE(r.rejected(0.01));

    const Chi2Result same = chi2Test({50, 50}, {50, 50});
    EXPECT_EQ(same.statistic, 0.0);
    EXPECT_EQ(same.pValue, 1.0);
}

TEST(Chi2Test, PoolsSmallCells) {
    // Three cells below 5 pool into one expecting 4.5, still below 5: the
    // smallest regular cell (50) joins, leaving two regular cells + pool.
    const Chi2Result r =
        chi2Test({100, 100, 50, 3, 1, 0}, {100, 100, 45.5, 2, 2, 0.5}, {}, 5.0, 10);
    EXPECT_EQ(r.pooledCells, 4);
    EXPECT_EQ(r.cells, 3);
    EXPECT_EQ(r.dof, 2);
    EXPECT_NEAR(r.statistic, (54 - 50.0) * (54 - 50.0) / 50.0, 1e-12);
    EXPECT_NE(r.report.find("pooled (4 categories: "), std::string::npos) << r.report;
}

TEST(Chi2Test, ObservationsWhereNoneAreExpectedReject) {
    const Chi2Result r = chi2Test({100, 100, 1}, {100.5, 100.5, 0.0},
                                  [](size_t i) { return "bin #" + std::to_string(i); });
    EXPECT_FALSE(r.failure.empty());
    EXPECT_TRUE(r.rejected(1e-300));
    EXPECT_NE(r.report.find("bin #2"), std::string::npos) << r.report;
}

TEST(Chi2Test, ReportNamesTheWorstCells) {
    const Chi2Result r = chi2Test({100, 100, 160, 100}, {115, 115, 115, 115},
                                  [](size_t i) { return "bin #" + std::to_string(i); });
    EXPECT_TRUE(r.rejected(0.01));
    const size_t first = r.report.find("bin #2");
    ASSERT_NE(first, std::string::npos) << r.report;
    EXPECT_LT(first, r.report.find("bin #0")) << "largest contribution first:\n" << r.report;
}

TEST(DirectionBinning, BinsHaveEqualAreaAndIndexTheirCentres) {
    for (DirectionDomain domain : {DirectionDomain::Hemisphere, DirectionDomain::Sphere}) {
        const DirectionBinning b{6, 10, domain};
        const double total = domain == DirectionDomain::Hemisphere ? 2 * kPi : 4 * kPi;
        for (int bin = 0; bin < b.count(); ++bin) {
            EXPECT_NEAR(b.solidAngle(bin), total / b.count(), 1e-12);
            const double c = 0.5 * (b.cosLo(bin) + b.cosHi(bin));
            const double phi = 0.5 * (b.phiLo(bin) + b.phiHi(bin));
            const double s = std::sqrt(1 - c * c);
            EXPECT_EQ(b.index(3 * s * std::cos(phi), 3 * s * std::sin(phi), 3 * c), bin);
        }
        EXPECT_EQ(b.index(0, 0, 1), (b.cosThetaBins - 1) * b.phiBins);
        EXPECT_EQ(b.index(0, 0, 0), -1);
        EXPECT_EQ(b.index(NAN, 0, 1), -1);
    }
    EXPECT_EQ((DirectionBinning{4, 4, DirectionDomain::Hemisphere}.index(0.1, 0.1, -0.5)), -1);
    EXPECT_EQ((DirectionBinning{4, 4, DirectionDomain::Sphere}.index(0.0, 0.0, -1.0)), 0);
}

TEST(BinIntegration, UniformAndCosinePdfsMatchClosedForms) {
    const DirectionBinning sphere{8, 12, DirectionDomain::Sphere};
    const auto uniform = binProbabilities(
        sphere, [](double, double, double) { return 1.0 / (4 * kPi); }, 1e8);
    for (double p : uniform)
        EXPECT_NEAR(p, 1.0 / sphere.count(), 1e-12);

    const DirectionBinning hemi{16, 8};
    const auto cosine = binProbabilities(
        hemi, [](double, double, double z) { return std::max(z, 0.0) / kPi; }, 1e8);
    for (int bin = 0; bin < hemi.count(); ++bin) {
        const double c0 = hemi.cosLo(bin), c1 = hemi.cosHi(bin);
        const double expected =
            0.5 * (c1 * c1 - c0 * c0) * (hemi.phiHi(bin) - hemi.phiLo(bin)) / kPi;
        EXPECT_NEAR(cosine[size_t(bin)], expected, 1e-9 * expected) << hemi.label(bin);
    }
}

TEST(BinIntegration, ResolvesASharpLobeAndAJumpAtTheHorizon) {
    // D(h) cos(theta_h) of GGX with alpha 0.02 integrates to one; the lobe
    // lies inside the top ring of bins.
    const double alpha = 0.02;
    auto ggx = [alpha](double, double, double z) {
        const double a2 = alpha * alpha;
        const double d = z * z * (a2 - 1) + 1;
        return a2 / (kPi * d * d) * z;
    };
    const auto p = binProbabilities(DirectionBinning{20, 40}, ggx, 1e7);
    double sum = 0.0;
    for (double v : p)
        sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-5);

    // Constant 1/(2 pi) above the horizon, 0 below: on the sphere, the bins
    // touching the horizon from above still get their full share.
    const DirectionBinning sphere{10, 4, DirectionDomain::Sphere};
    const auto half = binProbabilities(
        sphere, [](double, double, double z) { return z > 0 ? 1.0 / (2 * kPi) : 0.0; }, 1e7);
    for (int bin = 0; bin < sphere.count(); ++bin)
        EXPECT_NEAR(half[size_t(bin)], sphere.cosLo(bin) >= 0 ? 2.0 / sphere.count() : 0.0, 1e-9)
            << sphere.label(bin);
}

// Samplers for the acceptance tests, driven by the shared RNG.
shared::vec3 uniformHemisphere(uint& rng) {
    const float z = shared::rngNext(rng);
    const float phi = shared::kTwoPi * shared::rngNext(rng);
    const float s = std::sqrt(std::max(0.0f, 1 - z * z));
    return shared::vec3(s * std::cos(phi), s * std::sin(phi), z);
}
shared::vec3 cosineHemisphere(uint& rng) {
    const float u0 = shared::rngNext(rng);
    const float u1 = shared::rngNext(rng);
    return shared::sampleCosineHemisphere(shared::vec2(u0, u1));
}

DirectionHistogram histogramOf(const DirectionBinning& b, int n, shared::vec3 (*sampler)(uint&),
                               uint seed) {
    DirectionHistogram h(b);
    uint rng = shared::rngSeed(seed, 0, 0);
    for (int i = 0; i < n; ++i) {
        const shared::vec3 d = sampler(rng);
        h.add(d.x, d.y, d.z);
    }
    return h;
}

const DirectionPdf kUniformPdf = [](double, double, double) { return 1.0 / (2 * kPi); };
const DirectionPdf kCosinePdf = [](double, double, double z) { return std::max(z, 0.0) / kPi; };

TEST(Chi2Sampler, AcceptsRightPdfsAndRejectsWrongOnes) {
    const DirectionBinning b{16, 32};
    const int n = 200000;
    const DirectionHistogram uniform = histogramOf(b, n, uniformHemisphere, 1);
    const DirectionHistogram cosine = histogramOf(b, n, cosineHemisphere, 2);

    const Chi2Result uu = directionChi2Test(uniform, binProbabilities(b, kUniformPdf, n));
    const Chi2Result cc = directionChi2Test(cosine, binProbabilities(b, kCosinePdf, n));
    const Chi2Result cu = directionChi2Test(cosine, binProbabilities(b, kUniformPdf, n));
    const Chi2Result uc = directionChi2Test(uniform, binProbabilities(b, kCosinePdf, n));
    std::printf("uniform/uniform %s\ncosine/cosine %s\ncosine/uniform %s\n", uu.report.c_str(),
                cc.report.c_str(), cu.report.c_str());
    EXPECT_FALSE(uu.rejected(0.01)) << uu.report;
    EXPECT_FALSE(cc.rejected(0.01)) << cc.report;
    EXPECT_TRUE(cu.rejected(1e-9)) << cu.report;
    EXPECT_TRUE(uc.rejected(1e-9)) << uc.report;
    EXPECT_NE(cu.report.find("worst cells"), std::string::npos);
}

// Reflection of GGX visible normals (the shared sampler): the pdf of wi is
// G1(wo) D(h) / (4 wo.z); samples below the horizon are invalid.
struct GgxReflection {
    float alpha;
    shared::vec3 wo;
};

DirectionHistogram ggxHistogram(const DirectionBinning& b, int n, GgxReflection g, uint seed) {
    DirectionHistogram h(b);
    uint rng = shared::rngSeed(seed, 0, 0);
    for (int i = 0; i < n; ++i) {
        const float u0 = shared::rngNext(rng);
        const float u1 = shared::rngNext(rng);
        const shared::vec3 m = shared::sampleGgxVisibleNormal(g.wo, g.alpha, shared::vec2(u0, u1));
        const shared::vec3 wi = shared::reflect(-g.wo, m);
        if (wi.z > 0)
            h.add(wi.x, wi.y, wi.z);
        else
            h.addInvalid();
    }
    return h;
}

DirectionPdf ggxPdf(GgxReflection g) {
    return [g](double x, double y, double z) {
        const shared::vec3 wi = shared::vec3(float(x), float(y), float(z));
        if (wi.z <= 0) return 0.0;
        const shared::vec3 h = shared::normalize(g.wo + wi);
        return double(shared::pdfGgxReflection(g.wo, h, g.alpha));
    };
}

TEST(Chi2Sampler, RejectsASlightlyWrongGgxWidth) {
    const DirectionBinning b{24, 48};
    const int n = 200000;
    const float c = 0.6f;
    const shared::vec3 wo(std::sqrt(1 - c * c) * std::cos(0.3f),
                          std::sqrt(1 - c * c) * std::sin(0.3f), c);
    const DirectionHistogram h = ggxHistogram(b, n, {0.3f, wo}, 3);
    const Chi2Result right = directionChi2Test(h, binProbabilities(b, ggxPdf({0.3f, wo}), n));
    const Chi2Result wrong = directionChi2Test(h, binProbabilities(b, ggxPdf({0.35f, wo}), n));
    std::printf("GGX 0.3/0.3 %s\nGGX 0.3/0.35 %s\n", right.report.c_str(), wrong.report.c_str());
    EXPECT_FALSE(right.rejected(0.01)) << right.report;
    EXPECT_TRUE(wrong.rejected(1e-9)) << wrong.report;
    EXPECT_GT(h.invalid(), 0u) << "the test case should exercise the invalid-sample cell";
}

TEST(Chi2Sampler, RejectsLostSamplesAndSamplesOutsideTheDomain) {
    const DirectionBinning b{8, 16};
    const int n = 50000;
    // A uniform sampler that loses 2% of its samples while its pdf claims
    // full mass.
    DirectionHistogram lossy(b);
    uint rng = shared::rngSeed(4, 0, 0);
    for (int i = 0; i < n; ++i) {
        const shared::vec3 d = uniformHemisphere(rng);
        if (shared::rngNext(rng) < 0.02f)
            lossy.addInvalid();
        else
            lossy.add(d.x, d.y, d.z);
    }
    const Chi2Result r = directionChi2Test(lossy, binProbabilities(b, kUniformPdf, n));
    EXPECT_TRUE(r.rejected(1e-9)) << r.report;
    EXPECT_NE(r.report.find("invalid samples"), std::string::npos) << r.report;

    DirectionHistogram below = histogramOf(b, n, uniformHemisphere, 5);
    below.add(0.0, 0.6, -0.8);
    const Chi2Result o = directionChi2Test(below, binProbabilities(b, kUniformPdf, n));
    EXPECT_FALSE(o.failure.empty()) << o.report;
    EXPECT_TRUE(o.rejected(1e-300));
}

TEST(Chi2Sampler, PValuesOfARightModelAreUniform) {
    // With the right pdf, p is uniform on [0, 1]: the rejection rate at 0.1
    // over 1000 independent tests with 3 dof lies within 3 sigma of 10%.
    // (An off-by-one dof would give ~5% or ~17%.)
    const DirectionBinning b{2, 2};
    const auto p = binProbabilities(b, kUniformPdf, 400);
    int below10 = 0, below50 = 0;
    const int repeats = 1000;
    for (int k = 0; k < repeats; ++k) {
        const DirectionHistogram h = histogramOf(b, 400, uniformHemisphere, 100 + uint(k));
        const Chi2Result r = directionChi2Test(h, p);
        ASSERT_EQ(r.dof, 3);
        below10 += r.pValue < 0.1;
        below50 += r.pValue < 0.5;
    }
    EXPECT_GE(below10, 71);
    EXPECT_LE(below10, 129);
    EXPECT_GE(below50, 452);
    EXPECT_LE(below50, 548);
}

} // namespace
} // namespace nerva::test
