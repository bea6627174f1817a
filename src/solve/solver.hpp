// The exact solution of a kinetic network's master equation: stationary
// distribution, first-passage moments, committors, relaxation times, P(t)
// and first-passage distributions. It is the oracle that kinetic Monte Carlo
// is validated against, so it is built for accuracy on stiff networks (rates
// spanning 1e3..1e12 1/s and beyond): linear solves eliminate without
// subtraction (GTH), reversible networks are propagated through a symmetric
// eigendecomposition whose slow modes come from the accurately inverted
// generator, others through a scaling-and-squaring matrix exponential.
//
// Works on continuous-time generators (rates in 1/s) and on discrete-time
// transition matrices at lag tau (RateMatrix::lag_time_s > 0; times are then
// rounded down to whole lags).
//
// Linear algebra: dense subtraction-free (GTH) elimination up to
// kDenseExactStates states; above, a sparse LU of the jump-chain scaled
// system with iterative refinement and a per-entry error estimate
// (solve/detail/sparse_lu.hpp, docs/exact-solver.md), so that first-moment
// quantities reach 10^5-state networks. Relaxation times, P(t), S(t) and F(t)
// stay dense (n^2 memory, n^3 time).
// Every function throws pk::InputError for a malformed matrix and
// pk::UsageError for bad arguments (state index out of range, negative time).
#pragma once

#include "network/network.hpp"

#include <cstdint>
#include <vector>

namespace pk::solve {

/// State indices (into RateMatrix rows).
using StateSet = std::vector<std::int32_t>;

/// How P(t) and first-passage distributions are evaluated (continuous time).
enum class Propagator : std::int8_t {
  Automatic = 0,          ///< Spectral when the network satisfies detailed balance, else MatrixExponential
  Spectral = 1,           ///< symmetric eigendecomposition (detailed balance required)
  MatrixExponential = 2,  ///< Pade scaling and squaring of the (augmented) generator
};

/// Linear algebra of the stationary distribution, first-passage moments and committors.
enum class LinearAlgebra : std::int8_t {
  Automatic = 0,  ///< Dense up to kDenseExactStates states, Sparse above
  Dense = 1,      ///< subtraction-free GTH elimination (n^2 memory, n^3 time)
  Sparse = 2,     ///< scaled sparse LU with refinement (solver.hpp) / sparse state reduction (TPT)
};

/// Largest network the Automatic linear algebra solves densely: the measured
/// crossover on the 2-core build machine (benchmarks/RESULTS.md).
inline constexpr std::int32_t kDenseExactStates = 400;

/// First-passage moments per state (0 on the target; +inf where the target is
/// missed with positive probability).
struct PassageTimes {
  std::vector<double> mean_s;
  std::vector<double> second_moment_s2;
};

/// pi with pi Q = 0 (pi P = pi), sum 1; GTH elimination, every entry to full
/// relative accuracy (dense); detailed-balance networks above
/// kDenseExactStates take pi from the balance ratios along a spanning tree,
/// others a sparse LU. Throws pk::InputError for a reducible chain,
/// pk::SystemError when the sparse solve loses accuracy.
std::vector<double> stationary_distribution(const network::RateMatrix& rates,
                                            LinearAlgebra method = LinearAlgebra::Automatic);

/// True when pi_i k_ij = pi_j k_ji on every edge (relative 1e-8).
bool satisfies_detailed_balance(const network::RateMatrix& rates);

/// Mean first-passage time to `target` and its second moment, per state:
/// -Q_AA m = 1, -Q_AA m2 = 2 m on the complement A; discrete time
/// (I - P_AA) n = 1, (I - P_AA) n2 = 2 n - 1 in lags, scaled by tau and tau^2.
/// Sparse: pk::SystemError when some entry's estimated relative error exceeds 1e-8.
PassageTimes mfpt_to_set(const network::RateMatrix& rates, const StateSet& target,
                         LinearAlgebra method = LinearAlgebra::Automatic);

/// Probability to reach `to_set` before `from_set`, per state (1 on to_set,
/// 0 on from_set, NaN where neither can be reached). from_set may be empty.
std::vector<double> committor(const network::RateMatrix& rates, const StateSet& from_set, const StateSet& to_set,
                              LinearAlgebra method = LinearAlgebra::Automatic);

/// Relaxation times (s) of an irreducible network, sorted descending: -1/lambda
/// for the non-zero eigenvalues of Q (real parts when Q is not symmetrisable),
/// -tau/ln|lambda| for the eigenvalues of P other than the stationary 1.
std::vector<double> relaxation_times(const network::RateMatrix& rates);

/// P(t) = p0 exp(Q t) (p0 P^k) for each time: row-major, times x n.
std::vector<double> propagate(const network::RateMatrix& rates, const std::vector<double>& p0,
                              const std::vector<double>& times_s, Propagator method = Propagator::Automatic);

/// First-passage distribution F(t) = 1 - p0_A exp(Q_AA t) 1 into `target`
/// (mass of p0 already on the target counts as arrived at t = 0). Computed
/// directly, not as 1 - S(t), so small F keeps its relative accuracy.
std::vector<double> first_passage_cdf(const network::RateMatrix& rates, const std::vector<double>& p0,
                                      const StateSet& target, const std::vector<double>& times_s,
                                      Propagator method = Propagator::Automatic);

/// Survival S(t) = p0_A exp(Q_AA t) 1 (probability not to have reached
/// `target`), computed directly so that small S keeps its relative accuracy.
std::vector<double> survival_probability(const network::RateMatrix& rates, const std::vector<double>& p0,
                                         const StateSet& target, const std::vector<double>& times_s,
                                         Propagator method = Propagator::Automatic);

}  // namespace pk::solve
