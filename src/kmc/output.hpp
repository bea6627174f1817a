// KMC results and checkpoints in HDF5, written collectively by all ranks:
// each rank writes its replicas' slabs, so the file is the same for any
// number of ranks (docs/formats.md lists every dataset).
#pragma once

#include "io/hdf5.hpp"
#include "kmc/engine.hpp"
#include "kmc/estimates.hpp"

#include <string>
#include <vector>

namespace pk::kmc {

/// Sizes of the run, and this rank's share of the replicas.
struct RunLayout {
  std::int32_t replicas_total = 0, first_replica = 0, replicas_local = 0, walkers = 0;
  std::int32_t n = 0, grid_points = 0, traj_walkers = 0, traj_length = 0, dwell_bins = 0;
  std::int64_t nnz = 0;
  double horizon_s = 0, dwell_log10_min = 0, dwell_bins_per_decade = 0;
  bool count_transitions = true;
};

/// Calls f(name, vector, values per replica) for every array of a snapshot.
template <class Snapshot, class F>
void visit_fields(Snapshot& s, const RunLayout& L, F&& f) {
  const std::int64_t W = L.walkers;
  f("state", s.state, W);
  f("phase", s.phase, W);
  f("done", s.done, W);
  f("next_grid", s.next_grid, W);
  f("n_bind", s.n_bind, W);
  f("n_unbind", s.n_unbind, W);
  f("steps", s.steps, W);
  f("time", s.time, W);
  f("phase_start", s.phase_start, W);
  f("fpt_bound", s.fpt_bound, W);
  f("fpt_unbound", s.fpt_unbound, W);
  f("first_dwell", s.first_dwell, W);
  f("bound_time", s.bound_time, W);
  f("unbound_time", s.unbound_time, W);
  f("occupancy", s.occupancy, static_cast<std::int64_t>(L.grid_points) * L.n);
  f("transitions", s.transitions, L.count_transitions ? L.nnz : 0);
  f("dwell_hist", s.dwell_hist, static_cast<std::int64_t>(L.dwell_bins));
  f("traj_time", s.traj_time, static_cast<std::int64_t>(L.traj_walkers) * L.traj_length);
  f("traj_state", s.traj_state, static_cast<std::int64_t>(L.traj_walkers) * L.traj_length);
  f("traj_count", s.traj_count, static_cast<std::int64_t>(L.traj_walkers));
}

/// /results, /trajectories and /replicas from this rank's snapshot.
void write_results(const io::File& file, const KmcSnapshot& snap, const RunLayout& layout,
                   const std::vector<ReplicaTotals>& local_totals, const std::vector<std::int64_t>& occupancy_total);

/// /estimates: one row per (temperature, concentration) group.
void write_estimates_h5(const io::File& file, const std::vector<ConditionEstimates>& groups);

/// Checkpoint: every array of the snapshot plus the fingerprint of the run
/// and how far it got; written to a temporary name and renamed.
void write_checkpoint(const std::string& path, MPI_Comm comm, const KmcSnapshot& snap, const RunLayout& layout,
                      const std::string& fingerprint, double reached_s, std::int64_t segment);

/// Reads this rank's replicas back; refuses a checkpoint of another run
/// (fingerprint) or a damaged file with pk::InputError.
KmcSnapshot read_checkpoint(const std::string& path, const RunLayout& layout, const std::string& fingerprint,
                            std::int64_t& segment);

/// The fingerprint a checkpoint was written with ("" when `path` is not a
/// readable KMC checkpoint): whether it belongs to this run (`kmc --resume`).
std::string checkpoint_fingerprint(const std::string& path);

}  // namespace pk::kmc
