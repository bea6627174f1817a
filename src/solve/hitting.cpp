// Stationary distribution, first-passage moments and committors: linear
// solves by subtraction-free elimination (solve/detail/elimination.hpp) up
// to kDenseExactStates states, by the scaled sparse LU above
// (solve/detail/sparse_lu.hpp).
#include "solve/solver.hpp"

#include "core/error.hpp"
#include "solve/detail/dense.hpp"
#include "solve/detail/elimination.hpp"
#include "solve/detail/sparse_lu.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace pk::solve {

using detail::Mask;

namespace {

bool sparse(const network::RateMatrix& rates, LinearAlgebra method) {
  return method == LinearAlgebra::Sparse || (method == LinearAlgebra::Automatic && rates.n > kDenseExactStates);
}

/// Automatic mode falls back from a sparse solve that lost accuracy to the
/// dense subtraction-free one up to this many states (n^2 doubles: 200 MB).
constexpr std::int32_t kDenseFallbackStates = 5000;
bool dense_fallback(const network::RateMatrix& rates, LinearAlgebra method) {
  return method == LinearAlgebra::Automatic && rates.n <= kDenseFallbackStates;
}

/// pi from detailed balance, pi_i ~ w_i, when every state's flow balance
/// then holds to relative 1e-12 (else empty): O(edges), exact to rounding
/// along the spanning tree the weights were built on.
std::vector<double> balanced_stationary(const network::RateMatrix& rates) {
  if (!detail::irreducible(rates))
    throw InputError("rate matrix", 0,
                     "the chain is reducible: no unique stationary distribution exists (some state cannot reach "
                     "every other)");
  const auto log_w = detail::reversible_log_weights(rates);
  if (!log_w) return {};
  double top = -std::numeric_limits<double>::infinity();
  for (double x : *log_w) top = std::max(top, x);
  std::vector<double> pi(log_w->size());
  double sum = 0.0;
  for (std::size_t i = 0; i < pi.size(); ++i) sum += pi[i] = std::exp((*log_w)[i] - top);
  for (double& p : pi) p /= sum;
  std::vector<long double> in(pi.size(), 0.0L), out(pi.size(), 0.0L);
  for (std::int32_t i = 0; i < rates.n; ++i)
    for (std::int64_t e = rates.row_offsets[i]; e < rates.row_offsets[i + 1]; ++e) {
      const std::int32_t j = rates.targets[e];
      if (j == i) continue;
      const long double flow = static_cast<long double>(pi[i]) * rates.values[e];
      out[i] += flow;
      in[j] += flow;
    }
  for (std::size_t i = 0; i < pi.size(); ++i)
    if (!(std::abs(static_cast<double>(in[i] - out[i])) <= 1e-12 * static_cast<double>(out[i]))) return {};
  return pi;
}

/// Mean and second moment of the first passage out of the factor's subset.
template <class Factor>
void passage_moments(const Factor& factor, const network::RateMatrix& rates, Eigen::VectorXd& mean,
                     Eigen::VectorXd& second) {
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(factor.size());
  mean = factor.solve(ones);
  if (rates.discrete_time()) {
    // Steps N: E[N^2] = 1 + 2 P_AA E[N] + P_AA E[N^2], and P_AA E[N] = E[N] - 1.
    const double tau = rates.lag_time_s;
    second = tau * tau * factor.solve(2.0 * mean - ones);
    mean *= tau;
  } else {
    second = 2.0 * factor.solve(mean);
  }
}

}  // namespace

std::vector<double> stationary_distribution(const network::RateMatrix& rates, LinearAlgebra method) {
  detail::validate(rates);
  if (rates.n == 0) throw UsageError("stationary distribution of an empty network");
  if (sparse(rates, method)) {
    std::vector<double> pi = balanced_stationary(rates);
    return pi.empty() ? detail::sparse_lu_stationary(rates) : pi;
  }
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

PassageTimes mfpt_to_set(const network::RateMatrix& rates, const StateSet& target, LinearAlgebra method) {
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

  Eigen::VectorXd mean, second;
  bool dense = !sparse(rates, method);
  if (!dense) {
    const std::string what = "mean first-passage time to a set of " + std::to_string(target.size()) + " states";
    try {
      passage_moments(detail::SparseAbsorbingFactor(rates, states, what), rates, mean, second);
    } catch (const SystemError&) {
      // Stiff networks (metastable clusters left with a probability per jump
      // near double precision): the subtraction-free dense elimination where
      // it fits, else the error stands.
      if (!dense_fallback(rates, method)) throw;
      dense = true;
    }
  }
  if (dense) {
    passage_moments(detail::AbsorbingFactor(detail::offdiagonal_weights(rates), states), rates, mean, second);
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

std::vector<double> committor(const network::RateMatrix& rates, const StateSet& from_set, const StateSet& to_set,
                              LinearAlgebra method) {
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
  std::vector<double> out(static_cast<std::size_t>(rates.n), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < out.size(); ++i)
    if (absorbing[i]) out[i] = to[i] ? 1.0 : 0.0;
  bool fallback = false;
  if (sparse(rates, method)) try {
    // States that cannot reach `to` have committor 0 exactly; the others a
    // positive one, which the sparse solve's per-entry error check needs.
    const Mask hits = detail::can_reach(rates, to, absorbing);
    for (std::size_t i = 0; i < solvable.size(); ++i)
      if (solvable[i] && !hits[i]) {
        solvable[i] = 0;
        out[i] = 0.0;
      }
    const std::vector<std::int32_t> states = detail::indices_where(solvable, true);
    const detail::SparseAbsorbingFactor factor(rates, states, "committor");
    Eigen::VectorXd into_to = Eigen::VectorXd::Zero(factor.size());
    for (std::size_t a = 0; a < states.size(); ++a)
      for (std::int64_t e = rates.row_offsets[states[a]]; e < rates.row_offsets[states[a] + 1]; ++e)
        if (to[rates.targets[e]]) into_to(static_cast<Eigen::Index>(a)) += rates.values[e];
    const Eigen::VectorXd q = factor.solve(into_to);
    for (std::size_t a = 0; a < states.size(); ++a) out[states[a]] = q(static_cast<Eigen::Index>(a));
    return out;
  } catch (const SystemError&) {
    if (!dense_fallback(rates, method)) throw;  // as mfpt_to_set
    fallback = true;
  }
  if (fallback) {  // the sparse branch set some states aside: recompute every set
    solvable = detail::can_reach(rates, absorbing, absorbing);
    for (std::size_t i = 0; i < solvable.size(); ++i) {
      solvable[i] = solvable[i] && !absorbing[i];
      out[i] = absorbing[i] ? (to[i] ? 1.0 : 0.0) : std::numeric_limits<double>::quiet_NaN();
    }
  }
  const std::vector<std::int32_t> states = detail::indices_where(solvable, true);

  const detail::RowMatrix w = detail::offdiagonal_weights(rates);
  const detail::AbsorbingFactor factor(w, states);
  Eigen::VectorXd into_to = Eigen::VectorXd::Zero(factor.size());
  const std::vector<std::int32_t> to_states = detail::indices_where(to, true);
  for (std::size_t a = 0; a < states.size(); ++a)
    for (std::int32_t j : to_states) into_to(static_cast<Eigen::Index>(a)) += w(states[a], j);
  const Eigen::VectorXd q = factor.solve(into_to);
  for (std::size_t a = 0; a < states.size(); ++a) out[states[a]] = q(static_cast<Eigen::Index>(a));
  return out;
}

}  // namespace pk::solve
