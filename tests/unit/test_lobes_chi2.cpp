// Chi-squared tests of every lobe's sample() against its pdf() (C++ builds of
// shaders/shared/lobes) for the settings of tests/support/lobe_cases.h at
// three view directions; significance 0.01 over all of them (Sidak). Also:
// the pdf's total mass matches the fraction of samples the sampler returns.
#include "shaders/shared/rng.h"
#include "tests/support/direction_chi2.h"
#include "tests/support/lobe_cases.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace nerva::test {
namespace {

TEST(LobesChi2, SamplersMatchTheirPdfs) {
    struct Wo {
        const char* name;
        float cosTheta, phi;
    };
    // phi of wo off the bin edges and off the anisotropy axes.
    const Wo wos[] = {
        {"normal", 1.0f, 0.0f}, {"45 deg", 0.70710678f, 0.7f}, {"cos 0.15", 0.15f, 2.1f}};
    const std::vector<LobeCase> cases = lobeCases();
    const int tests = int(cases.size() * std::size(wos));
    const double alpha = sidakAlpha(0.01, tests);
    const int n = 100000;
    const DirectionBinning binning{20, 40};
    int index = 0;
    for (const LobeCase& c : cases)
        for (const Wo& w : wos) {
            const std::string name = c.name + ", wo " + w.name;
            SCOPED_TRACE(name);
            const shared::vec3 wo = lobeDirection(w.cosTheta, w.phi);
            DirectionHistogram histogram(binning);
            for (int i = 0; i < n; ++i) {
                uint rng = shared::rngSeed(20261129u, uint(index), uint(i));
                const float u0 = shared::rngNext(rng);
                const float u1 = shared::rngNext(rng);
                const shared::LobeSample s = c.sample(wo, shared::vec2(u0, u1));
                if (s.pdf > 0.0f)
                    histogram.add(s.wi.x, s.wi.y, s.wi.z);
                else
                    histogram.addInvalid();
            }
            const std::vector<double> p = binProbabilities(
                binning,
                [&c, wo](double x, double y, double z) {
                    return double(c.pdf(wo, shared::vec3(float(x), float(y), float(z))));
                },
                double(n));
            const Chi2Result r = directionChi2Test(histogram, p);
            double mass = 0.0;
            for (double q : p)
                mass += q;
            const double valid = 1.0 - double(histogram.invalid()) / n;
            std::printf("[lobes chi2] %-44s chi2 %8.2f dof %4d p %.4f mass %.4f valid %.4f\n",
                        name.c_str(), r.statistic, r.dof, r.pValue, mass, valid);
            RecordProperty("chi2_p_" + std::to_string(index), std::to_string(r.pValue));
            EXPECT_FALSE(r.rejected(alpha)) << name << " (alpha per test " << alpha << ")\n"
                                            << r.report;
            // The pdf is normalised over what the sampler can return: its mass
            // is at most 1 and equals the fraction of valid samples (5 sigma).
            EXPECT_LE(mass, 1.0 + 2e-3);
            const double sigma = std::sqrt(std::max(valid * (1.0 - valid), 1e-4) / n);
            EXPECT_NEAR(mass, valid, 5.0 * sigma + 2e-3);
            ++index;
        }
}

} // namespace
} // namespace nerva::test
