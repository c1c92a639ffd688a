#include "arg_parser.h"

#include "neural/core/option_values.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

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
                values_.insert_or_assign(
                    name, std::string(1, '1')); // not = "1": GCC 12 -Wrestrict false positive
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
    return has(name) ? parseUintOption(command_, name, get(name), min, max) : fallback;
}

float ArgParser::getFloat(const std::string& name, float fallback) const {
    return has(name) ? parseFloatOption(command_, name, get(name)) : fallback;
}

glm::vec3 ArgParser::getVec3(const std::string& name, glm::vec3 fallback) const {
    return has(name) ? parseVec3Option(command_, name, get(name)) : fallback;
}

void ArgParser::getSize(const std::string& name, uint32_t& width, uint32_t& height) const {
    if (!has(name)) return;
    const glm::uvec2 size = parseSizeOption(command_, name, get(name));
    width = size.x;
    height = size.y;
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
