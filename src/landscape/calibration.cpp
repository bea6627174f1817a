// The fit: predictions gathered over the ranks, residuals in log10 space,
// Levenberg-Marquardt on the IRLS form of the soft-L1 loss (calibration.hpp).
#include "landscape/calibration.hpp"

#include "core/error.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <ostream>

namespace pk::landscape {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kJacobianStep = 1e-6;

/// The free parameters in their internal coordinates (ln scale; the rest as they are).
struct Coordinates {
  ModelParameters base;
  std::vector<std::string> names;
  std::vector<double> x0, inv_sigma2;  ///< start values; 1/sigma^2 of the prior (0: none)
  int kappa = -1;                      ///< index of log10_kappa among the free ones, -1 if fixed

  Coordinates(const ModelParameters& start, const CalibrationSettings& s) : base(start), names(s.free_parameters) {
    const auto values = start.named();
    for (std::size_t k = 0; k < names.size(); ++k) {
      const auto it = std::find_if(values.begin(), values.end(), [&](const auto& nv) { return nv.first == names[k]; });
      if (it == values.end()) throw UsageError("calibrate: unknown model parameter '" + names[k] + "'");
      x0.push_back(names[k] == "scale" ? std::log(it->second) : it->second);
      const double sigma = prior_width(names[k]) * s.prior_width_factor;
      inv_sigma2.push_back(sigma > 0 ? 1.0 / (sigma * sigma) : 0.0);
      if (names[k] == "log10_kappa") kappa = static_cast<int>(k);
    }
  }
  ModelParameters parameters(const std::vector<double>& x) const {
    ModelParameters p = base;
    for (std::size_t k = 0; k < names.size(); ++k) p.set(names[k], names[k] == "scale" ? std::exp(x[k]) : x[k]);
    return p;
  }
  double prior(const std::vector<double>& x) const {
    double sum = 0;
    for (std::size_t k = 0; k < x.size(); ++k) sum += (x[k] - x0[k]) * (x[k] - x0[k]) * inv_sigma2[k];
    return sum;
  }
};

/// 2 delta^2 (sqrt(1 + r^2/delta^2) - 1), written without the cancellation that zeroes it for |r| < 1e-8 delta.
double soft_l1(double r, double delta) { return 2.0 * r * r / (std::sqrt(1.0 + r * r / (delta * delta)) + 1.0); }

double log_ratio(double predicted, double measured) {
  if (!(predicted > 0) || !std::isfinite(predicted)) return kInf;
  return std::log10(predicted) - std::log10(measured);
}

/// Gauss-Newton normal equations A dx = -g of the robust loss at x (residuals r), from the residuals rs[p]
/// at x + h[p] e_p (forward differences) and the prior.
struct NormalEquations {
  Eigen::MatrixXd a;
  Eigen::VectorXd g;
};

NormalEquations normal_equations(const Coordinates& c, const std::vector<double>& x, const std::vector<double>& r,
                                 const std::vector<std::vector<double>>& rs, const std::vector<double>& h,
                                 double delta) {
  const std::size_t np = x.size();
  NormalEquations ne{Eigen::MatrixXd::Zero(np, np), Eigen::VectorXd::Zero(np)};
  for (std::size_t i = 0; i < r.size(); ++i) {
    Eigen::VectorXd ji(np);
    for (std::size_t p = 0; p < np; ++p) {
      const double d = (rs[p][i] - r[i]) / h[p];
      ji(p) = std::isfinite(d) ? d : 0.0;
    }
    // rho(r) = f(r^2): the gradient weighs r J by f' = (1 + r^2/delta^2)^-1/2 and the Gauss-Newton
    // curvature J^T J by f' + 2 r^2 f'' = (1 + r^2/delta^2)^-3/2 (Triggs et al., Bundle adjustment, 2000);
    // the plain IRLS weight there overstates the curvature and halves every step near the minimum.
    const double q = 1.0 + r[i] * r[i] / (delta * delta);
    const double w = 1.0 / std::sqrt(q);
    ne.a.noalias() += (w / q) * ji * ji.transpose();
    ne.g += w * r[i] * ji;
  }
  for (std::size_t p = 0; p < np; ++p) {
    ne.a(p, p) += c.inv_sigma2[p];
    ne.g(p) += (x[p] - c.x0[p]) * c.inv_sigma2[p];
  }
  return ne;
}

/// The Levenberg-Marquardt step (A + lambda diag A) dx = -g with the `held` parameters kept in place.
Eigen::VectorXd damped_step(const NormalEquations& ne, double lambda, const std::vector<char>& held) {
  Eigen::MatrixXd m = ne.a;
  Eigen::VectorXd rhs = -ne.g;
  for (Eigen::Index p = 0; p < m.rows(); ++p) {
    m(p, p) += lambda * ne.a(p, p);
    if (held[p]) {
      m.row(p).setZero();
      m.col(p).setZero();
      m(p, p) = 1.0;
      rhs(p) = 0.0;
    }
  }
  return m.ldlt().solve(rhs);
}

}  // namespace

double prior_width(const std::string& parameter) {
  if (parameter == "scale") return 0.5;  // of ln scale
  if (parameter == "offset_kcal_per_mol") return 2.0;
  if (parameter == "log10_kappa") return 1.0;
  return 1.0;  // rotor, polar, apolar: kcal/mol
}

Calibration::Calibration(const std::vector<LandscapeKinetics>& complexes, std::vector<Measurement> measured,
                         const comm::Communicator& comm)
    : complexes_(complexes), measured_(std::move(measured)), comm_(comm) {
  if (measured_.size() != complexes_.size())
    throw UsageError("calibrate: " + std::to_string(measured_.size()) + " measurements for " +
                     std::to_string(complexes_.size()) + " complexes");
}

std::vector<std::vector<Calibration::Prediction>> Calibration::predict(const std::vector<ModelParameters>& sets,
                                                                       const std::vector<int>& which, bool all_kon,
                                                                       double concentration_M) const {
  const int ranks = comm_.size(), rank = comm_.rank();
  const std::size_t n_sets = sets.size(), n = which.size(), per = 2 * n_sets;
  std::vector<double> mine;
  for (std::size_t k = static_cast<std::size_t>(rank); k < n; k += static_cast<std::size_t>(ranks)) {
    const int i = which[k];
    const bool kon = all_kon || measured_[i].kon_per_M_per_s > 0;
    for (const ModelParameters& p : sets) {
      mine.push_back(complexes_[i].koff_per_s(p));
      mine.push_back(kon ? complexes_[i].kon_per_M_per_s(p, concentration_M) : 0.0);
    }
  }
  std::vector<int> counts(static_cast<std::size_t>(ranks)), displs(static_cast<std::size_t>(ranks));
  int offset = 0;
  for (int r = 0; r < ranks; ++r) {
    const std::size_t owned = r < static_cast<int>(n) ? (n - static_cast<std::size_t>(r) + ranks - 1) / ranks : 0;
    counts[r] = static_cast<int>(owned * per);
    displs[r] = offset;
    offset += counts[r];
  }
  std::vector<double> all(n * per);
  comm::check_mpi(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), counts.data(),
                                 displs.data(), MPI_DOUBLE, comm_.get()),
                  "MPI_Allgatherv");
  std::vector<std::vector<Prediction>> out(n_sets, std::vector<Prediction>(n));
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = k % static_cast<std::size_t>(ranks), t = k / static_cast<std::size_t>(ranks);
    const double* block = all.data() + displs[r] + t * per;
    for (std::size_t s = 0; s < n_sets; ++s) out[s][k] = Prediction{block[2 * s], block[2 * s + 1]};
  }
  return out;
}

FitResult Calibration::fit(const ModelParameters& start, const CalibrationSettings& settings,
                           const std::vector<int>& training, const std::string& label, std::ostream* progress) const {
  const Coordinates c(start, settings);
  const double delta = settings.loss_scale_log10;
  const auto residuals_of = [&](const std::vector<std::vector<double>>& xs) {
    std::vector<ModelParameters> sets;
    for (const auto& x : xs) sets.push_back(c.parameters(x));
    const auto pred = predict(sets, training, false, settings.concentration_M);
    std::vector<std::vector<double>> out(xs.size());
    for (std::size_t s = 0; s < xs.size(); ++s)
      for (std::size_t k = 0; k < training.size(); ++k) {
        const Measurement& m = measured_[training[k]];
        out[s].push_back(log_ratio(pred[s][k].koff_per_s, m.koff_per_s));
        if (m.kon_per_M_per_s > 0) out[s].push_back(log_ratio(pred[s][k].kon_per_M_per_s, m.kon_per_M_per_s));
      }
    return out;
  };
  const auto data_loss = [&](const std::vector<double>& r) {
    double sum = 0;
    for (double v : r) sum += std::isfinite(v) ? soft_l1(v, delta) : kInf;
    return sum;
  };

  std::vector<double> x = c.x0;
  std::vector<double> r = residuals_of({x})[0];
  FitResult out;
  out.training_complexes = static_cast<int>(training.size());
  double data = data_loss(r), loss = data + c.prior(x);
  if (!std::isfinite(loss))
    throw UsageError("calibrate: the start parameters give no finite koff or kon for some complex of " + label);
  const std::size_t np = x.size();
  double lambda = 1e-3;
  bool converged = np == 0;
  int it = 0;
  while (!converged && it < settings.max_iterations) {
    ++it;
    std::vector<std::vector<double>> xs(np, x);
    std::vector<double> h(np, kJacobianStep);
    for (std::size_t p = 0; p < np; ++p) {
      if (static_cast<int>(p) == c.kappa && x[p] + h[p] > 0) h[p] = -h[p];  // stay inside log10_kappa <= 0
      xs[p][p] += h[p];
    }
    const NormalEquations ne = normal_equations(c, x, r, residuals_of(xs), h, delta);
    // log10_kappa on its bound and pushed outward: held there for this step.
    std::vector<char> held(np, 0);
    if (c.kappa >= 0 && x[c.kappa] >= 0.0 && ne.g(c.kappa) < 0) held[c.kappa] = 1;
    bool accepted = false;
    std::vector<double> x_new, r_new;
    double loss_new = kInf, data_new = kInf, largest = 0;
    while (!accepted && lambda <= 1e12) {
      const Eigen::VectorXd step = damped_step(ne, lambda, held);
      x_new = x;
      largest = 0;
      for (std::size_t p = 0; p < np; ++p) {
        x_new[p] += step(p);
        if (static_cast<int>(p) == c.kappa) x_new[p] = std::min(x_new[p], 0.0);
        largest = std::max(largest, std::abs(x_new[p] - x[p]));
      }
      r_new = residuals_of({x_new})[0];
      data_new = data_loss(r_new);
      loss_new = data_new + c.prior(x_new);
      if (std::isfinite(loss_new) && loss_new < loss) {
        accepted = true;
        lambda = std::max(lambda / 3.0, 1e-12);
      } else {
        lambda *= 4.0;
      }
    }
    if (!accepted) {  // no step lowers the loss: a minimum within rounding
      converged = true;
      break;
    }
    const double gain = loss - loss_new;
    x.swap(x_new);
    r.swap(r_new);
    loss = loss_new;
    data = data_new;
    if (progress)
      *progress << "  " << label << ": iteration " << it << ", loss " << std::setprecision(8) << loss
                << " log10^2 units (data " << data << ", prior " << loss - data << "), largest step "
                << std::setprecision(3) << largest << " (kcal/mol, ln scale or log10 kappa), damping lambda " << lambda
                << " (dimensionless)\n" << std::defaultfloat;
    converged = gain <= 1e-12 * (1.0 + loss) || largest <= 1e-8 || (gain <= 1e-9 * (1.0 + loss) && largest <= 1e-4);
  }
  out.parameters = c.parameters(x);
  out.loss = loss;
  out.data_loss = data;
  out.iterations = it;
  out.converged = converged;
  return out;
}

}  // namespace pk::landscape
