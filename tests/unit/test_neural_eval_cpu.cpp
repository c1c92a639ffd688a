// The single-source neural material evaluation (shaders/shared/neural/
// neural_eval.h, through material::NeuralMaterialPack) on the CPU against the
// trainer's model (material::NeuralMaterialModel::evalNeural / samplerRaw /
// latentAt): a tiny velvet bake is exported to .nmat bytes and decoded (so
// every value is fp16-rounded, as a renderer sees it), the decoded asset is
// loaded back into a NeuralMaterialModel, and both evaluate the same queries.
// Also: the stochastic level choice equals material::stochasticLatentLevel,
// and assets the shaders cannot run are refused.
#include "neural/core/error.h"
#include "neural/formats/nmat.h"
#include "neural/material/layered_json.h"
#include "neural/material/neural_eval_cpu.h"
#include "neural/material/neural_model.h"
#include "neural/material/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace {

using namespace nerva;

// A 300-step bake of velvet (latents 8x8, decoder 2x32) as read from a file.
const formats::NmatAsset& velvetAsset() {
    static const formats::NmatAsset asset = [] {
        material::LayeredMaterialSet set;
        set.add(material::loadLayeredMaterialJson(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                                                  "/assets/materials/velvet.json"));
        material::BakeOptions o;
        o.iterations = 300;
        o.batch = 256;
        o.latentResolution = 8;
        o.warmup = 5;
        o.threads = 2;
        material::Trainer t(set, 0, o);
        while (!t.done())
            t.step();
        const formats::NmatAsset a = t.toNmat("velvet", "velvet.json", "", {});
        return formats::decodeNmat(formats::encodeNmat(a, "velvet"), "velvet.nmat");
    }();
    return asset;
}

// The decoded asset's values in a model of the same shape.
material::NeuralMaterialModel modelFrom(const formats::NmatAsset& a) {
    material::NeuralMaterialConfig c;
    c.resolution = a.levels[0].width;
    c.decoderHidden.clear();
    c.samplerHidden.clear();
    for (const formats::NmatNetwork& n : a.networks)
        for (size_t l = 0; l + 1 < n.layers.size(); ++l)
            (n.name == "decoder" ? c.decoderHidden : c.samplerHidden).push_back(n.layers[l].out);
    material::NeuralMaterialModel m(c);
    std::span<float> lat = m.parameters(material::ParamGroup::Latents);
    size_t at = 0;
    for (const formats::NmatLatentLevel& L : a.levels) {
        std::copy(L.texels.begin(), L.texels.end(), lat.begin() + ptrdiff_t(at));
        at += L.texels.size();
    }
    EXPECT_EQ(at, lat.size());
    const std::pair<const char*, material::ParamGroup> groups[] = {
        {"frames", material::ParamGroup::Frames},
        {"decoder", material::ParamGroup::Decoder},
        {"sampler", material::ParamGroup::Sampler}};
    for (const auto& [name, g] : groups)
        for (const formats::NmatNetwork& n : a.networks)
            if (n.name == name) {
                std::span<float> p = m.parameters(g);
                EXPECT_EQ(p.size(), n.params.size()) << name;
                std::copy(n.params.begin(), n.params.end(), p.begin());
            }
    return m;
}

glm::vec3 hemisphere(float u1, float u2) {
    const float z = 0.02f + 0.98f * u1, s = std::sqrt(1.0f - z * z), phi = 6.2831853f * u2;
    return {s * std::cos(phi), s * std::sin(phi), z};
}

float rel(float a, float ref) {
    return std::abs(a - ref) / std::max(std::abs(ref), 1e-3f);
}

TEST(NeuralEvalCpu, SharedHeaderMatchesTheTrainerModel) {
    const formats::NmatAsset& asset = velvetAsset();
    const material::NeuralMaterialModel model = modelFrom(asset);
    const material::NeuralMaterialPack pack(std::span(&asset, 1));
    ASSERT_EQ(pack.size(), 1u);
    EXPECT_EQ(pack.records()[0].latentLevels, 4u);
    EXPECT_EQ(pack.records()[0].decoderHidden, 2u);
    EXPECT_EQ(pack.records()[0].samplerHidden, 3u);

    std::mt19937 gen(7);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    float worstLatent = 0, worstEval = 0, worstRaw = 0;
    double meanEval = 0.0;
    constexpr int kQueries = 4000;
    for (int i = 0; i < kQueries; ++i) {
        const glm::vec2 uv(3.0f * u(gen) - 1.0f, 3.0f * u(gen) - 1.0f);
        const uint32_t level = uint32_t(i % 4);
        const glm::vec3 wo = hemisphere(u(gen), u(gen)), wi = hemisphere(u(gen), u(gen));
        float z[8];
        model.latentAt(uv, level, z);
        const shared::NeuralLatent s = pack.latent(0, uv, level);
        for (int k = 0; k < 4; ++k)
            worstLatent =
                std::max({worstLatent, std::abs(s.a[k] - z[k]), std::abs(s.b[k] - z[k + 4])});
        const glm::vec3 ref = model.evalNeural(uv, level, wo, wi);
        const glm::vec3 got = pack.eval(0, uv, level, wo, wi);
        for (int k = 0; k < 3; ++k)
            worstEval = std::max(worstEval, rel(got[k], ref[k]));
        meanEval += (ref.x + ref.y + ref.z) / 3.0;
        const auto rawRef = model.samplerRaw(uv, level, wo);
        const auto raw = pack.samplerRaw(0, uv, level, wo);
        for (size_t k = 0; k < raw.size(); ++k)
            worstRaw = std::max(worstRaw, std::abs(raw[k] - rawRef[k]) /
                                              std::max(std::abs(rawRef[k]), 1e-3f));
    }
    std::printf("[neural eval cpu] %d queries: latent max abs diff %.2e, f cos max rel %.2e "
                "(mean f cos %.3f), sampler raw max rel %.2e\n",
                kQueries, worstLatent, worstEval, meanEval / kQueries, worstRaw);
    EXPECT_LE(worstLatent, 1e-6f);
    EXPECT_LE(worstEval, 1e-3f);
    EXPECT_LE(worstRaw, 1e-3f);
    EXPECT_GT(meanEval / kQueries, 1e-3) << "the bake must give a non-trivial material";
}

TEST(NeuralEvalCpu, LevelChoiceMatchesStochasticLatentLevel) {
    const formats::NmatAsset& asset = velvetAsset();
    const material::NeuralMaterialPack pack(std::span(&asset, 1));
    const shared::GpuNeuralMaterial& r = pack.records()[0];
    std::mt19937 gen(3);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (int i = 0; i < 20000; ++i) {
        const float footprint = i % 5 == 0 ? 0.0f : std::pow(10.0f, -4.0f + 4.0f * u(gen));
        const float ul = u(gen);
        const float lod = footprint > 0.0f ? std::log2(footprint * 8.0f) : 0.0f;
        ASSERT_EQ(shared::neuralLatentLevel(r, footprint, ul),
                  material::stochasticLatentLevel(lod, ul, 4))
            << "footprint " << footprint << " u " << ul;
    }
}

TEST(NeuralEvalCpu, RefusesAssetsTheShadersCannotRun) {
    std::vector<formats::NmatAsset> bad(4, velvetAsset());
    bad[0].latentChannels = 4;
    bad[1].levels[0].width = 6;                     // not a power of two
    bad[2].networks.erase(bad[2].networks.begin()); // no frames
    for (formats::NmatNetwork& n : bad[3].networks)
        if (n.name == "decoder") n.layers.back().activation = "none";
    for (size_t i = 0; i < bad.size(); ++i)
        EXPECT_THROW(material::NeuralMaterialPack(std::span(&bad[i], 1)), Error) << i;
}

} // namespace
