#include "shader_watcher.h"

namespace nerva::view {

ShaderWatcher::ShaderWatcher(std::string root, std::chrono::milliseconds interval)
    : root_(std::move(root)), interval_(interval), lastCheck_(std::chrono::steady_clock::now()),
      fingerprint_(fingerprint()) {}

// A hash over (path, size, mtime) of every regular file: any edit, addition
// or removal changes it.
uint64_t ShaderWatcher::fingerprint() const {
    namespace fs = std::filesystem;
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root_, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        for (char c : it->path().string())
            mix(uint64_t(uint8_t(c)));
        mix(uint64_t(it->file_size(ec)));
        mix(uint64_t(it->last_write_time(ec).time_since_epoch().count()));
    }
    return h;
}

bool ShaderWatcher::changed() {
    const auto now = std::chrono::steady_clock::now();
    if (now - lastCheck_ < interval_) return false;
    lastCheck_ = now;
    const uint64_t f = fingerprint();
    if (f == fingerprint_) return false;
    fingerprint_ = f;
    return true;
}

} // namespace nerva::view
