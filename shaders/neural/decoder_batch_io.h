// Records of the batch decoder kernels (renderer/gpu/neural_batch_decoder.h):
// the neural material's decoder (shaders/shared/neural/neural_eval.h, frames
// layer + decoder MLP, f cos) evaluated for a coherent batch of queries of
// ONE material whose latents are already fetched. decoder_batch.comp runs it
// per invocation in fp32, decoder_coop.comp with cooperative matrices; both
// read and write these records, so they are compared and timed on identical
// inputs. Declared once for GLSL and C++ (scalar layout); GLSL includers
// enable the extensions neural_eval.h lists.
#ifndef NERVA_NEURAL_DECODER_BATCH_IO_H
#define NERVA_NEURAL_DECODER_BATCH_IO_H

#include "../shared/neural/neural_eval.h"

NERVA_SHARED_BEGIN

// Invocations per work group of the scalar kernel.
NERVA_CONST uint kNeuralDecodeLocalSize = 64;

// One query (64 bytes): the latent (already fetched: the batch kernels
// measure the network, not the texture fetch) and the directions in tangent
// space (unit, z = normal).
struct NeuralDecodeQuery {
    vec4 latentA; // channels 0-3
    vec4 latentB; // channels 4-7
    vec3 wo;
    float pad0;
    vec3 wi;
    float pad1;
};

// Push constants of both kernels (48 bytes); the result of query i is
// vec3 f cos at results + 12 i.
struct NeuralDecodePush {
    GpuNeuralView view;   // records and fp32 weights (frames layer, biases)
    uint64_t queries;     // NeuralDecodeQuery[count]
    uint64_t results;     // vec3[count], written
    uint64_t halfWeights; // decoder_coop.comp: fp16 transposed padded matrices
    uint material;        // the batch's material
    uint count;
};

NERVA_SHARED_END

#endif
