#include "runtime/memory_info.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>

#ifdef KOKKOS_ENABLE_CUDA
#include <cuda_runtime.h>
#endif

namespace pk::runtime {

namespace {
/// The first number in `path` (0 when missing or "max").
std::uint64_t read_number(const char* path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word)) return 0;
  try {
    return std::stoull(word);
  } catch (...) {
    return 0;
  }
}

std::uint64_t meminfo_available() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("MemAvailable:", 0) == 0) {
      std::istringstream fields(line.substr(13));
      std::uint64_t kb = 0;
      if (fields >> kb) return kb * 1024;
    }
  return 0;
}

/// What the process's cgroup still allows (0: no limit found).
std::uint64_t cgroup_headroom() {
  const std::uint64_t limit_v2 = read_number("/sys/fs/cgroup/memory.max");
  if (limit_v2 > 0) {
    const std::uint64_t used = read_number("/sys/fs/cgroup/memory.current");
    return limit_v2 > used ? limit_v2 - used : 1;
  }
  const std::uint64_t limit_v1 = read_number("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  if (limit_v1 > 0 && limit_v1 < (std::uint64_t{1} << 60)) {
    const std::uint64_t used = read_number("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    return limit_v1 > used ? limit_v1 - used : 1;
  }
  return 0;
}
}  // namespace

std::uint64_t host_memory_available_bytes() {
  const std::uint64_t system = meminfo_available();
  const std::uint64_t cgroup = cgroup_headroom();
  if (system == 0) return cgroup;
  return cgroup == 0 ? system : std::min(system, cgroup);
}

bool device_memory_is_host() {
  return std::is_same<Kokkos::DefaultExecutionSpace::memory_space, Kokkos::HostSpace>::value;
}

std::uint64_t device_memory_available_bytes() {
#ifdef KOKKOS_ENABLE_CUDA
  if (!device_memory_is_host()) {
    std::size_t free_bytes = 0, total_bytes = 0;
    if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) return 0;
    return free_bytes;
  }
#endif
  return host_memory_available_bytes();
}

}  // namespace pk::runtime
