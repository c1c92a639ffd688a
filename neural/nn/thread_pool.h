// A small persistent pool of std::threads for data-parallel training loops.
// The calling thread works too, so ThreadPool(1) spawns nothing and runs
// every chunk inline. Which thread runs a chunk is not fixed; callers get
// determinism by giving each chunk its own output and combining the outputs
// in chunk order afterwards (see BatchGradient).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nerva::nn {

class ThreadPool {
  public:
    // threads = 0: std::thread::hardware_concurrency() (at least 1).
    explicit ThreadPool(unsigned threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // Threads that run chunks, the caller included.
    unsigned threadCount() const { return unsigned(workers_.size()) + 1; }

    // Calls fn(c) once for every c in [0, chunks) and returns when all are
    // done. The first exception a chunk throws is rethrown here (the other
    // chunks still run). A call from inside a chunk runs serially.
    void parallelFor(size_t chunks, const std::function<void(size_t)>& fn);

  private:
    void workerLoop();
    void runChunks();

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    uint64_t generation_ = 0; // bumped per parallelFor: workers wait for a new one
    bool stop_ = false;
    unsigned busyWorkers_ = 0;
    const std::function<void(size_t)>* job_ = nullptr;
    size_t jobChunks_ = 0;
    std::atomic<size_t> next_{0};
    std::exception_ptr error_;
};

} // namespace nerva::nn
