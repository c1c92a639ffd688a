// The tri-plane field model (neural/field/triplane_field.h): finite-difference
// checks in double of the parameter gradient (planes and MLP, every kind,
// multi-resolution) and of the analytic spatial gradient, and the plane /
// texel convention the .ntri format and the shaders rely on.
#include "neural/core/error.h"
#include "neural/field/triplane_field.h"
#include "neural/nn/pcg32.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using namespace nerva::field;

TriplaneConfig smallConfig(FieldKind kind, uint32_t levels) {
    TriplaneConfig c;
    c.kind = kind;
    c.resolution = 5;
    c.channels = 3;
    c.levels = levels;
    c.hidden = {6, 5};
    return c;
}

// Random points, some outside the box (clamp-to-edge).
std::vector<double> randomPoints(size_t n, uint64_t seed, double extent) {
    nerva::nn::Pcg32 rng(seed);
    std::vector<double> p(3 * n);
    for (double& v : p)
        v = rng.uniform(-float(extent), float(extent));
    return p;
}

// L = sum_i sum_o coef[i, o] raw[i, o]: its gradient is backward(dRaw = coef).
double linearLoss(const TriplaneField& f, const std::vector<double>& params,
                  const std::vector<double>& xyz, const std::vector<double>& coef) {
    FieldWorkspace<double> ws;
    const size_t n = xyz.size() / 3;
    std::vector<double> raw(n * f.outputs());
    f.forward<double>(params, xyz.data(), n, ws, raw.data());
    double l = 0.0;
    for (size_t i = 0; i < raw.size(); ++i)
        l += coef[i] * raw[i];
    return l;
}

void checkParameterGradient(FieldKind kind, uint32_t levels) {
    const TriplaneField f(smallConfig(kind, levels), 3);
    std::vector<double> params(f.parameters().begin(), f.parameters().end());
    // Larger plane values than the initial noise, so the MLP sees varied inputs.
    nerva::nn::Pcg32 rng(11);
    for (size_t i = 0; i < f.planeFloats(); ++i)
        params[i] = rng.uniform(-1.0f, 1.0f);
    const size_t n = 40;
    const std::vector<double> xyz = randomPoints(n, 5, 1.2);
    std::vector<double> coef(n * f.outputs());
    for (double& c : coef)
        c = rng.uniform(-1.0f, 1.0f);

    FieldWorkspace<double> ws;
    std::vector<double> raw(n * f.outputs()), grad(params.size(), 0.0);
    f.forward<double>(params, xyz.data(), n, ws, raw.data());
    f.backward<double>(params, xyz.data(), n, ws, coef.data(), grad);

    const double h = 1e-6;
    size_t planeChecked = 0;
    for (size_t i = 0; i < params.size(); ++i) {
        std::vector<double> p = params;
        p[i] = params[i] + h;
        const double up = linearLoss(f, p, xyz, coef);
        p[i] = params[i] - h;
        const double down = linearLoss(f, p, xyz, coef);
        const double fd = (up - down) / (2.0 * h);
        EXPECT_NEAR(grad[i], fd, 1e-6 * (1.0 + std::abs(fd)))
            << fieldKindName(kind) << " parameter " << i
            << (i < f.planeFloats() ? " (plane)" : " (mlp)");
        planeChecked += i < f.planeFloats() && grad[i] != 0.0;
    }
    EXPECT_GT(planeChecked, f.planeFloats() / 4); // the points touch many texels
}

TEST(TriplaneField, ParameterGradientSdf) {
    checkParameterGradient(FieldKind::Sdf, 1);
}
TEST(TriplaneField, ParameterGradientMultiresDensityColor) {
    checkParameterGradient(FieldKind::DensityColor, 3);
}

TEST(TriplaneField, SpatialGradientMatchesFiniteDifferences) {
    for (const uint32_t levels : {1u, 2u}) {
        const TriplaneField f(smallConfig(FieldKind::Sdf, levels), 7);
        std::vector<double> params(f.parameters().begin(), f.parameters().end());
        nerva::nn::Pcg32 rng(13);
        for (size_t i = 0; i < f.planeFloats(); ++i)
            params[i] = rng.uniform(-1.0f, 1.0f);
        const size_t n = 64;
        const std::vector<double> xyz = randomPoints(n, 17, 0.95);
        FieldWorkspace<double> ws;
        std::vector<double> raw0(n), grad(3 * n);
        f.gradient<double>(params, xyz.data(), n, ws, raw0.data(), grad.data());
        const double h = 1e-7;
        for (size_t i = 0; i < n; ++i)
            for (int a = 0; a < 3; ++a) {
                double p[3] = {xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]};
                double up, down;
                p[a] += h;
                f.forward<double>(params, p, 1, ws, &up);
                p[a] -= 2 * h;
                f.forward<double>(params, p, 1, ws, &down);
                const double fd = (up - down) / (2.0 * h);
                EXPECT_NEAR(grad[3 * i + size_t(a)], fd, 1e-5 * (1.0 + std::abs(fd)))
                    << "point " << i << " axis " << a;
            }
    }
}

// A feature written into texel (i, j) of each plane is seen at the texel's
// documented centre: plane XY at (x, y), XZ at (x, z), YZ at (y, z).
TEST(TriplaneField, PlaneConvention) {
    TriplaneConfig c;
    c.resolution = 8;
    c.channels = 2;
    const uint32_t R = c.resolution, C = c.channels;
    const uint32_t i = 2, j = 5;
    const double ci = -1.0 + (i + 0.5) * 2.0 / R, cj = -1.0 + (j + 0.5) * 2.0 / R;
    const double other = -1.0 + (6 + 0.5) * 2.0 / R; // any centre of the free axis
    struct Case {
        Plane plane;
        glm::dvec3 at, shifted; // shifted: one texel over along u
    };
    const double step = 2.0 / R;
    const Case cases[] = {
        {Plane::XY, {ci, cj, other}, {ci + step, cj, other}},
        {Plane::XZ, {ci, other, cj}, {ci + step, other, cj}},
        {Plane::YZ, {other, ci, cj}, {other, ci + step, cj}},
    };
    for (const Case& k : cases) {
        TriplaneField f(c, 1);
        std::vector<double> params(f.parameterCount(), 0.0);
        params[f.planeOffset(0, k.plane) + (size_t(j) * R + i) * C + 1] = 1.0;
        double out[2];
        f.features<double>(params, k.at, out);
        EXPECT_DOUBLE_EQ(out[0], 0.0);
        EXPECT_DOUBLE_EQ(out[1], 1.0) << "plane " << uint32_t(k.plane);
        f.features<double>(params, k.shifted, out);
        EXPECT_DOUBLE_EQ(out[1], 0.0);
        // Half-way to the next texel: bilinear gives 1/2.
        f.features<double>(params, 0.5 * (k.at + k.shifted), out);
        EXPECT_DOUBLE_EQ(out[1], 0.5);
    }
    EXPECT_EQ(TriplaneField(c, 1).planeOffset(0, Plane::XZ), size_t(R) * R * C);
}

TEST(TriplaneField, ClampToEdge) {
    TriplaneConfig c;
    c.resolution = 4;
    c.channels = 1;
    TriplaneField f(c, 1);
    std::vector<double> params(f.parameterCount(), 0.0);
    params[f.planeOffset(0, Plane::XY) + 0] = 3.0; // texel (0, 0)
    double out;
    f.features<double>(params, {-1.0, -1.0, 0.0}, &out); // outside the first centre
    EXPECT_DOUBLE_EQ(out, 3.0);
    f.features<double>(params, {-5.0, -7.0, 0.0}, &out); // far outside the box
    EXPECT_DOUBLE_EQ(out, 3.0);
    EXPECT_EQ(levelResolution(128, 1), 64u);
    EXPECT_EQ(levelResolution(3, 2), 2u);
}

TEST(TriplaneField, BadConfig) {
    TriplaneConfig c;
    c.resolution = 1;
    EXPECT_THROW(TriplaneField{c}, nerva::Error);
    c = {};
    c.levels = 4;
    EXPECT_THROW(TriplaneField{c}, nerva::Error);
    EXPECT_THROW(parseFieldKind("nerf", "x"), nerva::Error);
    EXPECT_EQ(parseFieldKind("occupancy", "x"), FieldKind::Occupancy);
}

} // namespace
