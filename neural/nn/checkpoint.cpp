#include "neural/nn/checkpoint.h"

#include "neural/core/error.h"
#include "neural/formats/nmat.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace nerva::nn {
namespace {

void put(std::string& s, const void* p, size_t n) {
    s.append(static_cast<const char*>(p), n);
}
void putU64(std::string& s, uint64_t v) {
    put(s, &v, 8);
}

struct Reader {
    const std::string& s;
    const std::string& where;
    size_t at = 0;
    void get(void* p, size_t n) {
        if (n > s.size() - at) throw Error(where + ": truncated checkpoint");
        std::memcpy(p, s.data() + at, n);
        at += n;
    }
    uint64_t u64() {
        uint64_t v = 0;
        get(&v, 8);
        return v;
    }
    void floats(std::span<float> out) {
        if (u64() != out.size()) throw Error(where + ": checkpoint sizes do not match");
        get(out.data(), out.size_bytes());
    }
};

} // namespace

void writeCheckpoint(const std::string& path, const char magic[8], const nlohmann::json& state,
                     std::span<const float> params, const std::vector<Adam>& adam) {
    const std::string text = state.dump();
    std::string s(magic, 8);
    putU64(s, text.size());
    s += text;
    putU64(s, params.size());
    put(s, params.data(), params.size_bytes());
    for (const Adam& a : adam) {
        Adam& m = const_cast<Adam&>(a); // the moments' accessors are not const
        putU64(s, m.steps());
        putU64(s, m.firstMoment().size());
        put(s, m.firstMoment().data(), m.firstMoment().size_bytes());
        put(s, m.secondMoment().data(), m.secondMoment().size_bytes());
    }
    const uint32_t crc = formats::crc32(s.data(), s.size());
    put(s, &crc, 4);

    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(s.data(), std::streamsize(s.size()));
        out.close();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw Error(path + ": cannot write checkpoint");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw Error(path + ": cannot write checkpoint (" + ec.message() + ")");
    }
}

Checkpoint readCheckpoint(const std::string& path, const char magic[8], const std::string& what,
                          size_t paramCount, const std::vector<size_t>& adamSizes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": no checkpoint to resume from");
    const std::string s{std::istreambuf_iterator<char>(in), {}};
    if (s.size() < 12 || std::memcmp(s.data(), magic, 8) != 0)
        throw Error(path + ": not a " + what);
    uint32_t crc = 0;
    std::memcpy(&crc, s.data() + s.size() - 4, 4);
    if (crc != formats::crc32(s.data(), s.size() - 4))
        throw Error(path + ": checkpoint checksum mismatch");
    const std::string body = s.substr(0, s.size() - 4);
    Reader r{body, path, 8};
    const uint64_t n = r.u64();
    if (n > body.size()) throw Error(path + ": truncated checkpoint");
    std::string text(n, '\0');
    r.get(text.data(), n);
    Checkpoint c;
    try {
        c.state = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": bad checkpoint state (" + e.what() + ")");
    }
    c.params.resize(paramCount);
    r.floats(c.params);
    for (size_t count : adamSizes) {
        c.adam.emplace_back(count);
        const uint64_t steps = r.u64();
        r.floats(c.adam.back().firstMoment());
        r.get(c.adam.back().secondMoment().data(), c.adam.back().secondMoment().size_bytes());
        c.adam.back().setSteps(size_t(steps));
    }
    if (r.at != body.size()) throw Error(path + ": trailing bytes in checkpoint");
    return c;
}

} // namespace nerva::nn
