#include "neural_batch_decoder.h"

#include "neural/core/error.h"
#include "neural/formats/half.h"
#include "shaders/neural/decoder_batch_io.h"

#include <algorithm>
#include <cstring>

namespace nerva::gpu {
namespace {

static_assert(sizeof(shared::NeuralDecodeQuery) == 64);
static_assert(sizeof(shared::NeuralDecodePush) == 48);

// Subgroups per work group of the matrix kernel: a few, so a work group
// keeps the device busy between tiles without much shared memory (each
// subgroup holds M x (K-padded fp16 + N-padded fp32) of activations).
constexpr uint32_t kCoopSubgroups = 4;
// Grid-stride kernels: enough groups to fill any device, few enough that
// every group loops a little.
constexpr uint32_t kMaxGroups = 4096;

uint32_t roundUp(uint32_t v, uint32_t m) {
    return (v + m - 1) / m * m;
}

// fp16 matrix products per query of a 20 -> width x hidden -> 3 decoder
// on a shape: the padding is work too.
uint64_t paddedWork(const vk::CoopMatrixShape& s, uint32_t width, uint32_t hidden) {
    uint64_t work = uint64_t(roundUp(shared::kNeuralDecoderInputs, s.k)) * roundUp(width, s.n);
    work += uint64_t(hidden - 1) * roundUp(width, s.k) * roundUp(width, s.n);
    return work + uint64_t(roundUp(width, s.k)) * roundUp(3, s.n);
}

struct CoopChoice {
    std::optional<vk::CoopMatrixShape> shape;
    uint32_t subgroupSize = 0;
    std::string reason;
};

// The cooperative-matrix shape for a decoder of `hidden` layers of `width`
// (default: the library's 2 x 32), or why there is none.
CoopChoice chooseCoop(const vk::Context& ctx, uint32_t width = 32, uint32_t hidden = 2) {
    const std::string dev = "'" + ctx.report().name + "'";
    CoopChoice c;
    if (!ctx.cooperativeMatrix()) {
        c.reason = dev + " does not offer VK_NV_cooperative_matrix (with its cooperativeMatrix "
                         "feature): the scalar fp32 decoder is used";
        return c;
    }
    if (!ctx.shaderFloat16() || !ctx.storageBuffer16BitAccess()) {
        c.reason = dev + " offers VK_NV_cooperative_matrix but lacks shaderFloat16 or "
                         "storageBuffer16BitAccess (fp16 weights)";
        return c;
    }
    VkPhysicalDeviceSubgroupProperties sub{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &sub};
    vkGetPhysicalDeviceProperties2(ctx.physicalDevice(), &props);
    if (!(sub.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) ||
        !(sub.supportedOperations & VK_SUBGROUP_FEATURE_BASIC_BIT)) {
        c.reason = dev + " has no basic subgroup operations in compute shaders";
        return c;
    }
    c.subgroupSize = sub.subgroupSize;
    for (const vk::CoopMatrixShape& s : ctx.coopMatrixShapes()) {
        if (s.a != VK_COMPONENT_TYPE_FLOAT16_NV || s.b != VK_COMPONENT_TYPE_FLOAT16_NV ||
            s.c != VK_COMPONENT_TYPE_FLOAT32_NV || s.d != VK_COMPONENT_TYPE_FLOAT32_NV ||
            s.scope != VK_SCOPE_SUBGROUP_NV || !s.m || !s.n || !s.k)
            continue;
        // Least padded work per query; then more rows per tile.
        if (!c.shape || paddedWork(s, width, hidden) < paddedWork(*c.shape, width, hidden) ||
            (paddedWork(s, width, hidden) == paddedWork(*c.shape, width, hidden) &&
             s.m > c.shape->m))
            c.shape = s;
    }
    if (!c.shape) {
        c.reason = dev + " lists " + std::to_string(ctx.coopMatrixShapes().size()) +
                   " cooperative-matrix shapes, none fp16 x fp16 -> fp32 at subgroup scope";
        return c;
    }
    c.reason = "cooperative matrix " + std::to_string(c.shape->m) + "x" +
               std::to_string(c.shape->n) + "x" + std::to_string(c.shape->k) +
               " fp16 x fp16 -> fp32, subgroup " + std::to_string(c.subgroupSize) + " on " + dev;
    return c;
}

// The decoder's matrices as the matrix kernel reads them: per layer the
// transpose Wt[in][out] (row = input, column = output) in fp16, inputs
// padded to a multiple of K, outputs to a multiple of N, zeros in the
// padding (decoder_coop.comp's kInputsPad ... kOutputPad).
std::vector<uint16_t> halfDecoderMatrices(const material::NeuralMaterialPack& pack,
                                          uint32_t material, const vk::CoopMatrixShape& s) {
    const shared::GpuNeuralMaterial& m = pack.records()[material];
    const std::vector<float>& w = pack.weights();
    std::vector<uint16_t> out;
    uint32_t offset = m.decoderOffset, nIn = shared::kNeuralDecoderInputs;
    for (uint32_t l = 0; l <= m.decoderHidden; ++l) {
        const uint32_t nOut = l < m.decoderHidden ? m.decoderWidth[l] : 3u;
        const uint32_t inPad = roundUp(nIn, s.k), outPad = roundUp(nOut, s.n);
        const size_t base = out.size();
        out.resize(base + size_t(inPad) * outPad, formats::floatToHalf(0.0f));
        for (uint32_t o = 0; o < nOut; ++o)
            for (uint32_t i = 0; i < nIn; ++i)
                out[base + size_t(i) * outPad + o] =
                    formats::floatToHalf(w[offset + size_t(o) * nIn + i]);
        offset += nIn * nOut + nOut;
        nIn = nOut;
    }
    return out;
}

} // namespace

const char* decoderPathName(DecoderPath p) {
    return p == DecoderPath::CoopMatrix ? "coop matrix" : "scalar fp32";
}

std::pair<bool, std::string> NeuralBatchDecoder::coopMatrixSupport(const vk::Context& ctx) {
    const CoopChoice c = chooseCoop(ctx);
    return {c.shape.has_value(), c.reason};
}

std::vector<std::string> NeuralBatchDecoder::shaderFiles() {
    return {"neural/decoder_batch.comp", "neural/decoder_coop.comp"};
}

NeuralBatchDecoder::NeuralBatchDecoder(const vk::Context& ctx, ShaderCompiler& compiler,
                                       const GpuNeuralMaterials& materials, uint32_t material,
                                       DecoderPath path)
    : path_(path), view_(materials.view()), material_(material) {
    const material::NeuralMaterialPack& pack = materials.pack();
    if (material >= pack.size())
        throw Error("neural batch decoder: material " + std::to_string(material) + " of " +
                    std::to_string(pack.size()));
    const shared::GpuNeuralMaterial& m = pack.records()[material];
    // The kernels are specialised on one hidden width (as the path tracer's).
    const uint32_t width = m.decoderWidth[0], hidden = m.decoderHidden;
    for (uint32_t l = 1; l < hidden; ++l)
        if (m.decoderWidth[l] != width)
            throw Error("neural batch decoder: material " + std::to_string(material) +
                        " has hidden layers of unequal widths");
    const std::string w = std::to_string(width), h = std::to_string(hidden);

    if (path == DecoderPath::ScalarFp32) {
        description_ = decoderPathName(path);
        rowsPerGroup_ = shared::kNeuralDecodeLocalSize;
        // The sampler's shape too: neural_eval.h unrolls only when both are set.
        const uint32_t sw = m.samplerWidth[0], sh = m.samplerHidden;
        pipeline_ = vk::ComputePipeline(
            ctx, compiler, "neural/decoder_batch.comp", sizeof(shared::NeuralDecodePush),
            {{"NERVA_NEURAL_DECODER_HIDDEN", h},
             {"NERVA_NEURAL_DECODER_WIDTH", w},
             {"NERVA_NEURAL_SAMPLER_HIDDEN", std::to_string(sh)},
             {"NERVA_NEURAL_SAMPLER_WIDTH", std::to_string(sw)},
             {"NERVA_NEURAL_MAX_WIDTH",
              std::to_string(std::max(
                  {width, sw, shared::kNeuralDecoderInputs, shared::kNeuralSamplerOutputs}))}});
        return;
    }

    const CoopChoice c = chooseCoop(ctx, width, hidden);
    if (!c.shape) throw Error("neural batch decoder: no cooperative-matrix path: " + c.reason);
    const vk::CoopMatrixShape& s = *c.shape;
    description_ = std::string(decoderPathName(path)) + " " + std::to_string(s.m) + "x" +
                   std::to_string(s.n) + "x" + std::to_string(s.k) + " fp16->fp32, subgroup " +
                   std::to_string(c.subgroupSize);
    rowsPerGroup_ = s.m * kCoopSubgroups;
    const std::vector<uint16_t> half = halfDecoderMatrices(pack, material, s);
    halfWeights_ = vk::createBufferWithData(ctx, half.data(), half.size() * sizeof(uint16_t),
                                            VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
    pipeline_ = vk::ComputePipeline(ctx, compiler, "neural/decoder_coop.comp",
                                    sizeof(shared::NeuralDecodePush),
                                    {{"NERVA_COOP_HIDDEN_WIDTH", w},
                                     {"NERVA_COOP_HIDDEN_LAYERS", h},
                                     {"NERVA_COOP_M", std::to_string(s.m)},
                                     {"NERVA_COOP_N", std::to_string(s.n)},
                                     {"NERVA_COOP_K", std::to_string(s.k)},
                                     {"NERVA_COOP_SUBGROUP_SIZE", std::to_string(c.subgroupSize)},
                                     {"NERVA_COOP_SUBGROUPS", std::to_string(kCoopSubgroups)},
                                     {"NERVA_NEURAL_MAX_WIDTH", "20"}});
}

void NeuralBatchDecoder::decode(VkCommandBuffer cmd, const vk::Buffer& queries,
                                const vk::Buffer& results, uint32_t count) const {
    if (queries.size < uint64_t(count) * sizeof(shared::NeuralDecodeQuery) ||
        results.size < uint64_t(count) * sizeof(shared::vec3))
        throw Error("neural batch decoder: buffers too small for " + std::to_string(count) +
                    " queries");
    if (!count) return;
    shared::NeuralDecodePush push{};
    push.view = view_;
    push.queries = queries.address;
    push.results = results.address;
    push.halfWeights = halfWeights_.address;
    push.material = material_;
    push.count = count;
    pipeline_.dispatch(cmd, std::min(vk::groupCount(count, rowsPerGroup_), kMaxGroups), 1, 1, push);
}

} // namespace nerva::gpu
