// What a KMC run will take, checked before anything is allocated (issue 19:
// --replicas or --time-grid-points of 10^9 failed inside Kokkos or never
// finished; a full disk was found only when the output was written).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pk::kmc {

struct RunSize {
  std::int64_t replicas = 0, local_replicas = 0, walkers = 0, grid_points = 0, traj_walkers = 0, traj_length = 0;
  bool count_transitions = true;
  std::int64_t states = 0, edges = 0;  ///< edges: directed, at most
  int ranks = 1, ranks_on_node = 1;
};

/// Throws UsageError ("--walkers W x --replicas R ...: needs N GB of device
/// memory, the device has M GB available") when this rank's engine, its
/// host copies and tables do not fit: in the GPU's free memory (CUDA
/// builds), in the host's available memory shared by the node's ranks.
void check_memory(const RunSize& size);

/// Throws SystemError when the output file (every walker's arrays) cannot
/// fit in the free space of the folder of each (option, path) in `outputs`.
void check_disk(const RunSize& size, const std::vector<std::pair<std::string, std::string>>& outputs);

}  // namespace pk::kmc
