// `pandakinetics calibrate`: fits the landscape model's global parameters to
// measured koff (and kon) of reference complexes, cross-validated, beside two
// baselines (docs/landscape.md, "Calibration"). Options -> plain settings ->
// landscape::Calibration -> atomic outputs. Every rank reads every network;
// the predictions of each evaluation are spread over the ranks and gathered;
// rank 0 prints and writes.
#include "landscape/calibrate_report.hpp"
#include "app/commands.hpp"

#include "app/path_options.hpp"
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "landscape/calibration.hpp"
#include "landscape/landscape_h5.hpp"
#include "landscape/reference_csv.hpp"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>

namespace pk::pipeline {

void add_calibrate_options(cli::po::options_description& desc) {
  namespace po = cli::po;
  desc.add_options()
      ("reference", po::value<std::string>()->value_name("FILE.csv"),
       "measured kinetics: a CSV with a header row and the columns series, ligand_id, koff_per_s (1/s), network "
       "(a network.h5 from `network`, relative to the CSV's folder), optionally kon_per_M_per_s (1/(M s)); other "
       "columns are ignored")
      ("network-pattern", po::value<std::string>()->value_name("PATTERN"),
       "the network of each row when the CSV has no network column: {series} and {ligand_id} are replaced by the "
       "row's values (e.g. out/kinetics/networks/{ligand_id}.h5, relative to the working folder)")
      ("parameters", po::value<std::string>()->value_name("START.txt"),
       "start values of the model parameters (a parameter file; default: the model's defaults); the prior is centred on them")
      ("fit", po::value<std::string>()->default_value("all"),
       "parameters to fit, comma-separated (scale, offset_kcal_per_mol, rotor_kcal_per_mol, polar_kcal_per_mol, "
       "apolar_kcal_per_mol, log10_kappa), 'all', or 'none' (only evaluate the start values); the others stay at their start values")
      ("folds", po::value<int>()->default_value(5),
       "cross-validation folds K, stratified by series (round-robin in ligand-id order); 0: leave-one-out")
      ("loss-scale", po::value<double>()->default_value(1.0),
       "delta of the soft-L1 loss 2 delta^2 (sqrt(1 + r^2/delta^2) - 1) of the log10 residuals, log10 units")
      ("prior-width-factor", po::value<double>()->default_value(1.0),
       "multiplies the widths of the Gaussian prior about the start values (ln scale 0.5, offset 2 kcal/mol, rotor, "
       "polar, apolar 1 kcal/mol, log10_kappa 1); 0: no prior")
      ("concentration", po::value<double>()->default_value(1.0),
       "ligand concentration (M) of the predicted kon = 1 / (MFPT unbound -> bound x [L]), as solve's --concentration")
      ("max-iterations", po::value<int>()->default_value(200), "Levenberg-Marquardt iterations per fit, at most")
      ("output", po::value<std::string>()->default_value("calibrated_parameters.txt"),
       "the fitted parameter file (read by network/run --parameters), with provenance comments; replaced atomically")
      ("predictions", po::value<std::string>()->value_name("FILE.csv"),
       "per complex: measured, cross-validated, in-sample and baseline koff (1/s), kon, fold")
      ("summary", po::value<std::string>()->value_name("FILE.json"), "all figures and fitted parameters as JSON");
}

namespace {

std::vector<std::string> free_parameters(const std::string& text) {
  if (text == "all") return landscape::parameter_names();
  if (text == "none") return {};
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a == std::string::npos) throw UsageError("pandakinetics calibrate: --fit has an empty item");
    out.push_back(item.substr(a, b - a + 1));
  }
  return out;
}

landscape::CalibrationSettings settings_from(const cli::po::variables_map& vm) {
  landscape::CalibrationSettings s;
  s.free_parameters = free_parameters(vm["fit"].as<std::string>());
  s.folds = vm["folds"].as<int>();
  s.loss_scale_log10 = vm["loss-scale"].as<double>();
  s.prior_width_factor = vm["prior-width-factor"].as<double>();
  s.concentration_M = vm["concentration"].as<double>();
  s.max_iterations = vm["max-iterations"].as<int>();
  if (s.folds < 0 || s.folds == 1) throw UsageError("pandakinetics calibrate: --folds must be 0 (leave-one-out) or >= 2");
  const auto& known = landscape::parameter_names();
  for (const auto& name : s.free_parameters)
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw UsageError("pandakinetics calibrate: unknown model parameter '" + name + "' in --fit (known: scale, "
                       "offset_kcal_per_mol, rotor_kcal_per_mol, polar_kcal_per_mol, apolar_kcal_per_mol, log10_kappa)");
  return s;
}

/// Each reference row's landscape, with the CSV line in every message.
std::vector<landscape::LandscapeKinetics> read_complexes(const std::vector<landscape::ReferenceComplex>& rows,
                                                         const std::string& csv) {
  std::vector<landscape::LandscapeKinetics> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    try {
      landscape::ComplexLandscape c = landscape::read_landscape(r.network);
      c.id = r.ligand_id;
      c.series = r.series;
      out.emplace_back(std::move(c));
    } catch (const InputError& e) {
      throw InputError(csv, r.line, std::string("network of ligand '") + r.ligand_id + "': " + e.what());
    }
  }
  return out;
}

}  // namespace

int run_calibrate(const cli::po::variables_map& vm, cli::Context& ctx) {
  if (!vm.count("reference")) throw UsageError("pandakinetics calibrate: --reference FILE.csv is required");
  const landscape::CalibrationSettings settings = settings_from(vm);
  const std::string csv = vm["reference"].as<std::string>();
  const std::vector<landscape::ReferenceComplex> rows = landscape::read_reference(
      csv, settings.folds, vm.count("network-pattern") ? vm["network-pattern"].as<std::string>() : "");
  std::vector<io::NamedPath> inputs = cli::input_paths(vm, {"reference", "parameters"});
  for (const auto& r : rows) inputs.push_back({"--reference (network, line " + std::to_string(r.line) + ")", r.network});
  cli::check_paths("calibrate", inputs, cli::paths_of(vm, {"output", "predictions", "summary"}));

  landscape::ModelParameters start;
  start.provenance = "model defaults";
  if (vm.count("parameters")) start = landscape::read_parameters(vm["parameters"].as<std::string>());
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<landscape::LandscapeKinetics> complexes = read_complexes(rows, csv);
  std::vector<landscape::Measurement> measured;
  for (const auto& r : rows) measured.push_back({r.koff_per_s, r.kon_per_M_per_s});
  CalibrateRun run{csv, rows, settings, start, vm.count("parameters") ? vm["parameters"].as<std::string>() : "",
                   ctx.command_line, ctx.size};
  print_reference(ctx.out, run, complexes);

  comm::Communicator comm;
  const landscape::Calibration calibration(complexes, measured, comm);
  const landscape::CalibrationResult result = calibration.run(start, settings, &ctx.out);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const std::string output = vm["output"].as<std::string>();
  if (comm.is_root()) {  // all outputs complete on disk before any replaces a file
    io::PendingFile params(output);
    params.write(fitted_parameters_text(run, result));
    std::optional<io::PendingFile> predictions, summary;
    if (vm.count("predictions")) {
      predictions.emplace(vm["predictions"].as<std::string>());
      predictions->write(predictions_csv(run, result));
    }
    if (vm.count("summary")) {
      summary.emplace(vm["summary"].as<std::string>());
      summary->write(summary_json(run, result));
    }
    params.commit();
    if (predictions) predictions->commit();
    if (summary) summary->commit();
  }
  comm.barrier();
  print_result(ctx.out, run, result);
  ctx.out << "  wrote " << output << (vm.count("predictions") ? ", " + vm["predictions"].as<std::string>() : "")
          << (vm.count("summary") ? ", " + vm["summary"].as<std::string>() : "") << " (" << std::fixed
          << std::setprecision(1) << run.seconds << " s on " << ctx.size << " rank(s))\n"
          << std::defaultfloat;
  return kExitOk;
}

}  // namespace pk::pipeline
