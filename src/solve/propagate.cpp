// P(t) and first-passage distributions: spectral for reversible generators,
// Pade scaling and squaring otherwise, binary matrix powers in discrete time.
#include "solve/solver.hpp"

#include "core/error.hpp"
#include "solve/detail/dense.hpp"
#include "solve/detail/expm.hpp"
#include "solve/detail/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace pk::solve {
namespace {

using detail::Mask;

struct PassageCurves {
  std::vector<double> cdf;
  std::vector<double> survival;
};

/// The detailed-balance weights when the spectral path is to be used, else none.
std::optional<std::vector<double>> spectral_weights(const network::RateMatrix& rates, Propagator method,
                                                    bool need_irreducible) {
  if (rates.discrete_time() || method == Propagator::MatrixExponential) return std::nullopt;
  auto log_weights = detail::reversible_log_weights(rates);
  const bool usable = log_weights && (!need_irreducible || detail::irreducible(rates));
  if (method == Propagator::Spectral && !usable)
    throw UsageError(need_irreducible ? "spectral propagation needs an irreducible network in detailed balance"
                                      : "spectral propagation needs a network in detailed balance");
  return usable ? log_weights : std::nullopt;
}

/// Whole lags in t (times a hair above an exact multiple count it).
long long whole_lags(double t_s, double lag_s) {
  const double k = std::floor(t_s / lag_s * (1.0 + 1e-12));
  if (k > 4e18) throw UsageError("time " + std::to_string(t_s) + " s is too many lag times");
  return static_cast<long long>(k);
}

/// x0 P^k for every time, from the binary powers of P (squared once for all).
std::vector<Eigen::RowVectorXd> apply_powers(const Eigen::MatrixXd& p, const Eigen::RowVectorXd& x0,
                                             const std::vector<double>& times_s, double lag_s) {
  std::vector<long long> lags;
  for (double t : times_s) lags.push_back(whole_lags(t, lag_s));
  const long long most = lags.empty() ? 0 : *std::max_element(lags.begin(), lags.end());
  std::vector<Eigen::MatrixXd> squares{p};
  while (squares.size() < 63 && (1LL << squares.size()) <= most) squares.push_back(squares.back() * squares.back());
  std::vector<Eigen::RowVectorXd> out;
  for (long long k : lags) {
    Eigen::RowVectorXd x = x0;
    for (std::size_t bit = 0; (k >> bit) != 0; ++bit)
      if ((k >> bit) & 1) x = x * squares[bit];
    out.push_back(x);
  }
  return out;
}

std::vector<double> propagate_spectral(const network::RateMatrix& rates, const std::vector<double>& log_weights,
                                       const Eigen::VectorXd& p0, const std::vector<double>& times_s) {
  const detail::SymmetricSpectrum sp = detail::full_spectrum(detail::offdiagonal_weights(rates), log_weights);
  const Eigen::VectorXd a = sp.vectors.transpose() * p0.cwiseQuotient(sp.sqrt_weight);
  std::vector<double> out;
  out.reserve(times_s.size() * static_cast<std::size_t>(rates.n));
  for (double t : times_s) {
    const Eigen::VectorXd decay = (-sp.decay_rates * t).array().exp();
    const Eigen::VectorXd p = (sp.vectors * a.cwiseProduct(decay)).cwiseProduct(sp.sqrt_weight);
    out.insert(out.end(), p.data(), p.data() + p.size());
  }
  return out;
}

std::vector<double> propagate_matrix(const network::RateMatrix& rates, const Eigen::VectorXd& p0,
                                     const std::vector<double>& times_s) {
  const Eigen::MatrixXd m = detail::dense_matrix(rates);
  std::vector<Eigen::RowVectorXd> rows;
  if (rates.discrete_time()) {
    rows = apply_powers(m, p0.transpose(), times_s, rates.lag_time_s);
  } else {
    for (double t : times_s) rows.push_back(p0.transpose() * detail::expm(m * t));
  }
  std::vector<double> out;
  for (const auto& r : rows) out.insert(out.end(), r.data(), r.data() + r.size());
  return out;
}

/// Spectral F(t) and S(t): with H = V L V^T the symmetrised -Q_SS,
/// F = p0_T + a^T phi(L, t) b, phi = (1 - e^-lt)/l (expm1, exact for small t),
/// S = p0_(A\S) + a^T e^-Lt c.
PassageCurves passage_spectral(const network::RateMatrix& rates, const std::vector<double>& log_weights,
                               const Eigen::VectorXd& p0, const Mask& in_target, const std::vector<double>& times_s) {
  const detail::RowMatrix w = detail::offdiagonal_weights(rates);
  Mask connected = detail::can_reach(rates, in_target, in_target);
  double arrived = 0.0, stranded = 0.0;
  for (std::size_t i = 0; i < connected.size(); ++i) {
    if (in_target[i]) arrived += p0(static_cast<Eigen::Index>(i));
    else if (!connected[i]) stranded += p0(static_cast<Eigen::Index>(i));
    connected[i] = connected[i] && !in_target[i];
  }
  const std::vector<std::int32_t> states = detail::indices_where(connected, true);
  const detail::SymmetricSpectrum sp = detail::absorbing_spectrum(w, log_weights, states);
  const Eigen::Index m = static_cast<Eigen::Index>(states.size());
  Eigen::VectorXd start(m), exit(m);
  for (Eigen::Index a = 0; a < m; ++a) {
    start(a) = p0(states[a]);
    exit(a) = 0.0;
    for (Eigen::Index j = 0; j < w.cols(); ++j)
      if (in_target[j]) exit(a) += w(states[a], j);
  }
  const Eigen::VectorXd a = sp.vectors.transpose() * start.cwiseQuotient(sp.sqrt_weight);
  const Eigen::VectorXd b = sp.vectors.transpose() * sp.sqrt_weight.cwiseProduct(exit);
  const Eigen::VectorXd c = sp.vectors.transpose() * sp.sqrt_weight;
  PassageCurves out;
  for (double t : times_s) {
    double f = 0.0, s = 0.0;
    for (Eigen::Index k = 0; k < m; ++k) {
      const double rate = sp.decay_rates(k);
      f += a(k) * b(k) * (rate > 0.0 ? -std::expm1(-rate * t) / rate : t);
      s += a(k) * c(k) * std::exp(-rate * t);
    }
    out.cdf.push_back(arrived + f);
    out.survival.push_back(stranded + s);
  }
  return out;
}

/// The generator (or transition matrix) with the target lumped into one
/// absorbing state, last; its last column is then the first-passage CDF.
Eigen::MatrixXd absorbing_augmented(const network::RateMatrix& rates, const std::vector<std::int32_t>& outside,
                                    const Mask& in_target) {
  const Eigen::MatrixXd full = detail::dense_matrix(rates);
  const Eigen::Index m = static_cast<Eigen::Index>(outside.size());
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(m + 1, m + 1);
  for (Eigen::Index a = 0; a < m; ++a) {
    for (Eigen::Index b = 0; b < m; ++b) g(a, b) = full(outside[a], outside[b]);
    for (Eigen::Index j = 0; j < full.cols(); ++j)
      if (in_target[j]) g(a, m) += full(outside[a], j);
  }
  if (rates.discrete_time()) g(m, m) = 1.0;
  return g;
}

PassageCurves passage_matrix(const network::RateMatrix& rates, const Eigen::VectorXd& p0, const Mask& in_target,
                             const std::vector<double>& times_s) {
  const std::vector<std::int32_t> outside = detail::indices_where(in_target, false);
  const Eigen::Index m = static_cast<Eigen::Index>(outside.size());
  const Eigen::MatrixXd g = absorbing_augmented(rates, outside, in_target);
  Eigen::RowVectorXd x0 = Eigen::RowVectorXd::Zero(m + 1);
  double arrived = 0.0;
  for (Eigen::Index i = 0; i < p0.size(); ++i)
    if (in_target[i]) arrived += p0(i);
  for (Eigen::Index a = 0; a < m; ++a) x0(a) = p0(outside[a]);
  std::vector<Eigen::RowVectorXd> rows;
  if (rates.discrete_time()) {
    rows = apply_powers(g, x0, times_s, rates.lag_time_s);
  } else {
    for (double t : times_s) rows.push_back(x0 * detail::expm(g * t));
  }
  PassageCurves out;
  for (const auto& r : rows) {
    out.cdf.push_back(arrived + r(m));
    out.survival.push_back(r.head(m).sum());
  }
  return out;
}

PassageCurves passage_curves(const network::RateMatrix& rates, const std::vector<double>& p0, const StateSet& target,
                             const std::vector<double>& times_s, Propagator method) {
  detail::validate(rates);
  detail::validate_distribution(p0, rates.n);
  detail::validate_times(times_s);
  if (target.empty()) throw UsageError("first-passage distribution into an empty set of states");
  const Mask in_target = detail::mask_of(target, rates.n, "target set");
  const Eigen::VectorXd start = Eigen::Map<const Eigen::VectorXd>(p0.data(), rates.n);
  const auto log_weights = spectral_weights(rates, method, false);
  return log_weights ? passage_spectral(rates, *log_weights, start, in_target, times_s)
                     : passage_matrix(rates, start, in_target, times_s);
}

}  // namespace

std::vector<double> propagate(const network::RateMatrix& rates, const std::vector<double>& p0,
                              const std::vector<double>& times_s, Propagator method) {
  detail::validate(rates);
  detail::validate_distribution(p0, rates.n);
  detail::validate_times(times_s);
  const Eigen::VectorXd start = Eigen::Map<const Eigen::VectorXd>(p0.data(), rates.n);
  const auto log_weights = spectral_weights(rates, method, true);
  return log_weights ? propagate_spectral(rates, *log_weights, start, times_s)
                     : propagate_matrix(rates, start, times_s);
}

std::vector<double> first_passage_cdf(const network::RateMatrix& rates, const std::vector<double>& p0,
                                      const StateSet& target, const std::vector<double>& times_s, Propagator method) {
  return passage_curves(rates, p0, target, times_s, method).cdf;
}

std::vector<double> survival_probability(const network::RateMatrix& rates, const std::vector<double>& p0,
                                         const StateSet& target, const std::vector<double>& times_s,
                                         Propagator method) {
  return passage_curves(rates, p0, target, times_s, method).survival;
}

}  // namespace pk::solve
