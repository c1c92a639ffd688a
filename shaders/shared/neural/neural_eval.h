// The neural material's evaluation (Zeltner et al., "Real-Time Neural
// Appearance Models"), one source for the GPU and the CPU: latent fetch,
// learned shading frames, decoder (f cos) and the importance sampler's
// network (-> sampler_mixture.h). The CPU trainer's model of the same maths is
// neural/material/neural_model.h; neural/material/neural_eval_cpu.h builds
// these records from .nmat assets and runs this file on the CPU, and
// renderer/gpu/gpu_neural.h uploads the same records for the GPU.
//
// Per query, directions in tangent space (z = normal, unit, away from the surface):
//   level   = neuralLatentLevel(material, footprint, u)  stochastic, between
//             the two levels around log2(footprint * size0)
//   latent  = neuralFetchLatent(view, material, uv, level)  8 floats, bilinear,
//             repeat; texture A holds channels 0-3, texture B 4-7
//   f cos   = neuralEval(view, material, latent, wo, wi)   (rgb, >= 0)
//   sampler = neuralSamplerMixture(view, material, latent, wo), then
//             samplerMixtureSample / samplerMixturePdf (sampler_mixture.h)
//
// Networks (.nmat, docs/nmat-format.md): one float array for all materials;
// a network is its layers one after the other, each W[out][in] row-major then
// bias[out] (the frames layer has no bias). "frames" 8 -> 12 (linear),
// "decoder" 20 -> hidden (ReLU) -> 3 (exp(x - 3)), "sampler" 11 -> hidden
// (ReLU) -> 9 (linear). Hidden widths are per material (runtime values read
// from the record); activations live in fixed arrays of NERVA_NEURAL_MAX_WIDTH
// floats, a compile-time #define (DESIGN.md §3: specialisation by #define;
// the pipelines here take no VkSpecializationInfo). Widths are loop bounds
// read from the record, unless the includer defines
// NERVA_NEURAL_{DECODER,SAMPLER}_{HIDDEN,WIDTH} (GLSL only): then they are
// compile-time constants, which the path tracer does when every material of
// the scene shares one shape (renderer/pathtracer/path_tracer.h).
// NERVA_NEURAL_FP16=1 (GLSL only; needs shaderFloat16, and the includer
// enables GL_EXT_shader_explicit_arithmetic_types_float16) runs the DECODER's
// hidden-to-hidden layers in float16_t (inputs and weights converted on read,
// products in fp16, sums in fp32 like fp16 matrix units); its first layer
// and its output layer stay fp32. Against fp32, f cos moves by 2.8e-4
// relative on average, 4.6e-3 at the 99.9th percentile, 7.6e-3 at most
// (tests/gpu/test_neural_gpu.cpp on lavapipe). Every layer in fp16 gave
// 5.7e-4 / 9.5e-3 / 1.7e-2 (fp16 sums too: 1.3e-3 / 2.3e-2 / 4.2e-2); the
// largest share is the rounding of the first layer's inputs (latents and
// projected directions, fp16 inputs with exact products alone: 1.4e-2 max),
// then the output before exp(). For 2x32 that leaves 1024 of 1760
// multiply-adds in fp16, for 3x64 8192 of 9664. The frames layer and the
// sampler network stay fp32: the sampler's outputs are exponentiated into
// lobe widths, and in fp16 its pdf moved by up to 76%.
//
// Accessors: shared code reads records and weights only through
// NERVA_NEURAL_* macros on a NeuralView, whose fields have the same names in
// both languages:
//   GLSL: NeuralView is GpuNeuralView (buffer device addresses); includers
//         enable GL_EXT_buffer_reference, GL_EXT_scalar_block_layout,
//         GL_EXT_shader_explicit_arithmetic_types_int64 and
//         GL_EXT_nonuniform_qualifier first. Latents are read with textureLod
//         from the bindless array NERVA_NEURAL_LATENT_ARRAY (default: this
//         file declares `sampler2D neuralLatents[]` at set
//         NERVA_NEURAL_LATENT_SET, binding NERVA_NEURAL_LATENT_BINDING, both 0;
//         define NERVA_NEURAL_LATENT_ARRAY to reuse an array of your own).
//         The sampler must be linear, mipmap mode nearest, repeat, no anisotropy.
//   C++:  NeuralView holds host pointers; the latent images are float RGBA
//         texels filtered here exactly like LatentPyramid::lookup.
// Lavapipe filters RGBA16F in fp32, so both agree to float rounding; GPUs
// with fixed-point filter weights (8 fractional bits is the Vulkan minimum)
// differ by up to 1/512 of a texel-to-texel latent step.
#ifndef NERVA_SHARED_NEURAL_NEURAL_EVAL_H
#define NERVA_SHARED_NEURAL_NEURAL_EVAL_H

#include "sampler_mixture.h"

#ifndef NERVA_NEURAL_MAX_WIDTH
#define NERVA_NEURAL_MAX_WIDTH 64
#endif

NERVA_SHARED_BEGIN

NERVA_CONST uint kNeuralMaxWidth = NERVA_NEURAL_MAX_WIDTH; // widest layer input/output
NERVA_CONST uint kNeuralMaxHidden = 4;                     // hidden layers per network
NERVA_CONST uint kNeuralLatentChannels = 8;
NERVA_CONST uint kNeuralFrameOutputs = 12;  // the frames layer's outputs (delta)
NERVA_CONST uint kNeuralDecoderInputs = 20; // latent + 12 direction features
NERVA_CONST uint kNeuralSamplerInputs = 11; // latent + wo
NERVA_CONST uint kNeuralSamplerOutputs = 9; // sampler_mixture.h's raw parameters
NERVA_CONST float kNeuralFrameEpsilon = 1e-12f;

// One neural material (80 bytes; std430 and scalar layouts agree: only 4-byte
// scalars and two uvec4 at 16-byte offsets).
//   offset  0  framesOffset    first float of the "frames" network in the weight buffer
//   offset  4  decoderOffset   first float of the "decoder"
//   offset  8  samplerOffset   first float of the "sampler"
//   offset 12  latentLevels    mip levels (= .nmat levels), >= 1
//   offset 16  latentTextureA  index in the latent texture array: channels 0-3
//   offset 20  latentTextureB  index: channels 4-7
//   offset 24  latentWidth     texels of level 0 (powers of two)
//   offset 28  latentHeight
//   offset 32  decoderHidden   hidden layers of the decoder, 1..kNeuralMaxHidden
//   offset 36  samplerHidden   hidden layers of the sampler, 1..kNeuralMaxHidden
//   offset 40  pad0, pad1
//   offset 48  decoderWidth    widths of the decoder's hidden layers (unused: 0)
//   offset 64  samplerWidth    widths of the sampler's hidden layers (unused: 0)
struct GpuNeuralMaterial {
    uint framesOffset;
    uint decoderOffset;
    uint samplerOffset;
    uint latentLevels;
    uint latentTextureA;
    uint latentTextureB;
    uint latentWidth;
    uint latentHeight;
    uint decoderHidden;
    uint samplerHidden;
    uint pad0;
    uint pad1;
    uvec4 decoderWidth;
    uvec4 samplerWidth;
};

// Addresses of the neural material set on the GPU (16 bytes).
struct GpuNeuralView {
    uint64_t materials; // GpuNeuralMaterial[]
    uint64_t weights;   // float[]: every material's networks
};

// The latent code of one shading point (8 channels).
struct NeuralLatent {
    vec4 a; // channels 0-3
    vec4 b; // channels 4-7
};

NERVA_SHARED_END

#ifdef __cplusplus
#include <cstddef>
namespace nerva::shared {
static_assert(kNeuralMaxWidth >= kNeuralDecoderInputs, "activations hold the decoder's input");
// A latent texture on the CPU: RGBA float texels, level 0 first, each level
// halved (power-of-two sizes), rows at v = (y + 1/2) / height.
struct NeuralLatentImage {
    const vec4* texels;
    uint width;
    uint height;
    uint levels;
};
struct NeuralView {
    const GpuNeuralMaterial* materials;
    const float* weights;
    const NeuralLatentImage* latents; // latents[t - latentBase] is texture t
    uint latentBase;
};
static_assert(sizeof(GpuNeuralMaterial) == 80, "GpuNeuralMaterial must match its GLSL layout");
static_assert(offsetof(GpuNeuralMaterial, decoderWidth) == 48);
static_assert(offsetof(GpuNeuralMaterial, samplerWidth) == 64);
static_assert(sizeof(GpuNeuralView) == 16, "GpuNeuralView must match its GLSL layout");
} // namespace nerva::shared
#define NERVA_NEURAL_MATERIAL(view, m) ((view).materials[(m)])
#define NERVA_NEURAL_WEIGHT(view, i) ((view).weights[(i)])
#define NERVA_NEURAL_UNUSED(x) (void)(x)
#else
layout(buffer_reference, scalar) readonly buffer NeuralMaterialRef {
    GpuNeuralMaterial records[];
};
layout(buffer_reference, scalar) readonly buffer NeuralWeightsRef {
    float w[];
};
#define NeuralView GpuNeuralView
#define NERVA_NEURAL_UNUSED(x)
#define NERVA_NEURAL_MATERIAL(view, m) (NeuralMaterialRef((view).materials).records[(m)])
#define NERVA_NEURAL_WEIGHT(view, i) (NeuralWeightsRef((view).weights).w[(i)])
#ifndef NERVA_NEURAL_LATENT_ARRAY
#ifndef NERVA_NEURAL_LATENT_SET
#define NERVA_NEURAL_LATENT_SET 0
#endif
#ifndef NERVA_NEURAL_LATENT_BINDING
#define NERVA_NEURAL_LATENT_BINDING 0
#endif
layout(set = NERVA_NEURAL_LATENT_SET,
       binding = NERVA_NEURAL_LATENT_BINDING) uniform sampler2D neuralLatents[];
#define NERVA_NEURAL_LATENT_ARRAY neuralLatents
#endif
#if defined(NERVA_NEURAL_FP16) && NERVA_NEURAL_FP16
#define NERVA_NEURAL_HALF_DECODER 1
#endif
#endif

// Specialised shapes (constant widths) unroll the layers completely, so the
// activations live in registers instead of an indexed array (the includer
// enables GL_EXT_control_flow_attributes); generic ones keep the loops.
#if !defined(__cplusplus) && defined(NERVA_NEURAL_DECODER_HIDDEN) &&                               \
    defined(NERVA_NEURAL_SAMPLER_HIDDEN)
#define NERVA_NEURAL_UNROLL [[unroll]]
#else
#define NERVA_NEURAL_UNROLL
#endif

NERVA_SHARED_BEGIN

// The activations of one layer (the first `width` entries are used).
struct NeuralActivations {
    float v[NERVA_NEURAL_MAX_WIDTH];
};

// ---- level of detail and latent fetch ----

// The renderer's stochastic level choice (material::stochasticLatentLevel):
// lod = log2(footprint * size0) (footprint in uv units; 0 or non-finite: the
// finest level) clamped to [0, levels - 1]; with frac = lod - floor(lod) the
// next coarser level when u < frac, else floor(lod), so E[level] = lod.
NERVA_FN uint neuralLatentLevel(GpuNeuralMaterial m, float footprint, float u) {
    float size0 = float(max(m.latentWidth, m.latentHeight));
    float lod = (footprint > 0.0f && footprint < 1e30f) ? log2(footprint * size0) : 0.0f;
    lod = clamp(lod, 0.0f, float(m.latentLevels - 1u));
    float f = floor(lod);
    uint level = uint(f);
    return (u < lod - f && level + 1u < m.latentLevels) ? level + 1u : level;
}

#ifdef __cplusplus
// Bilinear lookup of level `level` of a CPU latent image (texel centres at
// (i + 1/2) / size, repeat), with LatentPyramid::lookup's float arithmetic.
NERVA_FN vec4 neuralLatentTexel(const NeuralLatentImage& img, vec2 uv, uint level) {
    level = min(level, img.levels - 1u);
    const vec4* t = img.texels;
    int w = int(img.width), h = int(img.height);
    for (uint k = 0u; k < level; ++k) {
        t += size_t(w) * size_t(h);
        w = max(w / 2, 1);
        h = max(h / 2, 1);
    }
    float sx = uv.x * float(w) - 0.5f, sy = uv.y * float(h) - 0.5f;
    float f0x = floor(sx), f0y = floor(sy);
    float fx = sx - f0x, fy = sy - f0y;
    auto wrap = [](int i, int n) { return (i % n + n) % n; };
    int x0 = wrap(int(f0x), w), y0 = wrap(int(f0y), h);
    int x1 = wrap(x0 + 1, w), y1 = wrap(y0 + 1, h);
    return mix(mix(t[y0 * w + x0], t[y0 * w + x1], fx), mix(t[y1 * w + x0], t[y1 * w + x1], fx),
               fy);
}
#endif

// The latent at (uv, level): one bilinear fetch per texture.
NERVA_FN NeuralLatent neuralFetchLatent(NeuralView v, GpuNeuralMaterial m, vec2 uv, uint level) {
    NeuralLatent z;
#ifdef __cplusplus
    z.a = neuralLatentTexel(v.latents[m.latentTextureA - v.latentBase], uv, level);
    z.b = neuralLatentTexel(v.latents[m.latentTextureB - v.latentBase], uv, level);
#else
    z.a = textureLod(NERVA_NEURAL_LATENT_ARRAY[nonuniformEXT(m.latentTextureA)], uv, float(level));
    z.b = textureLod(NERVA_NEURAL_LATENT_ARRAY[nonuniformEXT(m.latentTextureB)], uv, float(level));
#endif
    return z;
}

// ---- networks ----

// y = W x (+ b) for W at `offset` (nOut x nIn, row-major, bias after it);
// ReLU when `relu`. `fp16` (only in a NERVA_NEURAL_FP16 build): inputs,
// weights and products in float16_t, sums in fp32.
NERVA_FN NeuralActivations neuralDense(NeuralView v, uint offset, uint nIn, uint nOut, bool bias,
                                       bool relu, bool fp16, NeuralActivations x) {
    NeuralActivations y;
#ifndef NERVA_NEURAL_HALF_DECODER
    NERVA_NEURAL_UNUSED(fp16);
#endif
    NERVA_NEURAL_UNROLL for (uint o = 0u; o < nOut; ++o) {
        uint row = offset + o * nIn;
        float s = bias ? NERVA_NEURAL_WEIGHT(v, offset + nOut * nIn + o) : 0.0f;
#ifdef NERVA_NEURAL_HALF_DECODER
        if (fp16) {
            // fp16 products, fp32 sums (what fp16 matrix units do).
            NERVA_NEURAL_UNROLL for (uint i = 0u; i < nIn; ++i) s +=
                float(float16_t(NERVA_NEURAL_WEIGHT(v, row + i)) * float16_t(x.v[i]));
        } else
#endif
            NERVA_NEURAL_UNROLL for (uint i = 0u; i < nIn; ++i) s +=
                NERVA_NEURAL_WEIGHT(v, row + i) * x.v[i];
        y.v[o] = relu ? max(s, 0.0f) : s;
    }
    return y;
}

// An MLP with `hidden` ReLU layers of widths w[0..hidden-1] and a linear
// output layer of nOut, all with bias, starting at `offset`.
NERVA_FN NeuralActivations neuralMlp(NeuralView v, uint offset, uint nIn, uint hidden, uvec4 w,
                                     uint nOut, bool fp16, NeuralActivations x) {
    NERVA_NEURAL_UNROLL for (uint l = 0u; l <= hidden; ++l) {
        uint n = l < hidden ? w[l] : nOut;
        // fp16 only between hidden layers: the first layer's inputs (latents,
        // projected directions) and the output before exp() carry most of the
        // fp16 error (tests/gpu/test_neural_gpu.cpp).
        x = neuralDense(v, offset, nIn, n, true, l < hidden, fp16 && l > 0u && l < hidden, x);
        offset += nIn * n + n;
        nIn = n;
    }
    return x;
}

// The latent as the first 8 inputs of a network.
NERVA_FN NeuralActivations neuralInputs(NeuralLatent z) {
    NeuralActivations x;
    for (uint k = 0u; k < 4u; ++k) {
        x.v[k] = z.a[k];
        x.v[k + 4u] = z.b[k];
    }
    return x;
}

// ---- learned shading frames (neural/material/shading_frames.h) ----

// normalize(wo + wi); (0, 0, 1) when wo = -wi.
NERVA_FN vec3 neuralHalfVector(vec3 wo, vec3 wi) {
    vec3 s = wo + wi;
    float len2 = dot(s, s);
    return len2 > 1e-12f ? s / sqrt(len2) : vec3(0.0f, 0.0f, 1.0f);
}

// Frame k from delta (dn = d[6k..6k+2], dt = d[6k+3..6k+5]):
//   n = normalize(e_z + dn), t = Gram-Schmidt of e_x + dt against n, b = n x t
// and the 6 features (a.t, a.b, a.n, c.t, c.b, c.n) written at x[at..at+5].
NERVA_FN void neuralFrameFeatures(NeuralActivations d, uint k, vec3 a, vec3 c,
                                  NERVA_INOUT(NeuralActivations) x, uint at) {
    uint o = 6u * k;
    vec3 nRaw = vec3(d.v[o], d.v[o + 1u], d.v[o + 2u] + 1.0f);
    vec3 n = nRaw / sqrt(max(dot(nRaw, nRaw), kNeuralFrameEpsilon));
    vec3 tRaw = vec3(d.v[o + 3u] + 1.0f, d.v[o + 4u], d.v[o + 5u]);
    vec3 u = tRaw - n * dot(tRaw, n);
    vec3 t = u / sqrt(max(dot(u, u), kNeuralFrameEpsilon));
    vec3 b = cross(n, t);
    vec3 p = vec3(dot(a, t), dot(a, b), dot(a, n));
    vec3 q = vec3(dot(c, t), dot(c, b), dot(c, n));
    for (uint i = 0u; i < 3u; ++i) {
        x.v[at + i] = p[i];
        x.v[at + 3u + i] = q[i];
    }
}

// ---- the material ----

// f cos (rgb) for directions wo (toward the viewer) and wi (tangent space).
NERVA_FN vec3 neuralEval(NeuralView v, GpuNeuralMaterial m, NeuralLatent z, vec3 wo, vec3 wi) {
    NeuralActivations x = neuralInputs(z);
    NeuralActivations delta = neuralDense(v, m.framesOffset, kNeuralLatentChannels,
                                          kNeuralFrameOutputs, false, false, false, x);
    vec3 h = neuralHalfVector(wo, wi);
    neuralFrameFeatures(delta, 0u, h, wo, x, kNeuralLatentChannels);
    neuralFrameFeatures(delta, 1u, h, wi, x, kNeuralLatentChannels + 6u);
#if !defined(__cplusplus) && defined(NERVA_NEURAL_DECODER_HIDDEN)
    uint hidden = NERVA_NEURAL_DECODER_HIDDEN; // specialised: every material has this shape
    uvec4 widths = uvec4(NERVA_NEURAL_DECODER_WIDTH);
#else
    uint hidden = m.decoderHidden;
    uvec4 widths = m.decoderWidth;
#endif
    NeuralActivations y =
        neuralMlp(v, m.decoderOffset, kNeuralDecoderInputs, hidden, widths, 3u, true, x);
    return exp(vec3(y.v[0], y.v[1], y.v[2]) - 3.0f);
}

// The sampler network's 9 raw outputs (v[0..8]) for the latent and wo.
NERVA_FN NeuralActivations neuralSamplerRaw(NeuralView v, GpuNeuralMaterial m, NeuralLatent z,
                                            vec3 wo) {
    NeuralActivations x = neuralInputs(z);
    x.v[8] = wo.x;
    x.v[9] = wo.y;
    x.v[10] = wo.z;
#if !defined(__cplusplus) && defined(NERVA_NEURAL_SAMPLER_HIDDEN)
    uint hidden = NERVA_NEURAL_SAMPLER_HIDDEN;
    uvec4 widths = uvec4(NERVA_NEURAL_SAMPLER_WIDTH);
#else
    uint hidden = m.samplerHidden;
    uvec4 widths = m.samplerWidth;
#endif
    return neuralMlp(v, m.samplerOffset, kNeuralSamplerInputs, hidden, widths,
                     kNeuralSamplerOutputs, false, x);
}

// The importance sampler's mixture for the latent and wo.
NERVA_FN SamplerMixture neuralSamplerMixture(NeuralView v, GpuNeuralMaterial m, NeuralLatent z,
                                             vec3 wo) {
    NeuralActivations r = neuralSamplerRaw(v, m, z, wo);
    return samplerMixtureFromRaw(vec3(r.v[0], r.v[1], r.v[2]), vec3(r.v[3], r.v[4], r.v[5]),
                                 vec3(r.v[6], r.v[7], r.v[8]));
}

NERVA_SHARED_END

#endif
