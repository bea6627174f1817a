#include "kmc/output.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace pk::kmc {

void write_results(const io::File& f, const KmcSnapshot& s, const RunLayout& L,
                   const std::vector<ReplicaTotals>& totals, const std::vector<std::int64_t>& occupancy_total) {
  const std::vector<double> end = observation_end(s, L.horizon_s);
  const std::string w = "/results/walkers/";
  io::write_distributed(f, w + "first_passage_to_bound_s", s.fpt_bound, "s");
  io::write_distributed(f, w + "first_passage_to_unbound_s", s.fpt_unbound, "s");
  io::write_distributed(f, w + "first_bound_dwell_s", s.first_dwell, "s");
  io::write_distributed(f, w + "binding_events", s.n_bind, "1");
  io::write_distributed(f, w + "unbinding_events", s.n_unbind, "1");
  io::write_distributed(f, w + "bound_phase_time_s", s.bound_time, "s");
  io::write_distributed(f, w + "unbound_phase_time_s", s.unbound_time, "s");
  io::write_distributed(f, w + "phase", s.phase, "1");
  io::write_distributed(f, w + "phase_start_s", s.phase_start, "s");
  io::write_distributed(f, w + "observation_end_s", end, "s");
  io::write_distributed(f, w + "final_state", s.state, "1");
  io::write_distributed(f, w + "steps", s.steps, "1");
  io::write_attribute(f, "/results/walkers", "legend",
                      std::string("replica-major (index = replica * walkers + walker); first passage -1 = not "
                                  "reached, 0 = started there; phase 0 bound, 1 unbound, 2 neither yet"));
  io::write_distributed(f, "/results/occupancy", s.occupancy, "walkers");
  io::write_attribute(f, "/results/occupancy", "shape", "replicas x time_grid x states");
  io::write_replicated(f, "/results/occupancy_total", occupancy_total, "walkers");
  io::write_attribute(f, "/results/occupancy_total", "shape", "time_grid x states (sum over replicas)");
  std::vector<double> grid(L.grid_points);
  for (int g = 0; g < L.grid_points; ++g) grid[g] = g * (L.horizon_s / L.grid_points);
  io::write_replicated(f, "/results/time_grid_s", grid, "s");
  if (L.count_transitions) {
    io::write_distributed(f, "/results/transition_counts", s.transitions, "1");
    io::write_attribute(f, "/results/transition_counts", "shape",
                        "replicas x edges (edges in /results/edge_from, /results/edge_to order)");
  }
  io::write_distributed(f, "/results/bound_dwell_histogram", s.dwell_hist, "1");
  io::write_replicated(f, "/results/bound_dwell_bin_edges_s", dwell_bin_edges(L.dwell_log10_min, L.dwell_bins_per_decade, L.dwell_bins), "s");
  io::write_distributed(f, "/trajectories/time_s", s.traj_time, "s");
  io::write_distributed(f, "/trajectories/state", s.traj_state, "1");
  io::write_distributed(f, "/trajectories/length", s.traj_count, "1");
  io::write_attribute(f, "/trajectories", "shape", "replicas x walkers_kept x max_length; `length` entries valid");
  std::vector<double> temp, conc, koff, kon, events;
  std::vector<std::int32_t> index;
  for (std::size_t r = 0; r < totals.size(); ++r) {
    index.push_back(L.first_replica + static_cast<std::int32_t>(r));
    temp.push_back(totals[r].temperature_K);
    conc.push_back(totals[r].concentration_M);
    koff.push_back(totals[r].bound_time_s > 0 ? totals[r].n_unbind / totals[r].bound_time_s : NAN);
    kon.push_back(totals[r].unbound_time_s > 0 ? totals[r].n_bind / (totals[r].unbound_time_s * totals[r].concentration_M)
                                               : NAN);
  }
  io::write_distributed(f, "/replicas/index", index, "1");
  io::write_distributed(f, "/replicas/temperature_K", temp, "K");
  io::write_distributed(f, "/replicas/concentration_M", conc, "M");
  io::write_distributed(f, "/replicas/koff_per_s", koff, "1/s");
  io::write_distributed(f, "/replicas/kon_per_M_per_s", kon, "1/(M s)");
}

void write_estimates_h5(const io::File& f, const std::vector<ConditionEstimates>& groups) {
  auto column = [&](const std::string& name, const std::string& unit, auto get) {
    std::vector<double> v, lo, hi;
    for (const auto& g : groups) {
      const Estimate e = get(g);
      v.push_back(e.value);
      lo.push_back(e.ci_low);
      hi.push_back(e.ci_high);
    }
    io::write_replicated(f, "/estimates/" + name, v, unit);
    io::write_replicated(f, "/estimates/" + name + "_ci95_low", lo, unit);
    io::write_replicated(f, "/estimates/" + name + "_ci95_high", hi, unit);
  };
  std::vector<double> t, c;
  for (const auto& g : groups) {
    t.push_back(g.temperature_K);
    c.push_back(g.concentration_M);
  }
  io::write_replicated(f, "/estimates/temperature_K", t, "K");
  io::write_replicated(f, "/estimates/concentration_M", c, "M");
  column("koff", "1/s", [](const ConditionEstimates& g) { return g.koff_per_s; });
  column("kon", "1/(M s)", [](const ConditionEstimates& g) { return g.kon_per_M_per_s; });
  column("residence_time", "s", [](const ConditionEstimates& g) { return g.residence_time_s; });
  column("kd", "M", [](const ConditionEstimates& g) { return g.kd_M; });
  column("dG", "kcal/mol", [](const ConditionEstimates& g) { return g.dg_kcal_per_mol; });
  column("mfpt_bound_to_unbound", "s", [](const ConditionEstimates& g) { return g.mfpt_bound_to_unbound_s; });
  column("mfpt_unbound_to_bound", "s", [](const ConditionEstimates& g) { return g.mfpt_unbound_to_bound_s; });
}

void write_checkpoint(const std::string& path, MPI_Comm comm, const KmcSnapshot& snap, const RunLayout& L,
                      const std::string& fingerprint, double reached_s, std::int64_t segment) {
  io::PendingFile pending(path, comm);
  {
    io::File f = io::File::create(pending.temporary(), comm);
    io::write_h5md_header(f, "pandakinetics kmc checkpoint");
    visit_fields(snap, L, [&](const char* name, const auto& v, std::int64_t) {
      io::write_distributed(f, std::string("/checkpoint/") + name, v, "");
    });
    io::write_attribute(f, "/checkpoint", "fingerprint", fingerprint);
    io::write_attribute(f, "/checkpoint", "reached_s", reached_s);
    io::write_attribute(f, "/checkpoint", "segment", static_cast<double>(segment));
    f.close();  // a failed flush (full disk) throws here, before the commit
  }
  pending.commit();
}

namespace {
/// Every value of a checkpoint that the kernel indexes with or steps from
/// (issue 19: a tampered state index crashed the kernel, a NaN time hung it).
/// `first` is the global index of v[0], for the message.
template <class T, class Ok>
void check_values(const std::string& path, const char* name, const std::vector<T>& v, std::int64_t first,
                  const std::string& expected, Ok ok) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!ok(v[i])) {
      std::ostringstream what;
      what << "tampered or damaged checkpoint: /checkpoint/" << name << "[" << first + static_cast<std::int64_t>(i)
           << "] = " << +v[i] << ", expected " << expected;
      throw InputError(path, 0, what.str());
    }
}

void check_snapshot(const std::string& path, const KmcSnapshot& s, const RunLayout& L) {
  const std::int64_t w0 = static_cast<std::int64_t>(L.first_replica) * L.walkers;
  const double horizon = L.horizon_s;
  char range[64];
  std::snprintf(range, sizeof range, "a time in [0, %g] s", horizon);
  const std::string in_horizon = range;
  check_values(path, "state", s.state, w0, "a state index in [0, " + std::to_string(L.n) + ")",
               [&](std::int32_t x) { return x >= 0 && x < L.n; });
  check_values(path, "phase", s.phase, w0, "0, 1 or 2", [](std::int32_t x) { return x >= 0 && x <= 2; });
  check_values(path, "done", s.done, w0, "0, 1 or 2", [](std::int32_t x) { return x >= 0 && x <= 2; });
  check_values(path, "next_grid", s.next_grid, w0, "a grid index in [0, " + std::to_string(L.grid_points) + "]",
               [&](std::int32_t x) { return x >= 0 && x <= L.grid_points; });
  const auto count = [](auto x) { return x >= 0; };
  check_values(path, "n_bind", s.n_bind, w0, "a count >= 0", count);
  check_values(path, "n_unbind", s.n_unbind, w0, "a count >= 0", count);
  check_values(path, "steps", s.steps, w0, "a count >= 0", count);
  // false for NaN; the slack covers sums of dwell pieces rounded above the horizon
  const auto time = [&](double x) { return x >= 0 && x <= horizon * (1 + 1e-9); };
  check_values(path, "time", s.time, w0, in_horizon, time);
  check_values(path, "phase_start", s.phase_start, w0, in_horizon, time);
  check_values(path, "bound_time", s.bound_time, w0, in_horizon, time);
  check_values(path, "unbound_time", s.unbound_time, w0, in_horizon, time);
  const auto passage = [&](double x) { return x == -1.0 || time(x); };
  check_values(path, "fpt_bound", s.fpt_bound, w0, "-1 (not reached) or " + in_horizon, passage);
  check_values(path, "fpt_unbound", s.fpt_unbound, w0, "-1 (not reached) or " + in_horizon, passage);
  check_values(path, "first_dwell", s.first_dwell, w0, "-1 (not reached) or " + in_horizon, passage);
  const std::int64_t r0 = L.first_replica;
  check_values(path, "occupancy", s.occupancy, r0 * L.grid_points * L.n, "a count >= 0", count);
  check_values(path, "transitions", s.transitions, r0 * L.nnz, "a count >= 0", count);
  check_values(path, "dwell_hist", s.dwell_hist, r0 * L.dwell_bins, "a count >= 0", count);
  check_values(path, "traj_count", s.traj_count, r0 * L.traj_walkers,
               "a length in [0, " + std::to_string(L.traj_length) + "]",
               [&](std::int32_t x) { return x >= 0 && x <= L.traj_length; });
  check_values(path, "traj_state", s.traj_state, r0 * L.traj_walkers * L.traj_length,
               "a state index in [0, " + std::to_string(L.n) + ")", [&](std::int32_t x) { return x >= 0 && x < L.n; });
  check_values(path, "traj_time", s.traj_time, r0 * L.traj_walkers * L.traj_length, in_horizon, time);
}
}  // namespace

KmcSnapshot read_checkpoint(const std::string& path, const RunLayout& L, const std::string& fingerprint,
                            std::int64_t& segment) {
  io::File f = io::File::open_read(path, MPI_COMM_NULL);
  std::string found;
  try {
    found = io::read_string_attribute(f, "/checkpoint", "fingerprint");
  } catch (const InputError&) {
    throw InputError(path, 0, "not a PandaKinetics KMC checkpoint (no /checkpoint@fingerprint)");
  }
  if (found != fingerprint)
    throw InputError(path, 0, "checkpoint of a different run (fingerprint " + found + ", this run " + fingerprint +
                                  "): network, seed, replicas, walkers and sampling options must match");
  const double stored_segment = io::read_double_attribute(f, "/checkpoint", "segment");
  if (!(stored_segment >= 0 && stored_segment < 1e15) || stored_segment != std::floor(stored_segment))
    throw InputError(path, 0, "tampered or damaged checkpoint: /checkpoint@segment = " + std::to_string(stored_segment) +
                                  ", expected a whole number >= 0");
  segment = static_cast<std::int64_t>(stored_segment);
  // The simulated time the checkpoint was taken at (issue 19: a NaN here hung a restart).
  const double reached = io::read_double_attribute(f, "/checkpoint", "reached_s");
  if (!(reached >= 0 && reached <= L.horizon_s * (1 + 1e-9))) {
    char what[160];
    std::snprintf(what, sizeof what, "tampered or damaged checkpoint: /checkpoint@reached_s = %g, expected a time in [0, %g] s",
                  reached, L.horizon_s);
    throw InputError(path, 0, what);
  }
  KmcSnapshot s;
  visit_fields(s, L, [&](const char* name, auto& v, std::int64_t per_replica) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    v = io::read_range<T>(f, std::string("/checkpoint/") + name,
                          static_cast<std::uint64_t>(L.first_replica) * per_replica,
                          static_cast<std::uint64_t>(L.replicas_local) * per_replica);
  });
  check_snapshot(path, s, L);
  return s;
}

std::string checkpoint_fingerprint(const std::string& path) {
  try {
    io::File f = io::File::open_read(path, MPI_COMM_NULL);
    return io::read_string_attribute(f, "/checkpoint", "fingerprint");
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace pk::kmc
