// The calibration protocol: folds, one fit per training set, held-out
// predictions, the fit on everything, the two baselines on the same folds,
// and the figures per series and pooled.
#include "landscape/calibration.hpp"

#include "core/error.hpp"
#include "core/units.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

namespace pk::landscape {

namespace {

void check_settings(const CalibrationSettings& s, std::size_t n) {
  if (s.folds < 0 || s.folds == 1) throw UsageError("calibrate: --folds must be 0 (leave-one-out) or >= 2");
  if (s.folds > 0 && n < 2 * static_cast<std::size_t>(s.folds))
    throw UsageError("calibrate: " + std::to_string(n) + " complexes are fewer than 2 x " + std::to_string(s.folds) +
                     " for " + std::to_string(s.folds) + " folds");
  if (s.folds == 0 && n < 3) throw UsageError("calibrate: leave-one-out needs at least 3 complexes");
  if (!(s.loss_scale_log10 > 0) || !std::isfinite(s.loss_scale_log10))
    throw UsageError("calibrate: --loss-scale must be a finite number > 0 (log10 units)");
  if (!(s.prior_width_factor >= 0) || !std::isfinite(s.prior_width_factor))
    throw UsageError("calibrate: --prior-width-factor must be a finite number >= 0");
  if (!units::concentration_in_range(s.concentration_M))
    throw UsageError("calibrate: --concentration must be in (0, 1e3] M");
  if (s.max_iterations < 1) throw UsageError("calibrate: --max-iterations must be >= 1");
  for (std::size_t k = 0; k < s.free_parameters.size(); ++k) {
    const auto& names = parameter_names();
    if (std::find(names.begin(), names.end(), s.free_parameters[k]) == names.end())
      throw UsageError("calibrate: unknown model parameter '" + s.free_parameters[k] + "' in --fit");
    for (std::size_t j = 0; j < k; ++j)
      if (s.free_parameters[j] == s.free_parameters[k])
        throw UsageError("calibrate: --fit names '" + s.free_parameters[k] + "' twice");
  }
}

}  // namespace

CalibrationResult Calibration::run(const ModelParameters& start, const CalibrationSettings& settings,
                                   std::ostream* progress) const {
  const std::size_t n = complexes_.size();
  check_settings(settings, n);
  check_parameters(start, "calibrate start parameters");
  std::vector<std::string> series(n), ids(n);
  std::vector<double> heavy(n), log_koff(n), measured_koff(n);
  CalibrationResult res;
  res.best_score_kcal_per_mol.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    series[i] = complexes_[i].landscape().series;
    ids[i] = complexes_[i].landscape().id;
    heavy[i] = complexes_[i].landscape().heavy_atoms;
    res.best_score_kcal_per_mol[i] = best_bound_score_kcal_per_mol(complexes_[i].landscape());
    measured_koff[i] = measured_[i].koff_per_s;
    log_koff[i] = std::log10(measured_koff[i]);
  }
  res.fold = assign_folds(series, ids, settings.folds);
  res.folds = settings.folds > 0 ? settings.folds : static_cast<int>(n);
  res.koff_cv_per_s.assign(n, 0.0);
  res.kon_cv_per_M_per_s.assign(n, 0.0);
  res.koff_score_baseline_cv_per_s.assign(n, 0.0);
  res.koff_heavy_atoms_baseline_cv_per_s.assign(n, 0.0);

  for (int f = 0; f < res.folds; ++f) {
    std::vector<int> training, held;
    for (std::size_t i = 0; i < n; ++i) (res.fold[i] == f ? held : training).push_back(static_cast<int>(i));
    const std::string label = "fold " + std::to_string(f + 1) + " of " + std::to_string(res.folds);
    if (progress)
      *progress << "calibrate: " << label << ": fitting on " << training.size() << " complexes, predicting "
                << held.size() << "\n";
    res.fold_fits.push_back(fit(start, settings, training, label, progress));
    const auto pred = predict({res.fold_fits.back().parameters}, held, true, settings.concentration_M)[0];
    const LinearFit by_score = fit_line(res.best_score_kcal_per_mol, log_koff, training);
    const LinearFit by_heavy = fit_line(heavy, log_koff, training);
    for (std::size_t k = 0; k < held.size(); ++k) {
      const int i = held[k];
      res.koff_cv_per_s[i] = pred[k].koff_per_s;
      res.kon_cv_per_M_per_s[i] = pred[k].kon_per_M_per_s;
      res.koff_score_baseline_cv_per_s[i] = std::pow(10.0, by_score(res.best_score_kcal_per_mol[i]));
      res.koff_heavy_atoms_baseline_cv_per_s[i] = std::pow(10.0, by_heavy(heavy[i]));
    }
  }
  std::vector<int> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = static_cast<int>(i);
  if (progress) *progress << "calibrate: the fit on all " << n << " complexes (in-sample)\n";
  res.full = fit(start, settings, all, "all complexes", progress);
  const auto pred = predict({res.full.parameters}, all, true, settings.concentration_M)[0];
  for (const auto& p : pred) {
    res.koff_in_sample_per_s.push_back(p.koff_per_s);
    res.kon_in_sample_per_M_per_s.push_back(p.kon_per_M_per_s);
  }

  std::vector<std::string> names = series;
  std::sort(names.begin(), names.end(), natural_less);
  names.erase(std::unique(names.begin(), names.end()), names.end());
  names.push_back("");  // pooled
  for (const std::string& s : names) {
    std::vector<int> which;
    for (std::size_t i = 0; i < n; ++i)
      if (s.empty() || series[i] == s) which.push_back(static_cast<int>(i));
    SeriesFigures sf;
    sf.series = s.empty() ? "pooled" : s;
    sf.model_cv = koff_figures(res.koff_cv_per_s, measured_koff, which);
    sf.model_in_sample = koff_figures(res.koff_in_sample_per_s, measured_koff, which);
    sf.score_cv = koff_figures(res.koff_score_baseline_cv_per_s, measured_koff, which);
    sf.heavy_atoms_cv = koff_figures(res.koff_heavy_atoms_baseline_cv_per_s, measured_koff, which);
    res.figures.push_back(sf);
  }
  return res;
}

}  // namespace pk::landscape
