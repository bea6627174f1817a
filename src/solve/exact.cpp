#include "solve/exact.hpp"

#include <algorithm>
#include <future>
#include <string>

#include "core/error.hpp"
#include "core/units.hpp"
#include "network/validate.hpp"
#include "solve/detail/reversal.hpp"
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

namespace {
// Renewal rates from the stationary flux between the bound and unbound
// phases (see ExactKinetics::koff_renewal_per_s). `last_bound` is the
// backward committor: the forward one of the time-reversed chain, which is
// the chain itself under detailed balance.
void renewal_rates(const network::RateMatrix& m, const std::vector<double>& pi, const std::vector<double>& last_bound,
                   const StateSet& unbound, double concentration_M, ExactKinetics& ex) {
  std::vector<char> in_unbound(m.n, 0);
  for (auto u : unbound) in_unbound[u] = 1;
  double p_bound = 0, p_unbound = 0, flux = 0;
  for (std::int32_t i = 0; i < m.n; ++i) {
    const double q = std::isfinite(last_bound[i]) ? last_bound[i] : 0.0;
    p_bound += pi[i] * q;
    p_unbound += pi[i] * (std::isfinite(last_bound[i]) ? 1.0 - q : 0.0);
    if (in_unbound[i]) continue;
    for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e)
      if (in_unbound[m.targets[e]]) flux += pi[i] * q * m.values[e];
  }
  if (m.discrete_time()) flux /= m.lag_time_s;
  ex.koff_renewal_per_s = flux / p_bound;
  ex.kon_renewal_per_M_per_s = flux / (p_unbound * concentration_M);
}

/// The sparse solver's loss-of-accuracy error, prefixed with the binding
/// quantity it was computing.
template <class F>
auto naming(const char* quantity, F&& f) {
  try {
    return f();
  } catch (const SystemError& e) {
    throw SystemError(std::string(quantity) + ": " + e.what());
  }
}
}  // namespace

ExactKinetics exact_kinetics(const network::Network& net, const network::Conditions& cond,
                             const std::vector<double>& times_s, std::int32_t max_time_dependent_states) {
  using network::Macrostate;
  const StateSet bound = network::states_in(net, Macrostate::Bound);
  const StateSet unbound = network::states_in(net, Macrostate::Unbound);
  if (bound.empty() || unbound.empty())
    throw InputError(net.source, 0, "exact kinetics need at least one bound and one unbound state");
  network::check_irreducible(net);  // names the states the solver could not handle, with the file
  const network::RateMatrix rates = network::build_rates(net, cond);
  const std::vector<double> from_bound = network::start_distribution(net, Macrostate::Bound, cond.temperature_K);
  const std::vector<double> from_unbound = network::start_distribution(net, Macrostate::Unbound, cond.temperature_K);

  ExactKinetics ex;
  ex.n_states = rates.n;
  ex.temperature_K = cond.temperature_K;
  ex.concentration_M = cond.concentration_M;
  ex.lag_time_s = rates.lag_time_s;

  // The three factorisations are independent: the MFPTs both ways and the
  // committor run concurrently (on the host's cores; each is one sparse LU
  // above kDenseExactStates states).
  auto off_task = std::async(std::launch::async, [&] {
    return naming("koff (MFPT to the unbound states)", [&] { return mfpt_to_set(rates, unbound); });
  });
  auto on_task = std::async(std::launch::async, [&] {
    return naming("kon (MFPT to the bound states)", [&] { return mfpt_to_set(rates, bound); });
  });
  ex.committor_to_bound = naming("committor to the bound states", [&] { return committor(rates, unbound, bound); });
  ex.stationary = naming("stationary distribution", [&] { return stationary_distribution(rates); });
  const std::vector<double> last_bound =
      satisfies_detailed_balance(rates)
          ? ex.committor_to_bound
          : naming("renewal rates (backward committor)",
                   [&] { return committor(detail::time_reversed(rates, ex.stationary), unbound, bound); });
  renewal_rates(rates, ex.stationary, last_bound, unbound, cond.concentration_M, ex);

  const PassageTimes to_unbound = off_task.get();
  const Moments off = averaged(to_unbound, from_bound);
  ex.mfpt_to_unbound_s = to_unbound.mean_s;
  ex.residence_time_s = off.mean;
  ex.residence_time_second_moment_s2 = off.second;
  ex.koff_per_s = 1.0 / off.mean;

  const PassageTimes to_bound = on_task.get();
  const Moments on = averaged(to_bound, from_unbound);
  ex.mfpt_to_bound_s = to_bound.mean_s;
  ex.mfpt_unbound_to_bound_s = on.mean;
  ex.mfpt_unbound_to_bound_second_moment_s2 = on.second;
  ex.kon_per_M_per_s = 1.0 / (on.mean * cond.concentration_M);
  ex.kd_M = ex.koff_per_s / ex.kon_per_M_per_s;
  ex.dG_kcal_per_mol = units::rt_kcal_per_mol(cond.temperature_K) * std::log(ex.kd_M / units::kStandardConcentration_M);

  if (rates.n > max_time_dependent_states) {
    ex.time_dependent_note = "time-dependent curves are computed only up to " +
                             std::to_string(max_time_dependent_states) + " states (this network has " +
                             std::to_string(rates.n) + "): relaxation times, S(t), F(t) and P(t) left empty";
    return ex;
  }
  ex.relaxation_times_s = relaxation_times(rates);
  ex.times_s = times_s;
  ex.bound_survival = survival_probability(rates, from_bound, unbound, times_s);
  ex.binding_cdf = first_passage_cdf(rates, from_unbound, bound, times_s);
  ex.occupancy = propagate(rates, from_unbound, times_s);
  return ex;
}

}  // namespace pk::solve
