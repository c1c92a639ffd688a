// The path tracer's inspection views of first hits (shared::kDebugView* in
// shaders/shared/scene_types.h): the sphere-tracing steps of tri-plane
// fields as viridis, decoded back to counts and checked against a plane
// field whose count is known and against the fields' step counters; and the
// shading normals, checked against the normal AOV of a radiance render.
#include "neural/formats/ntri.h"
#include "renderer/gpu/gpu_scene.h"
#include "renderer/image/image_io.h"
#include "renderer/pathtracer/path_tracer.h"
#include "renderer/scene/environment_map.h"
#include "renderer/scene/gltf_loader.h"
#include "tests/support/test_scenes.h"
#include "tests/support/vk_test_env.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace nerva {
namespace {

constexpr uint32_t kSize = 48;

// The colour map of kDebugViewFieldSteps: debugViridis in
// shaders/pathtrace/shade_surface.glsl (the same polynomial, clamped).
glm::vec3 viridis(float t) {
    const glm::dvec3 c[7] = {{0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
                             {0.1050930431085774, 1.404613529898575, 1.384590162594685},
                             {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
                             {-4.634230498983486, -5.799100973351585, -19.33244095627987},
                             {6.228269936347081, 14.17993336680509, 56.69055260068105},
                             {4.776384997670288, -13.74514537774601, -65.35303263337234},
                             {-5.435455855934631, 4.645852612178535, 26.3124352495832}};
    const double x = std::clamp(double(t), 0.0, 1.0);
    glm::dvec3 v = c[6];
    for (int k = 5; k >= 0; --k)
        v = c[k] + x * v;
    return glm::clamp(glm::vec3(v), 0.0f, 1.0f);
}

// A pixel of the steps view, decoded: the step count (by the map's green
// channel, which rises monotonically) and how far the colour is from the map
// at that count (0 for colours the map makes).
struct Decoded {
    float steps = 0.0f;
    float offCurve = 1e30f;
};

Decoded decodeSteps(glm::vec3 c) {
    float lo = 0.0f, hi = 1.0f;
    for (int i = 0; i < 40; ++i) {
        const float mid = 0.5f * (lo + hi);
        (viridis(mid).g < c.g ? lo : hi) = mid;
    }
    const float t = 0.5f * (lo + hi);
    return {t * float(shared::kDebugFieldStepsFull), glm::length(viridis(t) - c)};
}

glm::vec3 pixel(const ImageRGBA32F& img, uint32_t x, uint32_t y) {
    const float* p = img.at(x, y);
    return {p[0], p[1], p[2]};
}

// Writes a view, 4x enlarged, where NERVA_DEBUG_VIEW_TEST_OUT names a folder.
void maybeWrite(const std::string& name, const ImageRGBA32F& img) {
    const char* dir = std::getenv("NERVA_DEBUG_VIEW_TEST_OUT");
    if (!dir) return;
    ImageRGBA32F big(img.width * 4, img.height * 4);
    for (uint32_t y = 0; y < big.height; ++y)
        for (uint32_t x = 0; x < big.width; ++x) {
            std::copy_n(img.at(x / 4, y / 4), 3, big.at(x, y));
            big.at(x, y)[3] = 1.0f;
        }
    writeDisplayImage(std::string(dir) + "/" + name, big);
}

// A field with the torus knot's shape (so the same pipeline renders it)
// whose SDF is exactly z: the XZ plane of level 0 holds z at its texel
// centres in channel 0 (bilinear interpolation keeps it exact, clamped to
// the outermost centres +-(1 - 1/R)), every other value 0; the MLP passes
// it through as relu(z) - relu(-z).
formats::NtriAsset planeField(const formats::NtriAsset& like) {
    formats::NtriAsset a = like;
    std::fill(a.planes.begin(), a.planes.end(), 0.0f);
    const uint32_t r = a.resolution, c = a.channels;
    const size_t xz = size_t(r) * r * c; // level 0: XY, then XZ
    for (uint32_t j = 0; j < r; ++j)     // v = z
        for (uint32_t i = 0; i < r; ++i)
            a.planes[xz + (size_t(j) * r + i) * c] = -1.0f + (float(j) + 0.5f) * 2.0f / float(r);
    std::fill(a.mlp.begin(), a.mlp.end(), 0.0f);
    size_t offset = 0;
    for (size_t l = 0; l < a.layers.size(); ++l) {
        const formats::NmatLayer& layer = a.layers[l];
        auto w = [&](uint32_t out, uint32_t in) -> float& {
            return a.mlp[offset + size_t(out) * layer.in + in];
        };
        const bool first = l == 0, last = l + 1 == a.layers.size();
        if (first && last) {
            w(0, 0) = 1.0f;
        } else if (first) {
            w(0, 0) = 1.0f;
            w(1, 0) = -1.0f;
        } else if (last) {
            w(0, 0) = 1.0f;
            w(0, 1) = -1.0f;
        } else {
            w(0, 0) = 1.0f;
            w(1, 1) = 1.0f;
        }
        offset += size_t(layer.in) * layer.out + (layer.bias ? layer.out : 0);
    }
    EXPECT_EQ(offset, a.mlp.size());
    return a;
}

const formats::NtriAsset& torusKnot() {
    static const formats::NtriAsset a = formats::readNtri(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                                                          "/assets/fields/torus_knot.ntri");
    return a;
}

void addField(scene::Scene& s, const formats::NtriAsset& a, const glm::mat4& toWorld) {
    scene::Field f;
    f.asset = std::make_shared<const formats::NtriAsset>(a);
    f.uri = "test field";
    f.node = "field";
    f.toWorld = toWorld;
    f.material = int32_t(s.materials.size());
    s.materials.push_back(test::lambert({0.7f, 0.6f, 0.5f}));
    const glm::vec3 lo = glm::vec3(toWorld * glm::vec4(-1, -1, -1, 1));
    const glm::vec3 hi = glm::vec3(toWorld * glm::vec4(1, 1, 1, 1));
    const bool empty = s.instances.empty() && s.fields.empty();
    s.boundsMin = empty ? glm::min(lo, hi) : glm::min(s.boundsMin, glm::min(lo, hi));
    s.boundsMax = empty ? glm::max(lo, hi) : glm::max(s.boundsMax, glm::max(lo, hi));
    s.fields.push_back(std::move(f));
}

class DebugViews : public test::VulkanTest {
  protected:
    pt::RenderOutput render(const scene::Scene& s, pt::RenderSettings settings, uint32_t view,
                            gpu::FieldStats* stats = nullptr) {
        static ShaderCompiler compiler;
        static pt::PathTracer tracer(ctx(), compiler);
        settings.debugView = view;
        std::vector<std::string> warnings;
        gpu::GpuScene gpuScene(ctx(), s, warnings);
        gpuScene.setEnvironment(constantEnvironment(glm::vec3(0.4f, 0.45f, 0.5f)));
        gpuScene.fields().resetStats();
        const auto t0 = std::chrono::steady_clock::now();
        pt::RenderOutput out = tracer.render(gpuScene, settings);
        std::printf("view %u: %.2f s\n", view,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        if (stats) *stats = gpuScene.fields().stats();
        return out;
    }
};

// The spheres test scene with the torus knot field in front of its middle,
// seen so that the image holds the field, triangles and sky.
struct KnotScene {
    scene::Scene scene;
    pt::RenderSettings settings;
};

const KnotScene& knotScene() {
    static const KnotScene k = [] {
        KnotScene r;
        r.scene = scene::loadGltf(std::string(NERVA_SOURCE_DIR_FOR_TESTS) +
                                  "/assets/scenes/tests/spheres.gltf");
        addField(r.scene, torusKnot(),
                 glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, 1.2f, 2.5f)));
        r.settings.width = r.settings.height = kSize;
        r.settings.spp = 1; // one camera ray per pixel: colours are exact
        r.settings.camera = test::lookAt({0.0f, 1.4f, 6.0f}, {0.0f, 1.2f, 0.0f}, 0.7f);
        return r;
    }();
    return k;
}

// A plane field seen head-on takes a known number of steps for every pixel;
// seen at 60 degrees, more. Every ray hits, so the counts the views show sum
// to the intersection shader's own step counter.
TEST_F(DebugViews, FieldStepsOfAPlaneField) {
    scene::Scene s;
    addField(s, planeField(torusKnot()), glm::mat4(1.0f)); // field box = world [-1, 1]^3
    pt::RenderSettings rs;
    rs.width = rs.height = kSize;
    rs.spp = 1;
    rs.camera.perspective = false;
    rs.camera.xmag = rs.camera.ymag = 0.3f;
    auto stepsOf = [&](float degrees, const char* name) {
        const float a = glm::radians(degrees);
        const glm::vec3 dir(std::sin(a), 0.0f, -std::cos(a)); // toward the plane z = 0
        rs.camera.toWorld =
            glm::inverse(glm::lookAt(-5.0f * dir, glm::vec3(0.0f), glm::vec3(0, 1, 0)));
        gpu::FieldStats stats;
        const pt::RenderOutput out = render(s, rs, shared::kDebugViewFieldSteps, &stats);
        maybeWrite(name, out.beauty);
        std::vector<float> steps;
        double sum = 0.0;
        for (uint32_t y = 0; y < kSize; ++y)
            for (uint32_t x = 0; x < kSize; ++x) {
                const Decoded d = decodeSteps(pixel(out.beauty, x, y));
                EXPECT_LT(d.offCurve, 2e-3f) << "pixel " << x << "," << y << " not on the map";
                EXPECT_NEAR(d.steps, std::round(d.steps), 0.05f) << "pixel " << x << "," << y;
                steps.push_back(std::round(d.steps));
                sum += std::round(d.steps);
            }
        // One march per pixel, each reporting its hit.
        EXPECT_EQ(stats.calls, uint64_t(kSize) * kSize);
        EXPECT_EQ(stats.steps, uint64_t(sum)) << "decoded counts differ from the shader's counter";
        return steps;
    };
    // Head-on from z = 1 (the SDF clamped to 1 - 1/R): 0.9 of the distance
    // per step leaves 0.1 of it, under kFieldEpsilon = 2e-4 after 4 steps,
    // found by the 5th evaluation.
    const std::vector<float> straight = stepsOf(0.0f, "dv_plane_steps_0deg.png");
    EXPECT_EQ(*std::min_element(straight.begin(), straight.end()), 5.0f);
    EXPECT_EQ(*std::max_element(straight.begin(), straight.end()), 5.0f);
    // At 60 degrees a step leaves 1 - 0.9 cos 60 = 0.55 of the distance; rays
    // enter through the side faces at heights 0.23 .. 0.92: 13 .. 16 steps.
    const std::vector<float> tilted = stepsOf(60.0f, "dv_plane_steps_60deg.png");
    const float lo = *std::min_element(tilted.begin(), tilted.end());
    const float hi = *std::max_element(tilted.begin(), tilted.end());
    std::printf("plane field: 5 steps head-on, %.0f .. %.0f at 60 degrees\n", lo, hi);
    EXPECT_GE(lo, 12.0f);
    EXPECT_LE(hi, 17.0f);
}

// The torus knot in a triangle scene: field pixels on the map, triangles
// grey, misses black (exactly where the radiance render's rays miss), the
// counts consistent with the step counter, and grazing hits taking more
// steps than head-on ones.
TEST_F(DebugViews, FieldStepsOfTheTorusKnot) {
    const KnotScene& k = knotScene();
    gpu::FieldStats stats;
    const pt::RenderOutput view = render(k.scene, k.settings, shared::kDebugViewFieldSteps, &stats);
    const pt::RenderOutput radiance = render(k.scene, k.settings, shared::kDebugViewNone);
    maybeWrite("dv_steps.png", view.beauty);

    const glm::mat4 camToWorld = k.settings.camera.toWorld;
    const float tanHalf = std::tan(0.5f * k.settings.camera.yfov);
    uint32_t field = 0, grey = 0, black = 0;
    double sum = 0.0, grazingSum = 0.0, headOnSum = 0.0;
    uint32_t grazing = 0, headOn = 0;
    for (uint32_t y = 0; y < kSize; ++y)
        for (uint32_t x = 0; x < kSize; ++x) {
            const glm::vec3 c = pixel(view.beauty, x, y);
            const bool hit = radiance.depth.at(x, y)[0] > 0.0f;
            if (c == glm::vec3(0.0f)) {
                ++black;
                EXPECT_FALSE(hit) << "black at a hit, pixel " << x << "," << y;
                continue;
            }
            EXPECT_TRUE(hit) << "colour at a miss, pixel " << x << "," << y;
            if (glm::length(c - glm::vec3(0.18f)) < 1e-6f) {
                ++grey;
                continue;
            }
            const Decoded d = decodeSteps(c);
            ASSERT_LT(d.offCurve, 2e-3f) << "pixel " << x << "," << y << ": neither map nor grey";
            const float n = std::round(d.steps);
            EXPECT_NEAR(d.steps, n, 0.05f) << "pixel " << x << "," << y;
            EXPECT_GE(n, 1.0f);
            EXPECT_LE(n, float(shared::kDebugFieldStepsFull));
            ++field;
            sum += n;
            // Incidence: the pixel centre's ray against the normal AOV.
            const glm::vec2 ndc((float(x) + 0.5f) / kSize * 2.0f - 1.0f,
                                1.0f - (float(y) + 0.5f) / kSize * 2.0f);
            const glm::vec3 dir =
                glm::normalize(glm::vec3(camToWorld * glm::vec4(ndc * tanHalf, -1.0f, 0.0f)));
            const float* nrm = radiance.normal.at(x, y);
            const float cosIn = std::abs(glm::dot(dir, glm::vec3(nrm[0], nrm[1], nrm[2])));
            if (cosIn < 0.3f) {
                grazingSum += n;
                ++grazing;
            } else if (cosIn > 0.8f) {
                headOnSum += n;
                ++headOn;
            }
        }
    const double grazingMean = grazingSum / std::max(grazing, 1u);
    const double headOnMean = headOnSum / std::max(headOn, 1u);
    std::printf("pixels: %u field, %u triangle, %u miss; steps: %.1f mean, %.1f grazing (%u), "
                "%.1f head-on (%u); counter: %llu calls, %llu steps\n",
                field, grey, black, sum / std::max(field, 1u), grazingMean, grazing, headOnMean,
                headOn, static_cast<unsigned long long>(stats.calls),
                static_cast<unsigned long long>(stats.steps));
    EXPECT_GT(field, 300u);
    EXPECT_GT(grey, 200u);
    EXPECT_GT(black, 100u);
    // Every shown count is a march the counter saw; the rest of the counter
    // is marches that found nothing (at most kDebugFieldStepsFull each).
    EXPECT_GE(stats.calls, field);
    EXPECT_GE(stats.steps, uint64_t(sum));
    EXPECT_LE(stats.steps, uint64_t(sum) + (stats.calls - field) * shared::kDebugFieldStepsFull);
    ASSERT_GT(grazing, 20u);
    ASSERT_GT(headOn, 20u);
    EXPECT_GT(grazingMean, 1.3 * headOnMean);
}

// The normals view is 0.5 + 0.5 n of the normal AOV (same seed, one sample:
// the same camera rays), for triangles and the field; misses black.
TEST_F(DebugViews, NormalsMatchTheNormalAov) {
    const KnotScene& k = knotScene();
    const pt::RenderOutput view = render(k.scene, k.settings, shared::kDebugViewNormals);
    const pt::RenderOutput radiance = render(k.scene, k.settings, shared::kDebugViewNone);
    const pt::RenderOutput steps = render(k.scene, k.settings, shared::kDebugViewFieldSteps);
    maybeWrite("dv_normals.png", view.beauty);
    uint32_t hits = 0, fieldHits = 0, misses = 0;
    float worst = 0.0f;
    for (uint32_t y = 0; y < kSize; ++y)
        for (uint32_t x = 0; x < kSize; ++x) {
            const glm::vec3 c = pixel(view.beauty, x, y);
            if (!(radiance.depth.at(x, y)[0] > 0.0f)) {
                ++misses;
                EXPECT_EQ(c, glm::vec3(0.0f)) << "pixel " << x << "," << y;
                continue;
            }
            ++hits;
            const glm::vec3 n = pixel(radiance.normal, x, y);
            EXPECT_NEAR(glm::length(n), 1.0f, 1e-3f) << "pixel " << x << "," << y;
            const float err = glm::length(c - (0.5f + 0.5f * n));
            worst = std::max(worst, err);
            EXPECT_LT(err, 1e-5f) << "pixel " << x << "," << y;
            if (glm::length(pixel(steps.beauty, x, y) - glm::vec3(0.18f)) > 1e-6f) ++fieldHits;
        }
    std::printf("normals: %u hits (%u on the field), %u misses, worst |colour - (0.5 + 0.5 n)| "
                "%.2e\n",
                hits, fieldHits, misses, worst);
    EXPECT_GT(fieldHits, 300u);
    EXPECT_GT(hits - fieldHits, 200u);
    EXPECT_GT(misses, 100u);
}

} // namespace
} // namespace nerva
