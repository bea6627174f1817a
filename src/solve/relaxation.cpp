// Relaxation times: the non-stationary eigenvalues of Q or P.
#include "solve/solver.hpp"

#include "core/error.hpp"
#include "solve/detail/dense.hpp"
#include "solve/detail/spectrum.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <limits>

namespace pk::solve {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Index of the eigenvalue closest to `stationary` (0 for Q, 1 for P).
Eigen::Index stationary_index(const Eigen::VectorXcd& values, double stationary) {
  Eigen::Index best = 0;
  (values.array() - stationary).abs().minCoeff(&best);
  return best;
}

/// -tau / ln|lambda| for every eigenvalue of P but the stationary one.
std::vector<double> discrete_times(const network::RateMatrix& rates, bool reversible) {
  const Eigen::MatrixXd p = detail::dense_matrix(rates);
  Eigen::VectorXcd values;
  if (reversible) {
    Eigen::MatrixXd s = p;
    for (Eigen::Index i = 0; i < p.rows(); ++i)
      for (Eigen::Index j = 0; j < p.cols(); ++j)
        if (i != j) s(i, j) = std::sqrt(p(i, j) * p(j, i));
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(s, Eigen::EigenvaluesOnly);
    values = solver.eigenvalues().cast<std::complex<double>>();
  } else {
    values = Eigen::EigenSolver<Eigen::MatrixXd>(p, false).eigenvalues();
  }
  const Eigen::Index skip = stationary_index(values, 1.0);
  std::vector<double> times;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    if (i == skip) continue;
    const double log_modulus = std::log(std::abs(values(i)));
    times.push_back(log_modulus < 0.0 ? -rates.lag_time_s / log_modulus : kInf);
  }
  return times;
}

/// -1 / Re(lambda) for every eigenvalue of a generator that is not
/// symmetrisable, but the stationary 0.
std::vector<double> general_times(const network::RateMatrix& rates) {
  const Eigen::VectorXcd values = Eigen::EigenSolver<Eigen::MatrixXd>(detail::dense_matrix(rates), false).eigenvalues();
  const Eigen::Index skip = stationary_index(values, 0.0);
  std::vector<double> times;
  for (Eigen::Index i = 0; i < values.size(); ++i)
    if (i != skip) times.push_back(values(i).real() < 0.0 ? -1.0 / values(i).real() : kInf);
  return times;
}

}  // namespace

std::vector<double> relaxation_times(const network::RateMatrix& rates) {
  detail::validate(rates);
  if (rates.n == 0) throw UsageError("relaxation times of an empty network");
  if (!detail::irreducible(rates))
    throw InputError("rate matrix", 0,
                     "relaxation times need an irreducible network (every state reaching every other)");
  const auto log_weights = detail::reversible_log_weights(rates);
  std::vector<double> times;
  if (rates.discrete_time()) {
    times = discrete_times(rates, log_weights.has_value());
  } else if (log_weights) {
    const detail::SymmetricSpectrum spectrum = detail::full_spectrum(detail::offdiagonal_weights(rates), *log_weights);
    for (Eigen::Index k = 1; k < spectrum.decay_rates.size(); ++k)
      times.push_back(spectrum.decay_rates(k) > 0.0 ? 1.0 / spectrum.decay_rates(k) : kInf);
  } else {
    times = general_times(rates);
  }
  std::sort(times.begin(), times.end(), std::greater<double>());
  return times;
}

}  // namespace pk::solve
