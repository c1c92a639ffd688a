// IEEE 754 binary16 ("half", fp16) <-> binary32 conversion on the CPU, bit
// exact and independent of the compiler's _Float16 support.
//
// Layout of a half: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
// Largest finite value 65504, smallest normal 2^-14, smallest subnormal 2^-24.
// floatToHalf rounds to nearest, ties to even (as the GPU's RTE conversion
// does), flushes nothing: results below 2^-14 become subnormals, values at or
// above 65520 become infinity. NaNs stay NaNs and keep the top 10 payload bits,
// so halfToFloat followed by floatToHalf returns every one of the 65536 halves
// unchanged. halfToFloat is exact (every half is a float).
#pragma once

#include <bit>
#include <cstdint>

namespace nerva::formats {

inline float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    const uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24, exact in float (11 bits).
        const float magnitude = float(mantissa) * 0x1p-24f;
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 31) // infinity (mantissa 0) or NaN (payload moved up)
        return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

inline uint16_t floatToHalf(float f) {
    const uint32_t x = std::bit_cast<uint32_t>(f);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t ax = x & 0x7fffffffu; // |f| as bits; ordered like the values
    if (ax >= 0x7f800000u) {             // infinity or NaN
        if (ax == 0x7f800000u) return uint16_t(sign | 0x7c00u);
        uint32_t payload = (ax >> 13) & 0x3ffu;
        if (payload == 0) payload = 0x200u; // payload only in the low bits: keep it a NaN
        return uint16_t(sign | 0x7c00u | payload);
    }
    // 65520 = 0x477ff000 lies halfway between 65504 (odd mantissa 0x3ff) and
    // 2^16; ties go to even, i.e. to infinity.
    if (ax >= 0x477ff000u) return uint16_t(sign | 0x7c00u);
    if (ax >= 0x38800000u) { // normal half: |f| >= 2^-14
        const uint32_t exponent = (ax >> 23) - 127 + 15;
        const uint32_t mantissa = ax & 0x7fffffu;
        uint32_t h = (exponent << 10) | (mantissa >> 13);
        const uint32_t rest = mantissa & 0x1fffu;                 // the 13 bits dropped
        if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h; // may carry into the exponent
        return uint16_t(sign | h);
    }
    // Subnormal half (or zero): count units of 2^-24. 2^-25 itself (0x33000000)
    // is a tie between 0 and 2^-24 and goes to the even 0; so does all below.
    if (ax <= 0x33000000u) return uint16_t(sign);
    const uint32_t exponent = ax >> 23;                     // 102..112 here
    const uint32_t mantissa = (ax & 0x7fffffu) | 0x800000u; // with the implicit 1
    const uint32_t shift = 126 - exponent;                  // 14..24
    uint32_t h = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1u);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1u))) ++h; // 0x3ff -> 0x400 is 2^-14
    return uint16_t(sign | h);
}

} // namespace nerva::formats
