// Chi-squared test of gltfSample against gltfPdf, both from the C++ build of
// shaders/shared/bsdf_gltf.h, for every setting of
// tests/support/bsdf_chi2_cases.h; significance 0.01 over all settings
// (Sidak). The GPU build gets the same test with more samples in
// tests/gpu/test_bsdf_chi2.cpp; this one keeps machines without Vulkan
// testing the sampler.
#include "shaders/shared/rng.h"
#include "tests/support/bsdf_chi2_cases.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace nerva::test {
namespace {

TEST(GltfBsdfChi2, SamplerMatchesPdfOnTheCpu) {
    const std::vector<GltfChi2Setting> settings = gltfChi2Settings();
    const double alpha = sidakAlpha(0.01, int(settings.size()));
    const int n = 200000;
    const DirectionBinning binning{20, 40};
    for (size_t s = 0; s < settings.size(); ++s) {
        const GltfChi2Setting& setting = settings[s];
        SCOPED_TRACE(setting.name);
        DirectionHistogram histogram(binning);
        for (int i = 0; i < n; ++i) {
            uint rng = shared::rngSeed(20240611u, uint(s), uint(i));
            const float u0 = shared::rngNext(rng);
            const float u1 = shared::rngNext(rng);
            const float u2 = shared::rngNext(rng);
            const shared::BsdfSample b =
                shared::gltfSample(setting.bsdf, setting.wo, shared::vec3(u0, u1, u2));
            if (b.pdf > 0.0f)
                histogram.add(b.wi.x, b.wi.y, b.wi.z);
            else
                histogram.addInvalid();
        }
        const Chi2Result r = gltfChi2Test(histogram, setting.bsdf, setting.wo);
        std::printf("[chi2 cpu] %-32s chi2 %9.2f dof %4d p %.4f\n", setting.name.c_str(),
                    r.statistic, r.dof, r.pValue);
        RecordProperty("chi2_p_" + std::to_string(s), std::to_string(r.pValue));
        EXPECT_FALSE(r.rejected(alpha)) << setting.name << " (alpha per test " << alpha << ")\n"
                                        << r.report;
    }
}

} // namespace
} // namespace nerva::test
