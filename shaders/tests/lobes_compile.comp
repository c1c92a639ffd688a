#version 460
// Compiles every header of shaders/shared/lobes as GLSL and uses each entry
// point once, so that the GPU build of the lobe library is checked
// (tests/gpu/test_lobes_glsl.cpp). Not dispatched by any test yet.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "shared/lobes/albedo_lookup.h"
#include "shared/lobes/dielectric_lobe.h"
#include "shared/lobes/diffuse.h"
#include "shared/lobes/fresnel.h"
#include "shared/lobes/ggx_aniso.h"
#include "shared/lobes/sheen.h"

layout(local_size_x = 1) in;

layout(push_constant, scalar) uniform Push {
    GpuAlbedoTables tables;
    vec3 wo;
    vec3 wi;
    vec2 u;
    float param;
}
pc;

layout(binding = 0, scalar) writeonly buffer Out {
    vec3 result;
};

void main() {
    vec3 acc = vec3(0.0);
    vec2 alpha = ggxAnisoAlpha(pc.param, 0.5);

    ConductorLobe c;
    c.f0 = vec3(0.9, 0.6, 0.3);
    c.f82Tint = vec3(0.9);
    c.alpha = alpha;
    LobeSample s = conductorSample(c, pc.wo, pc.u);
    acc += conductorEval(c, pc.wo, pc.wi) * conductorPdf(c, pc.wo, pc.wi) + s.weight * s.pdf;

    DielectricReflectionLobe d;
    d.eta = 1.5;
    d.alpha = alpha;
    s = dielectricReflectionSample(d, pc.wo, pc.u);
    acc +=
        vec3(dielectricReflectionEval(d, pc.wo, pc.wi) * dielectricReflectionPdf(d, pc.wo, pc.wi));
    acc += s.weight;

    s = lambertSample(vec3(0.5), pc.wo, pc.u);
    acc += lambertEval(vec3(0.5), pc.wo, pc.wi) * diffusePdf(pc.wo, pc.wi) + s.weight;
    OrenNayarLobe on;
    on.albedo = vec3(0.5);
    on.sigma = pc.param;
    s = orenNayarSample(on, pc.wo, pc.u);
    acc += orenNayarEval(on, pc.wo, pc.wi) + s.weight;

    SheenLobe sh;
    sh.color = vec3(1.0);
    sh.roughness = pc.param;
    s = sheenSample(sh, pc.wo, pc.u);
    acc += sheenEval(sh, pc.wo, pc.wi) * sheenPdf(pc.wo, pc.wi) + s.weight;

    acc += vec3(fresnelDielectric(pc.wo.z, pc.param), fresnelSchlickScalar(0.04, pc.wo.z),
                iorFromF0(f0FromIor(pc.param)));
    acc += fresnelF82Tint(vec3(0.9), vec3(0.8), pc.wo.z) + fresnelSchlick(vec3(0.04), pc.wi.z);
    acc += vec3(
        ggxAnisoVisibleNormalPdf(pc.wo, ggxAnisoSampleVisibleNormal(pc.wo, alpha, pc.u), alpha));
    acc += vec3(albedoLookupGgx(pc.tables, pc.wo.z, pc.param),
                albedoLookupDielectric(pc.tables, pc.wo.z, pc.param, 1.5),
                albedoNodeCos(1u) + albedoNodeRoughness(2u) + albedoNodeIor(3u));
    result = acc;
}
