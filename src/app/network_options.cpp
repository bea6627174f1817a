#include "app/network_options.hpp"

#include "core/error.hpp"
#include "network/csv_detail.hpp"
#include "network/load.hpp"
#include "network/network_h5.hpp"
#include "network/validate.hpp"

#include <cmath>
#include <string>

namespace pk::network {

namespace po = boost::program_options;

void add_network_options(po::options_description& desc) {
  const Conditions d;
  // clang-format off
  desc.add_options()
    ("states", po::value<std::string>()->value_name("FILE.csv"),
     "states of the network: CSV with header id,free_energy_kcal_per_mol,macrostate[,name] (free energies in "
     "kcal/mol; macrostate bound, unbound or other). Use with --edges, or with --transition-matrix and --lag-time")
    ("edges", po::value<std::string>()->value_name("FILE.csv"),
     "edges of the network: CSV with header from,to,ts_free_energy_kcal_per_mol (Eyring, transition-state free "
     "energy in kcal/mol, both directions) or from,to,rate_per_s (directed rate in 1/s; out of unbound states at "
     "1 M). Needs --states")
    ("network", po::value<std::string>()->value_name("FILE.h5"),
     "network in HDF5 (group /network, as docs/formats.md describes); instead of --states/--edges")
    ("transition-matrix", po::value<std::string>()->value_name("FILE.csv|FILE.npy"),
     "discrete-time Markov model: row-stochastic n x n transition matrix (dense CSV or NumPy .npy float64), row i "
     "for the i-th state of --states. Needs --states and --lag-time")
    ("lag-time", po::value<double>()->value_name("SECONDS"),
     "lag time of --transition-matrix in s (> 0; no default)")
    ("temperature", po::value<double>()->default_value(d.temperature_K)->value_name("KELVIN"),
     "temperature in K for the Eyring rates and Boltzmann start distributions (default 300 K)")
    ("kappa", po::value<double>()->default_value(d.kappa)->value_name("KAPPA"),
     "transmission coefficient of the Eyring rates, dimensionless in (0, 1] (default 1)")
    ("concentration", po::value<double>()->default_value(d.concentration_M, "1e-6")->value_name("MOLAR"),
     "ligand concentration in M (mol/L); scales association rates given at 1 M (default 1e-6 M)");
  // clang-format on
}

namespace {

std::string given(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

}  // namespace

Network load_network_from_options(const po::variables_map& vm) {
  const std::string states = given(vm, "states"), edges = given(vm, "edges"), h5 = given(vm, "network"),
                    matrix = given(vm, "transition-matrix");
  const bool lag = vm.count("lag-time") > 0;
  const char* forms = "give --states and --edges, or --network FILE.h5, or --states, --transition-matrix and --lag-time";
  if (!h5.empty()) {
    if (!states.empty() || !edges.empty() || !matrix.empty() || lag)
      throw UsageError("--network conflicts with --states, --edges, --transition-matrix and --lag-time: " +
                       std::string(forms));
    return read_network_h5(h5, "/network");
  }
  if (!matrix.empty()) {
    if (!edges.empty())
      throw UsageError("--edges conflicts with --transition-matrix (continuous vs discrete time): " + std::string(forms));
    if (states.empty()) throw UsageError("--transition-matrix needs --states (one state per matrix row)");
    if (!lag) throw UsageError("--transition-matrix needs --lag-time (the model's lag time in s)");
    const double lag_time_s = vm["lag-time"].as<double>();
    if (!std::isfinite(lag_time_s) || lag_time_s <= 0.0)
      throw UsageError("--lag-time " + detail::fmt(lag_time_s) + ": expected a finite lag time > 0 s");
    return load_transition_matrix(states, matrix, lag_time_s);
  }
  if (lag) throw UsageError("--lag-time applies only to --transition-matrix");
  if (!edges.empty()) {
    if (states.empty()) throw UsageError("--edges needs --states");
    return load_csv(states, edges);
  }
  if (!states.empty())
    throw UsageError("--states needs --edges (continuous time) or --transition-matrix and --lag-time (discrete time)");
  throw UsageError(std::string("no network given: ") + forms);
}

Conditions conditions_from_options(const po::variables_map& vm) {
  Conditions c;
  if (vm.count("temperature")) c.temperature_K = vm["temperature"].as<double>();
  if (vm.count("kappa")) c.kappa = vm["kappa"].as<double>();
  if (vm.count("concentration")) c.concentration_M = vm["concentration"].as<double>();
  check_conditions(c);
  return c;
}

}  // namespace pk::network
