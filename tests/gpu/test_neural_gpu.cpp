// The neural material's GPU build (shaders/shared/neural/neural_eval.h through
// shaders/tests/neural_eval.comp: latents from RGBA16F mip chains in a
// bindless sampler2D array, level choice, decoder, sampler network, mixture
// pdf and sample) against its C++ build (material::NeuralMaterialPack) on
// 10^5 random queries spread over two materials with different decoder widths
// (2x16 and 2x32, tiny bakes exported to .nmat bytes and decoded, so every
// value is fp16 as a renderer sees it). fp32 MLP: f cos and pdfs to 1e-3
// relative; the fp16 MLP (NERVA_NEURAL_FP16, when the device has
// shaderFloat16) within its measured bounds (see its test). The measured errors are
// printed.
#include "neural/formats/nmat.h"
#include "neural/material/layered_json.h"
#include "neural/material/trainer.h"
#include "renderer/gpu/gpu_neural.h"
#include "renderer/vk/check.h"
#include "renderer/vk/compute.h"
#include "renderer/vk/memory.h"
#include "shaders/shared/rng.h"
#include "shaders/tests/neural_eval_io.h"
#include "tests/support/vk_test_env.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace nerva {
namespace {

using shared::NeuralEvalQuery;
using shared::NeuralEvalResult;
using shared::vec3;

static_assert(sizeof(NeuralEvalQuery) == 64);
static_assert(sizeof(NeuralEvalResult) == 48);
static_assert(sizeof(shared::NeuralKernelPush) == 40);

constexpr uint32_t kQueries = 100000;

// A tiny bake of `json` (assets/materials) with decoder `variant`, as read
// back from a .nmat file.
formats::NmatAsset bake(const char* json, const char* variant, uint32_t resolution) {
    material::LayeredMaterialSet set;
    set.add(material::loadLayeredMaterialJson(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                                              "/assets/materials/" + json));
    material::BakeOptions o;
    o.iterations = 200;
    o.batch = 256;
    o.latentResolution = resolution;
    o.decoder = variant;
    o.warmup = 5;
    o.threads = 2;
    material::Trainer t(set, 0, o);
    while (!t.done())
        t.step();
    return formats::decodeNmat(formats::encodeNmat(t.toNmat(json, json, "", {}), json), json);
}

const std::vector<formats::NmatAsset>& assets() {
    static const std::vector<formats::NmatAsset> a = {bake("velvet.json", "2x16", 16),
                                                      bake("lacquered_wood.json", "2x32", 8)};
    return a;
}

vec3 hemisphere(float u1, float u2) {
    const float z = 0.02f + 0.98f * u1, s = std::sqrt(1.0f - z * z);
    return vec3(s * std::cos(shared::kTwoPi * u2), s * std::sin(shared::kTwoPi * u2), z);
}

// Queries alternating between the materials (so neighbouring invocations
// index different textures): uv over [-1, 2)^2, footprint 0 for a quarter,
// else 1e-4 .. 0.5 uv units log-uniformly; half of the wi from the CPU's
// sampler (where the density is), half uniform in cos theta.
std::vector<NeuralEvalQuery> makeQueries(const material::NeuralMaterialPack& pack) {
    std::vector<NeuralEvalQuery> q(kQueries);
    for (uint32_t i = 0; i < kQueries; ++i) {
        uint rng = shared::rngSeed(0x6e657572u, 0, i);
        auto next = [&] { return shared::rngNext(rng); };
        NeuralEvalQuery& e = q[i];
        e = {};
        e.material = i % 2;
        e.uv = shared::vec2(next() * 3.0f - 1.0f, next() * 3.0f - 1.0f);
        e.footprint = i % 4 == 0 ? 0.0f : std::pow(10.0f, -4.0f + 3.7f * next());
        e.uLevel = next();
        e.wo = hemisphere(next(), next());
        e.wi = hemisphere(next(), next());
        e.u = vec3(next(), next(), next());
        if (i % 4 >= 2) {
            const shared::NeuralView v = pack.view();
            const shared::GpuNeuralMaterial& m = pack.records()[e.material];
            const shared::NeuralLatent z = shared::neuralFetchLatent(
                v, m, e.uv, shared::neuralLatentLevel(m, e.footprint, e.uLevel));
            const shared::LobeSample s = shared::samplerMixtureSample(
                shared::neuralSamplerMixture(v, m, z, e.wo), e.wo, vec3(next(), next(), next()));
            if (s.pdf > 0.0f) e.wi = s.wi;
        }
    }
    return q;
}

// A compute pipeline with one descriptor set (binding 0: the bindless latent
// array) and a push-constant range; the test's own, as vk::ComputePipeline
// has no descriptor sets.
struct LatentPipeline {
    vk::Handle<VkDescriptorSetLayout> setLayout;
    vk::Handle<VkDescriptorPool> pool;
    VkDescriptorSet set = VK_NULL_HANDLE;
    vk::Handle<VkPipelineLayout> layout;
    vk::Handle<VkPipeline> pipeline;

    LatentPipeline(const vk::Context& ctx, const std::vector<uint32_t>& spirv,
                   const gpu::GpuNeuralMaterials& g) {
        const VkDevice dev = ctx.device();
        const std::vector<VkDescriptorImageInfo> images = g.imageInfos();
        const uint32_t n = uint32_t(images.size());
        VkDescriptorSetLayoutBinding b{0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, n,
                                       VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
        VkDescriptorSetLayoutCreateInfo li{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
        li.bindingCount = 1;
        li.pBindings = &b;
        VkDescriptorSetLayout sl = VK_NULL_HANDLE;
        VK_CHECK(vkCreateDescriptorSetLayout(dev, &li, nullptr, &sl));
        setLayout = {dev, sl, vkDestroyDescriptorSetLayout};
        const VkDescriptorPoolSize ps{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, n};
        VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
        pi.maxSets = 1;
        pi.poolSizeCount = 1;
        pi.pPoolSizes = &ps;
        VkDescriptorPool p = VK_NULL_HANDLE;
        VK_CHECK(vkCreateDescriptorPool(dev, &pi, nullptr, &p));
        pool = {dev, p, vkDestroyDescriptorPool};
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = p;
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &sl;
        VK_CHECK(vkAllocateDescriptorSets(dev, &ai, &set));
        VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        w.dstSet = set;
        w.descriptorCount = n;
        w.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
        w.pImageInfo = images.data();
        vkUpdateDescriptorSets(dev, 1, &w, 0, nullptr);

        const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0,
                                        sizeof(shared::NeuralKernelPush)};
        VkPipelineLayoutCreateInfo pli{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
        pli.setLayoutCount = 1;
        pli.pSetLayouts = &sl;
        pli.pushConstantRangeCount = 1;
        pli.pPushConstantRanges = &range;
        VkPipelineLayout pl = VK_NULL_HANDLE;
        VK_CHECK(vkCreatePipelineLayout(dev, &pli, nullptr, &pl));
        layout = {dev, pl, vkDestroyPipelineLayout};

        VkShaderModuleCreateInfo mi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
        mi.codeSize = spirv.size() * sizeof(uint32_t);
        mi.pCode = spirv.data();
        VkShaderModule rawModule = VK_NULL_HANDLE;
        VK_CHECK(vkCreateShaderModule(dev, &mi, nullptr, &rawModule));
        const vk::Handle<VkShaderModule> module(dev, rawModule, vkDestroyShaderModule);
        VkComputePipelineCreateInfo ci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
        ci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
        ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
        ci.stage.module = module;
        ci.stage.pName = "main";
        ci.layout = pl;
        VkPipeline raw = VK_NULL_HANDLE;
        VK_CHECK(vkCreateComputePipelines(dev, ctx.pipelineCache(), 1, &ci, nullptr, &raw));
        pipeline = {dev, raw, vkDestroyPipeline};
    }
};

bool deviceHasFloat16(const vk::Context& ctx) {
    VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceFeatures2 f{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &f12};
    vkGetPhysicalDeviceFeatures2(ctx.physicalDevice(), &f);
    return f12.shaderFloat16 == VK_TRUE;
}

// |a - ref| / max(|ref|, 1e-3).
float rel(float a, float ref) {
    return std::abs(a - ref) / std::max(std::abs(ref), 1e-3f);
}

// Bounds of the GPU-vs-CPU relative errors (see rel).
struct Bounds {
    float evalMax, evalP999, evalMean; // f cos, per channel
    float pdfMax, pdfP999;             // the sampler mixture's pdf of the query's wi
    float samplePdf;                   // pdf of samples drawn to the same direction
    int sampleDiffers;                 // samples allowed to land elsewhere (> 1e-3)
};

class NeuralGpu : public test::VulkanTest {
  protected:
    // Runs the kernel built with `defines` on every query, compares with the
    // C++ build, prints the errors (labelled `name`) and checks them against b.
    void compare(const char* name, const ShaderDefines& defines, const Bounds& b) {
        const gpu::GpuNeuralMaterials g(ctx(), assets());
        const material::NeuralMaterialPack& pack = g.pack();
        ASSERT_NE(pack.records()[0].decoderWidth.x, pack.records()[1].decoderWidth.x);
        const std::vector<NeuralEvalQuery> queries = makeQueries(pack);
        ShaderCompiler compiler;
        const LatentPipeline p(ctx(), compiler.compile("tests/neural_eval.comp", defines), g);
        const vk::Buffer in =
            vk::createBufferWithData(ctx(), queries.data(), sizeof(NeuralEvalQuery) * kQueries,
                                     VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
        const vk::Buffer out =
            vk::createBuffer(ctx(), sizeof(NeuralEvalResult) * kQueries,
                             VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Readback);
        shared::NeuralKernelPush push{};
        push.view = g.view();
        push.queries = in.address;
        push.results = out.address;
        push.count = kQueries;
        ctx().submitAndWait([&](VkCommandBuffer cmd) {
            vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline);
            vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout, 0, 1, &p.set, 0,
                                    nullptr);
            vkCmdPushConstants(cmd, p.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(push), &push);
            vkCmdDispatch(cmd,
                          std::min(vk::groupCount(kQueries, shared::kNeuralKernelLocalSize), 4096u),
                          1, 1);
            vk::computeToHostBarrier(cmd);
        });
        std::vector<NeuralEvalResult> gpu(kQueries);
        std::memcpy(gpu.data(), out.mapped, sizeof(NeuralEvalResult) * kQueries);

        const shared::NeuralView cpu = pack.view();
        std::vector<float> evalErr, pdfErr;
        float worstSamplePdf = 0, worstWi = 0;
        int levelDiffers = 0, sampleDiffers = 0, nonzero = 0, levels[8] = {};
        for (uint32_t i = 0; i < kQueries; ++i) {
            const NeuralEvalResult& r = gpu[i];
            NeuralEvalResult c = shared::neuralEvalQuery(cpu, queries[i]);
            if (c.level != r.level) {
                // log2 on the device may round a level choice sitting on its
                // threshold the other way: compare at the GPU's level.
                ++levelDiffers;
                c = shared::neuralEvalQueryAt(cpu, queries[i], r.level);
            }
            ++levels[std::min(r.level, 7u)];
            for (int k = 0; k < 3; ++k)
                evalErr.push_back(rel(r.fcos[k], c.fcos[k]));
            if (c.fcos.x + c.fcos.y + c.fcos.z > 0.03f) ++nonzero;
            pdfErr.push_back(rel(r.pdf, c.pdf));
            const vec3 d = r.sampleWi - c.sampleWi;
            const float dwi = std::max({std::abs(d.x), std::abs(d.y), std::abs(d.z)});
            if (dwi > 1e-3f || (r.samplePdf > 0.0f) != (c.samplePdf > 0.0f)) {
                ++sampleDiffers; // a lobe choice on its threshold, or (fp16) a moved lobe
                continue;
            }
            worstWi = std::max(worstWi, dwi);
            worstSamplePdf = std::max(worstSamplePdf, rel(r.samplePdf, c.samplePdf));
        }
        // Maximum, 99.9th percentile and mean of a list of errors.
        auto stats = [](std::vector<float>& e) {
            double sum = 0.0;
            for (float x : e)
                sum += x;
            std::sort(e.begin(), e.end());
            return std::tuple(e.back(), e[e.size() * 999 / 1000], float(sum / double(e.size())));
        };
        const auto [evalMax, evalP999, evalMean] = stats(evalErr);
        const auto [pdfMax, pdfP999, pdfMean] = stats(pdfErr);
        std::printf("[neural gpu %s] %u queries (levels 0..3: %d %d %d %d): f cos rel error max "
                    "%.2e (99.9%%: %.2e, mean %.1e), sampler pdf max %.2e (99.9%%: %.2e, mean "
                    "%.1e), sample pdf max "
                    "%.2e, max |dwi| %.2e; %d level choices and %d samples differ; %d with f cos "
                    "> 0.01\n",
                    name, kQueries, levels[0], levels[1], levels[2], levels[3], evalMax, evalP999,
                    evalMean, pdfMax, pdfP999, pdfMean, worstSamplePdf, worstWi, levelDiffers,
                    sampleDiffers, nonzero);
        EXPECT_LE(evalMax, b.evalMax);
        EXPECT_LE(evalP999, b.evalP999);
        EXPECT_LE(evalMean, b.evalMean);
        EXPECT_LE(pdfMax, b.pdfMax);
        EXPECT_LE(pdfP999, b.pdfP999);
        EXPECT_LE(worstSamplePdf, b.samplePdf);
        EXPECT_LE(sampleDiffers, b.sampleDiffers);
        EXPECT_LE(levelDiffers, int(kQueries / 1000));
        EXPECT_GT(nonzero, int(kQueries / 4)) << "the queries must exercise the materials";
        EXPECT_GT(levels[1] + levels[2] + levels[3], int(kQueries / 10));
    }
};

// Both permutations of the kernel compile, whatever the device supports.
TEST(NeuralGpuShaders, Fp32AndFp16KernelsCompile) {
    ShaderCompiler compiler(NERVA_SHADER_DIR, ""); // no cache: really compile
    for (const char* fp16 : {"0", "1"})
        EXPECT_FALSE(
            compiler.compile("tests/neural_eval.comp", {{"NERVA_NEURAL_FP16", fp16}}).empty())
            << fp16;
}

// fp32: everything to 1e-3 (measured on lavapipe: f cos 5e-6, pdf 3e-4, the
// latter from its polynomial exp/log).
TEST_F(NeuralGpu, Fp32EvalPdfAndSampleMatchTheCpu) {
    compare("fp32", {{"NERVA_NEURAL_FP16", "0"}}, {1e-3f, 1e-3f, 1e-4f, 1e-3f, 1e-3f, 1e-3f, 100});
}

// fp16 decoder (NERVA_NEURAL_FP16: the hidden-to-hidden layers in float16_t
// inputs, weights and products with fp32 sums, as fp16 matrix units do; the
// first and output layers and the sampler network stay fp32, so the pdf
// bounds are fp32's). Measured on lavapipe: max 7.56e-3, 99.9th percentile
// 4.64e-3, mean 2.8e-4. With every decoder layer in fp16: 1.68e-2, 9.5e-3,
// 5.7e-4 (over the 1e-2); fp16 sums as well: 4.2e-2, 2.3e-2, 1.3e-3.
// Bounds: the 1e-2 for the maximum (the measured value plus ~30%),
// the others the measured values plus ~30%.
TEST_F(NeuralGpu, Fp16EvalPdfAndSampleMatchTheCpu) {
    if (!deviceHasFloat16(ctx())) GTEST_SKIP() << "the device has no shaderFloat16";
    compare("fp16", {{"NERVA_NEURAL_FP16", "1"}}, {1e-2f, 6e-3f, 4e-4f, 1e-3f, 1e-3f, 1e-3f, 100});
}

} // namespace
} // namespace nerva
