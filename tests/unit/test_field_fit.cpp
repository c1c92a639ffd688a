// Fitting tri-plane fields (neural/field/field_fit.h) at a small budget: an
// icosphere fit converges (Chamfer, IoU, normals good and better than at
// iteration 0), the result is identical for 1 and 2 threads, interrupt +
// resume equals an uninterrupted run, and the .ntri export round-trips.
#include "neural/core/error.h"
#include "neural/field/demo_meshes.h"
#include "neural/field/field_fit.h"
#include "neural/formats/ntri.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using namespace nerva::field;

fs::path scratch() {
    static const fs::path d = nerva::test::scratchDir("field-fit-test");
    return d;
}

FitOptions tinyOptions(uint64_t iterations) {
    FitOptions o;
    o.resolution = 32;
    o.channels = 8;
    o.iterations = iterations;
    o.batch = 2048;
    o.poolSize = 1u << 14;
    o.threads = 2;
    return o;
}

FieldMetricOptions smallMetrics() {
    FieldMetricOptions m;
    m.grid = 48;
    m.samples = 20000;
    return m;
}

TEST(FieldFit, IcosphereConverges) {
    const auto t0 = std::chrono::steady_clock::now();
    FieldFitter fit(makeIcosphere(3, 0.8f), tinyOptions(400));
    const FieldMetrics before = fit.evaluate(smallMetrics());
    while (!fit.done())
        fit.step();
    const FieldMetrics after = fit.evaluate(smallMetrics());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(seconds, 20.0);
    EXPECT_LT(after.chamferL1, 0.004) << after.format();
    EXPECT_GT(after.iou, 0.97) << after.format();
    EXPECT_GT(after.normalConsistency, 0.97) << after.format();
    EXPECT_GT(after.fScore, 0.95) << after.format();
    EXPECT_LT(after.chamferL1, before.chamferL1) << before.format();
    EXPECT_GT(after.iou, before.iou) << before.format();
    EXPECT_LT(fit.progress().lossEma, 0.01);
}

TEST(FieldFit, OccupancyKindFits) {
    FitOptions o = tinyOptions(300);
    o.kind = FieldKind::Occupancy;
    FieldFitter fit(makeIcosphere(3, 0.8f), o);
    while (!fit.done())
        fit.step();
    const FieldMetrics m = fit.evaluate(smallMetrics());
    EXPECT_GT(m.iou, 0.95) << m.format();
}

TEST(FieldFit, DeterministicForAnyThreadCount) {
    std::vector<float> params[2];
    for (unsigned t : {1u, 2u}) {
        FitOptions o = tinyOptions(15);
        o.threads = t;
        o.levels = 2;
        o.planeTv = 0.01f;
        FieldFitter fit(makeTorusKnot(2, 3, 0.2f, 64, 12), o);
        while (!fit.done())
            fit.step();
        params[t - 1] = fit.field().parameters();
    }
    EXPECT_EQ(params[0], params[1]);
}

TEST(FieldFit, ResumeEqualsUninterruptedRun) {
    const TriangleMesh mesh = makeIcosphere(2, 0.7f);
    FitOptions o = tinyOptions(20);
    FieldFitter full(mesh, o);
    while (!full.done())
        full.step();
    const std::string ckpt = (scratch() / "fit.ckpt").string();
    {
        FieldFitter first(mesh, o);
        for (int i = 0; i < 8; ++i)
            first.step();
        first.saveCheckpoint(ckpt);
    }
    FieldFitter resumed(mesh, o);
    resumed.loadCheckpoint(ckpt);
    EXPECT_EQ(resumed.progress().iteration, 8u);
    while (!resumed.done())
        resumed.step();
    EXPECT_EQ(resumed.field().parameters(), full.field().parameters());
    EXPECT_EQ(resumed.progress().lossEma, full.progress().lossEma);

    o.seed = 2;
    FieldFitter other(mesh, o);
    EXPECT_THROW(other.loadCheckpoint(ckpt), nerva::Error);
    EXPECT_THROW(other.loadCheckpoint(ckpt + ".missing"), nerva::Error);
}

TEST(FieldFit, ExportRoundTrips) {
    TriangleMesh mesh = makeIcosphere(2, 0.7f);
    for (glm::vec3& p : mesh.positions)
        p += glm::vec3(5.0f, 0.0f, -2.0f);
    const Aabb box = boundingBox(mesh);
    FieldFitter fit(mesh, tinyOptions(5));
    // The mesh -> field map: centred, the longest side onto [-0.9, 0.9].
    const glm::vec3 half = 0.5f * box.extent();
    EXPECT_FLOAT_EQ(fit.transform().scale, 0.9f / std::max({half.x, half.y, half.z}));
    EXPECT_NEAR(fit.transform().centre.x, 5.0f, 1e-5f);
    EXPECT_NEAR(fit.transform().centre.z, -2.0f, 1e-5f);
    while (!fit.done())
        fit.step();
    const nerva::formats::NtriAsset a = fit.toNtri("ico.obj", "00ff", {{"iou", 0.5}});
    const nerva::formats::NtriAsset b =
        nerva::formats::decodeNtri(nerva::formats::encodeNtri(a, "x"), "x");
    EXPECT_EQ(b.resolution, 32u);
    EXPECT_EQ(b.channels, 8u);
    EXPECT_EQ(b.layers.size(), 3u);
    EXPECT_EQ(b.fit.at("iterations_done"), 5);
    EXPECT_FLOAT_EQ(b.scale, fit.transform().scale);
    EXPECT_FLOAT_EQ(b.centre[0], fit.transform().centre.x);
    EXPECT_EQ(b.planes.size(), fit.field().planeFloats());
}

TEST(FieldFit, BadInput) {
    TriangleMesh flat;
    flat.positions = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
    flat.triangles = {{0, 1, 2}};
    EXPECT_THROW(FieldFitter(flat, tinyOptions(1), "flat.obj"), nerva::Error);
    FitOptions o = tinyOptions(1);
    o.kind = FieldKind::DensityColor;
    EXPECT_THROW(FieldFitter(makeIcosphere(1), o), nerva::Error);
    o = tinyOptions(0);
    EXPECT_THROW(FieldFitter(makeIcosphere(1), o), nerva::Error);
}

} // namespace
