// A KMC output file (`pandakinetics kmc --output run.h5`) read back for
// analysis: the network, the run's conditions and, per replica, the sums the
// estimators need (events, phase times with their censored tails, first
// passages with their exposure), recomputed from /results/walkers.
#pragma once

#include "network/network.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pk::pipeline {

/// One replica's sums over its walkers (docs/formats.md "Estimators").
struct ReplicaSums {
  double temperature_K = 0, concentration_M = 0;
  double walkers = 0;
  double unbinding_events = 0, binding_events = 0;
  double bound_time_s = 0, unbound_time_s = 0;  ///< completed phases plus the censored tail
  double censored_bound_time_s = 0;              ///< tail of walkers still bound at the end
  double walkers_still_bound = 0;
  double passages_to_unbound = 0, exposure_to_unbound_s = 0;  ///< walkers that did not start unbound
  double passages_to_bound = 0, exposure_to_bound_s = 0;      ///< walkers that did not start bound
};

struct KmcRun {
  std::string path;
  network::Network net;
  double kappa = 1.0;
  std::int32_t replicas = 0, walkers = 0;
  double horizon_s = 0;
  std::vector<ReplicaSums> sums;  ///< one per replica, in replica order
};

/// Reads and checks a KMC output file; throws pk::InputError naming the file
/// and the dataset for anything missing or inconsistent.
KmcRun read_kmc_run(const std::string& path);

/// Sums of one replica from its walkers' arrays (exposed for tests).
ReplicaSums sum_walkers(const std::vector<double>& bound_phase_time_s, const std::vector<double>& unbound_phase_time_s,
                        const std::vector<std::int32_t>& unbinding_events,
                        const std::vector<std::int32_t>& binding_events, const std::vector<std::int32_t>& phase,
                        const std::vector<double>& phase_start_s, const std::vector<double>& observation_end_s,
                        const std::vector<double>& first_passage_to_unbound_s,
                        const std::vector<double>& first_passage_to_bound_s, std::size_t begin, std::size_t end);

}  // namespace pk::pipeline
