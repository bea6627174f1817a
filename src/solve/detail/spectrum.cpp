#include "solve/detail/spectrum.hpp"

#include "solve/detail/elimination.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>

namespace pk::solve::detail {
namespace {

Eigen::VectorXd sqrt_weights(const std::vector<double>& log_weights, const std::vector<std::int32_t>& states) {
  double top = -std::numeric_limits<double>::infinity();
  for (std::int32_t s : states) top = std::max(top, log_weights[s]);
  Eigen::VectorXd sw(static_cast<Eigen::Index>(states.size()));
  for (std::size_t a = 0; a < states.size(); ++a) sw(a) = std::exp(0.5 * (log_weights[states[a]] - top));
  return sw;
}

/// H = D^(1/2) (-Q_SS) D^(-1/2): the diagonal is the total rate out of each
/// state (including to states outside S), the off-diagonal -sqrt(W_ij W_ji).
Eigen::MatrixXd symmetric_generator(const RowMatrix& w, const std::vector<std::int32_t>& states) {
  const Eigen::Index m = static_cast<Eigen::Index>(states.size());
  Eigen::MatrixXd h(m, m);
  for (Eigen::Index a = 0; a < m; ++a)
    for (Eigen::Index b = 0; b < m; ++b)
      h(a, b) = a == b ? w.row(states[a]).sum() : -std::sqrt(w(states[a], states[b]) * w(states[b], states[a]));
  return h;
}

/// D^(1/2) X D^(-1/2) for X = M^-1, made exactly symmetric.
Eigen::MatrixXd symmetric_inverse(const Eigen::MatrixXd& x, const Eigen::VectorXd& sw) {
  Eigen::MatrixXd k = sw.asDiagonal() * x * sw.cwiseInverse().asDiagonal();
  return 0.5 * (k + k.transpose());
}

/// Relative error model of taking the s slowest modes from K = H^-1 and the
/// rest from H (eps omitted): eigenvalue and invariant-subspace errors of both.
double split_error(const Eigen::VectorXd& fast, const Eigen::VectorXd& slow, Eigen::Index s) {
  const Eigen::Index m = fast.size();
  const double inf = std::numeric_limits<double>::infinity();
  const double top = fast(m - 1);
  if (s == 0) return fast(0) > 0.0 ? top / fast(0) : inf;
  if (!(slow(s - 1) > 0.0) || !(slow(0) > 0.0)) return inf;
  if (s == m) return slow(m - 1) / slow(0);
  const double gap = fast(s) - slow(s - 1);
  if (!(gap > 0.0)) return inf;
  return std::max(top / gap, slow(s - 1) * fast(s) / (slow(0) * gap));
}

/// Eigenpairs of the SPD matrix h, with the slow ones taken from k ~ h^-1
/// where that is more accurate.
void stitched_eigenpairs(const Eigen::MatrixXd& h, const Eigen::MatrixXd& k, SymmetricSpectrum& out) {
  const Eigen::Index m = h.rows();
  if (m == 0) {
    out.decay_rates.resize(0);
    out.vectors.resize(0, 0);
    return;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> from_h(h);
  out.decay_rates = from_h.eigenvalues();
  out.vectors = from_h.eigenvectors();
  if (out.decay_rates(0) > 1e-4 * out.decay_rates(m - 1)) return;  // not stiff: H alone is accurate
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> from_k(k);
  Eigen::VectorXd slow(m);
  for (Eigen::Index i = 0; i < m; ++i) slow(i) = 1.0 / from_k.eigenvalues()(m - 1 - i);
  Eigen::Index best = 0;
  for (Eigen::Index s = 1; s <= m; ++s)
    if (split_error(out.decay_rates, slow, s) < split_error(out.decay_rates, slow, best)) best = s;
  for (Eigen::Index i = 0; i < best; ++i) {
    out.decay_rates(i) = slow(i);
    out.vectors.col(i) = from_k.eigenvectors().col(m - 1 - i);
  }
}

/// R A R for the Householder reflection R = I - beta v v^T (A symmetric).
Eigen::MatrixXd reflect(const Eigen::MatrixXd& a, const Eigen::VectorXd& v, double beta) {
  const Eigen::VectorXd y = a * v;
  const double g = v.dot(y);
  return a - beta * (v * y.transpose() + y * v.transpose()) + (beta * beta * g) * (v * v.transpose());
}

}  // namespace

SymmetricSpectrum absorbing_spectrum(const RowMatrix& weights, const std::vector<double>& log_weights,
                                     const std::vector<std::int32_t>& states) {
  SymmetricSpectrum out;
  out.states = states;
  out.sqrt_weight = sqrt_weights(log_weights, states);
  const Eigen::MatrixXd h = symmetric_generator(weights, states);
  const Eigen::MatrixXd k = symmetric_inverse(AbsorbingFactor(weights, states).inverse(), out.sqrt_weight);
  stitched_eigenpairs(h, k, out);
  return out;
}

SymmetricSpectrum full_spectrum(const RowMatrix& weights, const std::vector<double>& log_weights) {
  const Eigen::Index n = weights.rows();
  SymmetricSpectrum out;
  for (Eigen::Index i = 0; i < n; ++i) out.states.push_back(static_cast<std::int32_t>(i));
  out.sqrt_weight = sqrt_weights(log_weights, out.states);
  const Eigen::VectorXd u = out.sqrt_weight.normalized();  // the stationary mode
  // H^+ from the inverse with the most populated state r absorbing: with X that
  // inverse padded by a zero row and column r, H^+ = P X P (P projects out u),
  // and R P X P R = R X R with its first row and column zeroed.
  const auto r = static_cast<std::int32_t>(std::max_element(log_weights.begin(), log_weights.end()) -
                                           log_weights.begin());
  std::vector<std::int32_t> others;
  for (std::int32_t s : out.states)
    if (s != r) others.push_back(s);
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n, n);
  const RowMatrix x_others = AbsorbingFactor(weights, others).inverse();
  for (Eigen::Index a = 0; a < n - 1; ++a)
    for (Eigen::Index b = 0; b < n - 1; ++b) x(others[a], others[b]) = x_others(a, b);
  const Eigen::MatrixXd k = symmetric_inverse(x, out.sqrt_weight);
  const Eigen::MatrixXd h = symmetric_generator(weights, out.states);
  // Householder reflection taking u to -sign(u_0) e_0.
  Eigen::VectorXd v = u;
  v(0) += std::copysign(1.0, u(0));
  const double beta = 2.0 / v.squaredNorm();
  SymmetricSpectrum block;
  stitched_eigenpairs(reflect(h, v, beta).bottomRightCorner(n - 1, n - 1),
                      reflect(k, v, beta).bottomRightCorner(n - 1, n - 1), block);
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(n, n - 1);
  z.bottomRows(n - 1) = block.vectors;
  out.vectors.resize(n, n);
  out.vectors.col(0) = u;
  out.vectors.rightCols(n - 1) = z - beta * v * (v.transpose() * z);
  out.decay_rates.resize(n);
  out.decay_rates(0) = 0.0;
  out.decay_rates.tail(n - 1) = block.decay_rates;
  return out;
}

}  // namespace pk::solve::detail
