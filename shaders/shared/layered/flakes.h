// Procedural metallic flakes at sub-texel scale (the `flakes` layer).
//
// The uv plane is cut into square cells, `density` per uv unit. A hash of the
// cell decides whether it holds a flake (probability = coverage) and draws
// the flake's normal from an isotropic GGX distribution of normals with alpha
// = spread around the base normal; the flake reflects like a small GGX
// conductor (its own roughness, Schlick with f0 = flake colour) in its own
// frame. Seen from afar, the flakes under one footprint average to their
// aggregate: coverage times a GGX lobe about the base normal with
// alpha = sqrt(roughness_alpha^2 + spread^2) (the convolution of two GGX
// slope distributions, approximately). The layer blends from the single
// flake to the aggregate as the footprint grows from 1 to 8 cells
// (flakeAggregateBlend), so coarse levels of detail see the filtered BRDF.
#ifndef NERVA_SHARED_LAYERED_FLAKES_H
#define NERVA_SHARED_LAYERED_FLAKES_H

#include "../rng.h"
#include "../sampling.h"

NERVA_SHARED_BEGIN

struct FlakeCell {
    float present; // 1 when the cell holds a flake, else 0
    vec3 normal;   // the flake's normal in the base frame (z = base normal)
};

// The flake of the cell holding uv.
NERVA_FN FlakeCell flakeCellAt(vec2 uv, float density, float coverage, float spread) {
    vec2 cell = floor(uv * density);
    uint h = pcgHash(pcgHash(uint(int(cell.x))) ^ uint(int(cell.y)));
    float u0 = float(h >> 8u) * (1.0f / 16777216.0f);
    h = pcgHash(h);
    float u1 = float(h >> 8u) * (1.0f / 16777216.0f);
    h = pcgHash(h);
    float u2 = float(h >> 8u) * (1.0f / 16777216.0f);
    FlakeCell f;
    f.present = u0 < coverage ? 1.0f : 0.0f;
    // GGX normal distribution: tan^2(theta) = alpha^2 u / (1 - u).
    float a = max(spread, 1e-4f);
    float tan2 = a * a * u1 / max(1.0f - u1, 1e-6f);
    float cosTheta = inversesqrt(1.0f + tan2);
    float sinTheta = sqrt(max(0.0f, 1.0f - cosTheta * cosTheta));
    float phi = kTwoPi * u2;
    f.normal = vec3(sinTheta * cos(phi), sinTheta * sin(phi), cosTheta);
    return f;
}

// 0 while the footprint covers at most one cell, 1 from 8 cells on (linear
// in log2 of the number of cells across the footprint).
NERVA_FN float flakeAggregateBlend(float footprint, float density) {
    float cells = footprint * density;
    if (!(cells > 1.0f)) return 0.0f;
    return saturate(log2(cells) * (1.0f / 3.0f));
}

NERVA_SHARED_END

#endif
