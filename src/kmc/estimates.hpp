// Kinetic estimates from KMC observables, with 95% confidence intervals
// across replicas (replicas are the unit of statistics).
#pragma once

#include "kmc/engine.hpp"

#include <cstdint>
#include <vector>

namespace pk::io {
class JsonWriter;
}

namespace pk::kmc {

/// Sums over one replica's walkers (computed on the host in walker order, so
/// they are the same bits for any number of ranks).
struct ReplicaTotals {
  double temperature_K = 0, concentration_M = 0;
  double walkers = 0, steps = 0;
  double n_bind = 0, n_unbind = 0;
  double bound_time_s = 0, unbound_time_s = 0;  ///< phase times including the censored tail
  double censored_bound_time_s = 0;             ///< bound-phase time of walkers still bound at the end
  double fpt_unbound_observed = 0, fpt_unbound_sum_s = 0, fpt_unbound_exposure_s = 0;
  double fpt_bound_observed = 0, fpt_bound_sum_s = 0, fpt_bound_exposure_s = 0;
  double fpt_unbound_eligible = 0, fpt_bound_eligible = 0;  ///< walkers that did not start in the target
  static constexpr int kFields = 17;
  void to_array(double* out) const;
  static ReplicaTotals from_array(const double* in);
};

/// End of each walker's observation: the horizon, or its last event when its
/// step budget ran out.
std::vector<double> observation_end(const KmcSnapshot& s, double horizon_s);

/// Totals of each replica in `snap` (replicas x walkers).
std::vector<ReplicaTotals> replica_totals(const KmcSnapshot& snap, std::int32_t replicas, std::int32_t walkers,
                                          double horizon_s, const std::vector<double>& temperature_K,
                                          const std::vector<double>& concentration_M);

struct Estimate {
  double value = 0, ci_low = 0, ci_high = 0;  ///< NaN where undefined
  int replicas = 0;                            ///< replicas with a defined estimate
  /// How the interval was made: "replica-t" (Student t over the per-replica
  /// estimates, >= 2 replicas and >= 20 events) or "poisson" (exact-coverage
  /// Garwood interval of the pooled count, for few events).
  const char* ci_method = "replica-t";
};

/// Estimates for replicas that share one temperature and concentration.
struct ConditionEstimates {
  double temperature_K = 0, concentration_M = 0;
  int replicas = 0;
  double walkers = 0, steps = 0, binding_events = 0, unbinding_events = 0;
  double bound_time_s = 0, censored_bound_time_s = 0;
  Estimate koff_per_s, kon_per_M_per_s, residence_time_s, kd_M, dg_kcal_per_mol;
  Estimate mfpt_bound_to_unbound_s, mfpt_unbound_to_bound_s;  ///< censoring-aware, from first passages
  double first_passages_to_unbound = 0, first_passages_to_bound = 0;
  /// Walkers that had not reached the target at the end (censored).
  double censored_to_unbound = 0, censored_to_bound = 0;
};

/// Groups replicas by (temperature, concentration) and estimates each group.
std::vector<ConditionEstimates> estimate(const std::vector<ReplicaTotals>& replicas);

/// Chi-square quantile for p = 0.025 or 0.975 (Wilson-Hilferty; within 1% for dof >= 2).
double chi_square_quantile(double p, double dof);

/// Two-sided 95% Student-t quantile for `dof` degrees of freedom.
double student_t95(int dof);

void write_estimates_json(io::JsonWriter& json, const std::vector<ConditionEstimates>& groups);

}  // namespace pk::kmc
