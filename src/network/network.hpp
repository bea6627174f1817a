// A kinetic network: states with free energies and macrostate labels, and
// directed edges whose rates follow from transition-state free energies
// (Eyring), are given explicitly, or are transition probabilities of a
// discrete-time Markov model at lag time tau.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pk::network {

enum class Macrostate : std::int8_t { Bound = 0, Unbound = 1, Other = 2 };

/// "bound", "unbound", "other".
const char* to_string(Macrostate m);

struct State {
  std::int64_t id = 0;                      ///< the user's id, as in the input file
  double free_energy_kcal_per_mol = 0.0;    ///< absolute free energy (0 where the input has none)
  Macrostate macrostate = Macrostate::Other;
  std::string name;                         ///< optional, may be empty
};

enum class EdgeKind : std::int8_t {
  Eyring = 0,       ///< value = transition-state free energy, kcal/mol (absolute)
  Rate = 1,         ///< value = rate constant, 1/s (directed)
  Probability = 2,  ///< value = transition probability per lag time (discrete-time model)
};

/// One directed edge. An Eyring line of an edge file yields two Edges (both
/// directions share the transition state, so detailed balance holds).
struct Edge {
  std::int32_t from = 0;  ///< index into Network::states
  std::int32_t to = 0;    ///< index into Network::states
  EdgeKind kind = EdgeKind::Rate;
  double value = 0.0;
};

struct Network {
  std::vector<State> states;
  std::vector<Edge> edges;
  double lag_time_s = 0.0;  ///< > 0 for a discrete-time Markov model (all edges Probability)
  std::string source;       ///< where it came from, for messages and provenance
  bool discrete_time() const { return lag_time_s > 0.0; }
};

/// Physical conditions that turn a Network into numbers.
struct Conditions {
  double temperature_K = 300.0;
  double kappa = 1.0;               ///< transmission coefficient of the Eyring rates
  double concentration_M = 1e-6;    ///< ligand concentration
};

/// Row-compressed matrix of rates (continuous time, 1/s, no diagonal) or of
/// transition probabilities (discrete time, self-loops allowed, rows sum to 1).
///
/// Concentration: rates of edges that leave an `unbound` state for a state
/// that is not `unbound` are association rates at the 1 M standard state; they
/// are multiplied by concentration_M / 1 M (pseudo-first order). Discrete-time
/// models are taken as they are (their probabilities already hold a
/// concentration).
struct RateMatrix {
  std::int32_t n = 0;
  std::vector<std::int64_t> row_offsets;  ///< size n + 1
  std::vector<std::int32_t> targets;      ///< size nnz, sorted within a row
  std::vector<double> values;             ///< size nnz
  double lag_time_s = 0.0;                ///< > 0: discrete-time (values are probabilities)
  bool discrete_time() const { return lag_time_s > 0.0; }
  /// Sum of the off-diagonal rates of row i (continuous time).
  double total_rate(std::int32_t i) const;
};

/// Builds the matrix at the given conditions. Duplicate (from, to) pairs are
/// an error caught when the network is loaded, not here.
RateMatrix build_rates(const Network& net, const Conditions& cond);

/// The start distribution over the states of macrostate `m`: Boltzmann
/// weights exp(-G_i / RT) restricted to those states and normalised (uniform
/// when their free energies are equal, e.g. all 0). Zero elsewhere. KMC walkers
/// start from it and the exact solver's MFPTs average over it.
std::vector<double> start_distribution(const Network& net, Macrostate m, double temperature_K);

/// Indices of the states with the given macrostate.
std::vector<std::int32_t> states_in(const Network& net, Macrostate m);

}  // namespace pk::network
