// Gradient checks of the training core (neural/nn): central finite
// differences in double against Mlp::backward and the losses' analytic
// gradients. The double instantiation is the same template code as the
// float training path; FloatPathMatchesDouble ties the two together.
#include "neural/nn/losses.h"
#include "neural/nn/mlp.h"
#include "neural/nn/pcg32.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nerva::nn {
namespace {

// |a - n| <= 1e-6 max(|a|, |n|) + a tiny floor for gradients that vanish
// (dead ReLU units give exactly 0 both ways).
void expectClose(double analytic, double numeric, const std::string& what) {
    const double tol = 1e-6 * std::max(std::fabs(analytic), std::fabs(numeric)) + 1e-10;
    EXPECT_NEAR(analytic, numeric, tol) << what;
}

// Which side of its kink every piecewise part of the loss is on (the signs
// of the ReLU/leaky outputs, of log(1+y) - log(1+t) for L1): a difference
// quotient across a kink measures nothing.
using KinkPattern = std::vector<bool>;
using PatternFn = std::function<KinkPattern()>;

// Fourth-order central difference of f around v[k]:
//   f' ~ (8 (f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h,
// truncation O(h^4), so h = 1e-4 keeps the rounding error of the loss
// (~1e-16 |L| / h) far below the 1e-6 relative tolerance; the plain 2-point
// difference with h = 1e-6 left ~1e-10, too much for the smallest
// gradients. When a stencil point crosses a kink (pattern changes), h
// shrinks to 1e-6; if that crosses one too, no value (the caller counts).
std::optional<double> centralDiff(std::vector<double>& v, size_t k,
                                  const std::function<double()>& f, const PatternFn& pattern = {}) {
    const double x0 = v[k];
    f();
    const KinkPattern base = pattern ? pattern() : KinkPattern{};
    for (double rel : {1e-4, 1e-6}) {
        const double h = rel * std::max(1.0, std::fabs(x0));
        bool crossed = false;
        auto at = [&](double dx) {
            v[k] = x0 + dx;
            const double value = f();
            if (pattern && pattern() != base) crossed = true;
            return value;
        };
        const double d1 = at(h) - at(-h), d2 = at(2.0 * h) - at(-2.0 * h);
        v[k] = x0;
        if (!crossed) return (8.0 * d1 - d2) / (12.0 * h);
    }
    return std::nullopt;
}

// Compares analytic[k] with the difference quotient for every k; allows at
// most 1% of the points to be skipped for sitting on a kink.
void checkAll(const std::vector<double>& analytic, std::vector<double>& v,
              const std::function<double()>& f, const PatternFn& pattern, const char* what) {
    size_t skipped = 0;
    for (size_t k = 0; k < v.size(); ++k) {
        const std::optional<double> numeric = centralDiff(v, k, f, pattern);
        if (numeric)
            expectClose(analytic[k], *numeric, what + std::string(" ") + std::to_string(k));
        else
            ++skipped;
    }
    EXPECT_LE(skipped * 100, v.size()) << what << ": " << skipped << " on kinks";
}

std::vector<double> randomVector(size_t n, uint64_t seed, float lo, float hi) {
    Pcg32 rng(seed);
    std::vector<double> v(n);
    for (double& x : v)
        x = rng.uniform(lo, hi);
    return v;
}

std::vector<double> initialParams(const Mlp& mlp, uint64_t seed) {
    std::vector<float> p(mlp.parameterCount());
    mlp.initialise(p, seed);
    // Biases are 0 after initialisation; give them values so their effect
    // on the forward pass is exercised too.
    Pcg32 rng(seed + 1);
    for (size_t l = 0; l < mlp.layers().size(); ++l)
        if (mlp.layers()[l].bias)
            for (size_t o = 0; o < mlp.layers()[l].out; ++o)
                p[mlp.offsets(l).bias + o] = rng.uniform(-0.3f, 0.3f);
    return {p.begin(), p.end()};
}

// Signs of all stored activations: covers every ReLU/leaky kink (at 0),
// plus harmless extras (inputs, smooth layers) that only make a check
// fall back to the smaller step.
KinkPattern positive(const std::vector<double>& values) {
    KinkPattern p(values.size());
    for (size_t k = 0; k < values.size(); ++k)
        p[k] = values[k] > 0.0;
    return p;
}

// Checks d L / d params and d L / d x of L = sum_k c_k y_k (c random), which
// exercises backward with an arbitrary dy.
void checkMlp(const Mlp& mlp, size_t batch, uint64_t seed) {
    SCOPED_TRACE(mlp.describe());
    std::vector<double> params = initialParams(mlp, seed);
    std::vector<double> x = randomVector(batch * mlp.inputs(), seed + 2, -1.0f, 1.0f);
    const std::vector<double> c = randomVector(batch * mlp.outputs(), seed + 3, -1.0f, 1.0f);
    MlpWorkspace<double> ws;
    std::vector<double> y(batch * mlp.outputs());
    auto loss = [&] {
        mlp.forward<double>(params, x.data(), batch, ws, y.data());
        double s = 0.0;
        for (size_t k = 0; k < y.size(); ++k)
            s += c[k] * y[k];
        return s;
    };
    loss();
    std::vector<double> dparams(params.size(), 0.0), dx(x.size(), -7.0);
    mlp.backward<double>(params, ws, c.data(), batch, dparams, dx.data());
    const PatternFn pattern = [&] { return positive(ws.acts); };
    checkAll(dparams, params, loss, pattern, "param");
    checkAll(dx, x, loss, pattern, "input");
}

TEST(NnGradients, DecoderExp3WithBias) {
    // 37 rows: two blocks, the second padded.
    checkMlp(Mlp::chain({20, 32, 32, 3}, Activation::ReLU, Activation::Exp3), 37, 11);
}

TEST(NnGradients, EveryActivationWithAndWithoutBias) {
    for (Activation hidden :
         {Activation::None, Activation::ReLU, Activation::LeakyReLU, Activation::Exp3})
        for (Activation output : {Activation::None, Activation::Exp3, Activation::LeakyReLU})
            for (bool bias : {true, false})
                checkMlp(Mlp::chain({5, 9, 7, 3}, hidden, output, bias), 33, 23);
}

TEST(NnGradients, MixedLayersAndSingleRow) {
    // A bias-free first layer (like the learned shading frames), mixed
    // activations, one input and one output.
    const Mlp mlp({{1, 12, false, Activation::None},
                   {12, 16, true, Activation::LeakyReLU},
                   {16, 1, true, Activation::ReLU}});
    checkMlp(mlp, 1, 5);
    checkMlp(mlp, 64, 6);
}

TEST(NnGradients, Losses) {
    const size_t n = 13, ch = 3, batchSize = 20; // a chunk of a larger batch
    std::vector<double> pred = randomVector(n * ch, 31, 0.01f, 3.0f);
    const std::vector<double> target = randomVector(n * ch, 32, 0.0f, 3.0f);
    std::vector<double> weights = randomVector(n, 33, 0.1f, 2.0f);
    std::vector<double> grad(pred.size());

    const PatternFn l1Kinks = [&] {
        KinkPattern p(pred.size());
        for (size_t k = 0; k < pred.size(); ++k)
            p[k] = pred[k] > target[k];
        return p;
    };
    l1LogLoss(pred.data(), target.data(), n, ch, batchSize, grad.data());
    checkAll(
        grad, pred,
        [&] { return l1LogLoss<double>(pred.data(), target.data(), n, ch, batchSize, nullptr); },
        l1Kinks, "l1 log");
    l2Loss(pred.data(), target.data(), n, ch, batchSize, grad.data());
    checkAll(
        grad, pred,
        [&] { return l2Loss<double>(pred.data(), target.data(), n, ch, batchSize, nullptr); }, {},
        "l2");

    std::vector<double> logPdf = randomVector(n, 34, -3.0f, 2.0f);
    std::vector<double> dLogPdf(n);
    nllLoss(logPdf.data(), weights.data(), n, batchSize, dLogPdf.data());
    for (size_t k = 0; k < n; ++k)
        expectClose(dLogPdf[k], -weights[k] / double(batchSize), "nll closed form");
    checkAll(
        dLogPdf, logPdf,
        [&] { return nllLoss<double>(logPdf.data(), weights.data(), n, batchSize, nullptr); }, {},
        "nll");
    // Unit weights when none are given; value = -mean(log q) over the batch.
    const double v = nllLoss<double>(logPdf.data(), nullptr, n, n, grad.data());
    double mean = 0.0;
    for (double l : logPdf)
        mean += l / double(n);
    EXPECT_NEAR(v, -mean, 1e-12);
    EXPECT_DOUBLE_EQ(grad[0], -1.0 / double(n));
}

TEST(NnGradients, LossValues) {
    const float p[2] = {std::exp(1.0f) - 1.0f, 0.0f}, t[2] = {0.0f, 3.0f};
    float g[2];
    // |log(e) - log(1)| + |log(1) - log(4)|, over a batch of 2 rows x 1 channel.
    EXPECT_NEAR(l1LogLoss(p, t, 2, 1, 2, g), (1.0 + std::log(4.0)) / 2.0, 1e-6);
    EXPECT_NEAR(g[0], 0.5f / std::exp(1.0f), 1e-7);
    EXPECT_FLOAT_EQ(g[1], -0.5f);
    EXPECT_NEAR(l2Loss(p, t, 1, 2, 1, g), std::pow(std::exp(1.0) - 1.0, 2.0) + 9.0, 1e-5);
}

TEST(NnGradients, EndToEndL1LogThroughDecoder) {
    const Mlp mlp = Mlp::chain({20, 32, 32, 3}, Activation::ReLU, Activation::Exp3);
    const size_t batch = 40;
    std::vector<double> params = initialParams(mlp, 41);
    const std::vector<double> x = randomVector(batch * 20, 42, -1.0f, 1.0f);
    const std::vector<double> target = randomVector(batch * 3, 43, 0.0f, 0.5f);
    MlpWorkspace<double> ws;
    std::vector<double> y(batch * 3), dy(batch * 3);
    auto loss = [&] {
        mlp.forward<double>(params, x.data(), batch, ws, y.data());
        return l1LogLoss<double>(y.data(), target.data(), batch, 3, batch, nullptr);
    };
    mlp.forward<double>(params, x.data(), batch, ws, y.data());
    l1LogLoss<double>(y.data(), target.data(), batch, 3, batch, dy.data());
    std::vector<double> dparams(params.size(), 0.0);
    mlp.backward<double>(params, ws, dy.data(), batch, dparams, nullptr);
    const PatternFn kinks = [&] {
        KinkPattern p = positive(ws.acts);
        for (size_t k = 0; k < y.size(); ++k)
            p.push_back(y[k] > target[k]);
        return p;
    };
    checkAll(dparams, params, loss, kinks, "param");
}

// The float training path is the same template as the checked double one;
// run both on identical inputs and compare to float precision.
TEST(NnGradients, FloatPathMatchesDouble) {
    const Mlp mlp = Mlp::chain({20, 32, 32, 3}, Activation::ReLU, Activation::Exp3);
    const size_t batch = 70;
    const std::vector<double> pd = initialParams(mlp, 51);
    const std::vector<double> xd = randomVector(batch * 20, 52, -1.0f, 1.0f);
    const std::vector<double> dyd = randomVector(batch * 3, 53, -1.0f, 1.0f);
    const std::vector<float> pf(pd.begin(), pd.end()), xf(xd.begin(), xd.end()),
        dyf(dyd.begin(), dyd.end());
    MlpWorkspace<double> wsd;
    MlpWorkspace<float> wsf;
    std::vector<double> yd(batch * 3), gd(pd.size(), 0.0), dxd(xd.size());
    std::vector<float> yf(batch * 3), gf(pd.size(), 0.0f), dxf(xd.size());
    mlp.forward<double>(pd, xd.data(), batch, wsd, yd.data());
    mlp.forward<float>(pf, xf.data(), batch, wsf, yf.data());
    mlp.backward<double>(pd, wsd, dyd.data(), batch, gd, dxd.data());
    mlp.backward<float>(pf, wsf, dyf.data(), batch, gf, dxf.data());
    auto scale = [](const auto& v) {
        double m = 0.0;
        for (auto e : v)
            m = std::max(m, std::fabs(double(e)));
        return m;
    };
    for (size_t k = 0; k < yd.size(); ++k)
        EXPECT_NEAR(yf[k], yd[k], 1e-5 * scale(yd));
    for (size_t k = 0; k < gd.size(); ++k)
        EXPECT_NEAR(gf[k], gd[k], 1e-5 * scale(gd));
    for (size_t k = 0; k < dxd.size(); ++k)
        EXPECT_NEAR(dxf[k], dxd[k], 1e-5 * scale(dxd));
}

} // namespace
} // namespace nerva::nn
