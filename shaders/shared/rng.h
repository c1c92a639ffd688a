// Deterministic random numbers: a PCG hash seeds one 32-bit state per
// (seed, pixel, sample); each draw advances it with a PCG step. The same
// inputs give the same image on every run and thread count.
#ifndef NERVA_SHARED_RNG_H
#define NERVA_SHARED_RNG_H

#include "prelude.h"

NERVA_SHARED_BEGIN

// PCG-RXS-M-XS 32-bit output permutation applied to one LCG step.
NERVA_FN uint pcgHash(uint v) {
    uint state = v * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

NERVA_FN uint rngSeed(uint seed, uint pixelIndex, uint sampleIndex) {
    return pcgHash(pcgHash(pcgHash(seed) ^ pixelIndex) + sampleIndex);
}

// Uniform float in [0, 1): the top 24 bits of the next state.
NERVA_FN float rngNext(NERVA_INOUT(uint) state) {
    state = state * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    word = (word >> 22u) ^ word;
    return float(word >> 8u) * (1.0f / 16777216.0f);
}

NERVA_SHARED_END

#endif
