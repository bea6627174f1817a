// Process lifetime: MPI first, then Kokkos; Kokkos finalised before MPI.
// This header does not include Kokkos or MPI headers, so host-only code
// (Boost, HDF5) can use it under nvcc_wrapper builds.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace pk::runtime {

class RuntimeGuard {
 public:
  /// MPI_Init_thread (funneled), then Kokkos::initialize with this rank's GPU
  /// chosen by its node-local rank (CUDA builds). Consumes --kokkos-* args.
  RuntimeGuard(int& argc, char**& argv);
  /// Kokkos::finalize, then MPI_Finalize. Every View must be gone by now.
  ~RuntimeGuard();
  RuntimeGuard(const RuntimeGuard&) = delete;
  RuntimeGuard& operator=(const RuntimeGuard&) = delete;

  int world_rank() const { return rank_; }
  int world_size() const { return size_; }
  int device_id() const { return device_id_; }

 private:
  int rank_ = 0;
  int size_ = 1;
  int device_id_ = -1;
  bool owns_mpi_ = false;
  std::vector<std::string> kokkos_args_;
};

bool kokkos_is_initialized();
bool mpi_is_finalized();

/// Runs `body` inside a RuntimeGuard and maps exceptions to exit codes:
/// UsageError -> 2 (printed once, by rank 0: every rank parses the same
/// command line); any other exception -> printed by the failing rank, then
/// MPI_Abort when there are several ranks (so no rank hangs), exit 1 alone.
int guarded_main(int argc, char** argv, const std::function<int(int, char**)>& body);

}  // namespace pk::runtime
