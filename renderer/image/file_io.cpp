// Whole-file reads and atomic writes (temporary file + rename), shared by
// every writer so a failed write never leaves a partial file.
#include "renderer/image/image_io.h"

#include "neural/core/error.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

namespace nerva {

namespace fs = std::filesystem;

std::vector<uint8_t> readFileBytes(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw errorAt(path, "is a folder, not a file");
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw errorAt(path, std::string("cannot open file (") + std::strerror(errno) + ")");
    std::vector<uint8_t> bytes;
    uint8_t buffer[1 << 16];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0)
        bytes.insert(bytes.end(), buffer, buffer + n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw errorAt(path, "read error");
    if (bytes.empty()) throw errorAt(path, "file is empty");
    return bytes;
}

void writeFileAtomic(const std::string& path, const void* data, size_t size) {
    const fs::path target(path);
    if (target.filename().empty()) throw errorAt(path, "not a file name");
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw errorAt(path, "cannot write: folder '" + folder.string() + "' does not exist");
    if (fs::is_directory(target, ec)) throw errorAt(path, "cannot write: it is a folder");

    static std::atomic<uint64_t> counter{0};
    static const uint64_t salt = (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
    const fs::path temp =
        folder / ("." + target.filename().string() + "." +
                  std::to_string((salt + counter.fetch_add(1)) % 100000000000ull) + ".tmp");
    std::FILE* f = std::fopen(temp.c_str(), "wbx"); // x: never reuse an existing file
    if (!f) throw errorAt(path, std::string("cannot create file (") + std::strerror(errno) + ")");
    errno = 0;
    bool ok = std::fwrite(data, 1, size, f) == size;
    ok = std::fflush(f) == 0 && ok;
    const int writeErrno = errno;
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
        const int code = writeErrno ? writeErrno : errno;
        fs::remove(temp, ec);
        throw errorAt(path, std::string("write failed (") +
                                (code ? std::strerror(code) : "unknown error") + ")");
    }
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw errorAt(path, "cannot replace file (" + ec.message() + ")");
    }
}

} // namespace nerva
