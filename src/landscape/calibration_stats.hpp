// The figures a calibration is judged by, and the baselines it must beat:
// rank and linear correlation of predicted against measured residence time
// (log10 tau, tau = 1/koff), the median and RMS log10 error of koff, and
// one-variable least-squares fits log10 koff = alpha + beta x (x: the best
// docked Vina score, or the ligand's heavy-atom count).
#pragma once

#include <string>
#include <vector>

namespace pk::landscape {

struct Figures {
  int n = 0;                              ///< complexes
  double spearman = 0;                    ///< of log10 tau predicted vs measured (NaN: undefined)
  double pearson = 0;                     ///< same, linear
  double median_abs_log10_error = 0;      ///< median |log10(koff_pred / koff_meas)|, log10 units
  double rmse_log10 = 0;                  ///< root mean square of log10(koff_pred / koff_meas)
};

/// Spearman rank correlation (ties get their average rank); NaN for fewer than
/// two points or a constant variable.
double spearman_rho(const std::vector<double>& x, const std::vector<double>& y);
/// Pearson correlation; NaN for fewer than two points or a constant variable.
double pearson_r(const std::vector<double>& x, const std::vector<double>& y);
double median(std::vector<double> v);

/// Figures of predicted against measured koff (1/s) over the complexes `which`.
Figures koff_figures(const std::vector<double>& predicted_koff_per_s, const std::vector<double>& measured_koff_per_s,
                     const std::vector<int>& which);

/// Least squares y = alpha + beta x over `which`; beta = 0 when x is constant there.
struct LinearFit {
  double alpha = 0, beta = 0;
  double operator()(double x) const { return alpha + beta * x; }
};
LinearFit fit_line(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int>& which);

/// "a < b" by natural order: runs of digits compare as numbers ("L2" < "L10").
bool natural_less(const std::string& a, const std::string& b);

/// Fold of each complex: stratified by series (series in natural order, then
/// complexes by ligand id within each), dealt round-robin with one counter
/// running across the series, so every series spreads over the folds and
/// the folds differ in size by at most one. folds = 0: leave-one-out (one
/// fold per complex, in that same order).
std::vector<int> assign_folds(const std::vector<std::string>& series, const std::vector<std::string>& ligand_ids,
                              int folds);

}  // namespace pk::landscape
