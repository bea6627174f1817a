// The KMC engine of one rank: its replicas' walkers on the Kokkos default
// execution space. Host-side types only, so driver code needs no Kokkos.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pk::kmc {

/// What the device needs, built on the host for this rank's replicas.
struct KmcTables {
  std::int32_t n = 0;
  std::vector<std::int64_t> row_offsets;  ///< n + 1
  std::vector<std::int32_t> targets;      ///< nnz
  std::vector<std::int8_t> macro;         ///< n: 0 bound, 1 unbound, 2 other
  std::vector<double> edge_prob;          ///< local replicas x nnz: probability of each edge of its row
  std::vector<double> total_rate;         ///< local replicas x n, 1/s
  std::vector<double> start_cdf;          ///< local replicas x n
  /// Superbasins (src/kmc/superbasin.hpp; basin_size empty: none): per walker
  /// phase, each state's basin (-1: none) and index in it (3 x n,
  /// phase-major), each basin's members, and per
  /// local replica its exit laws (BasinLaw, concatenated basin by basin).
  std::vector<std::int32_t> basin_of, basin_local, basin_size, basin_members;
  std::vector<std::int64_t> basin_member_first, basin_vec_first;
  std::int64_t basin_member_total = 0, basin_vec_total = 0;
  std::vector<double> basin_lambda, basin_sw, basin_alpha, basin_beta, basin_exit;  ///< local replicas x member_total
  std::vector<double> basin_vec;                                                    ///< local replicas x vec_total
  bool has_basins() const { return !basin_size.empty(); }
};

/// The dwell histogram's bin edges, s: 10^(log10_min + b / bins_per_decade)
/// for b = 0..bins. Bin b holds dwells in [edge b, edge b+1); bin 0 also the
/// shorter ones, the last bin also the longer ones. The kernels bin by exact
/// comparisons with these values, so the edges written to the output are the
/// ones used.
std::vector<double> dwell_bin_edges(double log10_min, double bins_per_decade, int bins);

struct KmcParams {
  std::uint64_t seed = 1;
  std::int32_t first_replica = 0;  ///< global index of this rank's first replica
  std::int32_t replicas = 0;       ///< on this rank
  std::int32_t walkers = 0;        ///< per replica
  double horizon_s = 0.0;
  double lag_s = 0.0;              ///< > 0: discrete-time model
  std::int64_t max_steps = 0;      ///< per walker; 0 = no budget
  std::int32_t grid_points = 0;
  std::int32_t traj_walkers = 0, traj_length = 0;
  bool count_transitions = true;
  std::int32_t dwell_bins = 200;
  double dwell_log10_min = -15.0, dwell_bins_per_decade = 10.0;
  /// Kernel variant (speed only; `benchmarks/gpu_node.sh bench kmc` compares them):
  /// "baseline" (separate tables), "packed" (one 16-byte record per state and
  /// per alias slot, walks bitwise identical to baseline), "packed-int" (the
  /// same tables, slot and alias choice from the same random bits in exact
  /// integer arithmetic, no conversions: the baseline's walks except where its
  /// double rounding flips a decision, ~1e-15 per step), "packed2" and
  /// "packed2-int" (packed and packed-int with two walkers per GPU thread,
  /// stepped in turn so each one's loads and random numbers overlap the
  /// other's; every walker's results bitwise those of packed / packed-int).
  /// Empty: $PK_KMC_VARIANT, else packed-int.
  /// A packed variant falls back to baseline for networks whose slot words
  /// cannot hold (target, row-relative edge) in 30 bits, and with
  /// superbasins (the baseline walk takes their exit steps); variant() says.
  std::string variant;
};

/// The kernel variants KmcParams::variant accepts.
const std::vector<std::string>& kmc_variants();

/// Everything the engine holds, copied to the host: for output and for
/// checkpoints. Per-walker arrays are replica-major (replica * walkers + w).
struct KmcSnapshot {
  std::vector<std::int32_t> state, phase, done, next_grid, n_bind, n_unbind;
  std::vector<std::int64_t> steps;
  std::vector<double> time, phase_start, fpt_bound, fpt_unbound, first_dwell, bound_time, unbound_time;
  std::vector<std::int32_t> occupancy;    ///< replicas x grid x n
  std::vector<std::int64_t> transitions;  ///< replicas x nnz
  std::vector<std::int32_t> dwell_hist;   ///< replicas x dwell_bins
  std::vector<double> traj_time;          ///< replicas x traj_walkers x traj_length
  std::vector<std::int32_t> traj_state, traj_count;
};

class KmcEngine {
 public:
  KmcEngine(const KmcTables& tables, const KmcParams& params);
  ~KmcEngine();
  KmcEngine(const KmcEngine&) = delete;
  KmcEngine& operator=(const KmcEngine&) = delete;

  /// Fresh start: draw start states.
  void initialize();
  /// Continue from a checkpoint's snapshot of these replicas.
  void restore(const KmcSnapshot& snap);
  /// Advances every walker towards t_stop_s, at most `step_cap` steps each;
  /// returns how many walkers stopped at the cap (0: all reached t_stop or
  /// finished). Waits for the device.
  std::int64_t advance(double t_stop_s, std::int64_t step_cap);
  /// Walkers not finished (horizon or step budget).
  std::int64_t running_walkers() const;
  /// Steps taken by this rank's walkers so far.
  std::int64_t total_steps() const;
  KmcSnapshot snapshot() const;
  /// Occupancy summed over every replica of every rank (grid x n), reduced
  /// with NCCL when enabled (CUDA, one GPU per rank), with MPI otherwise.
  std::vector<std::int64_t> occupancy_total(MPI_Comm comm);
  /// The kernel variant this engine runs (after any fallback).
  std::string variant() const;
  /// "NCCL" or "MPI": how occupancy_total reduces.
  std::string reduction_backend() const;
  /// Sets up NCCL over `comm` when the build has it and every rank has its own GPU.
  void enable_device_reduction(MPI_Comm comm);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pk::kmc
