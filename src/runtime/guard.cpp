#include "runtime/guard.hpp"

#include "core/error.hpp"
#include "runtime/stop_signal.hpp"

#include <Kokkos_Core.hpp>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#ifdef KOKKOS_ENABLE_CUDA
#include <cuda_runtime.h>
#endif

namespace pk::runtime {

namespace {
int node_local_rank() {
  MPI_Comm node = MPI_COMM_NULL;
  int world = 0, local = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &world);
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, world, MPI_INFO_NULL, &node) != MPI_SUCCESS)
    return 0;
  MPI_Comm_rank(node, &local);
  MPI_Comm_free(&node);
  return local;
}

bool has_arg(int argc, char** argv, const char* prefix) {
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], prefix, std::strlen(prefix)) == 0) return true;
  return false;
}

/// `dock --cpu N` (N > 0, Vina's thread count) as Kokkos's host thread
/// count, unless a --kokkos thread option is given; empty otherwise. Read
/// here because Kokkos starts before the command line is parsed.
std::string cpu_threads_arg(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "dock") != 0 || has_arg(argc, argv, "--kokkos-threads") ||
      has_arg(argc, argv, "--kokkos-num-threads"))
    return {};
  const char* value = nullptr;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--cpu") == 0 && i + 1 < argc) value = argv[i + 1];
    if (std::strncmp(argv[i], "--cpu=", 6) == 0) value = argv[i] + 6;
  }
  if (!value) return {};
  char* end = nullptr;
  const long n = std::strtol(value, &end, 10);
  if (*end != '\0' || n <= 0 || n > 4096) return {};  // the option parser reports a bad value
#if KOKKOS_VERSION >= 30700
  return "--kokkos-num-threads=" + std::to_string(n);
#else
  return "--kokkos-threads=" + std::to_string(n);
#endif
}

/// A process started without a launcher (no mpirun, no srun step) is an
/// MPI singleton. Open MPI then starts a helper daemon and probes every
/// network transport, about 0.3 s of a one-GPU pipeline run that needs
/// none of them: for a singleton, unless the user set them (or set
/// PK_MPI_SINGLETON_DEFAULTS=0), no daemon and the self and shared-memory
/// transports only (measured: MPI_Init 0.30 s -> 0.03 s on the build machine).
void singleton_mpi_defaults() {
#ifdef OPEN_MPI
  if (const char* opt = std::getenv("PK_MPI_SINGLETON_DEFAULTS"); opt && std::strcmp(opt, "0") == 0) return;
  for (const char* launched : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "SLURM_STEP_ID"})
    if (std::getenv(launched)) return;
  setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
  setenv("OMPI_MCA_btl", "self,vader", 0);
  setenv("OMPI_MCA_pml", "ob1", 0);
#endif
}

/// PK_STARTUP_TIMES=1: each start-up and shut-down step's wall time on
/// stderr (where a short run's fixed cost goes). lap(what) prints the time
/// since the previous lap (or construction).
class StartupTimer {
 public:
  void lap(const char* what) {
    const auto now = std::chrono::steady_clock::now();
    if (const char* on = std::getenv("PK_STARTUP_TIMES"); on && std::strcmp(on, "0") != 0)
      std::fprintf(stderr, "pandakinetics: %s %.3f s\n", what, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};
}  // namespace

RuntimeGuard::RuntimeGuard(int& argc, char**& argv) {
  StartupTimer timer;
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    singleton_mpi_defaults();
    int provided = 0;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      throw SystemError("MPI_Init_thread failed");
    owns_mpi_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  timer.lap("MPI_Init");

  // Without OMP_PROC_BIND the OpenMP runtime does not bind threads (right when
  // several ranks share a node); say so explicitly, which also keeps Kokkos
  // from printing its advice on every rank. Users may still set it.
  setenv("OMP_PROC_BIND", "false", 0);

  // One rank drives one GPU: pick it by node-local rank unless the user chose
  // with --kokkos-device-id. Passed as an argument so Kokkos 3.4 and 4.x agree.
  // Kokkos 3.4 also takes the unprefixed --help (and prints its own help):
  // it sees the command line without -h/--help, which stay for our CLI.
  auto is_help = [](const char* a) { return std::strcmp(a, "--help") == 0 || std::strcmp(a, "-h") == 0; };
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i)
    if (i == 0 || !is_help(argv[i])) args.push_back(argv[i]);
#ifdef KOKKOS_ENABLE_CUDA
  int devices = 0;
  if (cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0 &&
      !has_arg(argc, argv, "--kokkos-device") && !has_arg(argc, argv, "--kokkos-num-devices")) {
    device_id_ = node_local_rank() % devices;
    kokkos_args_.push_back("--kokkos-device-id=" + std::to_string(device_id_));
  }
#else
  (void)node_local_rank;
  (void)has_arg;
#endif
  if (std::string threads = cpu_threads_arg(argc, argv); !threads.empty()) kokkos_args_.push_back(threads);
  for (auto& a : kokkos_args_) args.push_back(a.data());
  int kargc = static_cast<int>(args.size());
  args.push_back(nullptr);
  timer.lap("device query");
  Kokkos::initialize(kargc, args.data());
  timer.lap("Kokkos::initialize");
  // Kokkos removed the arguments it consumed (it only removes, never
  // reorders): keep, in their original order, the arguments it left and the
  // help flags it never saw.
  std::vector<char*> kept(args.begin(), args.begin() + kargc);
  int out = 0;
  for (int i = 0; i < argc; ++i)
    if ((i > 0 && is_help(argv[i])) || std::find(kept.begin(), kept.end(), argv[i]) != kept.end()) argv[out++] = argv[i];
  argv[out] = nullptr;
  argc = out;
}

RuntimeGuard::~RuntimeGuard() {
  StartupTimer timer;
  if (Kokkos::is_initialized()) Kokkos::finalize();
  timer.lap("Kokkos::finalize");
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (owns_mpi_ && !finalized) MPI_Finalize();
  timer.lap("MPI_Finalize");
}

bool kokkos_is_initialized() { return Kokkos::is_initialized(); }

bool mpi_is_finalized() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  return finalized != 0;
}

namespace {
/// How long a rank whose exception reached main waits for the others to
/// report one too (the same bad option or file on every rank).
constexpr double kFailureWaitSeconds = 2.0;

/// A rank's exception that no agreement point caught (comm/agree.hpp). When
/// every rank arrives here within kFailureWaitSeconds, rank 0 prints its
/// message once and every rank returns the largest exit code. Otherwise the
/// other ranks are elsewhere, perhaps waiting in a collective this rank will
/// never enter: it prints its message and aborts the job (issue 19: one rank
/// with a bad config hung the others).
int fail_together(MPI_Comm& failures, int rank, int size, int code, const char* what) {
  int agreed = code;
  MPI_Request request = MPI_REQUEST_NULL;
  bool everyone = false;
  if (failures != MPI_COMM_NULL &&
      MPI_Iallreduce(&code, &agreed, 1, MPI_INT, MPI_MAX, failures, &request) == MPI_SUCCESS) {
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
      int done = 0;
      if (MPI_Test(&request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) break;
      if (done) {
        everyone = true;
        break;
      }
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > kFailureWaitSeconds) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  if (everyone) {
    if (rank == 0) std::fprintf(stderr, "pandakinetics: error: %s\n", what);
    MPI_Comm_free(&failures);
    return agreed;
  }
  std::fprintf(stderr, "pandakinetics: error (rank %d of %d): %s\n", rank, size, what);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  return code;
}
}  // namespace

int guarded_main(int argc, char** argv, const std::function<int(int, char**)>& body) {
  // Before MPI and Kokkos start: a signal during start-up is recorded too.
  if (argc > 1 && stops_cleanly(argv[1])) record_stop_signals();
  std::optional<RuntimeGuard> guard;
  try {
    guard.emplace(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pandakinetics: error: %s\n", e.what());
    return kExitError;
  }
  const int rank = guard->world_rank();
  const int size = guard->world_size();
  // A communicator of its own for failures, so that no other traffic matches them.
  MPI_Comm failures = MPI_COMM_NULL;
  if (size > 1 && MPI_Comm_dup(MPI_COMM_WORLD, &failures) != MPI_SUCCESS) failures = MPI_COMM_NULL;
  const auto release = [&] {
    if (failures != MPI_COMM_NULL && !mpi_is_finalized()) MPI_Comm_free(&failures);
  };
  try {
    const int rc = body(argc, argv);
    release();
    return rc;
  } catch (const AgreedError& e) {
    // Every rank threw it at the same point: one message, one exit code.
    if (e.prints()) std::fprintf(stderr, "pandakinetics: error: %s\n", e.what());
    release();
    return e.exit_code();
  } catch (const UsageError& e) {
    if (size > 1) return fail_together(failures, rank, size, kExitUsage, e.what());
    std::fprintf(stderr, "pandakinetics: error: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    if (size > 1) return fail_together(failures, rank, size, kExitError, e.what());
    std::fprintf(stderr, "pandakinetics: error: %s\n", e.what());
    return kExitError;
  }
}

}  // namespace pk::runtime
