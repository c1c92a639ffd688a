// HDR environment lighting: an equirectangular radiance map, looked up and
// importance-sampled in proportion to luminance times solid angle. Written
// once for GLSL and C++.
//
// Mapping (+Y up, right-handed, glTF cameras look down -Z):
//   u = 0.5 + atan2(dir.x, -dir.z) / (2 pi)   in [0, 1); u = 0.5 faces -Z,
//                                            u = 0.75 faces +X, the seam
//                                            u = 0 (= 1) faces +Z
//   v = acos(dir.y) / pi                      in [0, 1]; v = 0 is +Y (the
//                                            image's top row), v = 1 is -Y
//   dir = (sin(theta) sin(phi), cos(theta), -sin(theta) cos(phi)),
//   theta = v pi, phi = (u - 0.5) 2 pi
// Seen from inside the sphere the image is not mirrored: looking down -Z
// with +Y up, the image's right is to the right (+X).
//
// Rotation: GpuEnvMap.rotation (radians) turns the map right-handed about +Y,
// world = Ry(rotation) local. Every function below takes and returns world
// directions and applies it; uv are always the map's own coordinates.
// Intensity is not part of the map: callers multiply radiance by it (the pdf
// does not change).
//
// Sampling distribution. Texel (x, y) (row 0 at the top) is chosen with
// probability proportional to (L + floor) * solidAngle(x, y), L its
// luminance; floor = kEnvFloorFraction * (mean luminance over the sphere),
// so that every direction has pdf > 0 (a black map gets floor 1: uniform).
// Inside the texel the direction is uniform in solid angle: u linear, cos(theta)
// linear between the row's edges (not v linear). Hence the pdf is constant on
// each texel, there is no 1/sin(theta) spike at the poles, and the 1x1
// constant map is exactly uniform sphere sampling, pdf 1/(4 pi).
// In uv terms: the tables hold the piecewise-constant function
//   func(x, y) = (L + floor) * sinMean(y),  sinMean(y) = mean of sin(theta) on row y,
// integral = mean of func over [0,1]^2, and
//   pdf_dir = pdf_uv / (2 pi^2 sin(theta)) = func(x, y) / (integral 2 pi^2 sinMean(y)).
// Rows are chosen by the marginal CDF (height + 1 floats, 0 ... 1), columns by
// the row's conditional CDF (width + 1 floats, 0 ... 1), each by binary search
// with a continuous offset inside the interval found.
//
// Tables (all float, tightly packed, row 0 = top):
//   radiance        3 * width * height   linear RGB, texel (x, y) at 3 (y width + x)
//   func            width * height
//   marginalCdf     height + 1
//   conditionalCdf  height * (width + 1), row y at y (width + 1)
// They come from renderer/scene/environment_map.cpp (width, height >= 1,
// integral > 0); nothing here checks bounds.
//
// Accessor scheme. The math below reads the tables only through
// NERVA_ENV_READ(tables, field, index), and the tables come in as one value
// of type EnvTables whose fields have the same names in both languages:
//   GLSL: EnvTables is GpuEnvMap, the host/device record below (buffer device
//         addresses); NERVA_ENV_READ reads EnvFloatRef(tables.field).v[index].
//         Includers enable GL_EXT_buffer_reference, GL_EXT_scalar_block_layout
//         and GL_EXT_shader_explicit_arithmetic_types_int64 first (as
//         pathtrace/common.glsl does).
//   C++:  EnvTables holds `const float*` into host memory (see
//         renderer/scene/environment_map.h, EnvironmentMap::tables());
//         NERVA_ENV_READ indexes the pointer. The C++ side fills GpuEnvMap
//         with device addresses for upload.
#ifndef NERVA_SHARED_ENV_SAMPLING_H
#define NERVA_SHARED_ENV_SAMPLING_H

#include "prelude.h"

NERVA_SHARED_BEGIN

// Host/device record of an uploaded environment map (scalar layout, 48 bytes).
struct GpuEnvMap {
    uint64_t radiance;       // float[3 * width * height]
    uint64_t func;           // float[width * height]
    uint64_t marginalCdf;    // float[height + 1]
    uint64_t conditionalCdf; // float[height * (width + 1)]
    uint width;
    uint height;
    float integral; // mean of func over [0,1]^2
    float rotation; // radians, right-handed about +Y
};

NERVA_CONST float kEnvFloorFraction = 0.001f; // pdf floor, relative to the mean luminance
NERVA_CONST uint kEnvMaxSize = 16384u;        // largest width or height accepted
NERVA_CONST uint kEnvMarginal = 0xffffffffu;  // "row" meaning the marginal CDF

NERVA_SHARED_END

#ifdef __cplusplus
namespace nerva::shared {
using glm::acos;
using glm::asin;
// Host view of the same tables (pointers instead of device addresses).
struct EnvTables {
    const float* radiance = nullptr;
    const float* func = nullptr;
    const float* marginalCdf = nullptr;
    const float* conditionalCdf = nullptr;
    uint width = 0;
    uint height = 0;
    float integral = 0.0f;
    float rotation = 0.0f;
};
static_assert(sizeof(GpuEnvMap) == 48, "GpuEnvMap must match its GLSL scalar layout");
} // namespace nerva::shared
#define NERVA_ENV_READ(tables, field, index) ((tables).field[(index)])
#else
layout(buffer_reference, scalar) readonly buffer EnvFloatRef {
    float v[];
};
#define EnvTables GpuEnvMap
#define NERVA_ENV_READ(tables, field, index) (EnvFloatRef((tables).field).v[(index)])
#endif

NERVA_SHARED_BEGIN

struct EnvSample {
    vec3 dir;      // world direction, unit
    float pdf;     // per unit solid angle; 0 only for an empty map
    vec2 uv;       // map coordinates of the sample (before rotation)
    vec3 radiance; // the map's radiance in dir (caller applies intensity)
};

struct EnvEval {
    vec3 radiance;
    float pdf;
};

// ---- mapping ------------------------------------------------------------------

NERVA_FN vec2 envDirToUv(vec3 dir) {
    float u = 0.5f + atan2(dir.x, -dir.z) * (0.5f * kInvPi);
    if (u >= 1.0f) u -= 1.0f;
    float v = acos(clamp(dir.y, -1.0f, 1.0f)) * kInvPi;
    return vec2(u, v);
}

NERVA_FN vec3 envUvToDir(vec2 uv) {
    float phi = (uv.x - 0.5f) * kTwoPi;
    float theta = uv.y * kPi;
    float s = sin(theta);
    return vec3(s * sin(phi), cos(theta), -s * cos(phi));
}

// Ry(angle) d: right-handed rotation about +Y.
NERVA_FN vec3 envRotateY(vec3 d, float angle) {
    float c = cos(angle);
    float s = sin(angle);
    return vec3(c * d.x + s * d.z, d.y, c * d.z - s * d.x);
}

// Mean of sin(theta) over row y of `height` rows:
// (cos(theta_top) - cos(theta_bottom)) / (pi / height), written stably.
NERVA_FN float envRowSinMean(uint y, uint height) {
    float dTheta = kPi / float(height);
    return 2.0f * sin((float(y) + 0.5f) * dTheta) * sin(0.5f * dTheta) / dTheta;
}

// ---- table access (the only place that reads memory) ----------------------------

NERVA_FN uvec2 envTexelOf(EnvTables t, vec2 uv) {
    uint x = min(uint(max(uv.x, 0.0f) * float(t.width)), t.width - 1u);
    uint y = min(uint(max(uv.y, 0.0f) * float(t.height)), t.height - 1u);
    return uvec2(x, y);
}

NERVA_FN vec3 envRadianceTexel(EnvTables t, uint x, uint y) {
    uint i = 3u * (y * t.width + x);
    return vec3(NERVA_ENV_READ(t, radiance, i), NERVA_ENV_READ(t, radiance, i + 1u),
                NERVA_ENV_READ(t, radiance, i + 2u));
}

NERVA_FN float envFunc(EnvTables t, uint x, uint y) {
    return NERVA_ENV_READ(t, func, y * t.width + x);
}

// Entry i of the marginal CDF (row == kEnvMarginal) or of row `row`'s conditional CDF.
NERVA_FN float envCdf(EnvTables t, uint row, uint i) {
    if (row == kEnvMarginal) return NERVA_ENV_READ(t, marginalCdf, i);
    return NERVA_ENV_READ(t, conditionalCdf, row * (t.width + 1u) + i);
}

// ---- sampling -------------------------------------------------------------------

// The interval i in [0, n) of a CDF with n + 1 entries (cdf[0] = 0, cdf[n] = 1)
// such that cdf[i] <= u < cdf[i + 1]; never an empty interval for u < 1.
NERVA_FN uint envSearchCdf(EnvTables t, uint row, uint n, float u) {
    uint lo = 0u;
    uint hi = n;
    while (hi - lo > 1u) {
        uint mid = (lo + hi) >> 1u;
        if (envCdf(t, row, mid) <= u)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

// Where u falls inside [cdf[i], cdf[i + 1]), in [0, 1].
NERVA_FN float envCdfOffset(EnvTables t, uint row, uint i, float u) {
    float c0 = envCdf(t, row, i);
    float c1 = envCdf(t, row, i + 1u);
    return c1 > c0 ? clamp((u - c0) / (c1 - c0), 0.0f, 1.0f) : 0.5f;
}

// pdf per unit solid angle of any direction inside texel (x, y).
NERVA_FN float envTexelPdf(EnvTables t, uint x, uint y) {
    if (!(t.integral > 0.0f)) return 0.0f;
    return (envFunc(t, x, y) / t.integral) / (2.0f * kPi * kPi * envRowSinMean(y, t.height));
}

// A world direction with pdf proportional to luminance (plus the floor) per
// solid angle. u2.y picks the row (marginal CDF), u2.x the column.
NERVA_FN EnvSample envSampleDirection(EnvTables t, vec2 u2) {
    float ux = min(u2.x, 0.99999994f);
    float uy = min(u2.y, 0.99999994f);
    uint y = envSearchCdf(t, kEnvMarginal, t.height, uy);
    float ty = envCdfOffset(t, kEnvMarginal, y, uy);
    uint x = envSearchCdf(t, y, t.width, ux);
    float tx = envCdfOffset(t, y, x, ux);

    // cos(theta) linear in ty between the row's edges, computed relative to
    // the nearer pole (1 -/+ cos(theta) = 2 sin^2 or 2 cos^2 of theta/2) so
    // thin rows near the poles keep their precision.
    float halfStep = 0.5f * kPi / float(t.height);
    float theta;
    float cosTheta;
    float sinTheta;
    if (2u * y + 1u <= t.height) {
        float a = sin(float(y) * halfStep);
        float b = sin(float(y + 1u) * halfStep);
        float vers = 2.0f * mix(a * a, b * b, ty); // 1 - cos(theta)
        cosTheta = 1.0f - vers;
        sinTheta = sqrt(max(vers * (2.0f - vers), 0.0f));
        theta = 2.0f * asin(min(sqrt(0.5f * vers), 1.0f));
    } else {
        float a = cos(float(y) * halfStep);
        float b = cos(float(y + 1u) * halfStep);
        float cover = 2.0f * mix(a * a, b * b, ty); // 1 + cos(theta)
        cosTheta = cover - 1.0f;
        sinTheta = sqrt(max(cover * (2.0f - cover), 0.0f));
        theta = kPi - 2.0f * asin(min(sqrt(0.5f * cover), 1.0f));
    }
    float u = (float(x) + tx) / float(t.width);
    float phi = (u - 0.5f) * kTwoPi;
    vec3 local = vec3(sinTheta * sin(phi), cosTheta, -sinTheta * cos(phi));

    EnvSample s;
    s.dir = envRotateY(local, t.rotation);
    s.pdf = envTexelPdf(t, x, y);
    s.uv = vec2(u, theta * kInvPi);
    s.radiance = envRadianceTexel(t, x, y);
    return s;
}

// The texel a world direction falls in.
NERVA_FN uvec2 envTexelOfDir(EnvTables t, vec3 dir) {
    return envTexelOf(t, envDirToUv(envRotateY(dir, -t.rotation)));
}

// pdf per unit solid angle that envSampleDirection produces `dir` with.
NERVA_FN float envPdf(EnvTables t, vec3 dir) {
    uvec2 p = envTexelOfDir(t, dir);
    return envTexelPdf(t, p.x, p.y);
}

// Radiance arriving from `dir` (nearest texel, the same piecewise-constant
// function the pdf follows).
NERVA_FN vec3 envLookup(EnvTables t, vec3 dir) {
    uvec2 p = envTexelOfDir(t, dir);
    return envRadianceTexel(t, p.x, p.y);
}

// Bilinearly filtered radiance (wrapping around in u, clamped in v), for what
// the camera and paths see. Sampling stays piecewise constant (envPdf): the
// estimator is unbiased for any radiance function as long as the pdf is > 0
// wherever it is, which the pdf floor guarantees.
NERVA_FN vec3 envLookupBilinear(EnvTables t, vec3 dir) {
    vec2 uv = envDirToUv(envRotateY(dir, -t.rotation));
    float x = uv.x * float(t.width) - 0.5f;
    float y = uv.y * float(t.height) - 0.5f;
    float fx0 = floor(x);
    float fy0 = floor(y);
    float ax = x - fx0;
    float ay = y - fy0;
    int w = int(t.width);
    int h = int(t.height);
    int x0 = ((int(fx0) % w) + w) % w;
    int x1 = (x0 + 1) % w;
    int y0 = clamp(int(fy0), 0, h - 1);
    int y1 = clamp(int(fy0) + 1, 0, h - 1);
    vec3 top =
        mix(envRadianceTexel(t, uint(x0), uint(y0)), envRadianceTexel(t, uint(x1), uint(y0)), ax);
    vec3 bottom =
        mix(envRadianceTexel(t, uint(x0), uint(y1)), envRadianceTexel(t, uint(x1), uint(y1)), ax);
    return mix(top, bottom, ay);
}

// Both at once, for a path that escaped (MIS needs the pdf of the light strategy).
NERVA_FN EnvEval envEvaluate(EnvTables t, vec3 dir) {
    uvec2 p = envTexelOfDir(t, dir);
    EnvEval e;
    e.radiance = envRadianceTexel(t, p.x, p.y);
    e.pdf = envTexelPdf(t, p.x, p.y);
    return e;
}

NERVA_SHARED_END

#endif
