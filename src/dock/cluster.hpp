// Final-pose selection as Vina does it: RMSD between heavy-atom coordinate
// lists (upper bound: atom i to atom i; lower bound: each atom to the nearest
// atom of the same type), greedy clustering of minima sorted by energy (a pose
// within min_rmsd of a better kept one is dropped), and the number-of-modes /
// energy-range cut.
#pragma once

#include <array>
#include <vector>

namespace pk::dock {

using Coords = std::vector<std::array<double, 3>>;

/// Plain RMSD, atom i against atom i (Å).
double rmsd_upper_bound(const Coords& a, const Coords& b);
/// Vina's symmetry-tolerant bound: max over both directions of the RMSD to the
/// nearest atom with the same type (Å).
double rmsd_lower_bound(const Coords& a, const Coords& b, const std::vector<int>& type);

/// Indices of the poses kept, best first: `energy` sorted ascending (ties by
/// index), a pose dropped when within `min_rmsd` (Å, upper bound) of a kept
/// one; with max_kept > 0 it stops once that many are kept (the same first
/// max_kept as without the limit).
std::vector<int> cluster_poses(const std::vector<double>& energy, const std::vector<Coords>& heavy, double min_rmsd,
                               std::size_t max_kept = 0);

/// The first poses of an ascending list with energy <= best + energy_range,
/// at most num_modes of them.
int modes_to_keep(const std::vector<double>& sorted_energy, int num_modes, double energy_range);

}  // namespace pk::dock
