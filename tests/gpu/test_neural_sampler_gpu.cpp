// The GPU build of the neural sampler mixture (shaders/shared/neural/
// sampler_mixture.h, through shaders/tests/neural_sampler.comp) agrees with
// its C++ build on 10^4 random inputs: pdf, log pdf, and the sample (wi,
// pdf) drawn from the same random numbers. And a chi-squared test of the
// samples the GPU draws for trained library materials against their pdf.
#include "neural/formats/nmat.h"
#include "neural/material/neural_eval_cpu.h"
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "shaders/tests/neural_sampler_io.h"
#include "tests/support/direction_chi2.h"
#include "tests/support/vk_test_env.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

namespace nerva {
namespace {

using shared::SamplerKernelPush;
using shared::SamplerQuery;
using shared::SamplerResult;
using shared::vec3;

static_assert(sizeof(SamplerQuery) == 72);
static_assert(sizeof(SamplerResult) == 24);
static_assert(sizeof(SamplerKernelPush) == 24);

constexpr uint32_t kQueries = 10000;

vec3 direction(float cosTheta, float phi) {
    const float s = std::sqrt(std::max(0.0f, 1.0f - cosTheta * cosTheta));
    return vec3(s * std::cos(phi), s * std::sin(phi), cosTheta);
}

// Raw outputs a trained network plausibly produces (|r| <= 2.5; log-scales
// down to alpha = exp(-3.5)), wo mostly above the horizon, wi half uniform
// on the sphere and half drawn from the mixture (where the density is).
std::vector<SamplerQuery> randomQueries() {
    std::mt19937 gen(2024);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    auto in = [&](float lo, float hi) { return lo + (hi - lo) * u(gen); };
    std::vector<SamplerQuery> queries(kQueries);
    for (uint32_t k = 0; k < kQueries; ++k) {
        SamplerQuery& q = queries[k];
        q.r012 = vec3(in(-2.5f, 2.5f), in(-1.0f, 1.0f), in(-1.0f, 1.0f));
        q.r345 = vec3(in(-3.5f, 0.5f), in(-1.0f, 1.0f), in(-3.5f, 0.5f));
        q.r678 = vec3(in(-1.0f, 1.0f), in(-1.0f, 1.0f), in(-1.0f, 3.0f));
        const float cosO = u(gen) < 0.03f ? -u(gen) : std::max(u(gen), 1e-3f);
        q.wo = direction(cosO, shared::kTwoPi * u(gen));
        q.u = vec3(u(gen), u(gen), u(gen));
        q.wi = direction(2.0f * u(gen) - 1.0f, shared::kTwoPi * u(gen));
        if (k % 2) {
            const shared::SamplerMixture m = shared::samplerMixtureFromRaw(q.r012, q.r345, q.r678);
            const shared::LobeSample s =
                shared::samplerMixtureSample(m, q.wo, vec3(u(gen), u(gen), u(gen)));
            if (s.pdf > 0.0f) q.wi = s.wi;
        }
    }
    return queries;
}

class GpuNeuralSampler : public test::VulkanTest {
  protected:
    // shaders/tests/neural_sampler.comp on every query.
    std::vector<SamplerResult> runKernel(const std::vector<SamplerQuery>& queries) {
        static ShaderCompiler compiler;
        const vk::ComputePipeline pipeline(ctx(), compiler, "tests/neural_sampler.comp",
                                           sizeof(SamplerKernelPush));
        const vk::Buffer in =
            vk::createBufferWithData(ctx(), queries.data(), sizeof(SamplerQuery) * queries.size(),
                                     VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
        const vk::Buffer out =
            vk::createBuffer(ctx(), sizeof(SamplerResult) * queries.size(),
                             VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Readback);
        SamplerKernelPush push{};
        push.queries = in.address;
        push.results = out.address;
        push.count = uint32_t(queries.size());
        ctx().submitAndWait([&](VkCommandBuffer cmd) {
            pipeline.dispatch(cmd, vk::groupCount(push.count, shared::kSamplerKernelLocalSize), 1,
                              1, push);
            vk::computeToHostBarrier(cmd);
        });
        const auto* r = static_cast<const SamplerResult*>(out.mapped);
        return {r, r + queries.size()};
    }
};

TEST_F(GpuNeuralSampler, PdfLogPdfAndSamplesAgreeWithCpp) {
    const std::vector<SamplerQuery> queries = randomQueries();
    const std::vector<SamplerResult> results = runKernel(queries);
    const SamplerResult* gpu = results.data();

    int pdfBad = 0, logBad = 0, sampleBad = 0, validity = 0, valid = 0;
    double worstPdf = 0.0, worstLog = 0.0, worstWi = 0.0;
    std::string examples;
    auto note = [&](const char* what, uint32_t k, double g, double c) {
        if (examples.size() < 1000)
            examples += "\n  " + std::string(what) + " #" + std::to_string(k) + ": gpu " +
                        std::to_string(g) + " cpu " + std::to_string(c);
    };
    for (uint32_t k = 0; k < kQueries; ++k) {
        const SamplerQuery& q = queries[k];
        const SamplerResult& g = gpu[k];
        const shared::SamplerMixture m = shared::samplerMixtureFromRaw(q.r012, q.r345, q.r678);
        const float pdf = shared::samplerMixturePdf(m, q.wo, q.wi);
        const float logPdf = shared::samplerMixtureLogPdf(m, q.wo, q.wi);
        const shared::LobeSample s = shared::samplerMixtureSample(m, q.wo, q.u);
        // Log pdf: 1e-4 absolute (1e-4 relative in pdf) or relative when large.
        const double logErr =
            std::abs(double(g.logPdf) - logPdf) / std::max(1.0, std::abs(double(logPdf)));
        worstLog = std::max(worstLog, logErr);
        if (!(logErr <= 1e-4) && logBad++ < 5) note("logPdf", k, g.logPdf, logPdf);
        const double pdfErr = std::abs(double(g.pdf) - pdf) / std::max(double(pdf), 1e-6);
        worstPdf = std::max(worstPdf, pdfErr);
        if (!(pdfErr <= 2e-4) && pdfBad++ < 5) note("pdf", k, g.pdf, pdf);
        // Samples: same validity (a lobe choice may flip where u.x is within
        // rounding of w; allowed rarely), same wi and pdf.
        if ((g.samplePdf > 0.0f) != (s.pdf > 0.0f)) {
            if (validity++ < 5) note("sample validity", k, g.samplePdf, s.pdf);
            continue;
        }
        if (!(s.pdf > 0.0f)) continue;
        ++valid;
        const double dist = shared::length(g.sampleWi - s.wi);
        worstWi = std::max(worstWi, dist);
        const double samplePdfErr = std::abs(double(g.samplePdf) - s.pdf) / s.pdf;
        if (!(dist <= 1e-4 && samplePdfErr <= 2e-3) && sampleBad++ < 5)
            note("sample pdf", k, g.samplePdf, s.pdf);
    }
    std::printf("[neural sampler gpu] %u queries, %d valid samples: worst relative error pdf "
                "%.2e, log pdf %.2e; worst wi distance %.2e\n",
                kQueries, valid, worstPdf, worstLog, worstWi);
    EXPECT_EQ(logBad, 0) << examples;
    EXPECT_EQ(pdfBad, 0) << examples;
    EXPECT_LE(sampleBad, 2) << examples;
    EXPECT_LE(validity, 2) << examples;
    EXPECT_GT(valid, int(kQueries) / 2);
}

// The mixtures a trained sampler network predicts (the library's .nmat
// files, at a few points, levels and view directions): 4e5 directions drawn
// on the GPU per setting, binned on the hemisphere, against the mixture's pdf
// integrated over the bins (samples below the horizon are rejected by the
// sampler: their expected share is the pdf's mass below it). Significance
// 0.01 over all settings (Sidak).
TEST_F(GpuNeuralSampler, TrainedSamplersDrawTheirOwnPdfOnTheGpu) {
    struct Setting {
        const char* material;
        shared::vec2 uv;
        uint32_t level;
        float cosO, phiO;
    };
    const Setting settings[] = {{"car_paint", {0.31f, 0.62f}, 0, 0.9f, 0.4f},
                                {"brushed_metal", {0.55f, 0.12f}, 1, 0.5f, 2.0f},
                                {"coated_leather", {0.71f, 0.44f}, 2, 0.25f, 4.1f},
                                {"velvet", {0.12f, 0.83f}, 0, 0.7f, 1.0f}};
    constexpr uint32_t kSamples = 400000;
    const double alpha = test::sidakAlpha(0.01, int(std::size(settings)));
    for (const Setting& st : settings) {
        SCOPED_TRACE(st.material);
        const formats::NmatAsset asset =
            formats::readNmat(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                              "/assets/materials/neural/" + st.material + ".nmat");
        const material::NeuralMaterialPack pack(std::span<const formats::NmatAsset>(&asset, 1));
        const vec3 wo = direction(st.cosO, st.phiO);
        const auto raw = pack.samplerRaw(0, st.uv, st.level, wo);
        const vec3 r012(raw[0], raw[1], raw[2]), r345(raw[3], raw[4], raw[5]),
            r678(raw[6], raw[7], raw[8]);
        std::vector<SamplerQuery> queries(kSamples);
        std::mt19937 gen(77);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        for (SamplerQuery& q : queries) {
            q.r012 = r012;
            q.r345 = r345;
            q.r678 = r678;
            q.wo = wo;
            q.wi = wo;
            q.u = vec3(u(gen), u(gen), u(gen));
        }
        const std::vector<SamplerResult> gpu = runKernel(queries);
        const test::DirectionBinning binning{20, 40};
        test::DirectionHistogram histogram(binning);
        for (uint32_t k = 0; k < kSamples; ++k) {
            if (gpu[k].samplePdf > 0.0f)
                histogram.add(gpu[k].sampleWi.x, gpu[k].sampleWi.y, gpu[k].sampleWi.z);
            else
                histogram.addInvalid();
        }
        const shared::SamplerMixture m = shared::samplerMixtureFromRaw(r012, r345, r678);
        const test::DirectionPdf pdf = [&](double x, double y, double z) {
            return double(shared::samplerMixturePdf(m, wo, vec3(float(x), float(y), float(z))));
        };
        const test::Chi2Result r = test::directionChi2Test(
            histogram, test::binProbabilities(binning, pdf, double(kSamples)));
        std::printf("[neural sampler chi2 gpu] %-14s level %u cos(wo) %.2f: GGX weight %.2f, "
                    "chi2 %8.2f dof %4d p %.4f\n",
                    st.material, st.level, st.cosO, m.w, r.statistic, r.dof, r.pValue);
        EXPECT_FALSE(r.rejected(alpha)) << r.report;
    }
}

} // namespace
} // namespace nerva
