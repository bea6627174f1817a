// Transition-path theory (TPT) for a Markov jump process: which routes the
// reactive trajectories from a source set A to a sink set B take, and how
// often they occur. Continuous-time TPT as in P. Metzner, C. Schuette and
// E. Vanden-Eijnden, "Transition path theory for Markov jump processes",
// Multiscale Model. Simul. 7, 1192-1219 (2009):
//
//   q+_i  forward committor: probability to reach B before A from i
//   q-_i  backward committor: probability that i was last reached from A
//         rather than from B (the forward committor B -> A of the
//         time-reversed chain; 1 - q+ when detailed balance holds)
//   f_ij  = pi_i q-_i k_ij q+_j (i != j), the reactive flux
//   f+_ij = max(f_ij - f_ji, 0), the net flux
//   F     = sum_{i in A, j} f+_ij: A -> B transitions per unit time
//   k_AB  = F / sum_i pi_i q-_i, the rate of leaving A for B (equal to
//           ExactKinetics::koff_renewal_per_s for A = bound, B = unbound)
//
// Pathways: the net-flux graph is decomposed greedily, each time into the
// A -> B path of largest bottleneck (the widest path), whose bottleneck flux
// is then removed along it. Discrete-time models use P_ij in place of k_ij and
// report fluxes per second (per lag / tau).
//
// Linear algebra: subtraction-free elimination (stationary distribution and
// committors keep full relative accuracy on stiff networks), dense for up to
// kDenseTptStates states, sparse in minimum-degree order above, finishing
// densely once the fill makes the remaining block dense (a 2000-state 3-D
// lattice landscape: ~0.3 s on one core); above kReductionTptStates, the
// scaled sparse LU of solver.hpp (refined, a clear error where it loses
// accuracy).
#pragma once

#include "network/network.hpp"
#include "solve/solver.hpp"

#include <cstdint>
#include <vector>

namespace pk::solve {

/// Largest network whose TPT LinearAlgebra::Automatic solves densely (above:
/// sparse state reduction in minimum-degree order, which LinearAlgebra::Sparse
/// always uses; LinearAlgebra is in solver.hpp).
inline constexpr std::int32_t kDenseTptStates = 200;
/// Largest network whose TPT LinearAlgebra::Automatic solves by state
/// reduction; above, by the scaled sparse LU of solver.hpp (a 10^4-state
/// landscape: ~40 s by reduction, ~1 s by LU; docs/exact-solver.md).
inline constexpr std::int32_t kReductionTptStates = 2000;

/// When the pathway decomposition stops: after max_pathways paths, or once
/// the paths found carry flux_fraction of the total flux F, or when no
/// A -> B path with positive flux is left.
struct PathwayOptions {
  std::int32_t max_pathways = 10;
  double flux_fraction = 0.9;
};

/// Throws pk::UsageError unless max_pathways >= 1 and 0 < flux_fraction <= 1.
void validate(const PathwayOptions& options);

/// One edge of the net-flux graph (net_flux_per_s > 0).
struct NetFluxEdge {
  std::int32_t from = 0;
  std::int32_t to = 0;
  double net_flux_per_s = 0.0;
};

/// A path through the net-flux graph: a source state first, a sink state
/// last, no state twice.
struct Pathway {
  std::vector<std::int32_t> states;
  double flux_per_s = 0.0;  ///< its bottleneck when it was extracted
};

struct TransitionPaths {
  StateSet source;                          ///< A
  StateSet sink;                            ///< B
  std::vector<double> stationary;           ///< pi, per state
  std::vector<double> forward_committor;    ///< q+, per state (NaN where neither set is reachable)
  std::vector<double> backward_committor;   ///< q-, per state
  std::vector<NetFluxEdge> net_flux;        ///< f+ > 0, sorted by (from, to)
  double total_flux_per_s = 0.0;            ///< F
  double source_phase_probability = 0.0;    ///< sum_i pi_i q-_i: last in A rather than B
  double rate_per_s = 0.0;                  ///< k_AB = F / source_phase_probability
  double sink_inflow_per_s = 0.0;           ///< net flux into B (equals F: a conservation check)
  std::vector<Pathway> pathways;            ///< in order of extraction (decreasing bottleneck)
  /// Fraction of F carried by the listed pathways.
  double pathway_flux_fraction() const;
};

/// TPT from `source` (A) to `sink` (B). Throws pk::UsageError for empty or
/// overlapping sets, an index out of range, or bad options (max_pathways < 1,
/// flux_fraction outside (0, 1]); pk::InputError for a malformed or
/// reducible chain.
TransitionPaths transition_paths(const network::RateMatrix& rates, const StateSet& source, const StateSet& sink,
                                 const PathwayOptions& options = {},
                                 LinearAlgebra method = LinearAlgebra::Automatic);

/// Unbinding: A = the bound states, B = the unbound states, rates at `cond`.
TransitionPaths unbinding_paths(const network::Network& net, const network::Conditions& cond,
                                const PathwayOptions& options = {});

/// The greedy widest-path decomposition of a net-flux graph over n states
/// (exposed for tests). `total_flux_per_s` is F, the reference of
/// options.flux_fraction.
std::vector<Pathway> decompose_pathways(std::int32_t n, const std::vector<NetFluxEdge>& net_flux,
                                        const StateSet& source, const StateSet& sink, double total_flux_per_s,
                                        const PathwayOptions& options = {});

}  // namespace pk::solve
