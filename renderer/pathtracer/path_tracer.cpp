#include "path_tracer.h"

#include "neural/core/error.h"
#include "renderer/vk/check.h"
#include "shaders/shared/neural/neural_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iterator>

namespace nerva::pt {
namespace {

constexpr uint32_t kSamplesPerBatch = 4; // samples per submit: progress granularity

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

void setCamera(shared::FrameGlobals& g, const scene::Camera& camera, uint32_t width,
               uint32_t height) {
    const glm::mat4& m = camera.toWorld;
    const float aspect = float(width) / float(height);
    g.camOrigin = glm::vec3(m[3]);
    const glm::vec3 right = glm::normalize(glm::vec3(m[0]));
    const glm::vec3 up = glm::normalize(glm::vec3(m[1]));
    g.camForward = -glm::normalize(glm::vec3(m[2]));
    if (camera.perspective) {
        const float t = std::tan(0.5f * camera.yfov);
        g.camRight = right * (t * aspect);
        g.camUp = up * t;
        g.cameraOrtho = 0;
    } else {
        g.camRight = right * (camera.ymag * aspect);
        g.camUp = up * camera.ymag;
        g.cameraOrtho = 1;
    }
}

RtPipelineDesc PathTracer::pipelineDesc(VkDescriptorSetLayout layout,
                                        const PipelineVariant& variant) {
    const std::optional<gpu::FieldShape>& fields = variant.fields;
    RtPipelineDesc d;
    d.rayGen = "pathtrace/pathtrace.rgen";
    d.miss = {"pathtrace/pathtrace.rmiss", "pathtrace/shadow.rmiss"};
    // Indexed by instance SBT offset: shared::kHitGroupTriangles, kHitGroupFields.
    d.hitGroups = {{"pathtrace/pathtrace.rchit", "pathtrace/alpha.rahit", ""},
                   {"pathtrace/field.rchit", "", "pathtrace/field.rint"}};
    if (fields)
        d.defines = {{"NERVA_FIELD_CHANNELS", std::to_string(fields->channels)},
                     {"NERVA_FIELD_LEVELS", std::to_string(fields->levels)},
                     {"NERVA_FIELD_LAYERS", std::to_string(fields->layers)},
                     {"NERVA_FIELD_HIDDEN", std::to_string(fields->hidden)}};
    // Neural networks: widths as compile-time constants when every material
    // shares them (else loop bounds from the records), activation arrays as
    // wide as the widest layer.
    if (const auto& n = variant.neural)
        d.defines.insert(d.defines.end(),
                         {{"NERVA_NEURAL_DECODER_HIDDEN", std::to_string(n->decoderHidden)},
                          {"NERVA_NEURAL_DECODER_WIDTH", std::to_string(n->decoderWidth)},
                          {"NERVA_NEURAL_SAMPLER_HIDDEN", std::to_string(n->samplerHidden)},
                          {"NERVA_NEURAL_SAMPLER_WIDTH", std::to_string(n->samplerWidth)}});
    if (variant.neuralMaxWidth > 0)
        d.defines.push_back({"NERVA_NEURAL_MAX_WIDTH", std::to_string(variant.neuralMaxWidth)});
    if (variant.neuralFp16) d.defines.push_back({"NERVA_NEURAL_FP16", "1"});
    if (variant.neuralWaterfall) d.defines.push_back({"NERVA_NEURAL_WATERFALL", "1"});
    d.maxRecursionDepth = 2; // raygen -> closest hit -> shadow ray
    d.pushConstantSize = sizeof(shared::PushConstants);
    d.setLayout = layout;
    return d;
}

PathTracer::PathTracer(const vk::Context& ctx, ShaderCompiler& compiler)
    : ctx_(ctx), compiler_(compiler) {
    const VkDevice dev = ctx.device();
    VkPhysicalDeviceSubgroupProperties subgroup{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &subgroup};
    vkGetPhysicalDeviceProperties2(ctx.physicalDevice(), &props);
    subgroupBallotInHits_ = (subgroup.supportedStages & VK_SHADER_STAGE_CLOSEST_HIT_BIT_KHR) != 0 &&
                            (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_BALLOT_BIT) != 0;
    maxTextures_ =
        std::min<uint32_t>(4096, ctx.properties().limits.maxPerStageDescriptorSampledImages);
    const VkShaderStageFlags rtStages =
        VK_SHADER_STAGE_RAYGEN_BIT_KHR | VK_SHADER_STAGE_CLOSEST_HIT_BIT_KHR |
        VK_SHADER_STAGE_ANY_HIT_BIT_KHR | VK_SHADER_STAGE_MISS_BIT_KHR |
        VK_SHADER_STAGE_INTERSECTION_BIT_KHR;
    VkDescriptorSetLayoutBinding bindings[] = {
        {shared::kBindingTlas, VK_DESCRIPTOR_TYPE_ACCELERATION_STRUCTURE_KHR, 1, rtStages, nullptr},
        {shared::kBindingAccumulation, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1, rtStages, nullptr},
        {shared::kBindingTextures, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, maxTextures_,
         rtStages, nullptr},
        {shared::kBindingAovAlbedoDepth, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1, rtStages, nullptr},
        {shared::kBindingAovNormalHits, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1, rtStages, nullptr},
        {shared::kBindingAovMoments, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1, rtStages, nullptr},
    };
    constexpr uint32_t kBindingCount = uint32_t(std::size(bindings));
    // Textures are bindless: only as many as the scene has are written.
    VkDescriptorBindingFlags flags[kBindingCount] = {};
    flags[2] = VK_DESCRIPTOR_BINDING_PARTIALLY_BOUND_BIT;
    VkDescriptorSetLayoutBindingFlagsCreateInfo fi{
        VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_BINDING_FLAGS_CREATE_INFO};
    fi.bindingCount = kBindingCount;
    fi.pBindingFlags = flags;
    VkDescriptorSetLayoutCreateInfo li{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, &fi};
    li.bindingCount = kBindingCount;
    li.pBindings = bindings;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    VK_CHECK(vkCreateDescriptorSetLayout(dev, &li, nullptr, &setLayout));
    setLayout_ = {dev, setLayout, vkDestroyDescriptorSetLayout};

    VkDescriptorPoolSize sizes[3] = {{VK_DESCRIPTOR_TYPE_ACCELERATION_STRUCTURE_KHR, 1},
                                     {VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, kTargets},
                                     {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, maxTextures_}};
    VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pi.maxSets = 1;
    pi.poolSizeCount = 3;
    pi.pPoolSizes = sizes;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    VK_CHECK(vkCreateDescriptorPool(dev, &pi, nullptr, &pool));
    pool_ = {dev, pool, vkDestroyDescriptorPool};
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = pool;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &setLayout;
    VK_CHECK(vkAllocateDescriptorSets(dev, &ai, &set_));

    pipeline_ = std::make_unique<RtPipeline>(ctx, compiler, pipelineDesc(setLayout));
    globals_ = vk::createBuffer(ctx, sizeof(shared::FrameGlobals),
                                VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Upload);
    counters_ =
        vk::createBuffer(ctx, 16, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Readback);
}

PathTracer::~PathTracer() = default;

void PathTracer::ensureTarget(uint32_t width, uint32_t height) {
    if (targets_[0].image && targets_[0].extent.width == width &&
        targets_[0].extent.height == height)
        return;
    for (uint32_t i = 0; i < kTargets; ++i) {
        targets_[i] =
            vk::createImage2D(ctx_, width, height, VK_FORMAT_R32G32B32A32_SFLOAT,
                              VK_IMAGE_USAGE_STORAGE_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT);
        readback_[i] =
            vk::createBuffer(ctx_, VkDeviceSize(width) * height * 16, 0, vk::MemoryUse::Readback);
    }
    ctx_.submitAndWait([&](VkCommandBuffer cmd) {
        for (const vk::Image& t : targets_)
            vk::transitionImage(cmd, t.image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL);
    });
}

void PathTracer::writeDescriptors(const gpu::GpuScene& scene) {
    const gpu::GpuNeuralMaterials* neural = scene.neural().set.get();
    const size_t textureCount = scene.textures().size() + (neural ? neural->textureCount() : 0);
    if (textureCount > maxTextures_)
        throw Error("scene has " + std::to_string(textureCount) +
                    " textures (neural latents included); the device allows " +
                    std::to_string(maxTextures_));
    VkAccelerationStructureKHR tlas = scene.tlas();
    VkWriteDescriptorSetAccelerationStructureKHR asInfo{
        VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET_ACCELERATION_STRUCTURE_KHR};
    asInfo.accelerationStructureCount = 1;
    asInfo.pAccelerationStructures = &tlas;
    VkDescriptorImageInfo targetInfo[kTargets];
    for (uint32_t i = 0; i < kTargets; ++i)
        targetInfo[i] = {VK_NULL_HANDLE, targets_[i].view.get(), VK_IMAGE_LAYOUT_GENERAL};
    const uint32_t targetBinding[kTargets] = {
        shared::kBindingAccumulation, shared::kBindingAovAlbedoDepth, shared::kBindingAovNormalHits,
        shared::kBindingAovMoments};
    std::vector<VkDescriptorImageInfo> textures;
    for (const gpu::GpuTexture& t : scene.textures())
        textures.push_back({scene.samplers()[t.sampler].get(), t.image.view.get(),
                            VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL});
    // The neural latents follow the scene's textures (GpuNeuralMaterials'
    // textureBase is scene.textures().size()).
    if (neural)
        for (const VkDescriptorImageInfo& info : neural->imageInfos())
            textures.push_back(info);

    std::vector<VkWriteDescriptorSet> writes(1 + kTargets,
                                             {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET});
    writes[0].pNext = &asInfo;
    writes[0].dstSet = set_;
    writes[0].dstBinding = shared::kBindingTlas;
    writes[0].descriptorCount = 1;
    writes[0].descriptorType = VK_DESCRIPTOR_TYPE_ACCELERATION_STRUCTURE_KHR;
    for (uint32_t i = 0; i < kTargets; ++i) {
        VkWriteDescriptorSet& w = writes[1 + i];
        w.dstSet = set_;
        w.dstBinding = targetBinding[i];
        w.descriptorCount = 1;
        w.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE;
        w.pImageInfo = &targetInfo[i];
    }
    if (!textures.empty()) {
        VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        w.dstSet = set_;
        w.dstBinding = shared::kBindingTextures;
        w.descriptorCount = uint32_t(textures.size());
        w.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
        w.pImageInfo = textures.data();
        writes.push_back(w);
    }
    vkUpdateDescriptorSets(ctx_.device(), uint32_t(writes.size()), writes.data(), 0, nullptr);
}

void PathTracer::begin(const gpu::GpuScene& scene, const RenderSettings& s) {
    if (s.width == 0 || s.height == 0) throw Error("render: size must be positive");
    ensureTarget(s.width, s.height);
    writeDescriptors(scene);
    // Shaders specialised on the scene's field and network shapes (a new
    // pipeline, and on lavapipe a new JIT, only when the variant changes).
    const PipelineVariant variant = variantFor(scene, s);
    if (variant != variant_) {
        variant_ = variant;
        pipeline_ =
            std::make_unique<RtPipeline>(ctx_, compiler_, pipelineDesc(setLayout_.get(), variant_));
    }
    writeNeuralTable(scene, s);
    width_ = s.width;
    height_ = s.height;
    samplesDone_ = 0;
    rowCursor_ = 0;

    shared::FrameGlobals g{};
    setCamera(g, s.camera, s.width, s.height);
    g.width = s.width;
    g.height = s.height;
    g.seed = s.seed;
    g.maxBounces = s.maxBounces;
    g.lightCount = scene.lightCount();
    g.envProcedural = scene.environment().procedural() ? 1u : 0u;
    g.env = scene.environment().record(s.envRotation);
    g.envIntensity = s.envIntensity;
    g.samplingMode = s.samplingMode;
    g.rrDepth = s.rrDepth;
    g.debugView = s.debugView;
    g.debugChannel = std::min(s.debugChannel, shared::kNeuralLatentChannels - 3u);
    g.clampLuminance = s.clampLuminance;
    // Angle subtended by one pixel (ray cones, perspective cameras).
    g.pixelSpreadAngle = s.camera.perspective
                             ? std::atan(2.0f * std::tan(0.5f * s.camera.yfov) / float(s.height))
                             : 0.0f;
    g.emissiveTriangles = scene.emissiveTriangles();
    g.emissiveCdf = scene.emissiveCdf();
    g.emissiveCount = scene.emissiveCount();
    g.emissivePower = scene.emissivePower();
    g.materials = scene.materials();
    g.layered = scene.layered().view();
    g.geometries = scene.geometries();
    g.lights = scene.lights();
    g.fields = scene.fields().records();
    if (const gpu::GpuNeuralMaterials* n = scene.neural().set.get()) {
        const shared::GpuNeuralView v = n->view();
        g.neuralMaterials = v.materials;
        g.neuralWeights = v.weights;
        g.neuralOfMaterial = neuralTable_.address;
    }
    g.counters = counters_.address;
    std::memcpy(globals_.mapped, &g, sizeof g);
}

PipelineVariant PathTracer::variantFor(const gpu::GpuScene& scene, const RenderSettings& s) const {
    PipelineVariant v;
    v.fields = scene.fields().sharedShape();
    if (const gpu::GpuNeuralMaterials* n = scene.neural().set.get()) {
        v.neural = n->sharedShape();
        v.neuralMaxWidth = n->maxWidth();
        v.neuralFp16 = neuralPrecision(s.neuralPrecision).first;
        v.neuralWaterfall = subgroupBallotInHits_;
    }
    return v;
}

std::pair<bool, std::string> PathTracer::neuralPrecision(NeuralPrecision requested) const {
    const bool cpu = ctx_.properties().deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
    switch (requested) {
    case NeuralPrecision::Fp32:
        return {false, "fp32 (requested)"};
    case NeuralPrecision::Fp16:
        if (!ctx_.shaderFloat16())
            throw Error("neural precision fp16: the device has no shaderFloat16");
        return {true, "fp16 (requested)"};
    default:
        if (!ctx_.shaderFloat16()) return {false, "fp32 (the device has no shaderFloat16)"};
        if (cpu) return {false, "fp32 (a CPU device: fp16 is emulated, not faster)"};
        return {true, "fp16 (the device has shaderFloat16)"};
    }
}

// The per-material neural switch of this frame (FrameGlobals::neuralOfMaterial).
void PathTracer::writeNeuralTable(const gpu::GpuScene& scene, const RenderSettings& s) {
    const gpu::SceneNeuralMaterials& n = scene.neural();
    if (!n.set) return;
    const uint32_t count = scene.materialCount();
    if (!neuralTable_.get() || neuralTable_.size < count * sizeof(int32_t))
        neuralTable_ = vk::createBuffer(ctx_, count * sizeof(int32_t),
                                        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, vk::MemoryUse::Upload);
    auto* table = static_cast<int32_t*>(neuralTable_.mapped);
    for (uint32_t m = 0; m < count; ++m) {
        const bool forced = std::find(s.referenceMaterials.begin(), s.referenceMaterials.end(),
                                      m) != s.referenceMaterials.end();
        table[m] = s.neuralMaterials && !forced && m < n.ofMaterial.size() ? n.ofMaterial[m] : -1;
    }
}

uint64_t PathTracer::addSamples(uint32_t count) {
    if (width_ == 0) throw Error("render: addSamples() before begin()");
    if (count == 0) return 0;
    uint64_t rays = 0;
    if (rowCursor_ > 0) { // finish the sample addRows() started
        rays += addRows(height_ - rowCursor_);
        if (--count == 0) return rays;
    }
    return rays + trace(count, 0, height_);
}

uint64_t PathTracer::addRows(uint32_t rows) {
    if (width_ == 0) throw Error("render: addRows() before begin()");
    rows = std::min(rows, height_ - rowCursor_);
    if (rows == 0) return 0;
    const uint64_t rays = trace(1, rowCursor_, rows);
    rowCursor_ += rows;
    if (rowCursor_ == height_) { // the sample is complete
        rowCursor_ = 0;
        ++samplesDone_;
    }
    return rays;
}

uint64_t PathTracer::trace(uint32_t count, uint32_t firstRow, uint32_t rows) {
    ctx_.submitAndWait([&](VkCommandBuffer cmd) {
        vkCmdFillBuffer(cmd, counters_.get(), 0, VK_WHOLE_SIZE, 0);
        VkMemoryBarrier2 b{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
        b.srcStageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
        b.srcAccessMask = VK_ACCESS_2_MEMORY_WRITE_BIT;
        b.dstStageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
        b.dstAccessMask = VK_ACCESS_2_MEMORY_READ_BIT | VK_ACCESS_2_MEMORY_WRITE_BIT;
        VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
        dep.memoryBarrierCount = 1;
        dep.pMemoryBarriers = &b;
        vkCmdPipelineBarrier2(cmd, &dep);
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_RAY_TRACING_KHR, pipeline_->pipeline());
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_RAY_TRACING_KHR, pipeline_->layout(), 0,
                                1, &set_, 0, nullptr);
        for (uint32_t i = 0; i < count; ++i) {
            shared::PushConstants pc{globals_.address, samplesDone_ + i, firstRow};
            vkCmdPushConstants(cmd, pipeline_->layout(), VK_SHADER_STAGE_ALL, 0, sizeof pc, &pc);
            ctx_.rt().cmdTraceRays(cmd, &pipeline_->rayGenRegion(), &pipeline_->missRegion(),
                                   &pipeline_->hitRegion(), &pipeline_->callableRegion(), width_,
                                   rows, 1);
            vkCmdPipelineBarrier2(cmd, &dep); // sample i+1 reads what sample i wrote
        }
    });
    if (rows == height_) samplesDone_ += count; // addRows() counts its own
    return *static_cast<const uint32_t*>(counters_.mapped);
}

void PathTracer::copyToReadback(uint32_t targetCount) {
    ctx_.submitAndWait([&](VkCommandBuffer cmd) {
        VkBufferImageCopy copy{};
        copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
        copy.imageExtent = {width_, height_, 1};
        for (uint32_t i = 0; i < targetCount; ++i)
            vkCmdCopyImageToBuffer(cmd, targets_[i].image, VK_IMAGE_LAYOUT_GENERAL,
                                   readback_[i].get(), 1, &copy);
    });
}

ImageRGBA32F PathTracer::readBeauty() {
    if (samplesDone_ == 0 && rowCursor_ == 0) throw Error("render: no samples to read back");
    copyToReadback(1);
    ImageRGBA32F out(width_, height_);
    const float* sum = static_cast<const float*>(readback_[0].mapped);
    // In the first sample, rows below the cursor hold nothing yet (black).
    const size_t written = samplesDone_ > 0 ? size_t(height_) : size_t(rowCursor_);
    for (size_t px = 0; px < size_t(width_) * written; ++px) {
        const size_t i = px * 4;
        const float valid = sum[i + 3];
        const float inv = valid > 0.0f ? 1.0f / valid : 0.0f;
        for (int c = 0; c < 3; ++c)
            out.texels[i + c] = sum[i + c] * inv;
        out.texels[i + 3] = 1.0f;
    }
    return out;
}

RenderOutput PathTracer::render(const gpu::GpuScene& scene, const RenderSettings& s,
                                RenderStats* stats, const ProgressFn& progress) {
    if (s.width == 0 || s.height == 0 || s.spp == 0)
        throw Error("render: size and spp must be positive");
    begin(scene, s);

    RenderStats st;
    const auto start = Clock::now();
    Clock::time_point afterFirst = start;
    uint64_t raysAfterFirst = 0;
    // The first batch is a single sample: on lavapipe it carries the shader
    // JIT, and is kept out of the Mrays/s figure.
    for (uint32_t done = 0; done < s.spp;) {
        const uint32_t batch = done == 0 ? 1 : std::min(kSamplesPerBatch, s.spp - done);
        const uint64_t rays = addSamples(batch);
        st.rays += rays;
        if (done == 0) {
            st.firstSampleSeconds = secondsSince(start);
            afterFirst = Clock::now();
        } else {
            raysAfterFirst += rays;
        }
        done += batch;
        if (progress && !progress(done, s.spp)) break;
    }
    st.samples = samplesDone_;
    st.seconds = secondsSince(start);
    const double steady = secondsSince(afterFirst);
    st.mraysPerSecond = s.spp > 1 && steady > 0 ? double(raysAfterFirst) / steady * 1e-6
                                                : double(st.rays) / st.seconds * 1e-6;
    if (stats) *stats = st;
    return readOutput();
}

RenderOutput PathTracer::readOutput() {
    if (rowCursor_ != 0) throw Error("render: readOutput() while a sample is partly traced");
    if (samplesDone_ == 0) throw Error("render: no samples to read back");
    copyToReadback(kTargets);
    const uint32_t w = width_, h = height_;
    // Sums over samples -> means (see pathtrace.rgen for what each holds).
    RenderOutput out;
    for (ImageRGBA32F* img :
         {&out.beauty, &out.albedo, &out.normal, &out.depth, &out.samples, &out.variance})
        *img = ImageRGBA32F(w, h);
    const float* sum = static_cast<const float*>(readback_[0].mapped);
    const float* albedoDepth = static_cast<const float*>(readback_[1].mapped);
    const float* normalHits = static_cast<const float*>(readback_[2].mapped);
    const float* moments = static_cast<const float*>(readback_[3].mapped);
    const float n = float(samplesDone_);
    for (size_t px = 0; px < size_t(w) * h; ++px) {
        const size_t i = px * 4;
        const float valid = sum[i + 3];
        const float inv = valid > 0.0f ? 1.0f / valid : 0.0f;
        const float hits = normalHits[i + 3];
        for (int c = 0; c < 3; ++c) {
            out.beauty.texels[i + c] = sum[i + c] * inv;
            out.albedo.texels[i + c] = albedoDepth[i + c] / n;
            out.normal.texels[i + c] = normalHits[i + c] / n;
        }
        out.depth.texels[i] = hits > 0.0f ? albedoDepth[i + 3] / hits : 0.0f;
        out.samples.texels[i] = valid;
        const float mean = shared::luminance(
            glm::vec3(out.beauty.texels[i], out.beauty.texels[i + 1], out.beauty.texels[i + 2]));
        // Unbiased sample variance of the luminance, divided by n: the
        // variance of the pixel's mean.
        out.variance.texels[i] =
            valid > 1.0f
                ? std::max(0.0f, (moments[i] - valid * mean * mean) / (valid - 1.0f)) / valid
                : 0.0f;
        for (ImageRGBA32F* img :
             {&out.beauty, &out.albedo, &out.normal, &out.depth, &out.samples, &out.variance})
            img->texels[i + 3] = 1.0f;
    }
    return out;
}

} // namespace nerva::pt
