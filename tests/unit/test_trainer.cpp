// The neural-material trainer (neural/material/trainer.h) on a library
// material with a tiny budget: training reduces the held-out error, the
// result is deterministic and independent of the thread count, interrupt +
// resume equals an uninterrupted run, and the .nmat export round-trips.
#include "neural/core/error.h"
#include "neural/formats/nmat.h"
#include "neural/material/layered_json.h"
#include "neural/material/trainer.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

using namespace nerva;
using material::BakeOptions;
using material::Trainer;

const material::LayeredMaterialSet& librarySet() {
    static const material::LayeredMaterialSet set = [] {
        material::LayeredMaterialSet s;
        s.add(material::loadLayeredMaterialJson(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                                                "/assets/materials/velvet.json"));
        return s;
    }();
    return set;
}

BakeOptions tiny(uint64_t iterations) {
    BakeOptions o;
    o.iterations = iterations;
    o.batch = 256;
    o.latentResolution = 8;
    o.warmup = 5;
    o.threads = 2;
    return o;
}

void run(Trainer& t, uint64_t until) {
    while (t.progress().iteration < until && !t.done())
        t.step();
}

std::filesystem::path scratch() {
    static const std::filesystem::path d = nerva::test::scratchDir("trainer-test");
    return d;
}

TEST(Trainer, TinyBakeReducesHeldOutError) {
    Trainer t(librarySet(), 0, tiny(300));
    const uint64_t heldOut = Trainer::heldOutSeed(t.options().seed);
    const material::BrdfReport before = t.evaluate(heldOut, 512);
    double first = 0.0;
    while (!t.done()) {
        const double loss = t.step();
        if (t.progress().iteration == 1) first = loss;
        ASSERT_TRUE(std::isfinite(loss));
    }
    const material::BrdfReport after = t.evaluate(heldOut, 512);
    EXPECT_LT(t.progress().lossEma, first);
    ASSERT_EQ(after.levels.size(), 4u); // 8, 4, 2, 1
    EXPECT_LT(after.overall.relativeL1, 0.8 * before.overall.relativeL1)
        << before.format() << after.format();
    EXPECT_GT(after.overall.psnr, before.overall.psnr) << before.format() << after.format();
    EXPECT_GT(t.progress().samplesPerSecond, 0.0);
}

// The sampler network learns the shape of a glossy lobe: after a short bake
// of a constant coat (alpha 0.09) over a dark base its pdf is much closer to
// the normalised f cos than cosine sampling (samplerGain = KL(f cos || cos) -
// KL(f cos || q) > 0), and closer than the untrained network.
TEST(Trainer, SamplerLearnsAGlossyLobe) {
    const std::filesystem::path src = scratch() / "glossy.json";
    std::ofstream(src) << R"({"nerva_layered_material": 1, "name": "glossy", "layers": [
        {"type": "diffuse", "color": [0.05, 0.05, 0.05]},
        {"type": "coat", "roughness": 0.3, "ior": 1.5}]})";
    material::LayeredMaterialSet set;
    set.add(material::loadLayeredMaterialJson(src.string()));
    BakeOptions o = tiny(400);
    o.batch = 512;
    Trainer t(set, 0, o);
    const uint64_t heldOut = Trainer::heldOutSeed(o.seed);
    const material::BrdfReport before = t.evaluate(heldOut, 2048);
    run(t, o.iterations);
    const material::BrdfReport after = t.evaluate(heldOut, 2048);
    // Measured: -0.11 nats untrained, +2.87 after 400 steps.
    EXPECT_GT(after.overall.samplerGain, 2.0) << after.format();
    EXPECT_GT(after.overall.samplerGain, before.overall.samplerGain + 2.0)
        << before.format() << after.format();
}

TEST(Trainer, DeterministicForAnyThreadCount) {
    BakeOptions a = tiny(30), b = tiny(30);
    a.threads = 1;
    b.threads = 3;
    Trainer ta(librarySet(), 0, a), tb(librarySet(), 0, b);
    run(ta, 30);
    run(tb, 30);
    EXPECT_TRUE(ta.model().parameters() == tb.model().parameters());
    EXPECT_EQ(ta.progress().lossEma, tb.progress().lossEma);
}

TEST(Trainer, ResumeEqualsUninterruptedRun) {
    const BakeOptions o = tiny(40); // the latent phase starts at iteration 20
    Trainer whole(librarySet(), 0, o);
    run(whole, 40);

    const std::string ckpt = (scratch() / "resume.ckpt").string();
    {
        Trainer t(librarySet(), 0, o);
        run(t, 13);
        t.saveCheckpoint(ckpt);
    }
    {
        Trainer t(librarySet(), 0, o); // stopped right at the phase switch, before the bake
        t.loadCheckpoint(ckpt);
        EXPECT_EQ(t.progress().iteration, 13u);
        run(t, 20);
        t.saveCheckpoint(ckpt);
    }
    {
        Trainer t(librarySet(), 0, o);
        t.loadCheckpoint(ckpt);
        run(t, 27);
        t.saveCheckpoint(ckpt);
    }
    Trainer resumed(librarySet(), 0, o);
    resumed.loadCheckpoint(ckpt);
    run(resumed, 40);
    EXPECT_TRUE(resumed.done());
    EXPECT_TRUE(resumed.model().parameters() == whole.model().parameters());

    BakeOptions other = o;
    other.seed = 2;
    Trainer wrong(librarySet(), 0, other);
    EXPECT_THROW(wrong.loadCheckpoint(ckpt), Error);
    EXPECT_THROW(wrong.loadCheckpoint(ckpt + ".missing"), Error);
}

TEST(Trainer, NmatRoundTrip) {
    Trainer t(librarySet(), 0, tiny(6));
    run(t, 6);
    const nlohmann::json metrics = t.evaluate(7, 64).toJson();
    const formats::NmatAsset a = t.toNmat("wood", "lacquered_wood.json", "0123abcd", metrics);
    const std::string path = (scratch() / "wood.nmat").string();
    formats::writeNmat(a, path);
    const formats::NmatAsset b = formats::readNmat(path);
    EXPECT_EQ(b.name, "wood");
    EXPECT_EQ(b.sourceHash, "0123abcd");
    EXPECT_EQ(b.latentChannels, 8u);
    ASSERT_EQ(b.levels.size(), 4u);
    const uint32_t sizes[] = {8, 4, 2, 1};
    for (size_t l = 0; l < 4; ++l) {
        EXPECT_EQ(b.levels[l].width, sizes[l]);
        EXPECT_EQ(b.levels[l].height, sizes[l]);
        ASSERT_EQ(b.levels[l].texels.size(), a.levels[l].texels.size());
        for (size_t i = 0; i < a.levels[l].texels.size(); ++i)
            EXPECT_NEAR(b.levels[l].texels[i], a.levels[l].texels[i],
                        1e-3 * (1.0 + std::abs(a.levels[l].texels[i])));
    }
    ASSERT_EQ(b.networks.size(), 3u);
    EXPECT_EQ(b.networks[0].name, "frames");
    ASSERT_EQ(b.networks[0].layers.size(), 1u);
    EXPECT_EQ(b.networks[0].layers[0].in, 8u);
    EXPECT_EQ(b.networks[0].layers[0].out, 12u);
    EXPECT_FALSE(b.networks[0].layers[0].bias);
    EXPECT_EQ(b.networks[1].name, "decoder");
    ASSERT_EQ(b.networks[1].layers.size(), 3u);
    EXPECT_EQ(b.networks[1].layers[0].in, 20u);
    EXPECT_EQ(b.networks[1].layers[0].out, 32u);
    EXPECT_EQ(b.networks[1].layers[2].out, 3u);
    EXPECT_EQ(b.networks[1].layers[2].activation, "exp3");
    EXPECT_EQ(b.networks[2].name, "sampler");
    EXPECT_EQ(b.networks[2].layers.front().in, 11u);
    EXPECT_EQ(b.networks[2].layers.back().out, 9u);
    for (size_t n = 0; n < 3; ++n)
        EXPECT_EQ(b.networks[n].params.size(), a.networks[n].params.size());
    EXPECT_EQ(b.training.at("latent_size"), 8);
    EXPECT_EQ(b.metrics.at("levels").size(), 4u);
}

} // namespace
