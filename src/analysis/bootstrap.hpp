// Kinetic estimates with 95% confidence intervals by bootstrap over replicas
// (a replica is the statistical unit: its own random stream, thousands of
// walkers). Point values are the pooled estimators of docs/formats.md
// ("Estimators": koff = unbinding events / bound-phase time including the
// censored tails, kon = binding events / (unbound-phase time x [L]), ...);
// the interval is the 2.5 and 97.5 percentiles of the same estimator over
// replicas drawn with replacement. With fewer than 20 events or a single
// replica a rate's interval is Garwood's exact Poisson interval instead.
#pragma once

#include "kmc/output_read.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pk::pipeline {

struct Interval {
  double value = 0, ci_low = 0, ci_high = 0;  ///< NaN where undefined
  /// "bootstrap-percentile", "poisson" (few events) or "undefined".
  std::string method = "undefined";
};

struct BootstrapSettings {
  int resamples = 2000;
  std::uint64_t seed = 1;
};

/// Estimates for the replicas that share one temperature and concentration.
struct GroupEstimates {
  double temperature_K = 0, concentration_M = 0;
  int replicas = 0;
  double walkers = 0, unbinding_events = 0, binding_events = 0;
  double bound_time_s = 0, unbound_time_s = 0, censored_bound_time_s = 0, walkers_still_bound = 0;
  double passages_to_unbound = 0, passages_to_bound = 0;
  Interval koff_per_s, kon_per_M_per_s, residence_time_s, kd_M, dG_kcal_per_mol;
  Interval mfpt_bound_to_unbound_s, mfpt_unbound_to_bound_s;
  /// The pooled koff and kon of every bootstrap resample (same resamples for
  /// both), for ratios and fits built on top of them.
  std::vector<double> koff_samples, kon_samples;
};

/// Groups replicas by (temperature, concentration), in ascending order, and
/// estimates each. `stream` separates the random draws of different files.
std::vector<GroupEstimates> estimate_groups(const std::vector<ReplicaSums>& replicas, const BootstrapSettings& settings,
                                            std::uint64_t stream = 0);

/// Lower and upper percentile (level 0.95: 2.5% and 97.5%) of the samples,
/// linear interpolation between order statistics; NaN samples are dropped
/// (an infinite one counts). {NaN, NaN} when fewer than 2 remain.
std::pair<double, double> percentile_interval(std::vector<double> samples, double level = 0.95);

/// Garwood's exact 95% interval for a Poisson count `events` over `exposure`.
std::pair<double, double> poisson_rate_interval(double events, double exposure);

/// Replica indices drawn with replacement: a counter-based stream (SplitMix64
/// of seed, stream, resample, draw), so results do not depend on anything else.
std::vector<std::size_t> resample_indices(std::uint64_t seed, std::uint64_t stream, std::uint64_t resample,
                                          std::size_t n);

/// Rates with fewer events than this get Poisson intervals.
inline constexpr double kMinEventsForBootstrap = 20;

}  // namespace pk::pipeline
