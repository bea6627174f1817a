// Subtraction-free Gaussian elimination for Markov chains (the
// Grassmann-Taksar-Heyman idea): every pivot is rebuilt as a sum of
// non-negative rates instead of a difference, so stationary distributions,
// mean first-passage times and committors keep full relative accuracy even
// when the rates span ten or more orders of magnitude. Internal to src/solve.
#pragma once

#include "solve/detail/dense.hpp"

#include <cstdint>
#include <vector>

namespace pk::solve::detail {

/// pi with pi W = pi diag(W 1) (pi Q = 0, or pi P = pi for probabilities),
/// sum 1, by GTH elimination of the off-diagonal weights. Throws
/// pk::InputError when the chain is reducible (some pivot is zero).
Eigen::VectorXd gth_stationary(RowMatrix weights);

/// LU factors of M = diag(d) - W_SS on a subset S of the states, where
/// d_i = sum_{j in S, j != i} W_ij + exit_i and exit_i = sum_{j not in S} W_ij:
/// -Q_SS for rates, I - P_SS for probabilities. M is a non-singular M-matrix
/// when every state of S can leave S; all factors are then non-negative, and
/// M^-1 b for b >= 0 is computed from sums of non-negative terms only.
class AbsorbingFactor {
 public:
  AbsorbingFactor(const RowMatrix& weights, const std::vector<std::int32_t>& subset);
  std::int32_t size() const { return static_cast<std::int32_t>(pivots_.size()); }
  /// Solves M X = B in place; B has size() rows, indexed like the subset.
  void solve_in_place(RowMatrix& b) const;
  Eigen::VectorXd solve(const Eigen::VectorXd& b) const;
  /// M^-1 as a dense matrix (non-negative).
  RowMatrix inverse() const;
  /// exit_i: the weight leaving the subset from each of its states.
  const Eigen::VectorXd& exit_weights() const { return exits_; }

 private:
  RowMatrix factors_;       ///< strict lower: multipliers; strict upper: U's off-diagonal weights
  Eigen::VectorXd pivots_;  ///< d_k of the successive Schur complements
  Eigen::VectorXd exits_;
};

}  // namespace pk::solve::detail
