// Lets the files in shaders/shared compile both as GLSL 460 and as C++20.
//
// Rules for shared code: use GLSL spelling (vec3, uint, dot, mix, clamp,
// inversesqrt ...), mark functions NERVA_FN, pass in/out parameters with
// NERVA_INOUT(T) / NERVA_OUT(T), and use only features both languages have
// (no overloading on out parameters, no GLSL swizzle assignment tricks).
#ifndef NERVA_SHARED_PRELUDE_H
#define NERVA_SHARED_PRELUDE_H

#ifdef __cplusplus
#include <cstdint>
#include <glm/glm.hpp>
namespace nerva::shared {
using glm::ivec2;
using glm::mat3;
using glm::mat4;
using glm::uvec2;
using glm::uvec3;
using glm::uvec4;
using glm::vec2;
using glm::vec3;
using glm::vec4;
using std::int32_t;
using std::uint32_t;
using std::uint64_t;
using uint = std::uint32_t;
using glm::abs;
using glm::clamp;
using glm::cos;
using glm::cross;
using glm::dot;
using glm::exp;
using glm::floor;
using glm::fract;
using glm::inversesqrt;
using glm::length;
using glm::log;
using glm::log2;
using glm::max;
using glm::min;
using glm::mix;
using glm::normalize;
using glm::pow;
using glm::reflect;
using glm::sign;
using glm::sin;
using glm::sqrt;
using glm::step;
using glm::tan;
inline float atan2(float y, float x) {
    return std::atan2(y, x);
}
inline uint floatBitsToUint(float f) {
    return glm::floatBitsToUint(f);
}
} // namespace nerva::shared
#define NERVA_FN inline
#define NERVA_INOUT(T) T&
#define NERVA_OUT(T) T&
#define NERVA_CONST constexpr
#define NERVA_SHARED_BEGIN namespace nerva::shared {
#define NERVA_SHARED_END }
#else
#define NERVA_FN
#define NERVA_INOUT(T) inout T
#define NERVA_OUT(T) out T
#define NERVA_CONST const
#define NERVA_SHARED_BEGIN
#define NERVA_SHARED_END
#define atan2(y, x) atan(y, x)
#endif

NERVA_SHARED_BEGIN
NERVA_CONST float kPi = 3.14159265358979323846;
NERVA_CONST float kInvPi = 0.31830988618379067154;
NERVA_CONST float kTwoPi = 6.28318530717958647692;

NERVA_FN float saturate(float x) {
    return clamp(x, 0.0f, 1.0f);
}
NERVA_FN float sqr(float x) {
    return x * x;
}
NERVA_FN float luminance(vec3 c) {
    return dot(c, vec3(0.2126f, 0.7152f, 0.0722f));
}
NERVA_SHARED_END

#endif
