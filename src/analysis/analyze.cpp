#include "analysis/analyze.hpp"

#include "core/error.hpp"
#include "core/units.hpp"
#include "io/hdf5.hpp"

#include <cmath>
#include <limits>
#include <tuple>

namespace pk::pipeline {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)); }

std::string stem(const std::string& path) {
  const auto slash = path.find_last_of('/');
  std::string s = slash == std::string::npos ? path : path.substr(slash + 1);
  const auto dot = s.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? s : s.substr(0, dot);
}

double scalar(const io::File& f, const std::string& name) {
  const auto v = io::read_all<double>(f, "/exact/" + name);
  if (v.size() != 1) throw InputError(f.path(), 0, "/exact/" + name + ": expected one value");
  return v[0];
}

/// The exact values for each group: solved from the run's network, or from a solve file.
void attach_exact(RunAnalysis& ra, const KmcRun& run, const AnalyzeSettings& cfg) {
  ra.exact.assign(ra.groups.size(), std::nullopt);
  if (cfg.exact == "none") {
    ra.exact_source = "none (--exact none)";
    return;
  }
  if (cfg.exact == "auto") {
    // Every size: only first-moment quantities are compared (sparse above
    // solve::kDenseExactStates states), so no dense time-dependent part.
    for (std::size_t g = 0; g < ra.groups.size(); ++g) {
      network::Conditions c{ra.groups[g].temperature_K, run.kappa, ra.groups[g].concentration_M};
      ra.exact[g] = solve::exact_kinetics(run.net, c, {}, 0);
    }
    ra.exact_source = "solved from " + run.path + ":/network at each group's temperature and concentration";
    return;
  }
  const solve::ExactKinetics x = read_exact_h5(cfg.exact);
  bool any = false;
  for (std::size_t g = 0; g < ra.groups.size(); ++g)
    if (same(x.temperature_K, ra.groups[g].temperature_K) && same(x.concentration_M, ra.groups[g].concentration_M) &&
        x.n_states == static_cast<std::int32_t>(run.net.states.size())) {
      ra.exact[g] = x;
      any = true;
    }
  ra.exact_source = any ? cfg.exact
                        : "none: " + cfg.exact + " (" + std::to_string(x.n_states) + " states at T = " +
                              std::to_string(x.temperature_K) + " K, [L] = " + std::to_string(x.concentration_M) +
                              " M) matches no condition of this run";
}

Interval ratio_interval(double value, const std::vector<double>& num, const std::vector<double>& den) {
  std::vector<double> r;
  for (std::size_t b = 0; b < num.size() && b < den.size(); ++b) r.push_back(den[b] > 0 ? num[b] / den[b] : kNaN);
  Interval e;
  e.value = value;
  std::tie(e.ci_low, e.ci_high) = percentile_interval(r);
  e.method = std::isnan(e.ci_low) ? "undefined" : "bootstrap-percentile";
  return e;
}

void add_selectivity(Analysis& a) {
  if (a.runs.size() < 2) return;
  const RunAnalysis& ref = a.runs.front();
  for (std::size_t i = 1; i < a.runs.size(); ++i)
    for (const GroupEstimates& g : a.runs[i].groups)
      for (const GroupEstimates& r : ref.groups) {
        if (!same(g.temperature_K, r.temperature_K) || !same(g.concentration_M, r.concentration_M)) continue;
        Selectivity s;
        s.label = a.runs[i].label;
        s.reference = ref.label;
        s.temperature_K = g.temperature_K;
        s.concentration_M = g.concentration_M;
        // tau_i / tau_ref = koff_ref / koff_i, on independent resamples of each file.
        s.residence_time_ratio = ratio_interval(r.koff_per_s.value / g.koff_per_s.value, r.koff_samples, g.koff_samples);
        std::vector<double> kd_i, kd_r;
        for (std::size_t b = 0; b < g.koff_samples.size(); ++b) kd_i.push_back(g.koff_samples[b] / g.kon_samples[b]);
        for (std::size_t b = 0; b < r.koff_samples.size(); ++b) kd_r.push_back(r.koff_samples[b] / r.kon_samples[b]);
        s.kd_ratio = ratio_interval(g.kd_M.value / r.kd_M.value, kd_i, kd_r);
        a.selectivity.push_back(s);
      }
}

void add_eyring(Analysis& a) {
  for (const RunAnalysis& ra : a.runs) {
    // Groups are sorted by (T, [L]); fit the temperatures of each concentration.
    std::vector<double> concs;
    for (const auto& g : ra.groups) {
      bool seen = false;
      for (double c : concs) seen = seen || same(c, g.concentration_M);
      if (!seen) concs.push_back(g.concentration_M);
    }
    for (double c : concs) {
      std::vector<const GroupEstimates*> gs;
      for (const auto& g : ra.groups)
        if (same(g.concentration_M, c) && g.koff_per_s.value > 0) gs.push_back(&g);
      if (gs.size() < 2) continue;
      EyringFit fit;
      fit.label = ra.label;
      fit.concentration_M = c;
      for (const auto* g : gs) {
        fit.temperature_K.push_back(g->temperature_K);
        fit.koff_per_s.push_back(g->koff_per_s.value);
      }
      const auto [dh, ds] = eyring_fit(fit.temperature_K, fit.koff_per_s, ra.kappa);
      std::vector<double> dh_s, ds_s, k(gs.size());
      for (std::size_t b = 0; b < gs.front()->koff_samples.size(); ++b) {
        for (std::size_t j = 0; j < gs.size(); ++j) k[j] = gs[j]->koff_samples[b];
        const auto [h, s] = eyring_fit(fit.temperature_K, k, ra.kappa);
        dh_s.push_back(h);
        ds_s.push_back(s);
      }
      fit.dH_kcal_per_mol.value = dh;
      fit.dS_cal_per_mol_K.value = ds;
      std::tie(fit.dH_kcal_per_mol.ci_low, fit.dH_kcal_per_mol.ci_high) = percentile_interval(dh_s);
      std::tie(fit.dS_cal_per_mol_K.ci_low, fit.dS_cal_per_mol_K.ci_high) = percentile_interval(ds_s);
      fit.dH_kcal_per_mol.method = fit.dS_cal_per_mol_K.method = "bootstrap-percentile (refit per resample)";
      a.eyring.push_back(fit);
    }
  }
}

}  // namespace

solve::ExactKinetics read_exact_h5(const std::string& path) {
  io::File f = io::File::open_read(path, MPI_COMM_NULL);
  if (H5Lexists(f.get(), "/exact", H5P_DEFAULT) <= 0)
    throw InputError(path, 0, "no /exact group (written by pandakinetics solve --output)");
  solve::ExactKinetics x;
  x.temperature_K = scalar(f, "temperature_K");
  x.concentration_M = scalar(f, "concentration_M");
  x.n_states = static_cast<std::int32_t>(scalar(f, "n_states"));
  x.koff_per_s = scalar(f, "koff_per_s");
  x.residence_time_s = scalar(f, "residence_time_s");
  x.mfpt_unbound_to_bound_s = scalar(f, "mfpt_unbound_to_bound_s");
  x.kon_per_M_per_s = scalar(f, "kon_per_M_per_s");
  x.kd_M = scalar(f, "kd_M");
  x.dG_kcal_per_mol = scalar(f, "dG_kcal_per_mol");
  x.koff_renewal_per_s = scalar(f, "koff_renewal_per_s");
  x.kon_renewal_per_M_per_s = scalar(f, "kon_renewal_per_M_per_s");
  return x;
}

std::vector<Comparison> compare(const GroupEstimates& g, const solve::ExactKinetics& x) {
  // KMC's event-count estimators converge to the steady-state (renewal) rates;
  // its first-passage MFPTs to the exact MFPTs from the Boltzmann start.
  const double kd = x.koff_renewal_per_s / x.kon_renewal_per_M_per_s;
  const double rt = units::rt_kcal_per_mol(x.temperature_K);
  struct Row {
    const char* name;
    const Interval* est;
    double exact;
    const char* exact_name;
  };
  const std::vector<Row> rows = {
      {"koff_per_s", &g.koff_per_s, x.koff_renewal_per_s, "koff_renewal_per_s"},
      {"kon_per_M_per_s", &g.kon_per_M_per_s, x.kon_renewal_per_M_per_s, "kon_renewal_per_M_per_s"},
      {"residence_time_s", &g.residence_time_s, 1.0 / x.koff_renewal_per_s, "1/koff_renewal_per_s"},
      {"kd_M", &g.kd_M, kd, "koff_renewal/kon_renewal"},
      {"dG_kcal_per_mol", &g.dG_kcal_per_mol, rt * std::log(kd / units::kStandardConcentration_M),
       "RT ln(koff_renewal/kon_renewal / 1 M)"},
      {"mfpt_bound_to_unbound_s", &g.mfpt_bound_to_unbound_s, x.residence_time_s, "residence_time_s (MFPT)"},
      {"mfpt_unbound_to_bound_s", &g.mfpt_unbound_to_bound_s, x.mfpt_unbound_to_bound_s, "mfpt_unbound_to_bound_s"},
  };
  std::vector<Comparison> out;
  for (const auto& [name, est, exact, exact_name] : rows) {
    Comparison c;
    c.quantity = name;
    c.kmc = *est;
    c.exact = exact;
    c.exact_name = exact_name;
    c.relative_difference = exact != 0 ? (est->value - exact) / std::abs(exact) : kNaN;
    c.exact_within_ci = est->ci_low <= exact && exact <= est->ci_high;
    out.push_back(c);
  }
  return out;
}

std::pair<double, double> eyring_fit(const std::vector<double>& T, const std::vector<double>& k, double kappa) {
  const std::size_t n = T.size();
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = 1.0 / T[i], y = std::log(k[i] / T[i]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double intercept = (sy - slope * sx) / n;
  const double R = units::kGas_kcal_per_mol_K;
  const double ln_prefactor = std::log(kappa * units::kBoltzmann_J_per_K / units::kPlanck_J_s);
  return {-slope * R, (intercept - ln_prefactor) * R * 1000.0};
}

Analysis analyze(const AnalyzeSettings& cfg) {
  if (cfg.inputs.empty()) throw UsageError("pandakinetics analyze: no input given (--input RUN.h5, repeatable)");
  if (!cfg.labels.empty() && cfg.labels.size() != cfg.inputs.size())
    throw UsageError("pandakinetics analyze: --labels has " + std::to_string(cfg.labels.size()) + " names for " +
                     std::to_string(cfg.inputs.size()) + " inputs");
  if (cfg.bootstrap.resamples < 100) throw UsageError("pandakinetics analyze: --bootstrap must be >= 100 resamples");
  Analysis a;
  a.settings = cfg;
  for (std::size_t i = 0; i < cfg.inputs.size(); ++i) {
    const KmcRun run = read_kmc_run(cfg.inputs[i]);
    RunAnalysis ra;
    ra.path = run.path;
    ra.label = cfg.labels.empty() ? stem(run.path) : cfg.labels[i];
    ra.network_source = run.net.source;
    ra.states = static_cast<std::int32_t>(run.net.states.size());
    ra.replicas = run.replicas;
    ra.walkers = run.walkers;
    ra.kappa = run.kappa;
    ra.horizon_s = run.horizon_s;
    ra.groups = estimate_groups(run.sums, cfg.bootstrap, i);
    attach_exact(ra, run, cfg);
    for (std::size_t g = 0; g < ra.groups.size(); ++g)
      ra.comparisons.push_back(ra.exact[g] ? compare(ra.groups[g], *ra.exact[g]) : std::vector<Comparison>{});
    a.runs.push_back(std::move(ra));
  }
  if (cfg.exact != "auto" && cfg.exact != "none") {
    bool any = false;
    for (const auto& ra : a.runs)
      for (const auto& x : ra.exact) any = any || x.has_value();
    if (!any)
      throw InputError(cfg.exact, 0, "/exact: its network size, temperature and concentration match no condition of the "
                                     "input run(s)");
  }
  add_selectivity(a);
  add_eyring(a);
  return a;
}

}  // namespace pk::pipeline
