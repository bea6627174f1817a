// Sparse LU (Eigen's SparseLU, on the host) for the exact solver's linear
// systems on large networks: mean first-passage times and their second
// moments, committors, and the stationary distribution of networks without
// detailed balance.
//
// Every system is an M-matrix of the embedded jump chain: row i of
// diag(s) - W_SS is divided by s_i, the total exit rate of state i, so that
// every coefficient is a jump probability in [0, 1] however many decades the
// rates span. The LU factors of that scaled matrix are then used only as a
// preconditioner: the solution is refined against a residual evaluated
// without cancellation, sum_j J_ij (x_i - x_j) + E_i x_i (E_i: the
// probability to leave S on the next jump), in extended precision. Where the
// rounded matrix has lost the exit probabilities of a metastable cluster
// (E_i near 1e-16), refinement fails to converge; the last correction, entry
// by entry relative to the solution, is the error estimate, and a solve whose
// estimate exceeds kSparseRelativeTolerance throws pk::SystemError naming the
// quantity instead of returning it. Internal to src/solve.
#pragma once

#include "network/network.hpp"

#include <Eigen/Dense>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pk::solve::detail {

/// Largest relative error, per entry, that a sparse solve may return.
inline constexpr double kSparseRelativeTolerance = 1e-8;

/// Factors of M = diag(s) - W_SS on a subset S of the states (s_i: the total
/// off-diagonal weight of state i, to any state): -Q_SS for rates, I - P_SS
/// for probabilities. Every state of S must be able to leave S.
class SparseAbsorbingFactor {
 public:
  /// `what` names the quantity in error messages ("mean first-passage time to the unbound states").
  SparseAbsorbingFactor(const network::RateMatrix& rates, const std::vector<std::int32_t>& subset, std::string what);
  ~SparseAbsorbingFactor();
  SparseAbsorbingFactor(const SparseAbsorbingFactor&) = delete;
  SparseAbsorbingFactor& operator=(const SparseAbsorbingFactor&) = delete;

  std::int32_t size() const;
  /// x with M x = b, for b >= 0 with a positive solution (indexed like the
  /// subset). Throws pk::SystemError when the refined solution's estimated
  /// relative error exceeds kSparseRelativeTolerance in some entry.
  Eigen::VectorXd solve(const Eigen::VectorXd& b) const;
  /// The weight from each state of S to the states outside S.
  const Eigen::VectorXd& exit_weights() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// pi with pi Q = 0 (pi P = pi), sum 1, for an irreducible chain: pi_i s_i
/// solves the transposed jump-chain system with one state's value pinned.
/// Throws pk::InputError for a reducible chain, pk::SystemError on loss of
/// accuracy.
std::vector<double> sparse_lu_stationary(const network::RateMatrix& rates);

}  // namespace pk::solve::detail
