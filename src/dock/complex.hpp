// Several ligands of one complex moved together (Vina 1.2's multi-ligand
// model, repeated --ligand): one conformation made of every ligand's
// position, orientation and torsions, the energy of all of them at once
// (each ligand atom on the grid maps, each ligand's intramolecular pairs and
// every heavy-atom pair of two ligands on Vina's pair table), minimised by the
// search's BFGS (kernels/dock_search.hpp) on host threads. Kokkos-free
// interface; complex.cpp holds the Kokkos side.
#pragma once

#include "dock/molecule.hpp"
#include "dock/scoring.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace pk::dock {

/// The most ligands optimised or docked together (scoring takes any number).
constexpr int kMaxLigandsTogether = 16;

/// Atom coordinates (Å) of each ligand of a complex, in its file's order.
using ComplexCoords = std::vector<std::vector<std::array<double, 3>>>;

/// Vina 1.2.3's --local_only for the ligands together: BFGS runs of Vina's
/// local step count ((25 + atoms of all ligands) / 3) on the grid maps with
/// v = 1000 from the input poses, stopping after the first run that ends with
/// every heavy atom inside `box` (at most five); `thorough`: five runs in a
/// row. Returns the optimised coordinates.
ComplexCoords local_optimize_together(const Receptor& receptor, const ScoringWeights& w,
                                      const std::vector<Ligand>& ligands, const GridBox& box, bool thorough);

/// Settings of a Monte Carlo search of a complex (Vina's chain on the host).
struct ComplexSearchSettings {
  int chains = 8;
  int steps_per_chain = 100;
  std::uint64_t seed = 0;
  int threads = 0;  ///< host threads (0: all)
};

/// One minimum of a complex search: coordinates and the search energy.
struct ComplexMinimum {
  ComplexCoords coords;
  double energy = 0;  ///< kcal/mol, grid maps, v = 1000
};

/// Monte Carlo chains over the complex's conformation (each step mutates one
/// entity of one ligand, chosen uniformly among all ligands' positions,
/// orientations and torsions, as Vina's mutate_conf), BFGS with v = 10,
/// Metropolis at T = 1.2, accepted minima refined with v = 1000; every
/// chain's refined minima, on host threads.
std::vector<ComplexMinimum> search_together(const Receptor& receptor, const ScoringWeights& w,
                                            const std::vector<Ligand>& ligands, const GridBox& box,
                                            const ComplexSearchSettings& s);

}  // namespace pk::dock
