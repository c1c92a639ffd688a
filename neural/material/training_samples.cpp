#include "training_samples.h"

#include "neural/core/error.h"
#include "shaders/shared/layered/layered_bsdf.h"
#include "shaders/shared/layered/layered_fetch.h"
#include "shaders/shared/rng.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace nerva::material {
namespace {

using shared::vec3;

// A 32-bit stream per sample from the 64-bit (seed, index).
uint seedFor(uint64_t seed, uint64_t index) {
    uint h = shared::pcgHash(uint(seed) ^ shared::pcgHash(uint(seed >> 32u)));
    h = shared::pcgHash(h ^ uint(index));
    return shared::pcgHash(h ^ uint(index >> 32u));
}

vec3 uniformHemisphere(float u0, float u1) {
    const float z = std::max(u0, 1e-4f); // cos(theta) uniform in (0, 1]
    const float r = std::sqrt(std::max(0.0f, 1.0f - z * z));
    const float phi = shared::kTwoPi * u1;
    return vec3(r * std::cos(phi), r * std::sin(phi), z);
}

glm::vec3 toGlm(vec3 v) {
    return glm::vec3(v.x, v.y, v.z);
}

} // namespace

void widenLobes(shared::LayeredPoint& p, float minAlpha) {
    if (!(minAlpha > 0.0f)) return;
    const shared::vec2 floor(minAlpha);
    p.specularAlpha = glm::max(p.specularAlpha, floor);
    p.specularRoughness = std::sqrt(std::sqrt(p.specularAlpha.x * p.specularAlpha.y));
    p.conductorAlpha = glm::max(p.conductorAlpha, floor);
    p.flakeAlpha = glm::max(p.flakeAlpha, floor);
    p.flakeAggregateAlpha = glm::max(p.flakeAggregateAlpha, floor);
    p.coatAlpha = glm::max(p.coatAlpha, floor);
    p.coatRoughness = std::max(p.coatRoughness, std::sqrt(minAlpha));
}

uint32_t latentLevelCount(uint32_t resolution) {
    uint32_t n = 1;
    while (resolution > 1) {
        resolution = (resolution + 1) / 2;
        ++n;
    }
    return n;
}

ReferenceSampler::ReferenceSampler(const LayeredMaterialSet& set, uint32_t material,
                                   TrainingSampleOptions o)
    : set_(set), material_(material), opt_(o) {
    if (material >= set.size())
        throw Error("training samples: no material " + std::to_string(material));
    opt_.levels = std::clamp(opt_.levels, 1u, latentLevelCount(opt_.latentResolution));
    opt_.filterTaps = std::max(opt_.filterTaps, 1u);
    float sum = 0.0f;
    for (uint32_t l = 0; l < opt_.levels; ++l) {
        levelPdf_.push_back(std::pow(1.0f - std::clamp(opt_.fineBias, 0.0f, 0.95f), float(l)));
        sum += levelPdf_.back();
    }
    float acc = 0.0f;
    for (float& p : levelPdf_) {
        p /= sum;
        acc += p;
        levelCdf_.push_back(acc);
    }
    levelCdf_.back() = 1.0f;
}

TrainingSample ReferenceSampler::sample(uint64_t seed, uint64_t index) const {
    uint rng = seedFor(seed, index);
    auto next = [&] { return shared::rngNext(rng); };
    const shared::LayeredView v = set_.view();
    TrainingSample s{};
    s.uv = glm::vec2(next(), next());
    const float ul = next();
    s.level =
        uint32_t(std::lower_bound(levelCdf_.begin(), levelCdf_.end(), ul) - levelCdf_.begin());
    s.level = std::min(s.level, opt_.levels - 1);
    // Texel size of the level in uv units (level sizes halve rounding up).
    uint32_t res = opt_.latentResolution;
    for (uint32_t l = 0; l < s.level; ++l)
        res = (res + 1) / 2;
    s.footprint = 1.0f / float(res);
    const vec3 wo = uniformHemisphere(next(), next());
    s.wo = toGlm(wo);

    // The first tap's point also supplies the importance-sampled directions.
    auto pointAt = [&](shared::vec2 uv) {
        shared::LayeredUv tc = shared::layeredUvFinest(uv);
        tc.footprint0 = tc.footprint1 = s.footprint;
        shared::LayeredPoint p = shared::layeredFetch(v, material_, tc);
        widenLobes(p, opt_.minLobeAlpha);
        return p;
    };
    const shared::LayeredPoint first = pointAt(shared::vec2(s.uv.x, s.uv.y));
    vec3 wi = uniformHemisphere(next(), next());
    const float uChoice = next();
    const vec3 uSample(next(), next(), next());
    if (uChoice < opt_.importanceFraction) {
        const shared::LobeSample ls = shared::layeredSample(first, v.tables, wo, uSample);
        if (ls.pdf > 0.0f) wi = ls.wi;
    }
    s.wi = toGlm(wi);
    const vec3 u2(next(), next(), next());
    const shared::LobeSample ss = shared::layeredSample(first, v.tables, wo, u2);
    if (ss.pdf > 0.0f) {
        s.sampledWi = toGlm(ss.wi);
        s.sampleWeight = std::max(shared::luminance(ss.weight), 0.0f);
    }

    // Box filter over the texel: the first tap at the sample's uv, the others
    // uniform over the texel-sized square around it.
    vec3 sum = shared::layeredEval(first, v.tables, wo, wi);
    for (uint32_t t = 1; t < opt_.filterTaps; ++t) {
        const shared::vec2 uv(s.uv.x + (next() - 0.5f) * s.footprint,
                              s.uv.y + (next() - 0.5f) * s.footprint);
        sum += shared::layeredEval(pointAt(uv), v.tables, wo, wi);
    }
    s.fcos = toGlm(sum / float(opt_.filterTaps));
    return s;
}

void ReferenceSampler::generate(uint64_t seed, uint64_t first, size_t count, TrainingSample* out,
                                unsigned threads) const {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = unsigned(std::min<size_t>(threads, std::max<size_t>(count / 64, 1)));
    auto work = [&](unsigned t) {
        const size_t begin = count * t / threads, end = count * (t + 1) / threads;
        for (size_t i = begin; i < end; ++i)
            out[i] = sample(seed, first + i);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (std::thread& t : pool)
        t.join();
}

} // namespace nerva::material
