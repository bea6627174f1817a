#include "solve/detail/sparse_lu.hpp"

#include "core/error.hpp"
#include "solve/detail/dense.hpp"
#include "solve/detail/dissection.hpp"

#include <Eigen/OrderingMethods>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>

#include <cmath>
#include <cstdio>
#include <limits>
#include <new>
#include <utility>

namespace pk::solve::detail {
namespace {

// 64-bit indices: the supernodal factors of a 10^5-state 3-D network pass
// 2^31 stored entries during Eigen's memory expansion.
using Index = std::int64_t;
using SparseMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor, Index>;
using Lu = Eigen::SparseLU<SparseMatrix, NestedDissectionOrdering<Index>>;
using Triplet = Eigen::Triplet<double, Index>;

constexpr int kMaxRefinements = 8;
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Jump probabilities J_ij = W_ij / s_i between the unknowns of a system, in
/// compressed rows (local indices), with each row's exit probability E_i and
/// total weight s_i.
struct JumpRows {
  std::vector<std::int64_t> offsets{0};
  std::vector<std::int32_t> cols;
  std::vector<double> probs;
  Eigen::VectorXd exit_prob;
  Eigen::VectorXd total;
  Eigen::VectorXd exit_weight;
};

/// Rows of the states in `subset`; every other state counts as outside.
JumpRows jump_rows(const network::RateMatrix& m, const std::vector<std::int32_t>& subset, const std::string& what) {
  std::vector<std::int32_t> local(static_cast<std::size_t>(m.n), -1);
  for (std::size_t a = 0; a < subset.size(); ++a) local[subset[a]] = static_cast<std::int32_t>(a);
  const auto size = static_cast<Eigen::Index>(subset.size());
  JumpRows r;
  r.exit_prob.resize(size);
  r.total.resize(size);
  r.exit_weight.resize(size);
  for (Eigen::Index a = 0; a < size; ++a) {
    const std::int32_t i = subset[static_cast<std::size_t>(a)];
    double total = 0.0, exit = 0.0;
    const std::size_t first = r.cols.size();
    for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e) {
      const std::int32_t j = m.targets[e];
      if (j == i || !(m.values[e] > 0.0)) continue;
      total += m.values[e];
      if (local[j] < 0) {
        exit += m.values[e];
      } else {
        r.cols.push_back(local[j]);
        r.probs.push_back(m.values[e]);
      }
    }
    if (!(total > 0.0))
      throw InputError("rate matrix", 0, what + ": state " + std::to_string(i) + " has no way out");
    for (std::size_t k = first; k < r.probs.size(); ++k) r.probs[k] /= total;
    r.total(a) = total;
    r.exit_weight(a) = exit;
    r.exit_prob(a) = exit / total;
    r.offsets.push_back(static_cast<std::int64_t>(r.cols.size()));
  }
  return r;
}

/// I - J (or its transpose) as a compressed column-major matrix.
SparseMatrix unit_minus_jumps(const JumpRows& r, bool transposed) {
  const auto size = static_cast<Index>(r.total.size());
  std::vector<Triplet> t;
  t.reserve(r.probs.size() + static_cast<std::size_t>(size));
  for (Index a = 0; a < size; ++a) {
    t.emplace_back(a, a, 1.0);
    for (std::int64_t k = r.offsets[a]; k < r.offsets[a + 1]; ++k)
      t.emplace_back(transposed ? r.cols[k] : a, transposed ? a : r.cols[k], -r.probs[k]);
  }
  SparseMatrix m(size, size);
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}

void factorize(Lu& lu, const SparseMatrix& a, const std::string& what) {
  // Rows of I - J are diagonally dominant (an M-matrix), so diagonal pivots
  // are stable; preferring them keeps the dissection's fill-reducing order.
  lu.setPivotThreshold(1e-3);
  try {
    lu.analyzePattern(a);
    lu.factorize(a);
  } catch (const std::bad_alloc&) {
    throw SystemError("sparse exact solver: out of memory in the LU factorisation for the " + what + " (" +
                      std::to_string(a.rows()) + " unknowns, " + std::to_string(a.nonZeros()) + " non-zeros)");
  }
  if (lu.info() != Eigen::Success)
    throw SystemError("sparse exact solver: the LU factorisation for the " + what + " failed (" +
                      lu.lastErrorMessage() + "); the matrix is singular to working precision");
}

std::string scientific(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", x);
  return buf;
}

/// Iterative refinement of lu^-1 rhs against `residual` (b - M x evaluated
/// accurately); the last correction, relative to each entry, is the error
/// estimate. Throws pk::SystemError when it exceeds the tolerance.
template <class Residual>
Eigen::VectorXd refined_solve(const Lu& lu, const Eigen::VectorXd& rhs, const Residual& residual,
                              const std::string& what) {
  Eigen::VectorXd x = lu.solve(rhs);
  double error = kInf, previous = kInf;
  for (int step = 0; step < kMaxRefinements; ++step) {
    const Eigen::VectorXd d = lu.solve(residual(x));
    x += d;
    error = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double rel = x(i) > 0.0 ? std::abs(d(i)) / x(i) : kInf;
      if (!(rel <= error)) error = std::isnan(rel) ? kInf : rel;
    }
    if (error <= 4.0 * std::numeric_limits<double>::epsilon() || !(error < 0.5 * previous)) break;
    previous = error;
  }
  if (!(error <= kSparseRelativeTolerance))
    throw SystemError("sparse exact solver: loss of accuracy in the " + what + ": estimated relative error " +
                      scientific(error) + " after iterative refinement exceeds " +
                      scientific(kSparseRelativeTolerance) +
                      " (some states leave a metastable cluster with a probability per jump near double "
                      "precision); the dense subtraction-free solver (LinearAlgebra::Dense) handles such "
                      "networks up to a few thousand states");
  return x;
}

}  // namespace

struct SparseAbsorbingFactor::Impl {
  JumpRows rows;
  Lu lu;
  std::string what;
};

SparseAbsorbingFactor::SparseAbsorbingFactor(const network::RateMatrix& rates, const std::vector<std::int32_t>& subset,
                                             std::string what)
    : impl_(std::make_unique<Impl>()) {
  impl_->what = std::move(what);
  impl_->rows = jump_rows(rates, subset, impl_->what);
  if (!subset.empty()) factorize(impl_->lu, unit_minus_jumps(impl_->rows, false), impl_->what);
}

SparseAbsorbingFactor::~SparseAbsorbingFactor() = default;

std::int32_t SparseAbsorbingFactor::size() const { return static_cast<std::int32_t>(impl_->rows.total.size()); }

const Eigen::VectorXd& SparseAbsorbingFactor::exit_weights() const { return impl_->rows.exit_weight; }

Eigen::VectorXd SparseAbsorbingFactor::solve(const Eigen::VectorXd& b) const {
  const JumpRows& r = impl_->rows;
  if (b.size() == 0) return b;
  const Eigen::VectorXd scaled = b.cwiseQuotient(r.total);
  // c_i - (sum_j J_ij (x_i - x_j) + E_i x_i): the row sums of I - J are the
  // exit probabilities, so no term cancels against the unit diagonal.
  const auto residual = [&](const Eigen::VectorXd& x) {
    Eigen::VectorXd out(x.size());
    for (Eigen::Index a = 0; a < x.size(); ++a) {
      long double lhs = static_cast<long double>(r.exit_prob(a)) * x(a);
      for (std::int64_t k = r.offsets[a]; k < r.offsets[a + 1]; ++k)
        lhs += static_cast<long double>(r.probs[k]) * (static_cast<long double>(x(a)) - x(r.cols[k]));
      out(a) = static_cast<double>(static_cast<long double>(scaled(a)) - lhs);
    }
    return out;
  };
  return refined_solve(impl_->lu, scaled, residual, impl_->what);
}

std::vector<double> sparse_lu_stationary(const network::RateMatrix& rates) {
  const std::string what = "stationary distribution";
  if (!irreducible(rates))
    throw InputError("rate matrix", 0,
                     "the chain is reducible: no unique stationary distribution exists (some state cannot reach "
                     "every other)");
  const std::int32_t n = rates.n;
  if (n == 1) return {1.0};
  // Pin state 0 (y_0 = 1) and solve the balance y_j = sum_i y_i J_ij of the
  // others, with y_i = pi_i s_i the flow out of state i.
  std::vector<std::int32_t> rest(static_cast<std::size_t>(n - 1));
  for (std::int32_t i = 1; i < n; ++i) rest[static_cast<std::size_t>(i - 1)] = i;
  const JumpRows pinned = jump_rows(rates, {0}, what);
  const JumpRows r = jump_rows(rates, rest, what);
  Eigen::VectorXd from_pinned = Eigen::VectorXd::Zero(n - 1);
  for (std::int64_t e = rates.row_offsets[0]; e < rates.row_offsets[1]; ++e)
    if (rates.targets[e] != 0 && rates.values[e] > 0.0) from_pinned(rates.targets[e] - 1) = rates.values[e] / pinned.total(0);
  // Column j of I - J lists the jumps into j: the residual of the transposed
  // system reads it as a plain scan of a column-major store.
  const SparseMatrix into = unit_minus_jumps(r, false);
  Lu lu;
  factorize(lu, unit_minus_jumps(r, true), what);
  const auto residual = [&](const Eigen::VectorXd& y) {
    Eigen::VectorXd out(y.size());
    for (Eigen::Index j = 0; j < y.size(); ++j) {
      long double inflow = from_pinned(j);
      for (SparseMatrix::InnerIterator it(into, j); it; ++it)
        if (it.row() != j) inflow -= static_cast<long double>(it.value()) * y(it.row());
      out(j) = static_cast<double>(inflow - y(j));
    }
    return out;
  };
  const Eigen::VectorXd y = refined_solve(lu, from_pinned, residual, what);
  std::vector<double> pi(static_cast<std::size_t>(n));
  pi[0] = 1.0 / pinned.total(0);
  for (std::int32_t j = 1; j < n; ++j) pi[static_cast<std::size_t>(j)] = y(j - 1) / r.total(j - 1);
  double sum = 0.0;
  for (double p : pi) sum += p;
  for (double& p : pi) p /= sum;
  return pi;
}

}  // namespace pk::solve::detail
