// `pandakinetics analyze`: estimates with bootstrap intervals from one or
// more KMC output files, side by side with the exact master-equation values
// (solved here from the file's network, or read from a `solve` output), the
// kinetic selectivity of one ligand across receptors (one file each) and an
// Eyring fit of koff(T) when a file holds several temperatures.
#pragma once

#include "io/json.hpp"
#include "analysis/bootstrap.hpp"
#include "kmc/output_read.hpp"
#include "solve/exact.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pk::pipeline {

/// One KMC quantity next to its exact counterpart.
struct Comparison {
  std::string quantity;     ///< e.g. "koff_per_s"
  Interval kmc;
  double exact = 0;
  std::string exact_name;   ///< which exact value it is held to (e.g. "koff_renewal_per_s")
  double relative_difference = 0;  ///< (kmc - exact) / exact
  bool exact_within_ci = false;
};

struct RunAnalysis {
  std::string path, label, network_source;
  std::int32_t states = 0, replicas = 0, walkers = 0;
  double kappa = 1, horizon_s = 0;
  std::vector<GroupEstimates> groups;
  std::vector<std::optional<solve::ExactKinetics>> exact;  ///< per group, when known
  std::string exact_source;                                 ///< "solved from <file>:/network", a solve file, or why none
  std::vector<std::vector<Comparison>> comparisons;         ///< per group
};

/// Ratio of one run's residence time (and Kd) to the reference run's (the first file).
struct Selectivity {
  std::string label, reference;
  double temperature_K = 0, concentration_M = 0;
  Interval residence_time_ratio;  ///< tau(label) / tau(reference), 1
  Interval kd_ratio;              ///< Kd(label) / Kd(reference), 1
};

/// ln(koff/T) = ln(kappa k_B/h) + dS/R - dH/(R T), least squares over temperatures.
struct EyringFit {
  std::string label;
  double concentration_M = 0;
  std::vector<double> temperature_K, koff_per_s;
  Interval dH_kcal_per_mol;    ///< activation enthalpy of unbinding
  Interval dS_cal_per_mol_K;   ///< activation entropy of unbinding
};

struct AnalyzeSettings {
  std::vector<std::string> inputs, labels;
  std::string exact = "auto";   ///< "auto" (solve the file's network), "none", or a solve output file
  BootstrapSettings bootstrap;
};

struct Analysis {
  AnalyzeSettings settings;
  std::vector<RunAnalysis> runs;
  std::vector<Selectivity> selectivity;
  std::vector<EyringFit> eyring;
};

Analysis analyze(const AnalyzeSettings& settings);

/// The exact scalars of a `solve` output (/exact); throws pk::InputError.
solve::ExactKinetics read_exact_h5(const std::string& path);

/// KMC estimates of a group held to the exact values (what each estimator converges to).
std::vector<Comparison> compare(const GroupEstimates& g, const solve::ExactKinetics& x);

/// Least-squares Eyring fit of (T, koff) pairs: {dH kcal/mol, dS cal/(mol K)}.
std::pair<double, double> eyring_fit(const std::vector<double>& temperature_K, const std::vector<double>& koff_per_s,
                                     double kappa);

void write_analysis_json(io::JsonWriter& json, const Analysis& a);

}  // namespace pk::pipeline
