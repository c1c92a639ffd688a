#version 460
// The batch decoder's cooperative-matrix path (renderer/gpu/neural_batch_decoder.h):
// the neural material's decoder MLP for a batch of queries of one material,
// each layer as fp16 x fp16 -> fp32 matrix products on the device's matrix
// units (GL_NV_cooperative_matrix; this glslang has no GL_KHR_cooperative_matrix).
//
// Each subgroup takes tiles of M queries (rows). Per tile:
//  1. scalar: every lane builds the 20 decoder inputs of its rows (latent,
//     frames layer in fp32 through the shared neuralDense, the 12 frame
//     features) and stores them as fp16 in the subgroup's part of `act`
//     (M rows x kActStride, zero-padded to a multiple of K);
//  2. per layer: for every N-wide column block of the outputs,
//     D = sum over K-wide blocks of act (M x K) * Wt (K x N), fp32 sums,
//     stored to the subgroup's `acc`; the weights are the host's fp16
//     transposed copies (row = input, column = output, zero-padded), so the
//     padding contributes exact zeros;
//  3. scalar: bias + ReLU from `acc` back into `act` as fp16 (the next
//     layer's A); after the output layer, exp(y - 3) = f cos to the results.
// Biases stay fp32 and are added to the fp32 sums, as fp16 matrix units do.
//
// Specialised by #define (all required): NERVA_COOP_HIDDEN_WIDTH,
// NERVA_COOP_HIDDEN_LAYERS (the material's decoder), NERVA_COOP_M/N/K (a
// shape the device lists, fp16 A/B, fp32 C/D, subgroup scope),
// NERVA_COOP_SUBGROUP_SIZE and NERVA_COOP_SUBGROUPS (subgroups per work
// group). gl_SubgroupID indexes the shared memory, so subgroups must be full:
// the work group is a multiple of the device's subgroupSize, which on the
// devices offering VK_NV_cooperative_matrix (NVIDIA) is fixed at 32.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_scalar_block_layout : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#extension GL_EXT_nonuniform_qualifier : require
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_memory_scope_semantics : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_NV_cooperative_matrix : require

#include "neural/decoder_batch_io.h"

const uint kWidth = NERVA_COOP_HIDDEN_WIDTH;
const uint kHidden = NERVA_COOP_HIDDEN_LAYERS;
const uint kM = NERVA_COOP_M;
const uint kN = NERVA_COOP_N;
const uint kK = NERVA_COOP_K;
const uint kSubgroupSize = NERVA_COOP_SUBGROUP_SIZE;
const uint kSubgroups = NERVA_COOP_SUBGROUPS;

// Padded widths: inputs of a layer to multiples of K, outputs to multiples of N
// (the host pads the fp16 matrices the same way: neural_batch_decoder.cpp).
const uint kInputsPad = (kNeuralDecoderInputs + kK - 1u) / kK * kK;
const uint kHiddenPadK = (kWidth + kK - 1u) / kK * kK;
const uint kHiddenPadN = (kWidth + kN - 1u) / kN * kN;
const uint kOutputPad = (3u + kN - 1u) / kN * kN;
const uint kActStride = max(kInputsPad, kHiddenPadK);
const uint kAccStride = max(kHiddenPadN, kOutputPad);

layout(local_size_x = NERVA_COOP_SUBGROUP_SIZE * NERVA_COOP_SUBGROUPS) in;

layout(buffer_reference, scalar) readonly buffer QueriesRef { NeuralDecodeQuery v[]; };
layout(buffer_reference, scalar) writeonly buffer ResultsRef { vec3 v[]; };
layout(buffer_reference, scalar) readonly buffer HalfWeightsRef { float16_t w[]; };

layout(push_constant, scalar) uniform Push { NeuralDecodePush pc; };

shared float16_t act[kSubgroups * kM * kActStride]; // A of the next product, fp16
shared float acc[kSubgroups * kM * kAccStride];     // D of the last product, fp32

// Makes a subgroup's shared-memory writes visible to its other lanes.
void subgroupSync() {
    subgroupMemoryBarrierShared();
    subgroupBarrier();
}

// The 20 decoder inputs of query i (zeros past the batch).
NeuralActivations decoderInputs(GpuNeuralMaterial m, uint i) {
    NeuralActivations x;
    [[unroll]] for (uint c = 0u; c < kNeuralDecoderInputs; ++c) x.v[c] = 0.0f;
    if (i >= pc.count) return x;
    const NeuralDecodeQuery q = QueriesRef(pc.queries).v[i];
    NeuralLatent z;
    z.a = q.latentA;
    z.b = q.latentB;
    x = neuralInputs(z);
    const NeuralActivations delta = neuralDense(pc.view, m.framesOffset, kNeuralLatentChannels,
                                                kNeuralFrameOutputs, false, false, false, x);
    const vec3 h = neuralHalfVector(q.wo, q.wi);
    neuralFrameFeatures(delta, 0u, h, q.wo, x, kNeuralLatentChannels);
    neuralFrameFeatures(delta, 1u, h, q.wi, x, kNeuralLatentChannels + 6u);
    return x;
}

void main() {
    const GpuNeuralMaterial m = NERVA_NEURAL_MATERIAL(pc.view, pc.material);
    const uint sg = gl_SubgroupID, lane = gl_SubgroupInvocationID;
    const uint actBase = sg * kM * kActStride, accBase = sg * kM * kAccStride;
    const uint tiles = (pc.count + kM - 1u) / kM;
    const uint tileStride = gl_NumWorkGroups.x * kSubgroups;
    // Subgroup-uniform loop: cooperative-matrix operations need every lane.
    [[dont_unroll]] for (uint tile = gl_WorkGroupID.x * kSubgroups + sg; tile < tiles;
                         tile += tileStride) {
        for (uint r = lane; r < kM; r += kSubgroupSize) {
            const NeuralActivations x = decoderInputs(m, tile * kM + r);
            [[unroll]] for (uint c = 0u; c < kActStride; ++c)
                act[actBase + r * kActStride + c] =
                    float16_t(c < kNeuralDecoderInputs ? x.v[c] : 0.0f);
        }
        subgroupSync();

        uint offset = m.decoderOffset; // fp32 weights (biases)
        uint halfOffset = 0u;          // fp16 transposed matrices
        [[unroll]] for (uint l = 0u; l <= kHidden; ++l) {
            const uint nIn = l == 0u ? kNeuralDecoderInputs : kWidth;
            const uint nOut = l < kHidden ? kWidth : 3u;
            const uint inPad = l == 0u ? kInputsPad : kHiddenPadK;
            const uint outPad = l < kHidden ? kHiddenPadN : kOutputPad;
            [[unroll]] for (uint j = 0u; j < outPad / kN; ++j) {
                fcoopmatNV<32, gl_ScopeSubgroup, kM, kN> d =
                    fcoopmatNV<32, gl_ScopeSubgroup, kM, kN>(0.0f);
                [[unroll]] for (uint t = 0u; t < inPad / kK; ++t) {
                    fcoopmatNV<16, gl_ScopeSubgroup, kM, kK> a;
                    fcoopmatNV<16, gl_ScopeSubgroup, kK, kN> b;
                    coopMatLoadNV(a, act, actBase + t * kK, kActStride, false);
                    coopMatLoadNV(b, HalfWeightsRef(pc.halfWeights).w,
                                  halfOffset + t * kK * outPad + j * kN, outPad, false);
                    d = coopMatMulAddNV(a, b, d);
                }
                coopMatStoreNV(d, acc, accBase + j * kN, kAccStride, false);
            }
            subgroupSync();
            const uint biasAt = offset + nIn * nOut;
            if (l < kHidden) {
                for (uint e = lane; e < kM * kActStride; e += kSubgroupSize) {
                    const uint r = e / kActStride, c = e % kActStride;
                    const float y = c < nOut ? max(acc[accBase + r * kAccStride + c] +
                                                       NERVA_NEURAL_WEIGHT(pc.view, biasAt + c),
                                                   0.0f)
                                             : 0.0f;
                    act[actBase + e] = float16_t(y);
                }
                subgroupSync();
            } else {
                for (uint r = lane; r < kM; r += kSubgroupSize) {
                    const uint i = tile * kM + r;
                    if (i >= pc.count) continue;
                    const uint at = accBase + r * kAccStride;
                    const vec3 y = vec3(acc[at], acc[at + 1u], acc[at + 2u]) +
                                   vec3(NERVA_NEURAL_WEIGHT(pc.view, biasAt),
                                        NERVA_NEURAL_WEIGHT(pc.view, biasAt + 1u),
                                        NERVA_NEURAL_WEIGHT(pc.view, biasAt + 2u));
                    ResultsRef(pc.results).v[i] = exp(y - 3.0f);
                }
                subgroupSync(); // the next tile overwrites act and acc
            }
            offset += nIn * nOut + nOut;
            halfOffset += inPad * outPad;
        }
    }
}
