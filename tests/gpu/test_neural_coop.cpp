// The batch decoder (renderer/gpu/neural_batch_decoder.h) against the CPU
// build of the shared neural eval (shaders/shared/neural/neural_eval.h) on
// 10^5 random queries of the library's car paint (decoder 2x32): latents
// from its pyramid at random uv and level, directions over the upper
// hemisphere. The scalar fp32 kernel to 1e-3 relative; the cooperative-matrix
// kernel (fp16 inputs and weights, fp32 sums) within its measured bounds where
// the device supports it, else skipped with the reason. Errors are printed.
#include "neural/core/error.h"
#include "neural/formats/half.h"
#include "neural/formats/nmat.h"
#include "renderer/gpu/neural_batch_decoder.h"
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "shaders/neural/decoder_batch_io.h"
#include "shaders/shared/rng.h"
#include "tests/support/vk_test_env.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace nerva {
namespace {

using shared::NeuralDecodeQuery;
using shared::vec3;

constexpr uint32_t kQueries = 100000;

// Bounds of the fp16 matrix path's f cos against fp32 (relative, per
// channel): measured on the CPU model of its arithmetic (evalFp16Matrix, see
// its test): max 2.22e-2, 99.9th percentile 1.60e-2, mean 3.2e-3; plus ~30%.
constexpr float kCoopMax = 2.9e-2f, kCoopP999 = 2.1e-2f, kCoopMean = 4.2e-3f;

formats::NmatAsset carPaint() {
    return formats::readNmat(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                             "/assets/materials/neural/car_paint.nmat");
}

vec3 hemisphere(float u1, float u2) {
    const float z = 0.02f + 0.98f * u1, s = std::sqrt(1.0f - z * z);
    return vec3(s * std::cos(shared::kTwoPi * u2), s * std::sin(shared::kTwoPi * u2), z);
}

std::vector<NeuralDecodeQuery> makeQueries(const material::NeuralMaterialPack& pack) {
    const uint32_t levels = pack.records()[0].latentLevels;
    std::vector<NeuralDecodeQuery> q(kQueries);
    for (uint32_t i = 0; i < kQueries; ++i) {
        uint rng = shared::rngSeed(0xc00b3a7u, 0, i);
        auto next = [&] { return shared::rngNext(rng); };
        const shared::vec2 uv(next(), next());
        const uint32_t level = std::min(uint32_t(next() * float(levels)), levels - 1);
        const shared::NeuralLatent z = pack.latent(0, uv, level);
        NeuralDecodeQuery& e = q[i];
        e = {};
        e.latentA = z.a;
        e.latentB = z.b;
        e.wo = hemisphere(next(), next());
        e.wi = hemisphere(next(), next());
    }
    return q;
}

// |a - ref| / max(|ref|, 1e-3), as tests/gpu/test_neural_gpu.cpp.
float rel(float a, float ref) {
    return std::abs(a - ref) / std::max(std::abs(ref), 1e-3f);
}

struct Stats {
    float max, p999, mean;
};

// Maximum, 99.9th percentile and mean of a list of errors.
Stats stats(std::vector<float> e) {
    double sum = 0.0;
    for (float x : e)
        sum += x;
    std::sort(e.begin(), e.end());
    return {e.back(), e[e.size() * 999 / 1000], float(sum / double(e.size()))};
}

float half(float x) {
    return formats::halfToFloat(formats::floatToHalf(x));
}

// decoder_coop.comp's arithmetic on the CPU: decoder inputs and every
// layer's activations and weights rounded to fp16, exact products, fp32 sums
// (in input order; the matrix units sum in their own order), fp32 biases.
vec3 evalFp16Matrix(const shared::NeuralView& v, const shared::GpuNeuralMaterial& m,
                    const NeuralDecodeQuery& q) {
    shared::NeuralActivations x = shared::neuralInputs({q.latentA, q.latentB});
    const shared::NeuralActivations delta =
        shared::neuralDense(v, m.framesOffset, shared::kNeuralLatentChannels,
                            shared::kNeuralFrameOutputs, false, false, false, x);
    const vec3 h = shared::neuralHalfVector(q.wo, q.wi);
    shared::neuralFrameFeatures(delta, 0u, h, q.wo, x, shared::kNeuralLatentChannels);
    shared::neuralFrameFeatures(delta, 1u, h, q.wi, x, shared::kNeuralLatentChannels + 6u);
    uint32_t offset = m.decoderOffset, nIn = shared::kNeuralDecoderInputs;
    for (uint32_t l = 0; l <= m.decoderHidden; ++l) {
        const uint32_t nOut = l < m.decoderHidden ? m.decoderWidth[l] : 3u;
        shared::NeuralActivations y;
        for (uint32_t o = 0; o < nOut; ++o) {
            float s = 0.0f;
            for (uint32_t i = 0; i < nIn; ++i)
                s += half(v.weights[offset + o * nIn + i]) * half(x.v[i]);
            s += v.weights[offset + nOut * nIn + o];
            y.v[o] = l < m.decoderHidden ? std::max(s, 0.0f) : s;
        }
        x = y;
        offset += nIn * nOut + nOut;
        nIn = nOut;
    }
    return shared::exp(vec3(x.v[0], x.v[1], x.v[2]) - 3.0f);
}

class NeuralCoop : public test::VulkanTest {
  protected:
    // Runs `path` on the queries, prints and returns the relative errors of
    // f cos (per channel) against the CPU.
    Stats run(gpu::DecoderPath path) {
        const formats::NmatAsset asset = carPaint();
        const gpu::GpuNeuralMaterials g(ctx(), std::span(&asset, 1));
        const material::NeuralMaterialPack& pack = g.pack();
        EXPECT_EQ(pack.records()[0].decoderHidden, 2u);
        EXPECT_EQ(pack.records()[0].decoderWidth.x, 32u);
        const std::vector<NeuralDecodeQuery> queries = makeQueries(pack);
        ShaderCompiler compiler;
        const gpu::NeuralBatchDecoder decoder(ctx(), compiler, g, 0, path);
        const vk::Buffer in =
            vk::createBufferWithData(ctx(), queries.data(), sizeof(NeuralDecodeQuery) * kQueries,
                                     VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
        const vk::Buffer out =
            vk::createBuffer(ctx(), sizeof(vec3) * kQueries, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                             vk::MemoryUse::Readback);
        ctx().submitAndWait([&](VkCommandBuffer cmd) {
            decoder.decode(cmd, in, out, kQueries);
            vk::computeToHostBarrier(cmd);
        });
        std::vector<vec3> gpu(kQueries);
        std::memcpy(gpu.data(), out.mapped, sizeof(vec3) * kQueries);

        const shared::NeuralView view = pack.view();
        const shared::GpuNeuralMaterial& m = pack.records()[0];
        std::vector<float> err;
        int nonzero = 0;
        for (uint32_t i = 0; i < kQueries; ++i) {
            const NeuralDecodeQuery& q = queries[i];
            const vec3 c = shared::neuralEval(view, m, {q.latentA, q.latentB}, q.wo, q.wi);
            if (c.x + c.y + c.z > 0.03f) ++nonzero;
            for (int k = 0; k < 3; ++k)
                err.push_back(rel(gpu[i][k], c[k]));
        }
        const Stats s = stats(std::move(err));
        std::printf("[neural coop] %s (%s): %u queries, f cos rel error max %.2e (99.9%%: "
                    "%.2e, mean %.1e); %d with f cos > 0.01\n",
                    gpu::decoderPathName(path), decoder.description().c_str(), kQueries, s.max,
                    s.p999, s.mean, nonzero);
        EXPECT_GT(nonzero, int(kQueries / 10)) << "the queries must exercise the material";
        return s;
    }
};

// The support query always explains itself (the renderer reports it as its
// choice); an unsupported device refuses the matrix path with that reason.
TEST_F(NeuralCoop, SupportQueryReportsAReason) {
    const auto [supported, reason] = gpu::NeuralBatchDecoder::coopMatrixSupport(ctx());
    std::printf("[neural coop] matrix path %s: %s\n", supported ? "supported" : "unsupported",
                reason.c_str());
    EXPECT_FALSE(reason.empty());
    EXPECT_NE(reason.find(ctx().report().name), std::string::npos) << reason;
    if (supported) {
        EXPECT_NE(reason.find("fp16 x fp16 -> fp32"), std::string::npos) << reason;
        return;
    }
    const formats::NmatAsset asset = carPaint();
    const gpu::GpuNeuralMaterials g(ctx(), std::span(&asset, 1));
    ShaderCompiler compiler;
    try {
        gpu::NeuralBatchDecoder(ctx(), compiler, g, 0, gpu::DecoderPath::CoopMatrix);
        ADD_FAILURE() << "the matrix path was built on a device without support";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
    }
}

// The matrix kernel compiles for the shapes NVIDIA lists (16x16x16 and
// 16x8x16, subgroup 32), whatever this device supports.
TEST(NeuralCoopShaders, MatrixKernelCompiles) {
    ShaderCompiler compiler(NERVA_SHADER_DIR, ""); // no cache: really compile
    for (const char* n : {"16", "8"})
        EXPECT_FALSE(compiler
                         .compile("neural/decoder_coop.comp", {{"NERVA_COOP_HIDDEN_WIDTH", "32"},
                                                               {"NERVA_COOP_HIDDEN_LAYERS", "2"},
                                                               {"NERVA_COOP_M", "16"},
                                                               {"NERVA_COOP_N", n},
                                                               {"NERVA_COOP_K", "16"},
                                                               {"NERVA_COOP_SUBGROUP_SIZE", "32"},
                                                               {"NERVA_COOP_SUBGROUPS", "4"},
                                                               {"NERVA_NEURAL_MAX_WIDTH", "20"}})
                         .empty())
            << n;
}

// What the matrix kernel's fp16 rounding alone costs against fp32, measured
// on the CPU (evalFp16Matrix): the expectation for the GPU test below.
TEST(NeuralCoopCpu, Fp16MatrixArithmeticAgainstFp32) {
    const formats::NmatAsset asset = carPaint();
    const material::NeuralMaterialPack pack(std::span(&asset, 1));
    const std::vector<NeuralDecodeQuery> queries = makeQueries(pack);
    const shared::NeuralView v = pack.view();
    const shared::GpuNeuralMaterial& m = pack.records()[0];
    std::vector<float> err;
    for (const NeuralDecodeQuery& q : queries) {
        const vec3 a = evalFp16Matrix(v, m, q);
        const vec3 c = shared::neuralEval(v, m, {q.latentA, q.latentB}, q.wo, q.wi);
        for (int k = 0; k < 3; ++k)
            err.push_back(rel(a[k], c[k]));
    }
    const Stats s = stats(std::move(err));
    std::printf("[neural coop] fp16 matrix arithmetic on the CPU: f cos rel error max %.2e "
                "(99.9%%: %.2e, mean %.1e)\n",
                s.max, s.p999, s.mean);
    EXPECT_LE(s.max, kCoopMax);
    EXPECT_LE(s.p999, kCoopP999);
    EXPECT_LE(s.mean, kCoopMean);
}

// fp32, same maths as the CPU: to 1e-3 (the exp and float sums' order only).
TEST_F(NeuralCoop, ScalarFp32MatchesTheCpu) {
    const Stats s = run(gpu::DecoderPath::ScalarFp32);
    EXPECT_LE(s.max, 1e-3f);
    EXPECT_LE(s.mean, 1e-5f);
}

// fp16 activations and weights, fp32 sums. No device available so far has
// run it (lavapipe offers no cooperative matrices), so its bounds are those
// of the same arithmetic on the CPU (Fp16MatrixArithmeticAgainstFp32);
// replace them by the kernel's measured values plus a margin on first run.
TEST_F(NeuralCoop, CoopMatrixMatchesTheCpuWithinFp16Bounds) {
    const auto [supported, reason] = gpu::NeuralBatchDecoder::coopMatrixSupport(ctx());
    if (!supported) GTEST_SKIP() << reason;
    const Stats s = run(gpu::DecoderPath::CoopMatrix);
    EXPECT_LE(s.max, kCoopMax);
    EXPECT_LE(s.p999, kCoopP999);
    EXPECT_LE(s.mean, kCoopMean);
}

} // namespace
} // namespace nerva
