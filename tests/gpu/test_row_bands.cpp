// PathTracer::addRows: the viewer accumulates slow scenes in bands of rows
// that each fit a frame's time budget. Bands give the same bytes as whole
// samples (a pixel's random numbers depend only on the pixel and the sample
// index), rows not yet traced read back black, and addSamples() completes a
// sample begun in bands.
#include "neural/core/error.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/gltf_loader.h"
#include "renderer/scene/scene_queries.h"
#include "tests/support/vk_test_env.h"

#include <cstring>
#include <string>
#include <vector>

namespace nerva {
namespace {

class RowBands : public test::VulkanTest {
  protected:
    void SetUp() override {
        scene_ = scene::loadGltf(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                                 "/assets/scenes/tests/spheres.gltf");
        std::vector<std::string> warnings;
        gpuScene_ = std::make_unique<gpu::GpuScene>(ctx(), scene_, warnings);
        settings_.width = 24;
        settings_.height = 20;
        settings_.seed = 3;
        settings_.camera = scene_.cameras.at(scene::findCamera(scene_, "main"));
    }
    pt::PathTracer& tracer() {
        static ShaderCompiler compiler;
        static pt::PathTracer t(ctx(), compiler);
        return t;
    }
    static bool sameBytes(const ImageRGBA32F& a, const ImageRGBA32F& b) {
        return a.texels.size() == b.texels.size() &&
               std::memcmp(a.texels.data(), b.texels.data(), a.texels.size() * 4) == 0;
    }

    scene::Scene scene_;
    std::unique_ptr<gpu::GpuScene> gpuScene_;
    pt::RenderSettings settings_;
};

TEST_F(RowBands, BandsGiveTheBytesOfWholeSamples) {
    pt::PathTracer& t = tracer();
    t.begin(*gpuScene_, settings_);
    t.addSamples(1);
    const ImageRGBA32F one = t.readBeauty();
    t.addSamples(1);
    const ImageRGBA32F two = t.readBeauty();

    // 7 + 7 + 6 rows per sample.
    t.begin(*gpuScene_, settings_);
    EXPECT_GT(t.addRows(7), 0u);
    EXPECT_EQ(t.samplesDone(), 0u);
    EXPECT_EQ(t.rowCursor(), 7u);
    // The first sample's rows so far, and black below them.
    const ImageRGBA32F partial = t.readBeauty();
    const size_t band = size_t(settings_.width) * 7 * 4;
    EXPECT_EQ(std::memcmp(partial.texels.data(), one.texels.data(), band * 4), 0);
    for (size_t i = band; i < partial.texels.size(); i += 4)
        ASSERT_EQ(partial.texels[i] + partial.texels[i + 1] + partial.texels[i + 2], 0.0f) << i;
    t.addRows(7);
    t.addRows(7); // only 6 rows are left
    EXPECT_EQ(t.samplesDone(), 1u);
    EXPECT_EQ(t.rowCursor(), 0u);
    EXPECT_TRUE(sameBytes(t.readBeauty(), one));
    while (t.samplesDone() < 2)
        t.addRows(3);
    EXPECT_TRUE(sameBytes(t.readBeauty(), two));

    // addSamples() completes a sample begun in bands first.
    t.begin(*gpuScene_, settings_);
    t.addRows(5);
    t.addSamples(2);
    EXPECT_EQ(t.samplesDone(), 2u);
    EXPECT_EQ(t.rowCursor(), 0u);
    EXPECT_TRUE(sameBytes(t.readBeauty(), two));
    // The whole outputs are not read mid-sample.
    t.addRows(4);
    EXPECT_THROW(t.readOutput(), Error);
}

} // namespace
} // namespace nerva
