// Ctrl-C for long commands (render, bake): while an InterruptGuard lives,
// SIGINT only sets a flag; the command checks interrupted() between units of
// work, finishes the current one and saves what it has (the image of the
// samples done, a checkpoint), then exits with 130. The previous handler comes
// back when the guard ends.
#pragma once

#include <csignal>

#include <signal.h>

namespace nerva::cli {

inline volatile std::sig_atomic_t gInterrupted = 0;

inline bool interrupted() {
    return gInterrupted != 0;
}

class InterruptGuard {
  public:
    InterruptGuard() {
        gInterrupted = 0;
        struct sigaction action {};
        action.sa_handler = [](int) { gInterrupted = 1; };
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &previous_);
    }
    ~InterruptGuard() { sigaction(SIGINT, &previous_, nullptr); }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

  private:
    struct sigaction previous_ {};
};

} // namespace nerva::cli
