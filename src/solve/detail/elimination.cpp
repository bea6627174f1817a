#include "solve/detail/elimination.hpp"

#include "core/error.hpp"

#include <string>

namespace pk::solve::detail {

Eigen::VectorXd gth_stationary(RowMatrix a) {
  const Eigen::Index n = a.rows();
  a.diagonal().setZero();
  // Censor the chain on {0..k-1}, k = n-1 down to 1: the rate i -> j gains the
  // rate i -> k times the probability that k next jumps to j. Column k keeps
  // A_ik / s_k for the back substitution.
  for (Eigen::Index k = n - 1; k >= 1; --k) {
    const double s = a.row(k).head(k).sum();
    if (!(s > 0.0))
      throw InputError("rate matrix", 0,
                       "the chain is reducible: state " + std::to_string(k) +
                           " cannot return to the lower-numbered states, so no unique stationary distribution exists");
    for (Eigen::Index i = 0; i < k; ++i) {
      const double f = a(i, k) / s;
      a(i, k) = f;
      if (f != 0.0) a.row(i).head(k) += f * a.row(k).head(k);
    }
  }
  Eigen::VectorXd pi = Eigen::VectorXd::Zero(n);
  if (n == 0) return pi;
  pi(0) = 1.0;
  // Flow balance of state k in the chain censored on {0..k}.
  for (Eigen::Index k = 1; k < n; ++k) pi(k) = pi.head(k).dot(a.col(k).head(k));
  return pi / pi.sum();
}

AbsorbingFactor::AbsorbingFactor(const RowMatrix& weights, const std::vector<std::int32_t>& subset) {
  const Eigen::Index m = static_cast<Eigen::Index>(subset.size());
  const Eigen::Index n = weights.rows();
  std::vector<char> inside(static_cast<std::size_t>(n), 0);
  for (std::int32_t s : subset) inside[s] = 1;
  factors_.resize(m, m);
  exits_.resize(m);
  for (Eigen::Index a = 0; a < m; ++a) {
    double leave = 0.0;
    for (Eigen::Index j = 0; j < n; ++j)
      if (!inside[j] && j != subset[a]) leave += weights(subset[a], j);
    exits_(a) = leave;
    for (Eigen::Index b = 0; b < m; ++b) factors_(a, b) = a == b ? 0.0 : weights(subset[a], subset[b]);
  }
  Eigen::VectorXd exit = exits_;
  pivots_.resize(m);
  for (Eigen::Index k = 0; k < m; ++k) {
    const Eigen::Index rest = m - k - 1;
    // The Schur complement keeps row sums equal to its exit weights, so its
    // pivot is a sum of non-negative terms (no cancellation).
    const double d = factors_.row(k).tail(rest).sum() + exit(k);
    if (!(d > 0.0))
      throw InputError("rate matrix", 0,
                       "state " + std::to_string(subset[k]) + " cannot leave the set it is confined to");
    pivots_(k) = d;
    for (Eigen::Index i = k + 1; i < m; ++i) {
      const double w = factors_(i, k);
      if (w == 0.0) continue;
      const double l = w / d;
      factors_(i, k) = l;
      factors_.row(i).tail(rest) += l * factors_.row(k).tail(rest);
      exit(i) += l * exit(k);
    }
  }
}

void AbsorbingFactor::solve_in_place(RowMatrix& b) const {
  const Eigen::Index m = pivots_.size();
  for (Eigen::Index k = 0; k < m; ++k)
    for (Eigen::Index i = k + 1; i < m; ++i)
      if (factors_(i, k) != 0.0) b.row(i) += factors_(i, k) * b.row(k);
  for (Eigen::Index k = m - 1; k >= 0; --k) {
    const Eigen::Index rest = m - k - 1;
    if (rest > 0) b.row(k) += factors_.row(k).tail(rest) * b.bottomRows(rest);
    b.row(k) /= pivots_(k);
  }
}

Eigen::VectorXd AbsorbingFactor::solve(const Eigen::VectorXd& b) const {
  RowMatrix x = b;
  solve_in_place(x);
  return x.col(0);
}

RowMatrix AbsorbingFactor::inverse() const {
  RowMatrix x = RowMatrix::Identity(size(), size());
  solve_in_place(x);
  return x;
}

}  // namespace pk::solve::detail
