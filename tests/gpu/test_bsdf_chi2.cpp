// The GPU build of the shared glTF BSDF (shaders/tests/bsdf_sample.comp) is
// tested three ways against its C++ build: a chi-squared test of the GPU's
// samples against gltfPdf (significance 0.01 over all settings, Sidak), the
// samples' pdf and weight against C++ gltfPdf and gltfEval / gltfPdf at the
// same directions, and GPU gltfEval / gltfPdf at random direction pairs.
// Replaying the first samples of every setting in C++ also checks that both
// builds draw the same random numbers and directions.
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "shaders/shared/rng.h"
#include "shaders/tests/bsdf_sample_io.h"
#include "tests/support/bsdf_chi2_cases.h"
#include "tests/support/vk_test_env.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>

namespace nerva {
namespace {

using shared::BsdfEvalQuery;
using shared::BsdfEvalResult;
using shared::BsdfKernelPush;
using shared::BsdfSample;
using shared::BsdfTestCase;
using shared::GltfBsdf;
using shared::vec3;

static_assert(sizeof(BsdfTestCase) == 36);
static_assert(sizeof(BsdfEvalQuery) == 32);
static_assert(sizeof(BsdfEvalResult) == 16);
static_assert(sizeof(BsdfKernelPush) == 48);
static_assert(sizeof(BsdfSample) == 28);

constexpr uint32_t kSamplesPerSetting = 1000000;
constexpr uint32_t kEvalPairs = 10000;
constexpr uint32_t kReplayedSamples = 4096;
constexpr uint32_t kSeed = 0x6e657276u;
constexpr uint32_t kMaxGroups = 4096; // the kernel's grid-stride loop covers the rest

// The kernel with a buffer of test cases (material and wo each).
class BsdfKernel {
  public:
    BsdfKernel(const vk::Context& ctx, const std::vector<BsdfTestCase>& cases) : ctx_(ctx) {
        ShaderCompiler compiler;
        pipeline_ =
            vk::ComputePipeline(ctx, compiler, "tests/bsdf_sample.comp", sizeof(BsdfKernelPush));
        cases_ = vk::createBuffer(ctx, sizeof(BsdfTestCase) * cases.size(),
                                  VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Upload);
        std::memcpy(cases_.mapped, cases.data(), sizeof(BsdfTestCase) * cases.size());
    }

    // gltfSample of cases[caseIndex], `count` samples into `out` (Readback).
    void sample(uint32_t caseIndex, uint32_t count, const vk::Buffer& out) const {
        BsdfKernelPush push{};
        push.cases = cases_.address;
        push.samples = out.address;
        push.mode = shared::kBsdfKernelModeSample;
        push.count = count;
        push.caseIndex = caseIndex;
        push.seed = kSeed;
        run(push);
    }

    std::vector<BsdfEvalResult> eval(const std::vector<BsdfEvalQuery>& queries) const {
        const vk::Buffer in =
            vk::createBufferWithData(ctx_, queries.data(), sizeof(BsdfEvalQuery) * queries.size(),
                                     VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
        const vk::Buffer out =
            vk::createBuffer(ctx_, sizeof(BsdfEvalResult) * queries.size(),
                             VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Readback);
        BsdfKernelPush push{};
        push.cases = cases_.address;
        push.queries = in.address;
        push.results = out.address;
        push.mode = shared::kBsdfKernelModeEval;
        push.count = uint32_t(queries.size());
        run(push);
        const auto* r = static_cast<const BsdfEvalResult*>(out.mapped);
        return {r, r + queries.size()};
    }

  private:
    void run(const BsdfKernelPush& push) const {
        ctx_.submitAndWait([&](VkCommandBuffer cmd) {
            const uint32_t groups =
                std::min(vk::groupCount(push.count, shared::kBsdfKernelLocalSize), kMaxGroups);
            pipeline_.dispatch(cmd, groups, 1, 1, push);
            vk::computeToHostBarrier(cmd);
        });
    }

    const vk::Context& ctx_;
    vk::ComputePipeline pipeline_;
    vk::Buffer cases_;
};

// |gpu - cpu| within `rel` of |cpu| plus an absolute floor.
bool close(float gpu, float cpu, float rel, float floor) {
    return std::abs(gpu - cpu) <= rel * std::abs(cpu) + floor;
}
float relativeError(float gpu, float cpu, float floor) {
    return std::abs(gpu - cpu) / std::max(std::abs(cpu), floor);
}

// Tallies disagreements, keeping the worst relative error and a few examples.
struct Mismatches {
    uint64_t count = 0;
    float worst = 0.0f;
    std::string examples;

    // `what` builds the description only for reported mismatches.
    template <typename Describe> void check(bool ok, float relError, const Describe& what) {
        worst = std::max(worst, relError);
        if (ok) return;
        if (count++ < 5) examples += "\n  " + what();
    }
};

std::string describe(const char* what, uint32_t index, vec3 wi, float gpu, float cpu) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s #%u wi (%.6f %.6f %.6f): gpu %.8g cpu %.8g", what, index,
                  wi.x, wi.y, wi.z, gpu, cpu);
    return buf;
}

class GpuBsdf : public test::VulkanTest {
  protected:
    static std::vector<BsdfTestCase> casesOf(const std::vector<test::GltfChi2Setting>& settings) {
        std::vector<BsdfTestCase> cases;
        for (const auto& s : settings)
            cases.push_back({s.bsdf, s.wo});
        return cases;
    }
};

TEST_F(GpuBsdf, SamplesPassChi2AndMatchTheCppEvalAndPdf) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<test::GltfChi2Setting> settings = test::gltfChi2Settings();
    const BsdfKernel kernel(ctx(), casesOf(settings));
    const vk::Buffer out =
        vk::createBuffer(ctx(), sizeof(BsdfSample) * kSamplesPerSetting,
                         VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Readback);
    const double alpha = test::sidakAlpha(0.01, int(settings.size()));
    const test::DirectionBinning binning{40, 80};
    Mismatches pdfs, weights, replay;
    double gpuSeconds = 0.0;

    for (uint32_t s = 0; s < settings.size(); ++s) {
        const test::GltfChi2Setting& setting = settings[s];
        SCOPED_TRACE(setting.name);
        const GltfBsdf& m = setting.bsdf;
        const auto t0 = std::chrono::steady_clock::now();
        kernel.sample(s, kSamplesPerSetting, out);
        gpuSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const auto* samples = static_cast<const BsdfSample*>(out.mapped);

        test::DirectionHistogram histogram(binning);
        for (uint32_t i = 0; i < kSamplesPerSetting; ++i) {
            const BsdfSample& g = samples[i];
            if (!(g.pdf > 0.0f)) {
                histogram.addInvalid();
                continue;
            }
            histogram.add(g.wi.x, g.wi.y, g.wi.z);
            const float pdf = shared::gltfPdf(m, setting.wo, g.wi);
            const vec3 expected = shared::gltfEval(m, setting.wo, g.wi) / pdf;
            pdfs.check(close(g.pdf, pdf, 1e-3f, 0.0f), relativeError(g.pdf, pdf, 1e-30f),
                       [&] { return setting.name + ": " + describe("pdf", i, g.wi, g.pdf, pdf); });
            for (int c = 0; c < 3; ++c)
                weights.check(close(g.weight[c], expected[c], 1e-3f, 1e-6f),
                              relativeError(g.weight[c], expected[c], 1e-3f), [&] {
                                  return setting.name + ": " +
                                         describe("weight", i, g.wi, g.weight[c], expected[c]);
                              });
        }
        // The same random numbers through the C++ build give the same samples.
        for (uint32_t i = 0; i < kReplayedSamples; ++i) {
            uint rng = shared::rngSeed(kSeed, s, i);
            const float u0 = shared::rngNext(rng);
            const float u1 = shared::rngNext(rng);
            const float u2 = shared::rngNext(rng);
            const BsdfSample c = shared::gltfSample(m, setting.wo, vec3(u0, u1, u2));
            const BsdfSample& g = samples[i];
            const float distance = shared::length(c.wi - g.wi);
            const bool same = (c.pdf > 0.0f) == (g.pdf > 0.0f) && distance <= 1e-4f;
            replay.check(same, distance, [&] {
                return setting.name + ": " +
                       describe("replayed wi, distance", i, g.wi, distance, 0);
            });
        }

        const test::Chi2Result r = test::gltfChi2Test(histogram, m, setting.wo);
        std::printf("[chi2 gpu] %-32s chi2 %9.2f dof %5d p %.4f\n", setting.name.c_str(),
                    r.statistic, r.dof, r.pValue);
        RecordProperty("chi2_p_" + std::to_string(s), std::to_string(r.pValue));
        EXPECT_FALSE(r.rejected(alpha)) << setting.name << " (alpha per test " << alpha << ")\n"
                                        << r.report;
    }
    EXPECT_EQ(pdfs.count, 0u) << "GPU sample pdf vs C++ gltfPdf, 1e-3 relative" << pdfs.examples;
    EXPECT_EQ(weights.count, 0u) << "GPU sample weight vs C++ gltfEval / gltfPdf, 1e-3 relative"
                                 << weights.examples;
    // A sample may legitimately switch lobes when u.x lies within rounding of
    // the lobe probability; allow one in 10^4.
    EXPECT_LE(replay.count, settings.size() * kReplayedSamples / 10000)
        << "GPU samples differ from the C++ replay" << replay.examples;
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("[chi2 gpu] %zu settings x %u samples: GPU %.2f s, total %.2f s; worst relative "
                "error: pdf %.2e, weight %.2e; replayed wi distance %.2e, %llu differ\n",
                settings.size(), kSamplesPerSetting, gpuSeconds, total, pdfs.worst, weights.worst,
                replay.worst, static_cast<unsigned long long>(replay.count));
}

// Random direction pairs: wo mostly above the horizon, wi uniform on the
// sphere; and as many pairs again with wi near the mirror direction (sampled
// GGX normals), where the specular lobes are steep.
struct Pairs {
    std::vector<BsdfEvalQuery> queries;
    std::vector<bool> nearMirror;
};

Pairs randomPairs(const std::vector<test::GltfMaterialCase>& materials) {
    std::mt19937 rng(12345);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Pairs pairs;
    for (uint32_t k = 0; k < 2 * kEvalPairs; ++k) {
        BsdfEvalQuery q{};
        q.caseIndex = k % uint32_t(materials.size());
        const bool mirror = k >= kEvalPairs;
        const float cosO = !mirror && u(rng) < 0.05f ? -u(rng) : std::max(u(rng), 1e-3f);
        q.wo = test::directionFromCosPhi(cosO, shared::kTwoPi * u(rng));
        if (mirror) {
            const float alpha = shared::gltfAlpha(materials[q.caseIndex].bsdf);
            const float u0 = u(rng);
            const float u1 = u(rng);
            q.wi = shared::reflect(
                -q.wo, shared::sampleGgxVisibleNormal(q.wo, alpha, shared::vec2(u0, u1)));
        } else {
            q.wi = test::directionFromCosPhi(2.0f * u(rng) - 1.0f, shared::kTwoPi * u(rng));
        }
        pairs.queries.push_back(q);
        pairs.nearMirror.push_back(mirror);
    }
    return pairs;
}

// Relative rounding error float arithmetic cannot avoid in GGX D(h) (in eval
// and pdf): D depends on d = 1 - (1 - alpha^2) cos^2(theta_h), which near a
// narrow lobe's peak is a small difference of numbers near one, so the few
// ulps by which h.z may differ between builds (normalize; GLSL allows
// inversesqrt 2 ulp) are amplified by |dlnD/dlnc| = 4 c^2 (1 - alpha^2) / d.
// Allow 4 ulps of h.z through that factor; it is below 1e-6 except near the
// peaks of the smooth (alpha <= 0.04) lobes.
double ggxRoundingAllowance(const GltfBsdf& m, vec3 wo, vec3 wi) {
    const double hx = double(wo.x) + wi.x, hy = double(wo.y) + wi.y, hz = double(wo.z) + wi.z;
    const double len2 = hx * hx + hy * hy + hz * hz;
    if (!(len2 > 0.0)) return 0.0;
    const double c2 = hz * hz / len2;
    const double a2 = double(shared::gltfAlpha(m)) * shared::gltfAlpha(m);
    const double d = c2 * (a2 - 1.0) + 1.0;
    return 4.0 * c2 * (1.0 - a2) / d * 4.0 * 0x1p-24;
}

TEST_F(GpuBsdf, EvalAndPdfAgreeWithCppAtRandomDirections) {
    const std::vector<test::GltfMaterialCase> materials = test::gltfChi2Materials();
    std::vector<BsdfTestCase> cases;
    for (const auto& m : materials)
        cases.push_back({m.bsdf, vec3(0.0f, 0.0f, 1.0f)});
    const BsdfKernel kernel(ctx(), cases);
    const Pairs pairs = randomPairs(materials);
    const std::vector<BsdfEvalResult> gpu = kernel.eval(pairs.queries);

    Mismatches evals, pdfs;
    uint32_t nonZero = 0, allowed = 0, uniformAllowed = 0;
    for (uint32_t k = 0; k < pairs.queries.size(); ++k) {
        const BsdfEvalQuery& q = pairs.queries[k];
        const GltfBsdf& m = materials[q.caseIndex].bsdf;
        const vec3 f = shared::gltfEval(m, q.wo, q.wi);
        const float pdf = shared::gltfPdf(m, q.wo, q.wi);
        nonZero += pdf > 0.0f;
        const float rel = float(std::max(1e-4, ggxRoundingAllowance(m, q.wo, q.wi)));
        if (rel > 1e-4f) ++(pairs.nearMirror[k] ? allowed : uniformAllowed);
        const std::string name = materials[q.caseIndex].name;
        pdfs.check(close(gpu[k].pdf, pdf, rel, 1e-6f), relativeError(gpu[k].pdf, pdf, 1e-2f), [&] {
            return name + ": " + describe("pdf", k, q.wi, gpu[k].pdf, pdf) + " tolerance " +
                   std::to_string(rel);
        });
        for (int c = 0; c < 3; ++c)
            evals.check(close(gpu[k].fcos[c], f[c], rel, 1e-6f),
                        relativeError(gpu[k].fcos[c], f[c], 1e-2f), [&] {
                            return name + ": " + describe("fcos", k, q.wi, gpu[k].fcos[c], f[c]) +
                                   " tolerance " + std::to_string(rel);
                        });
    }
    std::printf("[bsdf gpu] %zu pairs (%u with pdf > 0): worst relative error eval %.2e, pdf "
                "%.2e; tolerance above 1e-4 for GGX rounding at %u uniform and %u near-mirror "
                "pairs\n",
                pairs.queries.size(), nonZero, evals.worst, pdfs.worst, uniformAllowed, allowed);
    EXPECT_GT(nonZero, kEvalPairs) << "the pairs should mostly hit the lobes";
    EXPECT_EQ(evals.count, 0u) << "GPU gltfEval vs C++" << evals.examples;
    EXPECT_EQ(pdfs.count, 0u) << "GPU gltfPdf vs C++" << pdfs.examples;
}

} // namespace
} // namespace nerva
