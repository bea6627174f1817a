#include "solve/exact.hpp"

#include "core/error.hpp"
#include "core/units.hpp"
#include "solve/solver.hpp"

#include <cmath>

namespace pk::solve {
namespace {

struct Moments {
  double mean = 0.0;
  double second = 0.0;
};

/// First-passage moments averaged over a start distribution.
Moments averaged(const PassageTimes& times, const std::vector<double>& start) {
  Moments m;
  for (std::size_t i = 0; i < start.size(); ++i) {
    if (start[i] == 0.0) continue;
    m.mean += start[i] * times.mean_s[i];
    m.second += start[i] * times.second_moment_s2[i];
  }
  return m;
}

}  // namespace

ExactKinetics exact_kinetics(const network::Network& net, const network::Conditions& cond,
                             const std::vector<double>& times_s) {
  using network::Macrostate;
  const StateSet bound = network::states_in(net, Macrostate::Bound);
  const StateSet unbound = network::states_in(net, Macrostate::Unbound);
  if (bound.empty() || unbound.empty())
    throw InputError(net.source, 0, "exact kinetics need at least one bound and one unbound state");
  const network::RateMatrix rates = network::build_rates(net, cond);
  const std::vector<double> from_bound = network::start_distribution(net, Macrostate::Bound, cond.temperature_K);
  const std::vector<double> from_unbound = network::start_distribution(net, Macrostate::Unbound, cond.temperature_K);

  ExactKinetics ex;
  ex.n_states = rates.n;
  ex.temperature_K = cond.temperature_K;
  ex.concentration_M = cond.concentration_M;
  ex.lag_time_s = rates.lag_time_s;

  const PassageTimes to_unbound = mfpt_to_set(rates, unbound);
  const Moments off = averaged(to_unbound, from_bound);
  ex.mfpt_to_unbound_s = to_unbound.mean_s;
  ex.residence_time_s = off.mean;
  ex.residence_time_second_moment_s2 = off.second;
  ex.koff_per_s = 1.0 / off.mean;

  const PassageTimes to_bound = mfpt_to_set(rates, bound);
  const Moments on = averaged(to_bound, from_unbound);
  ex.mfpt_to_bound_s = to_bound.mean_s;
  ex.mfpt_unbound_to_bound_s = on.mean;
  ex.mfpt_unbound_to_bound_second_moment_s2 = on.second;
  ex.kon_per_M_per_s = 1.0 / (on.mean * cond.concentration_M);
  ex.kd_M = ex.koff_per_s / ex.kon_per_M_per_s;
  ex.dG_kcal_per_mol = units::rt_kcal_per_mol(cond.temperature_K) * std::log(ex.kd_M / units::kStandardConcentration_M);

  ex.stationary = stationary_distribution(rates);
  ex.committor_to_bound = committor(rates, unbound, bound);
  ex.relaxation_times_s = relaxation_times(rates);
  ex.times_s = times_s;
  ex.bound_survival = survival_probability(rates, from_bound, unbound, times_s);
  ex.binding_cdf = first_passage_cdf(rates, from_unbound, bound, times_s);
  ex.occupancy = propagate(rates, from_unbound, times_s);
  return ex;
}

}  // namespace pk::solve
