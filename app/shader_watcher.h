// Notices edits under a shader folder by polling file times (cheap: a few
// dozen files, checked at most every `interval`), for hot reload.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace nerva::view {

class ShaderWatcher {
  public:
    explicit ShaderWatcher(std::string root,
                           std::chrono::milliseconds interval = std::chrono::milliseconds(500));

    // True once after any file under the root was added, removed or modified
    // since the last call that returned true (or since construction).
    bool changed();

  private:
    uint64_t fingerprint() const;

    std::string root_;
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point lastCheck_;
    uint64_t fingerprint_ = 0;
};

} // namespace nerva::view
