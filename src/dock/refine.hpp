// Vina 1.2.3's last step before a docked pose is written: a local
// optimisation on the exact pairwise function (receptor atoms, not the grid
// maps), with the out-of-box slope raised from 100 until every heavy atom is
// inside the box (Vina's global_search with refinement on). Host code behind
// a Kokkos-free interface; the BFGS is the search's (kernels/dock_search.hpp).
#pragma once

#include "dock/molecule.hpp"
#include "dock/scoring.hpp"
#include "dock/tree.hpp"

#include <vector>

namespace pk::dock {

/// Each of `conformations` of `lig` (tree = tree_of(lig)) minimised on the
/// direct pairwise Vina energy over `rec` with softening v = 1000: up to five
/// BFGS runs of Vina's local step count, the p-th with out-of-box slope
/// 100 * 100^p kcal/mol/Å, stopping after the first run that ends with every
/// heavy atom inside `box`. Poses on up to `threads` host threads (0: all).
std::vector<std::vector<double>> refine_exact(const ScoringWeights& w, const ReceptorAtoms& rec, const Ligand& lig,
                                              const TreeHost& tree, const GridBox& box,
                                              const std::vector<std::vector<double>>& conformations, int threads);

}  // namespace pk::dock
