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
/// UsageError -> 2, any other exception -> 1, AgreedError (thrown on every
/// rank at an agreement point, comm/agree.hpp) -> its own code, printed by
/// the rank it names. With several ranks, an exception that no agreement
/// point caught waits up to 2 s for every rank to fail too (then rank 0
/// prints it once); otherwise the failing rank prints it and calls MPI_Abort,
/// so no rank hangs. SIGTERM/SIGUSR1 are recorded from the start for the
/// commands that stop cleanly (runtime/stop_signal.hpp).
int guarded_main(int argc, char** argv, const std::function<int(int, char**)>& body);

}  // namespace pk::runtime
