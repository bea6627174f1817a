// Turning a network and the command line into the engine's tables: replica
// conditions, start distributions, per-replica rate tables, the run's
// fingerprint (for checkpoints).
#pragma once

#include "kmc/engine.hpp"
#include "kmc/superbasin.hpp"
#include "network/network.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pk::kmc {

/// Where walkers start: a macrostate's Boltzmann distribution or one state.
struct StartSpec {
  network::Macrostate macrostate = network::Macrostate::Bound;
  std::int32_t state = -1;  ///< >= 0: this state index only
  std::string text;         ///< as given, for provenance
};

/// "bound", "unbound" or a state id of the network.
StartSpec parse_start(const std::string& text, const network::Network& net);

/// Comma-separated positive numbers ("290,300,310"); throws UsageError naming `option`.
std::vector<double> parse_list(const std::string& text, const std::string& option);

/// Value of each replica: the list cycled over replicas, or `fallback` if empty.
std::vector<double> per_replica(const std::vector<double>& list, double fallback, std::int32_t replicas);

/// Replicas [first, first + count) of rank `rank` out of `size`: contiguous
/// blocks in replica order, so outputs do not depend on the rank count.
std::pair<std::int32_t, std::int32_t> replica_share(std::int32_t replicas, int rank, int size);

/// Start distribution of one replica.
std::vector<double> start_probabilities(const network::Network& net, const StartSpec& start, double temperature_K);

/// Tables for replicas [first, first + count) with the given conditions,
/// with the exit laws of `basins` when given.
KmcTables build_tables(const network::Network& net, const StartSpec& start, std::int32_t first, std::int32_t count,
                       const std::vector<double>& temperature_K, const std::vector<double>& concentration_M,
                       double kappa, const Superbasins* basins = nullptr);

/// The rate matrices of every distinct (temperature, concentration) among
/// all replicas, in order of first appearance (the same on every rank).
std::vector<network::RateMatrix> condition_rates(const network::Network& net, const std::vector<double>& temperature_K,
                                                 const std::vector<double>& concentration_M, double kappa);

/// FNV-1a 64-bit hash (hex) over the network and every option that changes
/// the sampled trajectories.
std::string fingerprint(const network::Network& net, const std::vector<std::string>& settings);

}  // namespace pk::kmc
