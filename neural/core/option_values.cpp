#include "option_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace nerva {
namespace {

Error bad(const std::string& command, const std::string& name, const std::string& what) {
    return Error(command + ": option " + name + " " + what);
}

} // namespace

uint32_t parseUintOption(const std::string& command, const std::string& name, const std::string& v,
                         uint32_t min, uint32_t max) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end || errno || v[0] == '-' || x < min || x > max)
        throw bad(command, name,
                  "expects a whole number in [" + std::to_string(min) + ", " + std::to_string(max) +
                      "], got '" + v + "'");
    return uint32_t(x);
}

float parseFloatOption(const std::string& command, const std::string& name, const std::string& v,
                       float min, float max) {
    char* end = nullptr;
    const float x = std::strtof(v.c_str(), &end);
    if (v.empty() || *end || !std::isfinite(x))
        throw bad(command, name, "expects a number, got '" + v + "'");
    if (x < min || x > max) {
        std::ostringstream range;
        range << "expects a number in [" << min << ", " << max << "], got '" << v << "'";
        throw bad(command, name, range.str());
    }
    return x;
}

glm::vec3 parseVec3Option(const std::string& command, const std::string& name,
                          const std::string& v) {
    glm::vec3 out;
    std::istringstream in(v);
    char c1 = 0, c2 = 0;
    if (!(in >> out.x >> c1 >> out.y >> c2 >> out.z) || c1 != ',' || c2 != ',' || !in.eof() ||
        !std::isfinite(out.x + out.y + out.z))
        throw bad(command, name, "expects x,y,z, got '" + v + "'");
    return out;
}

glm::uvec2 parseSizeOption(const std::string& command, const std::string& name,
                           const std::string& v) {
    const auto x = v.find('x');
    char* e1 = nullptr;
    char* e2 = nullptr;
    const long w = x == std::string::npos ? 0 : std::strtol(v.substr(0, x).c_str(), &e1, 10);
    const long h = x == std::string::npos ? 0 : std::strtol(v.substr(x + 1).c_str(), &e2, 10);
    if (x == std::string::npos || *e1 || *e2 || w <= 0 || h <= 0 || w > 16384 || h > 16384)
        throw bad(command, name, "expects WIDTHxHEIGHT (1..16384), got '" + v + "'");
    return {uint32_t(w), uint32_t(h)};
}

} // namespace nerva
