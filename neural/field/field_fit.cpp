// The tri-plane fitter (field_fit.h): sample pools, the training step and the
// learning-rate schedule. Options JSON, checkpoints and the .ntri export are
// in field_fit_io.cpp.
#include "neural/field/field_fit.h"

#include "neural/core/error.h"
#include "neural/field/mesh_bvh.h"
#include "neural/nn/pcg32.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace nerva::field {

namespace {

constexpr size_t kFitChunkRows = 256; // fixed: the result must not depend on threads
constexpr size_t kPoolChunk = 4096;

// A 64-bit mix (splitmix64's finaliser) for per-(iteration, chunk) seeds.
uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A standard normal from two uniforms (Box-Muller).
float gaussian(nn::Pcg32& rng) {
    const float u1 = 1.0f - rng.uniform(); // (0, 1]
    const float u2 = rng.uniform();
    return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.28318530718f * u2);
}

} // namespace

struct FieldFitter::Pools {
    // Points (3 floats) and signed, clamped targets (field units).
    std::vector<float> surface, near, uniform;
    std::vector<float> nearTarget, uniformTarget;
};

struct FieldFitter::Scratch {
    struct Chunk {
        FieldWorkspace<float> ws;
        std::vector<float> xyz, target, raw, dRaw, mlpGrad;
        double loss = 0.0;
    };
    std::vector<Chunk> chunks;
    std::vector<float> grad;
    std::vector<double> tvLoss; // per plane
};

TriplaneConfig FitOptions::fieldConfig() const {
    TriplaneConfig c;
    c.kind = kind;
    c.resolution = resolution;
    c.channels = channels;
    c.levels = levels;
    c.hidden = hidden;
    c.truncation = truncation;
    return c;
}

namespace {

const FitOptions& checked(const FitOptions& o, const std::string& where) {
    if (o.kind == FieldKind::DensityColor)
        throw errorAt(where, "a density_color field cannot be fitted from a mesh (it has no "
                             "colours); use --kind sdf or occupancy");
    validateTriplaneConfig(o.fieldConfig(), where);
    if (o.iterations == 0) throw errorAt(where, "--iterations must be at least 1");
    if (o.batch == 0) throw errorAt(where, "--batch must be at least 1");
    if (o.poolSize == 0) throw errorAt(where, "the sample pools must not be empty");
    if (!(o.margin >= 0.0f && o.margin < 1.0f)) throw errorAt(where, "margin outside [0, 1)");
    if (!(o.surfaceFraction >= 0.0f && o.uniformFraction >= 0.0f &&
          o.surfaceFraction + o.uniformFraction <= 1.0f))
        throw errorAt(where, "sample fractions must be >= 0 and sum to at most 1");
    if (o.nearSigmas.empty() && o.surfaceFraction + o.uniformFraction < 1.0f)
        throw errorAt(where, "near-surface samples need at least one width");
    if (!(o.planeTv >= 0.0f) || !(o.lrPlanes > 0.0f) || !(o.lrMlp > 0.0f))
        throw errorAt(where, "learning rates must be positive and the TV weight >= 0");
    return o;
}

TriangleMesh normalised(const TriangleMesh& mesh, float margin, FieldTransform& t,
                        const std::string& where) {
    validateMesh(mesh, where);
    TriangleMesh m = mesh;
    removeDegenerateTriangles(m, where);
    t = normaliseToBox(m, margin);
    return m;
}

} // namespace

FieldFitter::FieldFitter(const TriangleMesh& mesh, FitOptions options, const std::string& where)
    : opt_(checked(options, where)), mesh_(normalised(mesh, opt_.margin, transform_, where)),
      winding_(std::make_unique<FastWindingNumber>(mesh_)), field_(opt_.fieldConfig(), opt_.seed),
      scratch_(std::make_unique<Scratch>()) {
    const unsigned threads =
        opt_.threads ? opt_.threads : std::max(1u, std::thread::hardware_concurrency());
    pool_ = std::make_unique<nn::ThreadPool>(threads);
    for (uint32_t l = 0; l < opt_.levels; ++l)
        for (uint32_t k = 0; k < kPlaneCount; ++k)
            adam_.emplace_back(size_t(field_.resolution(l)) * field_.resolution(l) * opt_.channels);
    adam_.emplace_back(field_.mlp().parameterCount());
    scratch_->grad.assign(field_.parameterCount(), 0.0f);
    buildPools();
}

FieldFitter::~FieldFitter() = default;

void FieldFitter::buildPools() {
    pools_ = std::make_unique<Pools>();
    Pools& p = *pools_;
    const size_t n = opt_.poolSize;
    std::vector<glm::vec3> pts;
    std::vector<uint32_t> tris;
    sampleSurface(mesh_, n, mix(opt_.seed ^ 0x5375726661636531ULL), pts, tris);
    p.surface.resize(3 * n);
    for (size_t i = 0; i < n; ++i)
        for (int c = 0; c < 3; ++c)
            p.surface[3 * i + size_t(c)] = pts[i][c];

    const size_t widths = opt_.nearSigmas.size();
    p.near.resize(3 * n * widths);
    p.nearTarget.resize(n * widths);
    p.uniform.resize(3 * n);
    p.uniformTarget.resize(n);
    const float tau = opt_.truncation;
    const MeshBvh& bvh = winding_->bvh();
    auto target = [&](glm::vec3 q) {
        const float d = std::sqrt(bvh.closestPoint(q).distanceSquared);
        const float s = winding_->inside(q) ? -d : d;
        return std::clamp(s, -tau, tau);
    };
    // Fixed chunks with their own PCG32 streams: independent of the threads.
    const size_t nearPoints = n * widths, total = nearPoints + n;
    const size_t chunks = (total + kPoolChunk - 1) / kPoolChunk;
    pool_->parallelFor(chunks, [&](size_t c) {
        nn::Pcg32 rng(mix(opt_.seed ^ 0x4e656172ULL), 2 * c + 1);
        for (size_t i = c * kPoolChunk; i < std::min(total, (c + 1) * kPoolChunk); ++i) {
            glm::vec3 q;
            if (i < nearPoints) {
                const float sigma = opt_.nearSigmas[i / n];
                q = pts[i % n] + sigma * glm::vec3(gaussian(rng), gaussian(rng), gaussian(rng));
            } else {
                q = glm::vec3(rng.uniform(-1.0f, 1.0f), rng.uniform(-1.0f, 1.0f),
                              rng.uniform(-1.0f, 1.0f));
            }
            q = glm::clamp(q, glm::vec3(-1.0f), glm::vec3(1.0f));
            float* dst = i < nearPoints ? &p.near[3 * i] : &p.uniform[3 * (i - nearPoints)];
            dst[0] = q.x, dst[1] = q.y, dst[2] = q.z;
            (i < nearPoints ? p.nearTarget[i] : p.uniformTarget[i - nearPoints]) = target(q);
        }
    });
}

std::array<float, 2> FieldFitter::learningRates(uint64_t it) const {
    nn::CosineSchedule s;
    s.lrMax = 1.0f;
    s.lrMin = opt_.lrMinFraction;
    s.warmupSteps = size_t(std::min<uint64_t>(opt_.warmup, opt_.iterations / 4));
    s.totalSteps = size_t(opt_.iterations);
    const float f = s(size_t(it));
    return {opt_.lrPlanes * f, opt_.lrMlp * f};
}

double FieldFitter::step() {
    if (done()) throw Error("fit: fitting is already complete");
    Scratch& k = *scratch_;
    const Pools& p = *pools_;
    const size_t n = opt_.batch, chunks = (n + kFitChunkRows - 1) / kFitChunkRows;
    if (k.chunks.size() < chunks) k.chunks.resize(chunks);
    const uint32_t O = field_.outputs();
    const std::span<const float> params(field_.parameters());
    const size_t nNear = p.nearTarget.size(), nPool = opt_.poolSize;
    const bool sdf = opt_.kind == FieldKind::Sdf;
    const double invN = 1.0 / double(n);

    pool_->parallelFor(chunks, [&](size_t c) {
        Scratch::Chunk& ch = k.chunks[c];
        const size_t first = c * kFitChunkRows, rows = std::min(n, first + kFitChunkRows) - first;
        ch.xyz.resize(3 * rows);
        ch.target.resize(rows);
        ch.raw.resize(rows * O);
        ch.dRaw.assign(rows * O, 0.0f);
        ch.mlpGrad.assign(field_.mlp().parameterCount(), 0.0f);
        nn::Pcg32 rng(mix(opt_.seed + 0x1000193ULL * iteration_), 2 * c + 1);
        for (size_t r = 0; r < rows; ++r) {
            const float u = rng.uniform();
            const float* src;
            if (u < opt_.surfaceFraction) {
                src = &p.surface[3 * (rng.next() % nPool)];
                ch.target[r] = 0.0f;
            } else if (u < opt_.surfaceFraction + opt_.uniformFraction || nNear == 0) {
                const size_t j = rng.next() % nPool;
                src = &p.uniform[3 * j];
                ch.target[r] = p.uniformTarget[j];
            } else {
                const size_t j = rng.next() % nNear;
                src = &p.near[3 * j];
                ch.target[r] = p.nearTarget[j];
            }
            ch.xyz[3 * r] = src[0], ch.xyz[3 * r + 1] = src[1], ch.xyz[3 * r + 2] = src[2];
        }
        field_.forward<float>(params, ch.xyz.data(), rows, ch.ws, ch.raw.data());
        ch.loss = 0.0;
        for (size_t r = 0; r < rows; ++r) {
            const float y = ch.raw[r * O], t = ch.target[r];
            if (sdf) {
                ch.loss += std::abs(double(y) - t) * invN;
                ch.dRaw[r * O] = float((y > t ? 1.0 : y < t ? -1.0 : 0.0) * invN);
            } else {
                // BCE with logits: softplus(y) - o y, d/dy = sigmoid(y) - o.
                const float o = t < 0.0f ? 1.0f : t > 0.0f ? 0.0f : 0.5f;
                const double sp = y > 0.0f ? y + std::log1p(std::exp(-double(y)))
                                           : std::log1p(std::exp(double(y)));
                ch.loss += (sp - double(o) * y) * invN;
                ch.dRaw[r * O] = float((1.0 / (1.0 + std::exp(-double(y))) - o) * invN);
            }
        }
        field_.backwardMlp<float>(params, ch.ws, ch.dRaw.data(), rows, ch.mlpGrad);
    });

    // Reductions in a fixed order: MLP chunk by chunk, planes each in row order.
    std::fill(k.grad.begin(), k.grad.end(), 0.0f);
    double loss = 0.0;
    float* mlpGrad = k.grad.data() + field_.mlpOffset();
    for (size_t c = 0; c < chunks; ++c) {
        loss += k.chunks[c].loss;
        const std::vector<float>& g = k.chunks[c].mlpGrad;
        for (size_t j = 0; j < g.size(); ++j)
            mlpGrad[j] += g[j];
    }
    const uint32_t planes = opt_.levels * kPlaneCount;
    const uint32_t C = opt_.channels;
    k.tvLoss.assign(planes, 0.0);
    const std::array<float, 2> lr = learningRates(iteration_);
    pool_->parallelFor(planes + 1, [&](size_t q) {
        if (q == planes) { // the MLP's update needs only its own, finished gradient
            adam_.back().step(std::span<float>(field_.parameters()).subspan(field_.mlpOffset()),
                              std::span<const float>(k.grad).subspan(field_.mlpOffset()), lr[1]);
            return;
        }
        const uint32_t level = uint32_t(q) / kPlaneCount;
        const Plane plane = Plane(q % kPlaneCount);
        for (size_t c = 0; c < chunks; ++c) {
            const size_t rows = std::min(n, (c + 1) * kFitChunkRows) - c * kFitChunkRows;
            field_.scatterPlane<float>(level, plane, k.chunks[c].xyz.data(),
                                       k.chunks[c].ws.dFeatures.data(), rows, k.grad.data());
        }
        const size_t offset = field_.planeOffset(level, plane);
        const uint32_t R = field_.resolution(level);
        const size_t count = size_t(R) * R * C;
        float* g = k.grad.data() + offset;
        const float* f = field_.parameters().data() + offset;
        if (opt_.planeTv > 0.0f) {
            // TV: w / pairs * sum (f[a] - f[b])^2 over u- and v-neighbours.
            const double w = double(opt_.planeTv) / (2.0 * R * (R - 1));
            double tv = 0.0;
            for (uint32_t v = 0; v < R; ++v)
                for (uint32_t u = 0; u < R; ++u) {
                    const size_t a = (size_t(v) * R + u) * C;
                    for (int axis = 0; axis < 2; ++axis) {
                        if ((axis == 0 ? u : v) + 1 >= R) continue;
                        const size_t b = a + (axis == 0 ? C : size_t(R) * C);
                        for (uint32_t ch = 0; ch < C; ++ch) {
                            const float d = f[a + ch] - f[b + ch];
                            tv += double(d) * d;
                            const float gd = float(2.0 * w) * d;
                            g[a + ch] += gd;
                            g[b + ch] -= gd;
                        }
                    }
                }
            k.tvLoss[q] = w * tv;
        }
        adam_[q].step(std::span<float>(field_.parameters()).subspan(offset, count),
                      std::span<const float>(k.grad).subspan(offset, count), lr[0]);
    });
    // Each task above reads and writes only its own plane (or the MLP), so
    // the order in which the tasks ran does not matter.
    lossEma_ = iteration_ == 0 ? loss : 0.98 * lossEma_ + 0.02 * loss;
    lastLoss_ = loss;
    lastLr_ = lr[0];
    ++iteration_;
    return loss;
}

FitProgress FieldFitter::progress() const {
    FitProgress p;
    p.iteration = iteration_;
    p.total = opt_.iterations;
    p.loss = lastLoss_;
    p.lossEma = lossEma_;
    p.lr = lastLr_;
    return p;
}

FieldMetrics FieldFitter::evaluate(const FieldMetricOptions& m) const {
    return evaluateFieldMetrics(field_, mesh_, *winding_, m, pool_.get());
}

} // namespace nerva::field
