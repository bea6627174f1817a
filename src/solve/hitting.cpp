// Stationary distribution, first-passage moments and committors: linear
// solves by subtraction-free elimination (solve/detail/elimination.hpp).
#include "solve/solver.hpp"

#include "core/error.hpp"
#include "solve/detail/dense.hpp"
#include "solve/detail/elimination.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace pk::solve {

using detail::Mask;

std::vector<double> stationary_distribution(const network::RateMatrix& rates) {
  detail::validate(rates);
  if (rates.n == 0) throw UsageError("stationary distribution of an empty network");
  const detail::RowMatrix w = detail::offdiagonal_weights(rates);
  const Eigen::VectorXd pi = detail::gth_stationary(w);
  // Residual of the balance equations relative to the total probability flow.
  const Eigen::VectorXd out_rates = w.rowwise().sum();
  const Eigen::VectorXd inflow = w.transpose() * pi;
  const double flow = pi.dot(out_rates);
  const double residual = (inflow - pi.cwiseProduct(out_rates)).lpNorm<1>();
  if (!(residual <= 1e-8 * flow) && flow > 0.0)
    throw SystemError("stationary distribution: relative residual " + std::to_string(residual / flow) +
                      " exceeds 1e-8");
  return std::vector<double>(pi.data(), pi.data() + pi.size());
}

bool satisfies_detailed_balance(const network::RateMatrix& rates) {
  detail::validate(rates);
  return detail::reversible_log_weights(rates).has_value();
}

PassageTimes mfpt_to_set(const network::RateMatrix& rates, const StateSet& target) {
  detail::validate(rates);
  if (target.empty()) throw UsageError("mean first-passage time to an empty set of states");
  const Mask in_target = detail::mask_of(target, rates.n, "target set");
  // States from which the target may be missed forever have infinite moments:
  // those that cannot reach it, and those that can reach such a state first.
  const Mask reach = detail::can_reach(rates, in_target, in_target);
  Mask stranded(reach.size(), 0);
  for (std::size_t i = 0; i < reach.size(); ++i) stranded[i] = !reach[i];
  const Mask lost = detail::can_reach(rates, stranded, in_target);
  Mask finite(reach.size(), 0);
  for (std::size_t i = 0; i < reach.size(); ++i) finite[i] = !in_target[i] && !lost[i];
  const std::vector<std::int32_t> states = detail::indices_where(finite, true);

  const detail::AbsorbingFactor factor(detail::offdiagonal_weights(rates), states);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(factor.size());
  Eigen::VectorXd mean = factor.solve(ones);
  Eigen::VectorXd second;
  if (rates.discrete_time()) {
    // Steps N: E[N^2] = 1 + 2 P_AA E[N] + P_AA E[N^2], and P_AA E[N] = E[N] - 1.
    const double tau = rates.lag_time_s;
    second = tau * tau * factor.solve(2.0 * mean - ones);
    mean *= tau;
  } else {
    second = 2.0 * factor.solve(mean);
  }
  PassageTimes out;
  const double inf = std::numeric_limits<double>::infinity();
  out.mean_s.assign(static_cast<std::size_t>(rates.n), 0.0);
  out.second_moment_s2.assign(static_cast<std::size_t>(rates.n), 0.0);
  for (std::size_t i = 0; i < lost.size(); ++i)
    if (lost[i] && !in_target[i]) out.mean_s[i] = out.second_moment_s2[i] = inf;
  for (std::size_t a = 0; a < states.size(); ++a) {
    out.mean_s[states[a]] = mean(static_cast<Eigen::Index>(a));
    out.second_moment_s2[states[a]] = second(static_cast<Eigen::Index>(a));
  }
  return out;
}

std::vector<double> committor(const network::RateMatrix& rates, const StateSet& from_set, const StateSet& to_set) {
  detail::validate(rates);
  if (to_set.empty()) throw UsageError("committor to an empty set of states");
  const Mask from = detail::mask_of(from_set, rates.n, "committor 'from' set");
  const Mask to = detail::mask_of(to_set, rates.n, "committor 'to' set");
  Mask absorbing(from.size(), 0);
  for (std::size_t i = 0; i < from.size(); ++i) {
    if (from[i] && to[i])
      throw UsageError("state " + std::to_string(i) + " is in both the 'from' and the 'to' set of a committor");
    absorbing[i] = from[i] || to[i];
  }
  // States that reach neither set have no committor; they absorb (as misses)
  // for the others.
  Mask solvable = detail::can_reach(rates, absorbing, absorbing);
  for (std::size_t i = 0; i < solvable.size(); ++i) solvable[i] = solvable[i] && !absorbing[i];
  const std::vector<std::int32_t> states = detail::indices_where(solvable, true);

  const detail::RowMatrix w = detail::offdiagonal_weights(rates);
  const detail::AbsorbingFactor factor(w, states);
  Eigen::VectorXd into_to = Eigen::VectorXd::Zero(factor.size());
  const std::vector<std::int32_t> to_states = detail::indices_where(to, true);
  for (std::size_t a = 0; a < states.size(); ++a)
    for (std::int32_t j : to_states) into_to(static_cast<Eigen::Index>(a)) += w(states[a], j);
  const Eigen::VectorXd q = factor.solve(into_to);

  std::vector<double> out(static_cast<std::size_t>(rates.n), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < out.size(); ++i)
    if (absorbing[i]) out[i] = to[i] ? 1.0 : 0.0;
  for (std::size_t a = 0; a < states.size(); ++a) out[states[a]] = q(static_cast<Eigen::Index>(a));
  return out;
}

}  // namespace pk::solve
