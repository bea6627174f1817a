// Kokkos-free entry points into the device scoring code, for host-only
// callers (the command line is compiled without nvcc because of Boost).
#pragma once

#include "dock/molecule.hpp"
#include "dock/scoring.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pk::dock {

using Pose = std::vector<std::array<double, 3>>;

/// Grid-path inter energies (kcal/mol) of each ligand at its own input
/// coordinates: Vina's maps over `box` built once on the device for all
/// their XS types, trilinear interpolation, per-atom softening with v = cap,
/// out-of-box slope; what `vina --score_only --no_refine` uses.
std::vector<double> grid_inter_energies(const Receptor& receptor, const GridBox& box,
                                        const std::vector<Ligand>& ligands, const ScoringWeights& w, double cap);

/// `bench score`: energy + gradient evaluations of one ligand at many random
/// rigid poses inside the box, one Kokkos thread per pose; and the same with
/// the torsion-tree kinematics (random conformations).
struct ScoreBenchSettings {
  int poses = 1 << 16;   ///< poses per launch
  int repeats = 7;       ///< timed launches (the median is reported)
  std::uint64_t seed = 1;
  double cap = kCapSearch;  ///< softening v, as while searching
  bool near = false;        ///< poses near the input pose (a local search's access pattern) instead of anywhere
};
struct ScoreBenchResult {
  double grid_build_seconds = 0;
  std::vector<double> seconds;          ///< per timed launch (inter + intra)
  std::vector<double> inter_seconds;    ///< per timed launch, grid term alone
  std::vector<double> intra_seconds;    ///< per timed launch, intramolecular term alone
  double median_evals_per_second = 0;   ///< energy + gradient, inter + intra
  double median_inter_per_second = 0;
  double median_intra_per_second = 0;
  std::vector<double> full_seconds;     ///< per timed launch: conformation -> coordinates -> energy + gradient -> conformation gradient
  double median_full_per_second = 0;    ///< the search's per-step evaluation, kinematics included
  std::vector<double> full_cpu_seconds; ///< process CPU time of those launches (host backends: all threads)
  double median_full_per_cpu_second = 0;
  int n_torsions = 0;
  std::vector<double> team_seconds;     ///< grid + intra, a team per pose (lanes over atoms, then pairs)
  double median_team_per_second = 0;
  int team_size = 1;
  double team_max_energy_diff = 0;      ///< largest |team - thread| energy, relative (at least 1 kcal/mol scale)
  double team_max_grad_diff = 0;        ///< the same for the gradient components
  std::vector<double> team_full_seconds;  ///< the per-step evaluation (kinematics included), a team per conformation
  double median_team_full_per_second = 0; ///< in the team form the search uses (team_form)
  double team_full_max_energy_diff = 0;   ///< largest |team - thread| energy of it, relative (both forms)
  std::string team_form;                  ///< the search's team form: "pairs" or "atoms" (PK_DOCK_TEAM_FORM)
  std::vector<double> team_full_pairs_seconds, team_full_atoms_seconds;  ///< the same in each team form
  double median_team_full_pairs_per_second = 0, median_team_full_atoms_per_second = 0;
  /// The per-step evaluation in the atoms form by groups of `lanes` lanes, a
  /// warp evaluating 32 / lanes conformations at once (run_evaluations_grouped,
  /// compact scratch: only what an evaluation needs). Host backends: 1 lane.
  struct Grouped {
    int lanes = 1;
    int min_blocks = 0;  ///< > 0: launch bounds for that many one-warp teams per SM (grouped_teams_per_sm)
    std::vector<double> seconds;
    double median_per_second = 0;
  };
  std::vector<Grouped> grouped;
  double grouped_max_energy_diff = 0;  ///< largest |grouped - thread| energy, relative
  double grouped_max_change_diff = 0;  ///< largest |grouped - thread| conformation-gradient entry, relative
  double checksum = 0;                  ///< sum of all energies of the last launch (kcal/mol)
  int n_atoms = 0, n_heavy = 0, n_pairs = 0;
  std::string execution_space;
};
ScoreBenchResult bench_score(const Receptor& receptor, const Ligand& lig, const GridBox& box, const ScoringWeights& w,
                             const ScoreBenchSettings& s);

}  // namespace pk::dock
