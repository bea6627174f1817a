// Spectral decompositions of reversible generators, symmetrised with
// pi^(1/2): H = D^(1/2) (-Q) D^(-1/2) with D = diag(pi) is symmetric, and its
// off-diagonal entries are -sqrt(Q_ij Q_ji), independent of pi.
//
// A symmetric eigensolver resolves eigenvalues only to about eps * ||H||, far
// too coarse for the slow modes of a stiff network (rates 1e12 and 1e-2 1/s in
// one matrix). The slow modes are therefore taken from H^-1, which the
// subtraction-free elimination builds to full relative accuracy, the fast ones
// from H, split where the spectral gap makes both halves accurate.
// Internal to src/solve.
#pragma once

#include "solve/detail/dense.hpp"

#include <cstdint>
#include <vector>

namespace pk::solve::detail {

struct SymmetricSpectrum {
  std::vector<std::int32_t> states;  ///< the states it covers, increasing
  Eigen::VectorXd decay_rates;       ///< eigenvalues of H, ascending, >= 0 (1/s, or per lag)
  Eigen::MatrixXd vectors;           ///< orthonormal eigenvectors (columns), indexed like states
  Eigen::VectorXd sqrt_weight;       ///< pi^(1/2) on the states, up to one scale per component
};

/// Spectrum of -Q restricted to `states` (every other state absorbs). Every
/// state of the subset must be able to leave it. `log_weights` from
/// reversible_log_weights().
SymmetricSpectrum absorbing_spectrum(const RowMatrix& weights, const std::vector<double>& log_weights,
                                     const std::vector<std::int32_t>& states);

/// Spectrum of -Q on all states of an irreducible reversible chain: the first
/// mode is the stationary one (rate exactly 0, vector pi^(1/2) normalised).
SymmetricSpectrum full_spectrum(const RowMatrix& weights, const std::vector<double>& log_weights);

}  // namespace pk::solve::detail
