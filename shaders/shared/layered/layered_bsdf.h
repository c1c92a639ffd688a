// eval, pdf and sample of the reference layered material at a LayeredPoint
// (layered_fetch.h), in the surface's tangent frame (z = interpolated normal).
//
// Lobes, with their mixing weights (opaque layers cover what lies below by
// their coverage k, transmissive layers couple by layered_coupling.h):
//   0 diffuse     (1 - k_f)(1 - c_m) * Oren-Nayar/Lambert * diffuse coupling
//   1 specular    (1 - k_f)(1 - c_m) w_s tint * dielectric reflection * glossy coupling
//   2 conductor   (1 - k_f) c_m * F82-tint GGX * glossy coupling
//   3 flake cell  k_cell * GGX about the cell's flake normal * glossy coupling
//   4 flake aggr. k_aggr * GGX about the base normal * glossy coupling
//   5 coat        w_c * dielectric reflection * sheen coupling
//   6 sheen       w_h colour * Charlie sheen
// with k_f = k_cell + k_aggr. Every lobe is evaluated in its own frame (a
// normal-mapped or flake normal n'); seen from the tangent-space normal n its
// BRDF is
//   f = f'(wo', wi') min(1, wi.n' / wi.n) min(1, wo.n' / wo.n),
// symmetric (so reciprocal) and never more energy than the lobe has in its
// own frame: int f wi.n dwi <= int f' wi.n' dwi' <= 1. (Plain f = f' gains
// up to 1 / cos(tilt) where a tilted flake faces the viewer.) eval() returns
// f cos(theta_i) like every BSDF here.
//
// sample() picks a lobe with probabilities proportional to an estimate of
// its albedo at wo (plus a floor, so no lobe that can reflect is never
// sampled), samples it, and returns eval / pdf with pdf() the full mixture
// pdf: the weight is exact, the choice only affects noise.
#ifndef NERVA_SHARED_LAYERED_LAYERED_BSDF_H
#define NERVA_SHARED_LAYERED_LAYERED_BSDF_H

#include "../lobes/dielectric_lobe.h"
#include "../lobes/diffuse.h"
#include "layered_coupling.h"

NERVA_SHARED_BEGIN

NERVA_CONST uint kLayeredLobeCount = 7u;

// A lobe's f' cos in its frame (directions o, i there) turned into
// f cos(theta_i) in tangent space (wo, wi), see above.
NERVA_FN vec3 layeredReframe(vec3 fcosLocal, vec3 o, vec3 i, vec3 wo, vec3 wi) {
    if (!(i.z > 1e-7f) || !(o.z > 0.0f)) return vec3(0.0f);
    return fcosLocal * (min(wi.z, i.z) / i.z) * min(1.0f, o.z / wo.z);
}

// A GGX conductor lobe evaluated in frame f, as f cos(theta_i) in tangent space.
NERVA_FN vec3 layeredConductorTerm(vec3 f0, vec3 tint, vec2 alpha, Frame f, vec3 wo, vec3 wi) {
    ConductorLobe c;
    c.f0 = f0;
    c.f82Tint = tint;
    c.alpha = alpha;
    vec3 o = toLocal(f, wo);
    vec3 i = toLocal(f, wi);
    return layeredReframe(conductorEval(c, o, i), o, i, wo, wi);
}

NERVA_FN vec3 sheenNormal(LayeredPoint p) {
    return p.coatWeight > 0.0f ? p.coatFrame.n : p.baseFrame.n;
}

// The transmissions at one direction (layered_coupling.h): the coat's T (per
// channel: absorption), the sheen's T and the diffuse base's t.
struct LayeredTransmission {
    vec3 coat;
    float sheen;
    vec3 diffuse;
};

NERVA_FN LayeredTransmission layeredTransmission(LayeredPoint p, AlbedoTables t, vec3 w) {
    LayeredTransmission r;
    float muBase = saturate(dot(w, p.baseFrame.n));
    r.coat = coatTransmission(p, t, saturate(dot(w, p.coatFrame.n)));
    r.sheen = sheenTransmission(p, t, saturate(dot(w, sheenNormal(p))));
    r.diffuse = specularTransmission(p, t, muBase) * r.coat * r.sheen;
    return r;
}

NERVA_FN vec3 layeredEval(LayeredPoint p, AlbedoTables t, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return vec3(0.0f);
    LayeredTransmission to = layeredTransmission(p, t, wo);
    LayeredTransmission ti = layeredTransmission(p, t, wi);
    vec3 sheenCoupling = vec3(min(to.sheen, ti.sheen));
    vec3 glossyCoupling = min(to.coat, ti.coat) * sheenCoupling;
    float kFlakes = p.flakeCellWeight + p.flakeAggregateWeight;
    float base = (1.0f - kFlakes) * (1.0f - p.conductorCoverage);
    vec3 sum = vec3(0.0f);

    Frame f = p.baseFrame;
    vec3 o = toLocal(f, wo);
    vec3 i = toLocal(f, wi);
    if (base > 0.0f && max(p.diffuseColor.x, max(p.diffuseColor.y, p.diffuseColor.z)) > 0.0f) {
        OrenNayarLobe d;
        d.albedo = p.diffuseColor;
        d.sigma = p.diffuseSigma;
        sum += base * layeredReframe(orenNayarEval(d, o, i), o, i, wo, wi) * to.diffuse *
               ti.diffuse * p.diffuseNorm;
    }
    if (p.flakeAggregateWeight > 0.0f)
        sum += p.flakeAggregateWeight *
               layeredConductorTerm(p.flakeColor, vec3(1.0f), p.flakeAggregateAlpha, f, wo, wi) *
               glossyCoupling;
    if (base * p.specularWeight > 0.0f) {
        f = p.specularFrame;
        o = toLocal(f, wo);
        i = toLocal(f, wi);
        DielectricReflectionLobe s;
        s.eta = p.specularEta;
        s.alpha = p.specularAlpha;
        sum += (base * p.specularWeight) * p.specularTint *
               layeredReframe(vec3(dielectricReflectionEval(s, o, i)), o, i, wo, wi) *
               glossyCoupling;
    }
    float conductorWeight = (1.0f - kFlakes) * p.conductorCoverage;
    if (conductorWeight > 0.0f)
        sum += conductorWeight *
               layeredConductorTerm(p.conductorF0, p.conductorTint, p.conductorAlpha,
                                    p.conductorFrame, wo, wi) *
               glossyCoupling;
    if (p.flakeCellWeight > 0.0f)
        sum += p.flakeCellWeight *
               layeredConductorTerm(p.flakeColor, vec3(1.0f), p.flakeAlpha, p.flakeFrame, wo, wi) *
               glossyCoupling;
    if (p.coatWeight > 0.0f) {
        f = p.coatFrame;
        o = toLocal(f, wo);
        i = toLocal(f, wi);
        DielectricReflectionLobe s;
        s.eta = p.coatEta;
        s.alpha = p.coatAlpha;
        sum += p.coatWeight *
               layeredReframe(vec3(dielectricReflectionEval(s, o, i)), o, i, wo, wi) *
               sheenCoupling;
    }
    if (p.sheenWeight > 0.0f) {
        f = frameFromNormal(sheenNormal(p));
        o = toLocal(f, wo);
        i = toLocal(f, wi);
        SheenLobe s;
        s.color = p.sheenColor;
        s.roughness = p.sheenRoughness;
        sum += p.sheenWeight * layeredReframe(sheenEval(s, o, i), o, i, wo, wi);
    }
    return sum;
}

// Lobe-selection probabilities at wo (sum 1; all 0 when nothing reflects).
struct LayeredLobeChoice {
    float p[kLayeredLobeCount];
};

NERVA_FN LayeredLobeChoice layeredLobeChoice(LayeredPoint p, AlbedoTables t, vec3 wo) {
    LayeredTransmission to = layeredTransmission(p, t, wo);
    float glossy = luminance(to.coat) * to.sheen;
    float kFlakes = p.flakeCellWeight + p.flakeAggregateWeight;
    float base = (1.0f - kFlakes) * (1.0f - p.conductorCoverage);
    float muBase = saturate(dot(wo, p.baseFrame.n));
    float muCoat = saturate(dot(wo, p.coatFrame.n));
    float muSheen = saturate(dot(wo, sheenNormal(p)));
    // Mixing weight of each lobe (non-zero iff the lobe can reflect) and an
    // estimate of its albedo at wo.
    float w[kLayeredLobeCount];
    float e[kLayeredLobeCount];
    w[0] = base * (luminance(p.diffuseColor) > 0.0f ? 1.0f : 0.0f);
    e[0] = luminance(p.diffuseColor) * luminance(to.diffuse);
    w[1] = base * p.specularWeight;
    e[1] = luminance(p.specularTint) *
           albedoLookupDielectric(t, muBase, p.specularRoughness, p.specularEta) * glossy;
    w[2] = (1.0f - kFlakes) * p.conductorCoverage;
    e[2] = luminance(p.conductorF0) * glossy;
    w[3] = p.flakeCellWeight;
    e[3] = luminance(p.flakeColor) * glossy;
    w[4] = p.flakeAggregateWeight;
    e[4] = e[3];
    w[5] = p.coatWeight;
    e[5] = albedoLookupDielectric(t, muCoat, p.coatRoughness, p.coatEta) * to.sheen;
    w[6] = p.sheenWeight;
    e[6] = luminance(p.sheenColor) * albedoLookupSheen(t, muSheen, p.sheenRoughness);
    LayeredLobeChoice c;
    float total = 0.0f;
    for (uint k = 0u; k < kLayeredLobeCount; ++k) {
        c.p[k] = w[k] > 0.0f ? w[k] * (e[k] + 1e-3f) : 0.0f;
        total += c.p[k];
    }
    for (uint k = 0u; k < kLayeredLobeCount; ++k)
        c.p[k] = total > 0.0f ? c.p[k] / total : 0.0f;
    return c;
}

// The frame lobe k is sampled in.
NERVA_FN Frame layeredLobeFrame(LayeredPoint p, uint k) {
    if (k == 1u) return p.specularFrame;
    if (k == 2u) return p.conductorFrame;
    if (k == 3u) return p.flakeFrame;
    if (k == 5u) return p.coatFrame;
    if (k == 6u) return frameFromNormal(sheenNormal(p));
    return p.baseFrame;
}

// Solid-angle pdf of lobe k's sampler (directions in the lobe's frame).
NERVA_FN float layeredLobePdf(LayeredPoint p, uint k, vec3 o, vec3 i) {
    if (k == 0u) return diffusePdf(o, i);
    if (k == 1u) return ggxAnisoReflectionPdf(o, i, p.specularAlpha);
    if (k == 2u) return ggxAnisoReflectionPdf(o, i, p.conductorAlpha);
    if (k == 3u) return ggxAnisoReflectionPdf(o, i, p.flakeAlpha);
    if (k == 4u) return ggxAnisoReflectionPdf(o, i, p.flakeAggregateAlpha);
    if (k == 5u) return ggxAnisoReflectionPdf(o, i, p.coatAlpha);
    return sheenPdf(o, i);
}

NERVA_FN float layeredPdfWithChoice(LayeredPoint p, LayeredLobeChoice c, vec3 wo, vec3 wi) {
    if (wo.z <= 0.0f || wi.z <= 0.0f) return 0.0f;
    float pdf = 0.0f;
    for (uint k = 0u; k < kLayeredLobeCount; ++k) {
        if (c.p[k] <= 0.0f) continue;
        Frame f = layeredLobeFrame(p, k);
        pdf += c.p[k] * layeredLobePdf(p, k, toLocal(f, wo), toLocal(f, wi));
    }
    return pdf;
}

NERVA_FN float layeredPdf(LayeredPoint p, AlbedoTables t, vec3 wo, vec3 wi) {
    return layeredPdfWithChoice(p, layeredLobeChoice(p, t, wo), wo, wi);
}

// u.x picks the lobe, u.yz drive it. The weight is eval / pdf.
NERVA_FN LobeSample layeredSample(LayeredPoint p, AlbedoTables t, vec3 wo, vec3 u) {
    LobeSample s = lobeSampleNone();
    if (wo.z <= 0.0f) return s;
    LayeredLobeChoice c = layeredLobeChoice(p, t, wo);
    uint k = 0u;
    float acc = 0.0f;
    for (uint j = 0u; j < kLayeredLobeCount; ++j) {
        if (c.p[j] <= 0.0f) continue;
        k = j;
        acc += c.p[j];
        if (u.x < acc) break;
    }
    if (!(c.p[k] > 0.0f)) return s;
    Frame f = layeredLobeFrame(p, k);
    vec3 o = toLocal(f, wo);
    if (o.z <= 0.0f) return s;
    vec2 uv = vec2(u.y, u.z);
    LobeSample l;
    if (k == 0u)
        l = lambertSample(vec3(1.0f), o, uv);
    else if (k == 6u) {
        SheenLobe sh;
        sh.color = vec3(1.0f);
        sh.roughness = p.sheenRoughness;
        l = sheenSample(sh, o, uv);
    } else {
        vec2 alpha = k == 1u   ? p.specularAlpha
                     : k == 2u ? p.conductorAlpha
                     : k == 3u ? p.flakeAlpha
                     : k == 4u ? p.flakeAggregateAlpha
                               : p.coatAlpha;
        l = ggxAnisoSampleReflection(o, alpha, uv);
    }
    if (!(l.pdf > 0.0f)) return s;
    vec3 wi = toWorld(f, l.wi);
    if (wi.z <= 0.0f) return s;
    float pdf = layeredPdfWithChoice(p, c, wo, wi);
    if (!(pdf > 0.0f)) return s;
    s.wi = wi;
    s.pdf = pdf;
    s.weight = layeredEval(p, t, wo, wi) / pdf;
    return s;
}

NERVA_SHARED_END

#endif
