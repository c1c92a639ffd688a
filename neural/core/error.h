// The one error type for bad input and failed operations across Nerva.
//
// Every user-facing failure (malformed file, missing texture, unsupported
// device, Vulkan error) is thrown as nerva::Error whose message is a single
// line naming the file or object and the problem. Command-line tools catch it
// at the top, print it once and exit with code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace nerva {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Builds "<where>: <what>", the shape of every Nerva error line.
inline Error errorAt(const std::string& where, const std::string& what) {
    return Error(where + ": " + what);
}

} // namespace nerva
