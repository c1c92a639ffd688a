// Values of command-line options, parsed strictly: the whole text must be the
// value, in range and finite, else an Error naming the command and the option
// ("COMMAND: option NAME expects ..., got 'TEXT'"). Shared by `nerva`'s
// subcommands and nerva-view, so that the same option reads the same way in
// both.
#pragma once

#include "neural/core/error.h"

#include <glm/glm.hpp>

#include <cstdint>
#include <string>

namespace nerva {

uint32_t parseUintOption(const std::string& command, const std::string& name,
                         const std::string& value, uint32_t min = 0, uint32_t max = UINT32_MAX);
// Any finite number within [min, max].
float parseFloatOption(const std::string& command, const std::string& name,
                       const std::string& value, float min = -3.4e38f, float max = 3.4e38f);
// "x,y,z", finite.
glm::vec3 parseVec3Option(const std::string& command, const std::string& name,
                          const std::string& value);
// "WIDTHxHEIGHT", each in [1, 16384].
glm::uvec2 parseSizeOption(const std::string& command, const std::string& name,
                           const std::string& value);

} // namespace nerva
