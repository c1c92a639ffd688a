// The layered material's GPU build (shaders/tests/layered_eval.comp) against
// its C++ build: fetch (textures, filtering, level of detail, flakes), eval,
// pdf and sample on 10^5 random (uv, footprint, wo, wi, u) per material, for
// the five library materials (assets/materials, real textures) and the
// constant-parameter test materials (tests/support/layered_cases.h).
// eval and pdf must agree to 1e-4 relative (see the bounds below).
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "shaders/shared/rng.h"
#include "shaders/tests/layered_eval_io.h"
#include "tests/support/layered_cases.h"
#include "tests/support/layered_library.h"
#include "tests/support/vk_test_env.h"

#include <cstdio>
#include <cstring>

namespace nerva {
namespace {

using shared::LayeredEvalQuery;
using shared::LayeredEvalResult;
using shared::vec3;

static_assert(sizeof(LayeredEvalQuery) == 64);
static_assert(sizeof(LayeredEvalResult) == 48);
static_assert(sizeof(shared::LayeredKernelPush) == 80);

constexpr uint32_t kQueriesPerMaterial = 100000;

// Random queries for material m: uvs over several tiles (wrapping), half at
// the finest level and half with a footprint from 1e-5 to 0.1 uv units
// (trilinear levels, flakes blending to their aggregate).
std::vector<LayeredEvalQuery> makeQueries(uint32_t m) {
    std::vector<LayeredEvalQuery> q(kQueriesPerMaterial);
    for (uint32_t i = 0; i < kQueriesPerMaterial; ++i) {
        uint rng = shared::rngSeed(0x6c617972u, m, i);
        auto next = [&] { return shared::rngNext(rng); };
        LayeredEvalQuery& e = q[i];
        e = {};
        e.uv = shared::vec2(next() * 3.0f - 1.0f, next() * 3.0f - 1.0f);
        e.footprint = i % 2 == 0 ? 0.0f : std::pow(10.0f, -5.0f + 4.0f * next());
        e.material = m;
        e.wo = test::layeredDirection(0.02f + 0.98f * next(), shared::kTwoPi * next());
        e.wi = test::layeredDirection(0.02f + 0.98f * next(), shared::kTwoPi * next());
        e.u = vec3(next(), next(), next());
    }
    return q;
}

// |a - b| / max(|a|, |b|), values below 1e-6 (f cos and pdfs far below
// anything visible) compared absolutely.
float relDiff(float a, float b) {
    const float d = std::abs(a - b);
    return d == 0.0f ? 0.0f : d / std::max({std::abs(a), std::abs(b), 1e-6f});
}

class LayeredGpu : public test::VulkanTest {};

TEST_F(LayeredGpu, EvalPdfAndSampleMatchTheCpu) {
    test::LayeredLibrary lib = test::loadLayeredLibrary();
    ASSERT_GE(lib.names.size(), 5u) << "the library has five materials";
    // Library materials first, then the constant cases.
    std::vector<shared::GpuLayeredMaterial> records = lib.set.materials();
    for (const test::LayeredCase& c : test::layeredCases()) {
        records.push_back(c.record);
        lib.names.push_back(c.name);
    }
    const shared::LayeredView cpu{records.data(), lib.set.images().data(), lib.set.texels().data(),
                                  lib.set.tables().view()};

    constexpr VkBufferUsageFlags usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
    auto upload = [&](const auto& v) {
        return vk::createBufferWithData(ctx(), v.data(), v.size() * sizeof(v[0]), usage);
    };
    const vk::Buffer materials = upload(records), images = upload(lib.set.images()),
                     texels = upload(lib.set.texels()), ggx = upload(lib.set.tables().ggx),
                     diel = upload(lib.set.tables().dielectric),
                     sheen = upload(lib.set.tables().sheen);
    ShaderCompiler compiler;
    const vk::ComputePipeline pipeline(ctx(), compiler, "tests/layered_eval.comp",
                                       sizeof(shared::LayeredKernelPush));

    for (uint32_t m = 0; m < records.size(); ++m) {
        SCOPED_TRACE(lib.names[m]);
        const std::vector<LayeredEvalQuery> queries = makeQueries(m);
        const vk::Buffer in = upload(queries);
        const vk::Buffer out = vk::createBuffer(ctx(), sizeof(LayeredEvalResult) * queries.size(),
                                                usage, vk::MemoryUse::Readback);
        shared::LayeredKernelPush push{};
        push.view.materials = materials.address;
        push.view.images = images.address;
        push.view.texels = texels.address;
        push.view.tables.ggx = ggx.address;
        push.view.tables.dielectric = diel.address;
        push.view.tables.sheen = sheen.address;
        push.queries = in.address;
        push.results = out.address;
        push.count = uint32_t(queries.size());
        ctx().submitAndWait([&](VkCommandBuffer cmd) {
            pipeline.dispatch(
                cmd, std::min(vk::groupCount(push.count, shared::kLayeredKernelLocalSize), 4096u),
                1, 1, push);
            vk::computeToHostBarrier(cmd);
        });
        std::vector<LayeredEvalResult> gpu(queries.size());
        std::memcpy(gpu.data(), out.mapped, sizeof(LayeredEvalResult) * gpu.size());

        float worstEval = 0.0f, worstPdf = 0.0f, worstWeight = 0.0f, worstWi = 0.0f;
        int overEval = 0, overPdf = 0, sampleMismatch = 0, nonzero = 0;
        for (size_t i = 0; i < queries.size(); ++i) {
            const LayeredEvalResult c = shared::layeredEvalQuery(cpu, queries[i]);
            const LayeredEvalResult& g = gpu[i];
            for (int k = 0; k < 3; ++k) {
                worstEval = std::max(worstEval, relDiff(c.fcos[k], g.fcos[k]));
                overEval += relDiff(c.fcos[k], g.fcos[k]) > 1e-4f ? 1 : 0;
            }
            if (c.fcos.x + c.fcos.y + c.fcos.z > 0.0f) ++nonzero;
            worstPdf = std::max(worstPdf, relDiff(c.pdf, g.pdf));
            overPdf += relDiff(c.pdf, g.pdf) > 1e-4f ? 1 : 0;
            // Samples: the same direction (a lobe choice sitting on its
            // threshold may go either way by a rounding: counted), and the
            // GPU's weight equal to the CPU's eval / pdf at the GPU's wi (the
            // weight of a near-mirror lobe is too ill-conditioned in wi to
            // compare the two weights directly).
            const vec3 d = c.sampleWi - g.sampleWi;
            const float dwi = std::max({std::abs(d.x), std::abs(d.y), std::abs(d.z)});
            if (dwi > 1e-3f || (c.samplePdf > 0.0f) != (g.samplePdf > 0.0f)) {
                ++sampleMismatch;
                continue;
            }
            worstWi = std::max(worstWi, dwi);
            if (!(g.samplePdf > 0.0f)) continue;
            const LayeredEvalQuery& q = queries[i];
            LayeredEvalQuery at = q;
            at.wi = g.sampleWi;
            const LayeredEvalResult r = shared::layeredEvalQuery(cpu, at);
            worstPdf = std::max(worstPdf, relDiff(r.pdf, g.samplePdf));
            for (int k = 0; k < 3; ++k)
                worstWeight = std::max(worstWeight, relDiff(r.fcos[k] / r.pdf, g.sampleWeight[k]));
        }
        const double fracEval = double(overEval) / (3.0 * queries.size());
        const double fracPdf = double(overPdf) / double(queries.size());
        std::printf("[layered gpu] %-62s eval max rel %.2e (%.4f%% over 1e-4) pdf max rel %.2e "
                    "(%.4f%%) | samples: %d differ, max |dwi| %.1e, weight max rel %.2e | %d "
                    "non-zero\n",
                    lib.names[m].c_str(), worstEval, 100.0 * fracEval, worstPdf, 100.0 * fracPdf,
                    sampleMismatch, worstWi, worstWeight, nonzero);
        // 1e-4 relative, allowing one value in 10^4 up to 1e-3: lavapipe's
        // polynomial exp2/log2 lose that much in the sheen's Lambda = exp(L)
        // at grazing angles (L ~ 20).
        EXPECT_LE(fracEval, 1e-4);
        EXPECT_LE(fracPdf, 1e-4);
        EXPECT_LE(worstEval, 1e-3f);
        EXPECT_LE(worstPdf, 1e-3f);
        EXPECT_LE(sampleMismatch, int(queries.size() / 1000));
        EXPECT_LE(worstWeight, 1e-3f);
        EXPECT_GT(nonzero, int(queries.size() / 4)) << "the queries must exercise the material";
    }
}

} // namespace
} // namespace nerva
