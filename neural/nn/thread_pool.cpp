#include "neural/nn/thread_pool.h"

#include <algorithm>

namespace nerva::nn {
namespace {
// Set while a thread runs a chunk: a nested parallelFor then runs serially
// instead of overwriting the pool's current job.
thread_local bool tInsideChunk = false;
} // namespace

ThreadPool::ThreadPool(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned t = 1; t < threads; ++t)
        workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_)
        t.join();
}

void ThreadPool::runChunks() {
    tInsideChunk = true;
    for (size_t c = next_.fetch_add(1); c < jobChunks_; c = next_.fetch_add(1)) {
        try {
            (*job_)(c);
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
    }
    tInsideChunk = false;
}

void ThreadPool::workerLoop() {
    uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
        }
        runChunks();
        {
            std::lock_guard lock(mutex_);
            if (--busyWorkers_ == 0) done_.notify_one();
        }
    }
}

void ThreadPool::parallelFor(size_t chunks, const std::function<void(size_t)>& fn) {
    if (chunks == 0) return;
    if (workers_.empty() || chunks == 1 || tInsideChunk) {
        std::exception_ptr first;
        for (size_t c = 0; c < chunks; ++c) {
            try {
                fn(c);
            } catch (...) {
                if (!first) first = std::current_exception();
            }
        }
        if (first) std::rethrow_exception(first);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        job_ = &fn;
        jobChunks_ = chunks;
        next_.store(0);
        error_ = nullptr;
        busyWorkers_ = unsigned(workers_.size());
        ++generation_;
    }
    wake_.notify_all();
    runChunks();
    std::exception_ptr error;
    {
        std::unique_lock lock(mutex_);
        done_.wait(lock, [&] { return busyWorkers_ == 0; });
        job_ = nullptr;
        error = error_;
        error_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
}

} // namespace nerva::nn
