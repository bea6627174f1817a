// Independent host-side work items spread over the machine's hardware
// threads (std::thread; no shared state between items, so the results do not
// depend on the number of threads).
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace pk {

/// Calls fn(i) for i in [0, n) on up to max_threads threads (0: the
/// hardware's), each taking the next unclaimed index. The first exception an
/// item throws is rethrown after every thread has stopped.
template <class Fn>
void host_parallel_for(int n, const Fn& fn, int max_threads = 0) {
  int threads = max_threads > 0 ? max_threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, n));
  if (threads <= 1) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<int> next{0};
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  const auto worker = [&] {
    for (int i = next++; i < n && !failed; i = next++) {
      try {
        fn(i);
      } catch (...) {
        if (!failed.exchange(true)) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace pk
