// Sampling building blocks shared by every BSDF: orthonormal frames, cosine
// hemisphere, GGX (Trowbridge-Reitz) with Smith height-correlated masking and
// visible-normal sampling (Heitz 2018), and the power heuristic for MIS.
// Local frames have the normal on +z; directions point away from the surface.
#ifndef NERVA_SHARED_SAMPLING_H
#define NERVA_SHARED_SAMPLING_H

#include "prelude.h"

NERVA_SHARED_BEGIN

struct Frame {
    vec3 t;
    vec3 b;
    vec3 n;
};

// Branchless orthonormal basis around a unit normal (Duff et al. 2017).
NERVA_FN Frame frameFromNormal(vec3 n) {
    float s = n.z >= 0.0f ? 1.0f : -1.0f;
    float a = -1.0f / (s + n.z);
    float b = n.x * n.y * a;
    Frame f;
    f.t = vec3(1.0f + s * n.x * n.x * a, s * b, -s * n.x);
    f.b = vec3(b, s + n.y * n.y * a, -n.y);
    f.n = n;
    return f;
}

// Frame from a normal and an approximate tangent (Gram-Schmidt).
NERVA_FN Frame frameFromNormalTangent(vec3 n, vec3 t, float handedness) {
    vec3 tt = t - n * dot(n, t);
    float len2 = dot(tt, tt);
    if (!(len2 > 1e-12f)) return frameFromNormal(n);
    Frame f;
    f.n = n;
    f.t = tt * inversesqrt(len2);
    f.b = cross(n, f.t) * handedness;
    return f;
}

NERVA_FN vec3 toLocal(Frame f, vec3 v) {
    return vec3(dot(v, f.t), dot(v, f.b), dot(v, f.n));
}
NERVA_FN vec3 toWorld(Frame f, vec3 v) {
    return f.t * v.x + f.b * v.y + f.n * v.z;
}

NERVA_FN vec3 sampleCosineHemisphere(vec2 u) {
    float r = sqrt(u.x);
    float phi = kTwoPi * u.y;
    return vec3(r * cos(phi), r * sin(phi), sqrt(max(0.0f, 1.0f - u.x)));
}
NERVA_FN float pdfCosineHemisphere(float cosTheta) {
    return max(cosTheta, 0.0f) * kInvPi;
}

// Isotropic GGX normal distribution D(h) for alpha = roughness^2.
NERVA_FN float ggxD(float cosThetaH, float alpha) {
    float a2 = alpha * alpha;
    float c2 = cosThetaH * cosThetaH;
    float d = c2 * (a2 - 1.0f) + 1.0f;
    return a2 / (kPi * d * d);
}

// Smith Lambda for GGX: G1 = 1 / (1 + Lambda).
NERVA_FN float ggxLambda(float cosTheta, float alpha) {
    float c2 = cosTheta * cosTheta;
    float tan2 = max(1.0f - c2, 0.0f) / max(c2, 1e-12f);
    return 0.5f * (-1.0f + sqrt(1.0f + alpha * alpha * tan2));
}
NERVA_FN float ggxG1(float cosTheta, float alpha) {
    return 1.0f / (1.0f + ggxLambda(cosTheta, alpha));
}
NERVA_FN float ggxG2(float cosO, float cosI, float alpha) {
    return 1.0f / (1.0f + ggxLambda(cosO, alpha) + ggxLambda(cosI, alpha));
}

// Samples a visible normal for view direction wo (local, wo.z > 0).
NERVA_FN vec3 sampleGgxVisibleNormal(vec3 wo, float alpha, vec2 u) {
    vec3 vh = normalize(vec3(alpha * wo.x, alpha * wo.y, wo.z));
    float lensq = vh.x * vh.x + vh.y * vh.y;
    vec3 t1 = lensq > 0.0f ? vec3(-vh.y, vh.x, 0.0f) * inversesqrt(lensq) : vec3(1.0f, 0.0f, 0.0f);
    vec3 t2 = cross(vh, t1);
    float r = sqrt(u.x);
    float phi = kTwoPi * u.y;
    float p1 = r * cos(phi);
    float p2 = r * sin(phi);
    float s = 0.5f * (1.0f + vh.z);
    p2 = (1.0f - s) * sqrt(max(0.0f, 1.0f - p1 * p1)) + s * p2;
    vec3 nh = t1 * p1 + t2 * p2 + vh * sqrt(max(0.0f, 1.0f - p1 * p1 - p2 * p2));
    return normalize(vec3(alpha * nh.x, alpha * nh.y, max(1e-6f, nh.z)));
}

// pdf of wi = reflect(-wo, h) under visible-normal sampling.
NERVA_FN float pdfGgxReflection(vec3 wo, vec3 h, float alpha) {
    return ggxG1(wo.z, alpha) * ggxD(h.z, alpha) / (4.0f * wo.z);
}

NERVA_FN float powerHeuristic(float pdfA, float pdfB) {
    float a = pdfA * pdfA;
    float b = pdfB * pdfB;
    return a + b > 0.0f ? a / (a + b) : 0.0f;
}

NERVA_SHARED_END

#endif
