#include "landscape/calibrate_report.hpp"

#include "core/build_info.hpp"
#include "io/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <ostream>
#include <sstream>

namespace pk::pipeline {

namespace {

using landscape::Figures;
using landscape::SeriesFigures;

std::string fmt(const char* format, double v) {
  if (!std::isfinite(v)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, format, v);
  return b;
}

std::string g17(double v) { return fmt("%.17g", v); }

/// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char ch : v) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return b;
}

std::string figures_line(const Figures& f) {
  return "Spearman rho " + fmt("%.3f", f.spearman) + ", Pearson r " + fmt("%.3f", f.pearson) +
         " (log10 residence time), median |log10 koff error| " + fmt("%.3f", f.median_abs_log10_error) +
         ", RMSE " + fmt("%.3f", f.rmse_log10) + " log10 units, n = " + std::to_string(f.n);
}

std::string fold_text(const CalibrateRun& run, const landscape::CalibrationResult& r) {
  return run.settings.folds > 0 ? std::to_string(r.folds) + "-fold" : "leave-one-out (" + std::to_string(r.folds) + " folds)";
}

std::string free_list(const CalibrateRun& run) {
  std::string s;
  for (const auto& n : run.settings.free_parameters) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none (evaluation of the start values)" : s;
}

/// Which parameters are fixed at their start values.
std::string fixed_list(const CalibrateRun& run) {
  std::string s;
  for (const auto& n : landscape::parameter_names())
    if (std::find(run.settings.free_parameters.begin(), run.settings.free_parameters.end(), n) ==
        run.settings.free_parameters.end())
      s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none" : s;
}

void json_figures(io::JsonWriter& j, const std::string& key, const Figures& f) {
  j.begin_object(key)
      .value("n", f.n)
      .value("spearman_rho_log10_residence_time", f.spearman)
      .value("pearson_r_log10_residence_time", f.pearson)
      .value("median_abs_log10_koff_error", f.median_abs_log10_error)
      .value("rmse_log10_koff", f.rmse_log10)
      .end_object();
}

void json_parameters(io::JsonWriter& j, const std::string& key, const landscape::ModelParameters& p) {
  j.begin_object(key);
  for (const auto& [name, v] : p.named()) j.value(name, v);
  j.end_object();
}

/// +1 the model is better than both, -1 not better than at least one, 0 undefined.
int beats(double model, double a, double b, bool higher_is_better) {
  if (!std::isfinite(model) || !std::isfinite(a) || !std::isfinite(b)) return 0;
  return higher_is_better ? (model > a && model > b ? 1 : -1) : (model < a && model < b ? 1 : -1);
}

}  // namespace

void print_reference(std::ostream& out, const CalibrateRun& run,
                     const std::vector<landscape::LandscapeKinetics>& complexes) {
  std::map<std::string, int> per_series;
  std::size_t min_states = SIZE_MAX, max_states = 0, edges = 0, kon = 0;
  for (const auto& c : complexes) {
    ++per_series[c.landscape().series];
    min_states = std::min(min_states, c.landscape().states.size());
    max_states = std::max(max_states, c.landscape().states.size());
    edges += c.landscape().edges.size();
  }
  for (const auto& r : run.rows) kon += r.kon_per_M_per_s > 0;
  out << "calibrate: " << complexes.size() << " complexes in " << per_series.size() << " series from " << run.reference
      << " (" << kon << " with a measured kon); " << min_states << " to " << max_states << " states, "
      << edges / std::max<std::size_t>(complexes.size(), 1) << " edges per network on average\n";
  for (const auto& [s, n] : per_series) out << "  series " << s << ": " << n << " complexes\n";
  out << "  free parameters: " << free_list(run) << "; fixed: " << fixed_list(run) << "\n"
      << "  loss: soft-L1, delta = " << run.settings.loss_scale_log10 << " log10 units; prior width factor "
      << run.settings.prior_width_factor << "; kon at [L] = " << run.settings.concentration_M << " M; "
      << (run.settings.folds > 0 ? std::to_string(run.settings.folds) + "-fold" : std::string("leave-one-out"))
      << " cross-validation on " << run.ranks << " rank(s)\n";
}

std::string verdict(const SeriesFigures& f) {
  const struct {
    const char* name;
    int v;
  } items[] = {
      {"Spearman rho", beats(f.model_cv.spearman, f.score_cv.spearman, f.heavy_atoms_cv.spearman, true)},
      {"Pearson r", beats(f.model_cv.pearson, f.score_cv.pearson, f.heavy_atoms_cv.pearson, true)},
      {"median |log10 koff error|",
       beats(f.model_cv.median_abs_log10_error, f.score_cv.median_abs_log10_error,
             f.heavy_atoms_cv.median_abs_log10_error, false)},
  };
  std::string yes, no, undefined;
  for (const auto& it : items) {
    std::string& list = it.v > 0 ? yes : it.v < 0 ? no : undefined;
    list += (list.empty() ? "" : ", ") + std::string(it.name);
  }
  std::string s = f.series + ": the model (cross-validated) ";
  s += yes.empty() ? "beats both baselines on no figure" : "beats both baselines on " + yes;
  if (!no.empty()) s += "; it does NOT beat both on " + no;
  if (!undefined.empty()) s += "; undefined for " + undefined;
  return s + ".";
}

void print_result(std::ostream& out, const CalibrateRun& run, const landscape::CalibrationResult& r) {
  out << "\ncalibrate: fitted parameters (all complexes; " << r.full.iterations << " iterations, "
      << (r.full.converged ? "converged" : "NOT converged: raise --max-iterations") << ", loss "
      << fmt("%.6g", r.full.loss) << " log10^2 units):\n";
  for (const auto& [name, v] : r.full.parameters.named()) out << "  " << name << " = " << fmt("%.6g", v) << "\n";
  int unconverged = 0;
  for (const auto& f : r.fold_fits) unconverged += !f.converged;
  if (unconverged) out << "  WARNING: " << unconverged << " fold fit(s) did not converge\n";
  char line[256];
  out << "\n" << fold_text(run, r) << " cross-validated figures of log10 residence time (tau = 1/koff):\n";
  std::snprintf(line, sizeof line, "  %-14s %4s | %-27s | %-27s | %-27s\n", "series", "n", "model: rho    r  med|err|",
                "Vina score: rho  r  med|err|", "heavy atoms: rho r  med|err|");
  out << line;
  for (const auto& f : r.figures) {
    std::snprintf(line, sizeof line, "  %-14s %4d | %7s %6s %7s     | %7s %6s %7s     | %7s %6s %7s\n",
                  f.series.substr(0, 14).c_str(), f.model_cv.n, fmt("%.3f", f.model_cv.spearman).c_str(),
                  fmt("%.3f", f.model_cv.pearson).c_str(), fmt("%.3f", f.model_cv.median_abs_log10_error).c_str(),
                  fmt("%.3f", f.score_cv.spearman).c_str(), fmt("%.3f", f.score_cv.pearson).c_str(),
                  fmt("%.3f", f.score_cv.median_abs_log10_error).c_str(), fmt("%.3f", f.heavy_atoms_cv.spearman).c_str(),
                  fmt("%.3f", f.heavy_atoms_cv.pearson).c_str(),
                  fmt("%.3f", f.heavy_atoms_cv.median_abs_log10_error).c_str());
    out << line;
  }
  out << "  (rho, r: dimensionless; med|err|: median |log10(koff_pred / koff_meas)|, log10 units)\n"
      << "\nin-sample (not a validation figure), the fit on all complexes:\n";
  for (const auto& f : r.figures) out << "  " << f.series << ": " << figures_line(f.model_in_sample) << "\n";
  out << "\n";
  for (const auto& f : r.figures) out << verdict(f) << "\n";
}

std::string fitted_parameters_text(const CalibrateRun& run, const landscape::CalibrationResult& r) {
  std::ostringstream p;
  p << "Fitted by pandakinetics calibrate " << PK_VERSION_STRING << " (commit " << PK_GIT_HASH << ") on " << utc_now()
    << " (UTC)\n"
    << "command: " << run.command_line << "\n"
    << "reference: " << run.reference << ", " << run.rows.size() << " complexes\n";
  std::map<std::string, std::string> ids;
  for (const auto& row : run.rows) ids[row.series] += (ids[row.series].empty() ? "" : ", ") + row.ligand_id;
  for (const auto& [s, list] : ids) p << "  series " << s << ": " << list << "\n";
  p << "start: " << (run.start_file.empty() ? "the model's defaults" : run.start_file) << "; free: " << free_list(run)
    << "; fixed at start: " << fixed_list(run) << "\n"
    << "loss: soft-L1 of log10 koff (and kon) residuals, delta " << run.settings.loss_scale_log10
    << " log10 units; Gaussian prior about the start, widths x " << run.settings.prior_width_factor
    << " (ln scale 0.5, offset 2 kcal/mol, rotor/polar/apolar 1 kcal/mol, log10_kappa 1); kon at "
    << run.settings.concentration_M << " M\n"
    << "fit: loss " << fmt("%.6g", r.full.loss) << " (data " << fmt("%.6g", r.full.data_loss) << "), "
    << r.full.iterations << " iterations, " << (r.full.converged ? "converged" : "not converged") << "\n"
    << "cross-validated (" << fold_text(run, r) << ", stratified by series):\n";
  for (const auto& f : r.figures) p << "  model " << f.series << ": " << figures_line(f.model_cv) << "\n";
  for (const auto& f : r.figures) p << "  baseline Vina score " << f.series << ": " << figures_line(f.score_cv) << "\n";
  for (const auto& f : r.figures)
    p << "  baseline heavy atoms " << f.series << ": " << figures_line(f.heavy_atoms_cv) << "\n";
  p << "in-sample (not a validation figure):\n";
  for (const auto& f : r.figures) p << "  model " << f.series << ": " << figures_line(f.model_in_sample) << "\n";
  landscape::ModelParameters out = r.full.parameters;
  out.provenance = p.str();
  return landscape::parameters_text(out);
}

std::string predictions_csv(const CalibrateRun& run, const landscape::CalibrationResult& r) {
  std::ostringstream c;
  c << "series,ligand_id,fold,koff_measured_per_s,koff_cv_per_s,koff_in_sample_per_s,koff_baseline_score_cv_per_s,"
       "koff_baseline_heavy_atoms_cv_per_s,kon_measured_per_M_per_s,kon_cv_per_M_per_s,kon_in_sample_per_M_per_s,"
       "best_score_kcal_per_mol\n";
  for (std::size_t i = 0; i < run.rows.size(); ++i) {
    const auto& row = run.rows[i];
    c << csv_field(row.series) << "," << csv_field(row.ligand_id) << "," << r.fold[i] + 1 << "," << g17(row.koff_per_s) << ","
      << g17(r.koff_cv_per_s[i]) << "," << g17(r.koff_in_sample_per_s[i]) << ","
      << g17(r.koff_score_baseline_cv_per_s[i]) << "," << g17(r.koff_heavy_atoms_baseline_cv_per_s[i]) << ","
      << (row.kon_per_M_per_s > 0 ? g17(row.kon_per_M_per_s) : "") << "," << g17(r.kon_cv_per_M_per_s[i]) << ","
      << g17(r.kon_in_sample_per_M_per_s[i]) << "," << g17(r.best_score_kcal_per_mol[i]) << "\n";
  }
  return c.str();
}

std::string summary_json(const CalibrateRun& run, const landscape::CalibrationResult& r) {
  io::JsonWriter j;
  j.begin_object()
      .value("program", "pandakinetics calibrate")
      .value("commit", PK_GIT_HASH)
      .value("command_line", run.command_line)
      .value("reference", run.reference)
      .value("complexes", static_cast<int>(run.rows.size()))
      .value("folds", r.folds)
      .value("leave_one_out", run.settings.folds == 0)
      .value("loss_scale_log10", run.settings.loss_scale_log10)
      .value("prior_width_factor", run.settings.prior_width_factor)
      .value("kon_concentration_M", run.settings.concentration_M);
  j.begin_array("free_parameters");
  for (const auto& n : run.settings.free_parameters) j.value("", n);
  j.end_array();
  json_parameters(j, "start_parameters", run.start);
  json_parameters(j, "fitted_parameters", r.full.parameters);
  j.begin_object("fit")
      .value("loss", r.full.loss)
      .value("data_loss", r.full.data_loss)
      .value("iterations", r.full.iterations)
      .value("converged", r.full.converged)
      .end_object();
  j.begin_array("fold_fits");
  for (std::size_t f = 0; f < r.fold_fits.size(); ++f) {
    j.begin_object().value("fold", static_cast<int>(f + 1)).value("training_complexes", r.fold_fits[f].training_complexes);
    json_parameters(j, "parameters", r.fold_fits[f].parameters);
    j.value("loss", r.fold_fits[f].loss).value("iterations", r.fold_fits[f].iterations).value("converged", r.fold_fits[f].converged);
    j.end_object();
  }
  j.end_array();
  j.begin_array("figures");
  for (const auto& f : r.figures) {
    j.begin_object().value("series", f.series);
    json_figures(j, "model_cv", f.model_cv);
    json_figures(j, "model_in_sample_not_a_validation_figure", f.model_in_sample);
    json_figures(j, "baseline_vina_score_cv", f.score_cv);
    json_figures(j, "baseline_heavy_atoms_cv", f.heavy_atoms_cv);
    j.value("verdict", verdict(f));
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace pk::pipeline
