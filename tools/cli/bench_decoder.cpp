// nerva bench decoder: decoder evaluations per second of the batch decoder
// (renderer/gpu/neural_batch_decoder.h) on each library material
// (assets/materials/neural/*.nmat), scalar fp32 kernel against the
// cooperative-matrix kernel on identical queries (latents fetched on the CPU
// at random uv and level, directions over the hemisphere), in one run.
// GPU time from timestamps around the dispatch alone (submission overhead
// would swamp a fast device), median of --repeats after one warm-up.
#include "arg_parser.h"
#include "bench_common.h"
#include "commands.h"

#include "neural/core/error.h"
#include "neural/formats/nmat.h"
#include "renderer/gpu/neural_batch_decoder.h"
#include "renderer/vk/check.h"
#include "renderer/vk/context.h"
#include "shaders/neural/decoder_batch_io.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

namespace nerva::cli {
namespace {

std::vector<shared::NeuralDecodeQuery> decodeQueries(const material::NeuralMaterialPack& pack,
                                                     uint32_t count) {
    const uint32_t levels = pack.records()[0].latentLevels;
    std::vector<shared::NeuralDecodeQuery> q(count);
    for (uint32_t i = 0; i < count; ++i) {
        uint rng = shared::rngSeed(0xdec0de5u, 0u, i);
        auto next = [&] { return shared::rngNext(rng); };
        auto dir = [&] {
            const float z = 0.02f + 0.98f * next(), phi = shared::kTwoPi * next();
            const float s = std::sqrt(1.0f - z * z);
            return shared::vec3(s * std::cos(phi), s * std::sin(phi), z);
        };
        const shared::vec2 uv(next(), next());
        const uint32_t level = std::min(uint32_t(next() * float(levels)), levels - 1);
        const shared::NeuralLatent z = pack.latent(0, uv, level);
        q[i] = {};
        q[i].latentA = z.a;
        q[i].latentB = z.b;
        q[i].wo = dir();
        q[i].wi = dir();
    }
    return q;
}

// Median seconds of one decode of `count` queries on the device.
double timeDecoder(const vk::Context& ctx, const gpu::NeuralBatchDecoder& decoder,
                   const vk::Buffer& in, const vk::Buffer& out, uint32_t count, uint32_t repeats) {
    VkQueryPoolCreateInfo qi{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    qi.queryType = VK_QUERY_TYPE_TIMESTAMP;
    qi.queryCount = 2;
    VkQueryPool raw = VK_NULL_HANDLE;
    VK_CHECK(vkCreateQueryPool(ctx.device(), &qi, nullptr, &raw));
    const vk::Handle<VkQueryPool> pool(ctx.device(), raw, vkDestroyQueryPool);
    std::vector<double> seconds;
    for (uint32_t r = 0; r <= repeats; ++r) { // r = 0: warm-up
        ctx.submitAndWait([&](VkCommandBuffer cmd) {
            vkCmdResetQueryPool(cmd, raw, 0, 2);
            vkCmdWriteTimestamp2(cmd, VK_PIPELINE_STAGE_2_TOP_OF_PIPE_BIT, raw, 0);
            decoder.decode(cmd, in, out, count);
            vkCmdWriteTimestamp2(cmd, VK_PIPELINE_STAGE_2_BOTTOM_OF_PIPE_BIT, raw, 1);
        });
        uint64_t t[2] = {};
        VK_CHECK(vkGetQueryPoolResults(ctx.device(), raw, 0, 2, sizeof(t), t, sizeof(uint64_t),
                                       VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT));
        if (r > 0)
            seconds.push_back(double(t[1] - t[0]) * ctx.properties().limits.timestampPeriod * 1e-9);
    }
    return medianOf(seconds);
}

} // namespace

int benchDecoder(const ArgParser& args) {
    const uint32_t count = args.getUint("--count", 1u << 18, 1024, 1u << 26);
    const uint32_t repeats = args.getUint("--repeats", 5, 1, 1000);
    vk::ContextOptions vkOptions;
    vkOptions.device = args.get("--device");
    const vk::Context ctx(vkOptions);
    if (ctx.properties().limits.timestampComputeAndGraphics != VK_TRUE)
        throw Error("bench decoder: '" + ctx.report().name + "' has no timestamps on its queue");
    ShaderCompiler compiler;
    const auto [coop, reason] = gpu::NeuralBatchDecoder::coopMatrixSupport(ctx);
    std::printf("decoder evaluations per second (f cos of %u queries, median of %u) on %s\n"
                "matrix path: %s: %s\n\n",
                count, repeats, ctx.report().name.c_str(), coop ? "yes" : "no", reason.c_str());
    std::printf("%-16s %8s %16s %16s %8s\n", "material", "decoder", "scalar fp32 /s",
                "coop matrix /s", "ratio");

    std::vector<std::filesystem::path> files;
    for (const auto& e :
         std::filesystem::directory_iterator(std::string(NERVA_ASSET_DIR) + "/materials/neural"))
        if (e.path().extension() == ".nmat") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) throw Error("bench decoder: no .nmat under assets/materials/neural");
    for (const std::filesystem::path& f : files) {
        const formats::NmatAsset asset = formats::readNmat(f.string());
        const gpu::GpuNeuralMaterials g(ctx, std::span(&asset, 1));
        const shared::GpuNeuralMaterial& m = g.pack().records()[0];
        const std::vector<shared::NeuralDecodeQuery> queries = decodeQueries(g.pack(), count);
        const vk::Buffer in =
            vk::createBufferWithData(ctx, queries.data(), queries.size() * sizeof(queries[0]),
                                     VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
        const vk::Buffer out =
            vk::createBuffer(ctx, sizeof(shared::vec3) * count, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                             vk::MemoryUse::Device);
        const gpu::NeuralBatchDecoder scalar(ctx, compiler, g, 0, gpu::DecoderPath::ScalarFp32);
        const double perSecondScalar = count / timeDecoder(ctx, scalar, in, out, count, repeats);
        std::optional<double> perSecondCoop;
        if (coop) {
            const gpu::NeuralBatchDecoder matrix(ctx, compiler, g, 0, gpu::DecoderPath::CoopMatrix);
            perSecondCoop = count / timeDecoder(ctx, matrix, in, out, count, repeats);
        }
        const std::string shape =
            std::to_string(m.decoderHidden) + "x" + std::to_string(m.decoderWidth[0]);
        char coopText[32] = "-", ratioText[32] = "-";
        if (perSecondCoop) {
            std::snprintf(coopText, sizeof(coopText), "%.3e", *perSecondCoop);
            std::snprintf(ratioText, sizeof(ratioText), "%.2fx", *perSecondCoop / perSecondScalar);
        }
        std::printf("%-16s %8s %16.3e %16s %8s\n", f.stem().string().c_str(), shape.c_str(),
                    perSecondScalar, coopText, ratioText);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace nerva::cli
