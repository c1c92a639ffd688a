// The GPU build of the neural sampler mixture (shaders/shared/neural/
// sampler_mixture.h, through shaders/tests/neural_sampler.comp) agrees with
// its C++ build on 10^4 random inputs: pdf, log pdf, and the sample (wi,
// pdf) drawn from the same random numbers.
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "shaders/tests/neural_sampler_io.h"
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

class GpuNeuralSampler : public test::VulkanTest {};

TEST_F(GpuNeuralSampler, PdfLogPdfAndSamplesAgreeWithCpp) {
    const std::vector<SamplerQuery> queries = randomQueries();
    ShaderCompiler compiler;
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
    push.count = kQueries;
    ctx().submitAndWait([&](VkCommandBuffer cmd) {
        pipeline.dispatch(cmd, vk::groupCount(kQueries, shared::kSamplerKernelLocalSize), 1, 1,
                          push);
        vk::computeToHostBarrier(cmd);
    });
    const auto* gpu = static_cast<const SamplerResult*>(out.mapped);

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

} // namespace
} // namespace nerva
