#include "arg_parser.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace nerva::cli {

ArgParser::ArgParser(std::string command, const std::vector<std::string>& args,
                     std::set<std::string> valued, std::set<std::string> flags)
    : command_(std::move(command)) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && (std::isdigit(a[1]) || a[1] == '.'))) {
            std::string name = a, value;
            const auto eq = a.find('=');
            const bool inlineValue = eq != std::string::npos;
            if (inlineValue) name = a.substr(0, eq), value = a.substr(eq + 1);
            if (valued.count(name)) {
                if (!inlineValue) {
                    if (i + 1 >= args.size()) throw bad(name, "needs a value");
                    value = args[++i];
                }
                values_[name] = value;
            } else if (flags.count(name) && !inlineValue) {
                values_[name] = "1";
            } else {
                throw Error(command_ + ": unknown option '" + name + "' (see 'nerva " + command_ +
                            " --help')");
            }
        } else {
            positional_.push_back(a);
        }
    }
}

Error ArgParser::bad(const std::string& name, const std::string& what) const {
    return Error(command_ + ": option " + name + " " + what);
}

std::string ArgParser::get(const std::string& name, const std::string& fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

uint32_t ArgParser::getUint(const std::string& name, uint32_t fallback, uint32_t min,
                            uint32_t max) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    char* end = nullptr;
    errno = 0;
    const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end || errno || v[0] == '-' || x < min || x > max)
        throw bad(name, "expects a whole number in [" + std::to_string(min) + ", " +
                            std::to_string(max) + "], got '" + v + "'");
    return uint32_t(x);
}

float ArgParser::getFloat(const std::string& name, float fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    char* end = nullptr;
    const float x = std::strtof(v.c_str(), &end);
    if (v.empty() || *end || !std::isfinite(x))
        throw bad(name, "expects a number, got '" + v + "'");
    return x;
}

glm::vec3 ArgParser::getVec3(const std::string& name, glm::vec3 fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    glm::vec3 out;
    std::istringstream in(v);
    char c1 = 0, c2 = 0;
    if (!(in >> out.x >> c1 >> out.y >> c2 >> out.z) || c1 != ',' || c2 != ',' || !in.eof() ||
        !std::isfinite(out.x + out.y + out.z))
        throw bad(name, "expects x,y,z, got '" + v + "'");
    return out;
}

void ArgParser::getSize(const std::string& name, uint32_t& width, uint32_t& height) const {
    if (!has(name)) return;
    const std::string v = get(name);
    const auto x = v.find('x');
    char* e1 = nullptr;
    char* e2 = nullptr;
    const long w = x == std::string::npos ? 0 : std::strtol(v.substr(0, x).c_str(), &e1, 10);
    const long h = x == std::string::npos ? 0 : std::strtol(v.substr(x + 1).c_str(), &e2, 10);
    if (x == std::string::npos || *e1 || *e2 || w <= 0 || h <= 0 || w > 16384 || h > 16384)
        throw bad(name, "expects WIDTHxHEIGHT (1..16384), got '" + v + "'");
    width = uint32_t(w);
    height = uint32_t(h);
}

int checkUsage(const ArgParser& args, const char* usage, const std::string& out) {
    if (args.has("--help") || args.has("-h")) {
        std::fputs(usage, stdout);
        return 0;
    }
    if (args.positional().size() != 1 || out.empty()) {
        std::fputs(usage, stderr);
        return 2;
    }
    return -1;
}

} // namespace nerva::cli
