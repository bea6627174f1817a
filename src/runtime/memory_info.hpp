// How much memory a run may still allocate, for size checks before
// allocating (issue 19: absurd --replicas or --time-grid-points ran out of
// memory inside Kokkos or never finished). Plain declarations: host-only code
// calls these without Kokkos headers.
#pragma once

#include <cstdint>

namespace pk::runtime {

/// The host's available memory in bytes: /proc/meminfo's MemAvailable, or
/// less where a cgroup (v2 memory.max, v1 limit_in_bytes) caps this process;
/// 0 when unknown.
std::uint64_t host_memory_available_bytes();

/// Free memory of the default execution space: the GPU's free memory on
/// CUDA builds (cudaMemGetInfo), the host's otherwise; 0 when unknown.
std::uint64_t device_memory_available_bytes();

/// Whether the default execution space allocates host memory (CPU builds).
bool device_memory_is_host();

}  // namespace pk::runtime
