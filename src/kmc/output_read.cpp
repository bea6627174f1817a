#include "kmc/output_read.hpp"

#include "core/error.hpp"
#include "core/units.hpp"
#include "io/hdf5.hpp"
#include "network/network_h5.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace pk::pipeline {

namespace {

constexpr std::int32_t kPhaseBound = 0, kPhaseUnbound = 1;  // docs/formats.md /results/walkers/phase

double parameter(const io::File& f, const std::string& name) {
  const std::string text = io::read_string_attribute(f, "/parameters", name);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    throw InputError(f.path(), 0, "/parameters@" + name + " = '" + text + "': expected a number");
  return v;
}

/// Every per-walker time finite and in [0, horizon] (first passages also -1,
/// not reached), counts >= 0, phases 0..2: a NaN would otherwise flow into
/// every estimate and be reported as a result (issue 19).
void check_walker_values(const std::string& path, const std::string& dataset, const std::vector<double>& v,
                         double horizon_s, bool passage) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!((v[i] >= 0 && v[i] <= horizon_s * (1 + 1e-9)) || (passage && v[i] == -1.0))) {
      char text[64];
      std::snprintf(text, sizeof text, "%g", v[i]);
      throw InputError(path, 0, dataset + "[" + std::to_string(i) + "] = " + text + ": expected " +
                                    (passage ? "-1 (not reached) or " : "") + "a time in [0, horizon] s");
    }
}

void check_walker_values(const std::string& path, const std::string& dataset, const std::vector<std::int32_t>& v,
                         std::int32_t max) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] < 0 || v[i] > max)
      throw InputError(path, 0, dataset + "[" + std::to_string(i) + "] = " + std::to_string(v[i]) + ": expected 0.." +
                                    std::to_string(max));
}

}  // namespace

ReplicaSums sum_walkers(const std::vector<double>& bound_time, const std::vector<double>& unbound_time,
                        const std::vector<std::int32_t>& n_unbind, const std::vector<std::int32_t>& n_bind,
                        const std::vector<std::int32_t>& phase, const std::vector<double>& phase_start,
                        const std::vector<double>& end, const std::vector<double>& fpt_unbound,
                        const std::vector<double>& fpt_bound, std::size_t begin, std::size_t stop) {
  ReplicaSums r;
  for (std::size_t i = begin; i < stop; ++i) {
    r.walkers += 1;
    r.unbinding_events += n_unbind[i];
    r.binding_events += n_bind[i];
    const double tail = end[i] - phase_start[i];
    r.bound_time_s += bound_time[i] + (phase[i] == kPhaseBound ? tail : 0.0);
    r.unbound_time_s += unbound_time[i] + (phase[i] == kPhaseUnbound ? tail : 0.0);
    if (phase[i] == kPhaseBound) {
      r.censored_bound_time_s += tail;
      r.walkers_still_bound += 1;
    }
    // First passages: 0 = started in the target (not counted), -1 = not reached (censored at the end).
    if (fpt_unbound[i] != 0.0) {
      r.passages_to_unbound += fpt_unbound[i] > 0.0;
      r.exposure_to_unbound_s += fpt_unbound[i] > 0.0 ? fpt_unbound[i] : end[i];
    }
    if (fpt_bound[i] != 0.0) {
      r.passages_to_bound += fpt_bound[i] > 0.0;
      r.exposure_to_bound_s += fpt_bound[i] > 0.0 ? fpt_bound[i] : end[i];
    }
  }
  return r;
}

KmcRun read_kmc_run(const std::string& path) {
  KmcRun run;
  run.path = path;
  io::File f = io::File::open_read(path, MPI_COMM_NULL);
  if (H5Lexists(f.get(), "/results", H5P_DEFAULT) <= 0)
    throw InputError(path, 0, "not a KMC output file (no /results group; written by pandakinetics kmc --output)");
  run.net = network::read_network_h5(path, "/network");
  run.kappa = parameter(f, "kappa");
  run.horizon_s = parameter(f, "time");
  const double replicas = parameter(f, "replicas"), walkers = parameter(f, "walkers");
  if (!(run.horizon_s > 0)) throw InputError(path, 0, "/parameters@time: expected a time horizon > 0 s");
  if (!(replicas < 2e9 && walkers < 2e9)) throw InputError(path, 0, "/parameters: replicas and walkers out of range");
  run.replicas = static_cast<std::int32_t>(replicas);
  run.walkers = static_cast<std::int32_t>(walkers);
  if (run.replicas < 1 || run.walkers < 1) throw InputError(path, 0, "/parameters: replicas and walkers must be >= 1");

  const std::string w = "/results/walkers/";
  const auto bound_time = io::read_all<double>(f, w + "bound_phase_time_s");
  const auto unbound_time = io::read_all<double>(f, w + "unbound_phase_time_s");
  const auto n_unbind = io::read_all<std::int32_t>(f, w + "unbinding_events");
  const auto n_bind = io::read_all<std::int32_t>(f, w + "binding_events");
  const auto phase = io::read_all<std::int32_t>(f, w + "phase");
  const auto phase_start = io::read_all<double>(f, w + "phase_start_s");
  const auto end = io::read_all<double>(f, w + "observation_end_s");
  const auto fpt_unbound = io::read_all<double>(f, w + "first_passage_to_unbound_s");
  const auto fpt_bound = io::read_all<double>(f, w + "first_passage_to_bound_s");
  const auto temperature = io::read_all<double>(f, "/replicas/temperature_K");
  const auto concentration = io::read_all<double>(f, "/replicas/concentration_M");
  const std::size_t n = static_cast<std::size_t>(run.replicas) * static_cast<std::size_t>(run.walkers);
  for (const auto* size : {&bound_time, &unbound_time, &phase_start, &end, &fpt_unbound, &fpt_bound})
    if (size->size() != n)
      throw InputError(path, 0, w + "*: " + std::to_string(size->size()) + " values, expected replicas x walkers = " +
                                    std::to_string(n));
  for (const auto* size : {&n_unbind, &n_bind, &phase})
    if (size->size() != n) throw InputError(path, 0, w + "*: integer arrays do not hold replicas x walkers values");
  if (temperature.size() != static_cast<std::size_t>(run.replicas) || concentration.size() != temperature.size())
    throw InputError(path, 0, "/replicas/temperature_K, concentration_M: expected one value per replica");
  check_walker_values(path, w + "bound_phase_time_s", bound_time, run.horizon_s, false);
  check_walker_values(path, w + "unbound_phase_time_s", unbound_time, run.horizon_s, false);
  check_walker_values(path, w + "phase_start_s", phase_start, run.horizon_s, false);
  check_walker_values(path, w + "observation_end_s", end, run.horizon_s, false);
  check_walker_values(path, w + "first_passage_to_unbound_s", fpt_unbound, run.horizon_s, true);
  check_walker_values(path, w + "first_passage_to_bound_s", fpt_bound, run.horizon_s, true);
  const std::int32_t most = std::numeric_limits<std::int32_t>::max();
  check_walker_values(path, w + "unbinding_events", n_unbind, most);
  check_walker_values(path, w + "binding_events", n_bind, most);
  check_walker_values(path, w + "phase", phase, 2);
  for (std::int32_t r = 0; r < run.replicas; ++r) {
    const std::size_t b = static_cast<std::size_t>(r) * run.walkers;
    ReplicaSums s = sum_walkers(bound_time, unbound_time, n_unbind, n_bind, phase, phase_start, end, fpt_unbound,
                                fpt_bound, b, b + run.walkers);
    s.temperature_K = temperature[r];
    s.concentration_M = concentration[r];
    if (!units::temperature_in_range(s.temperature_K) || !units::concentration_in_range(s.concentration_M))
      throw InputError(path, 0, "/replicas: replica " + std::to_string(r) +
                                    " has a temperature outside (0, 1e4] K or a concentration outside (0, 1e3] M");
    run.sums.push_back(s);
  }
  return run;
}

}  // namespace pk::pipeline
