// What `pandakinetics calibrate` prints and writes: the reference summary,
// progress, the table of figures per series and pooled (model against the
// two baselines, each on the same folds), the verdict, the fitted parameter
// file with its provenance, the per-complex predictions and the JSON summary.
#pragma once

#include "landscape/calibration.hpp"
#include "landscape/reference_csv.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace pk::pipeline {

/// The run's inputs, for printing and provenance.
struct CalibrateRun {
  std::string reference;
  std::vector<landscape::ReferenceComplex> rows;
  landscape::CalibrationSettings settings;
  landscape::ModelParameters start;
  std::string start_file;  ///< "" : the model's defaults
  std::string command_line;
  int ranks = 1;
  double seconds = 0;
};

void print_reference(std::ostream& out, const CalibrateRun& run,
                     const std::vector<landscape::LandscapeKinetics>& complexes);
void print_result(std::ostream& out, const CalibrateRun& run, const landscape::CalibrationResult& result);
/// "the model beats both baselines on ..., not on ..." for one row of figures.
std::string verdict(const landscape::SeriesFigures& f);

std::string fitted_parameters_text(const CalibrateRun& run, const landscape::CalibrationResult& result);
std::string predictions_csv(const CalibrateRun& run, const landscape::CalibrationResult& result);
std::string summary_json(const CalibrateRun& run, const landscape::CalibrationResult& result);

}  // namespace pk::pipeline
