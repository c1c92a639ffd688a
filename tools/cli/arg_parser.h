// A small option parser for the subcommands: "--name value" and "--flag",
// positional arguments, and one-line errors for unknown or malformed options.
#pragma once

#include "neural/core/error.h"

#include <glm/glm.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace nerva::cli {

class ArgParser {
  public:
    // valued: options that take a value; flags: options that do not.
    ArgParser(std::string command, const std::vector<std::string>& args,
              std::set<std::string> valued, std::set<std::string> flags);

    const std::vector<std::string>& positional() const { return positional_; }
    bool has(const std::string& name) const { return values_.count(name) > 0; }
    // Every option given, by name (flags have the value "1").
    const std::map<std::string, std::string>& values() const { return values_; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    uint32_t getUint(const std::string& name, uint32_t fallback, uint32_t min = 0,
                     uint32_t max = UINT32_MAX) const;
    float getFloat(const std::string& name, float fallback) const;
    glm::vec3 getVec3(const std::string& name, glm::vec3 fallback) const;
    // "WxH"
    void getSize(const std::string& name, uint32_t& width, uint32_t& height) const;

  private:
    Error bad(const std::string& name, const std::string& what) const;
    std::string command_;
    std::vector<std::string> positional_;
    std::map<std::string, std::string> values_;
};

// The usage rules every `nerva CMD INPUT -o OUT` command shares: --help / -h
// print `usage` (exit 0); a missing `out` or not exactly one positional
// argument print it to stderr (exit 2). Returns that exit code, or -1 to go on.
int checkUsage(const ArgParser& args, const char* usage, const std::string& out);

} // namespace nerva::cli
