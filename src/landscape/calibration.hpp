// Calibration of the landscape model's global parameters on measured
// kinetics, judged by cross-validation (`pandakinetics calibrate`).
//
// Fit: robust least squares in log10 space. Residuals r = log10 koff_pred -
// log10 koff_meas (and the same for kon where measured); loss
//   F = sum_i rho(r_i) + sum_p ((x_p - x0_p) / sigma_p)^2,
//   rho(r) = 2 delta^2 (sqrt(1 + r^2 / delta^2) - 1)      (soft-L1, ~ r^2 near 0, ~ 2 delta |r| far out)
// over the free parameters x (internal coordinates: ln scale, so scale > 0;
// the others as they are, with log10_kappa <= 0 held as a bound). The second
// sum is a weak Gaussian prior about the start values x0 that keeps
// directions the data cannot determine where they started; widths sigma
// (times --prior-width-factor): ln scale 0.5, offset 2 kcal/mol, rotor, polar
// and apolar 1 kcal/mol, log10_kappa 1.
// Optimiser: Levenberg-Marquardt on the reweighted (IRLS) Gauss-Newton form
// of the loss: gradient weights 1 / sqrt(1 + r^2/delta^2), curvature weights
// (1 + r^2/delta^2)^-3/2 (the robust loss's own second derivative), with
// forward-difference Jacobians (step 1e-6 in the internal coordinates); a
// step is kept only when F decreases. Stops when F no longer decreases by
// more than 1e-12 relative, the largest step is below 1e-8, or both are
// small (1e-9, 1e-4), or after max_iterations (then reported unconverged).
//
// Parallel: every evaluation of the predictions deals the complexes it needs
// round-robin over the communicator's ranks and gathers them (MPI_Allgatherv);
// the sums are then taken in complex order on every rank, so the result is
// bitwise the same for any number of ranks.
#pragma once

#include "landscape/calibration_stats.hpp"
#include "landscape/kinetics.hpp"

#include "comm/communicator.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace pk::landscape {

struct Measurement {
  double koff_per_s = 0;
  double kon_per_M_per_s = 0;  ///< 0: not measured
};

struct CalibrationSettings {
  std::vector<std::string> free_parameters = parameter_names();  ///< the others stay at their start values
  int folds = 5;                     ///< 0: leave-one-out
  double loss_scale_log10 = 1.0;     ///< delta of the soft-L1 loss, log10 units
  double prior_width_factor = 1.0;   ///< multiplies the prior widths; 0: no prior
  double concentration_M = 1.0;      ///< [L] of the predicted kon (solve's kon = 1 / (MFPT [L]))
  int max_iterations = 200;
};

/// The prior width of a parameter in its internal coordinate (ln scale for scale).
double prior_width(const std::string& parameter);

struct FitResult {
  ModelParameters parameters;
  double loss = 0;        ///< F at the end, data plus prior
  double data_loss = 0;   ///< the soft-L1 sum alone
  int iterations = 0;
  bool converged = false;
  int training_complexes = 0;
};

struct SeriesFigures {
  std::string series;  ///< "pooled" for all complexes together
  Figures model_cv, model_in_sample, score_cv, heavy_atoms_cv;
};

struct CalibrationResult {
  int folds = 0;                   ///< the number of folds used (complexes for leave-one-out)
  FitResult full;                  ///< fitted on every complex
  std::vector<FitResult> fold_fits;  ///< fold f: fitted without the complexes of fold f
  std::vector<int> fold;           ///< per complex
  std::vector<double> koff_cv_per_s, koff_in_sample_per_s;
  std::vector<double> kon_cv_per_M_per_s, kon_in_sample_per_M_per_s;  ///< at settings.concentration_M
  std::vector<double> koff_score_baseline_cv_per_s, koff_heavy_atoms_baseline_cv_per_s;
  std::vector<double> best_score_kcal_per_mol;  ///< the docking baseline's variable, per complex
  std::vector<SeriesFigures> figures;  ///< per series (natural order), then "pooled"
};

/// The complexes (with their measurements) and the communicator the
/// predictions are spread over. Every rank holds all complexes; both the
/// complexes and the communicator must outlive the Calibration.
class Calibration {
 public:
  Calibration(const std::vector<LandscapeKinetics>& complexes, std::vector<Measurement> measured,
              const comm::Communicator& comm);

  /// Fits the free parameters on the complexes `training`, from `start`.
  /// Progress lines (iteration, loss) go to `progress` when not null, prefixed by `label`.
  FitResult fit(const ModelParameters& start, const CalibrationSettings& settings, const std::vector<int>& training,
                const std::string& label, std::ostream* progress) const;

  /// koff (1/s) and kon (1/(M s)) of the complexes `which` for each parameter
  /// set: out[set][k] for which[k]; kon only where `with_kon` (else 0).
  struct Prediction {
    double koff_per_s = 0, kon_per_M_per_s = 0;
  };
  std::vector<std::vector<Prediction>> predict(const std::vector<ModelParameters>& sets, const std::vector<int>& which,
                                               bool all_kon, double concentration_M) const;

  /// The whole protocol: folds, the fit on each training set, the held-out
  /// predictions, the fit on all complexes, both baselines on the same folds,
  /// and the figures. Throws pk::UsageError for bad settings.
  CalibrationResult run(const ModelParameters& start, const CalibrationSettings& settings, std::ostream* progress) const;

  std::size_t size() const { return complexes_.size(); }

 private:
  const std::vector<LandscapeKinetics>& complexes_;
  std::vector<Measurement> measured_;
  const comm::Communicator& comm_;
};

}  // namespace pk::landscape
