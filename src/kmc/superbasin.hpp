// Superbasins for KMC: groups of states that exchange much faster than they
// are left. A walker that enters one does not step through its flickers: it
// draws its exit time and exit edge at once from the basin's phase-type exit
// law (Novotny 1995, "Monte Carlo algorithms with absorbing Markov chains",
// Phys. Rev. Lett. 74, 1), exactly, whatever the flicker rate. docs/superbasins.md
// gives the method, the rule that finds basins and what the outputs hold
// inside a basin.
#pragma once

#include "network/network.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pk::kmc {

/// Largest basin the kernels take (their per-walker work arrays).
constexpr std::int32_t kMaxBasinStates = 256;

/// How basins are found (`kmc --superbasins ...`).
struct SuperbasinOptions {
  /// "auto": from the rates; "none": no basins (every flicker is a step);
  /// anything else: a CSV file "state,basin" naming the basins.
  std::string mode = "auto";
  /// auto: pairs of states (same macrostate) exchanging at least this fast,
  /// 1/s, in both directions under every replica's conditions, may join.
  double rate_per_s = 1.0;
  /// auto: a group is kept as a basin when its fastest state's total rate is
  /// at least this many times its exact slowest escape rate (else stepping
  /// through it is as cheap).
  double separation = 1e3;
  /// auto: largest basin; larger groups are cut into connected pieces.
  std::int32_t max_states = kMaxBasinStates;
};

/// The basins, in three sets by the phase of the walker that uses them (a
/// basin never holds an event that would change its walkers' phase):
///   bound phase (0):   bound and other states;
///   unbound phase (1): unbound and other states;
///   no phase yet (2):  other states only.
/// A state may so belong to one basin of each set.
struct Superbasins {
  std::int32_t n = 0;
  std::vector<std::int32_t> basin_of;  ///< 3 x n, phase-major: the state's basin for that phase (-1: none)
  std::vector<std::int32_t> first;     ///< basins + 1: offsets into members
  std::vector<std::int32_t> members;   ///< state indices, basin by basin
  std::vector<std::int8_t> phase;      ///< per basin: the phase whose walkers use it
  std::int32_t count() const { return first.empty() ? 0 : static_cast<std::int32_t>(first.size()) - 1; }
  std::int32_t size(std::int32_t b) const { return first[b + 1] - first[b]; }
  std::int32_t of(int walker_phase, std::int32_t s) const { return basin_of[static_cast<std::size_t>(walker_phase) * n + s]; }
};

/// One basin's exit law under one set of rates, in the eigenbasis of its
/// symmetrised sub-generator S = W^1/2 Q W^-1/2 (Q: rates among the basin's
/// states, minus each state's total exit rate on the diagonal; W: the
/// states' relative Boltzmann weights). For entry state i and m members:
///   P(still inside at t)     = sum_k c_ik exp(lambda_k t),  c_ik = V_ik alpha_k / sw_i
///   exit density             = sum_k d_ik exp(lambda_k t),  d_ik = V_ik beta_k / sw_i
///   P(at member a at t)      = (sw_a / sw_i) sum_k V_ik V_ak exp(lambda_k t)
/// with sw = sqrt(W), alpha_k = sum_a V_ak sw_a, beta_k = sum_a V_ak sw_a g_a,
/// g_a: member a's rate out of the basin.
struct BasinLaw {
  std::int32_t m = 0;
  std::vector<double> lambda;  ///< m, 1/s, all < 0, slowest (closest to 0) first
  std::vector<double> vec;     ///< m x m, row a = member, column k = mode
  std::vector<double> sw, alpha, beta, exit_rate;  ///< m each
  double slowest_escape_per_s = 0;  ///< min |lambda|
  double fastest_total_per_s = 0;   ///< max total exit rate of a member
};

/// The exit law of the basin `states` (indices into `rates`). Throws
/// InputError (naming `source`) when the rates inside the basin break
/// detailed balance, a member has no way out of it, or it has no exit.
BasinLaw basin_law(const network::RateMatrix& rates, const std::vector<std::int32_t>& states,
                   const std::string& source);

/// The basins of `net` by `options` (three sets, see Superbasins); `rates`: the rate matrices of every
/// distinct replica condition (all ranks pass the same list, so every rank
/// finds the same basins). Discrete-time models and mode "none" get none.
Superbasins find_superbasins(const network::Network& net, const std::vector<network::RateMatrix>& rates,
                             const SuperbasinOptions& options);

}  // namespace pk::kmc
