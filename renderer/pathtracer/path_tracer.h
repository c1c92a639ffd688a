// The path tracer: renders a GpuScene from a camera into a linear float
// image, progressively (one sample per pixel per launch, summed in float).
#pragma once

#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/image.h"
#include "renderer/pathtracer/rt_pipeline.h"
#include "renderer/scene/scene_model.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nerva::pt {

// How the neural decoder computes (see PathTracer::neuralPrecision()).
enum class NeuralPrecision { Auto, Fp32, Fp16 };

// Which shaders the path tracer runs: specialised on the scene's field and
// neural-network shapes (nullopt: the generic shaders) and the decoder's
// precision. A change builds (on lavapipe: JIT-compiles) a new pipeline.
struct PipelineVariant {
    std::optional<gpu::FieldShape> fields;
    std::optional<gpu::NeuralShape> neural;
    uint32_t neuralMaxWidth = 0; // 0: the shaders' default (NERVA_NEURAL_MAX_WIDTH)
    bool neuralFp16 = false;
    // Networks run in a subgroup waterfall (uniform weight loads); needs
    // subgroup ballots in closest-hit shaders (surface_bsdf.glsl).
    bool neuralWaterfall = false;
    bool operator==(const PipelineVariant&) const = default;
};

struct RenderSettings {
    uint32_t width = 256;
    uint32_t height = 256;
    uint32_t spp = 16;
    uint32_t seed = 0;
    uint32_t maxBounces = 4; // 0 = direct lighting only
    scene::Camera camera;
    float envIntensity = 1.0f; // multiplies the scene's environment (GpuScene::setEnvironment)
    float envRotation = 0.0f;  // radians about +Y
    uint32_t samplingMode = 0; // shared::kSamplingMis, kSamplingLight or kSamplingBsdf
    uint32_t rrDepth = 3;      // Russian roulette from this depth on; 0 = off
    float clampLuminance = 0;  // firefly clamp per contribution; 0 = off (unbiased)
    // Materials with a neural version (NERVA_materials_neural) render it;
    // false: every material renders its layered reference.
    bool neuralMaterials = true;
    // Materials (GpuMaterial indices) that render their reference even when
    // neuralMaterials is on: the viewer's per-material switch.
    std::vector<uint32_t> referenceMaterials;
    NeuralPrecision neuralPrecision = NeuralPrecision::Auto;
    // What camera rays show instead of radiance (shared::kDebugView*): neural
    // materials' latents or latent level, tri-plane fields' sphere-tracing
    // steps, or first-hit shading normals. 0: radiance.
    uint32_t debugView = 0;
    uint32_t debugChannel = 0; // first of the three latent channels shown
};

// What a render produces: the mean radiance and the auxiliary outputs, all
// width x height.
struct RenderOutput {
    ImageRGBA32F beauty;   // mean radiance, alpha 1
    ImageRGBA32F albedo;   // rgb: mean first-hit base colour (0 where rays miss)
    ImageRGBA32F normal;   // xyz: mean first-hit shading normal, world space
    ImageRGBA32F depth;    // r: mean camera-ray hit distance over hitting samples, 0 = none
    ImageRGBA32F samples;  // r: valid samples (NaN/Inf samples are dropped)
    ImageRGBA32F variance; // r: variance of the pixel mean's luminance (per-pixel error^2)
};

struct RenderStats {
    double seconds = 0.0; // all samples, including the first (shader JIT on lavapipe)
    double firstSampleSeconds = 0.0;
    uint64_t rays = 0;         // camera, bounce and shadow rays
    double mraysPerSecond = 0; // over samples after the first, when there are any
    uint32_t samples = 0;      // samples per pixel done (fewer than asked when stopped)
};

// Called after each batch of samples with (samples done, samples total).
// Returning false stops the render after that batch: the output then holds
// the samples done so far (RenderStats::samples).
using ProgressFn = std::function<bool(uint32_t, uint32_t)>;

class PathTracer {
  public:
    PathTracer(const vk::Context& ctx, ShaderCompiler& compiler);
    ~PathTracer();

    RenderOutput render(const gpu::GpuScene& scene, const RenderSettings& settings,
                        RenderStats* stats = nullptr, const ProgressFn& progress = {});

    // Incremental rendering (the viewer): begin() binds the scene and
    // settings and restarts the accumulation (settings.spp is not used);
    // addSamples() traces `count` more samples per pixel, continuing the
    // sample index, and returns the rays traced; readBeauty() and
    // readOutput() read back the means over the samples so far. render() is
    // begin() + addSamples() in batches + readOutput().
    void begin(const gpu::GpuScene& scene, const RenderSettings& settings);
    uint64_t addSamples(uint32_t count);
    // Traces the next `rows` image rows (fewer at the bottom) of the next
    // sample, so that a slow scene can be accumulated in bands that each fit
    // a frame's time budget; the sample counts in samplesDone() once its last
    // row is traced. Same seed, same result as addSamples(): a pixel's random
    // numbers depend only on the pixel and the sample index. addSamples()
    // first completes a sample begun here.
    uint64_t addRows(uint32_t rows);
    uint32_t samplesDone() const { return samplesDone_; }
    // The next row addRows() traces (0: no sample is partly traced).
    uint32_t rowCursor() const { return rowCursor_; }
    ImageRGBA32F readBeauty();
    RenderOutput readOutput();

    // The shader files and defines of every pipeline this class builds, so a
    // test can compile each shipped permutation (default: the generic one).
    static RtPipelineDesc pipelineDesc(VkDescriptorSetLayout layout,
                                       const PipelineVariant& variant = {});
    // The variant begin() runs for this scene and settings.
    PipelineVariant variantFor(const gpu::GpuScene& scene, const RenderSettings& settings) const;
    // Whether the neural decoder runs in fp16 for `requested` on this device,
    // and why, in words (for the render log): Auto picks fp16 where the
    // device has shaderFloat16 and is not a CPU implementation (lavapipe
    // emulates fp16 through fp32, so it would only add conversions).
    std::pair<bool, std::string> neuralPrecision(NeuralPrecision requested) const;

  private:
    void ensureTarget(uint32_t width, uint32_t height);
    void writeDescriptors(const gpu::GpuScene& scene);
    void writeNeuralTable(const gpu::GpuScene& scene, const RenderSettings& settings);
    void copyToReadback(uint32_t targetCount);
    // `count` samples over rows [firstRow, firstRow + rows); returns the rays.
    uint64_t trace(uint32_t count, uint32_t firstRow, uint32_t rows);

    const vk::Context& ctx_;
    ShaderCompiler& compiler_;
    PipelineVariant variant_; // what pipeline_ is specialised on
    vk::Handle<VkDescriptorSetLayout> setLayout_;
    vk::Handle<VkDescriptorPool> pool_;
    VkDescriptorSet set_ = VK_NULL_HANDLE;
    std::unique_ptr<RtPipeline> pipeline_;
    // Accumulation targets, indexed like the bindings kBindingAccumulation,
    // kBindingAovAlbedoDepth, kBindingAovNormalHits, kBindingAovMoments.
    static constexpr uint32_t kTargets = 4;
    vk::Image targets_[kTargets];
    vk::Buffer readback_[kTargets];
    vk::Buffer globals_, counters_;
    vk::Buffer neuralTable_; // int per GpuMaterial: FrameGlobals::neuralOfMaterial
    uint32_t maxTextures_ = 0;
    bool subgroupBallotInHits_ = false; // subgroup ballots in closest-hit shaders
    uint32_t width_ = 0, height_ = 0;   // of the current accumulation (begin())
    uint32_t samplesDone_ = 0;
    uint32_t rowCursor_ = 0; // next row of a partly traced sample (addRows)
};

// FrameGlobals camera fields for `camera` at the image's aspect ratio.
void setCamera(shared::FrameGlobals& g, const scene::Camera& camera, uint32_t width,
               uint32_t height);

} // namespace nerva::pt
