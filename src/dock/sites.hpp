// Docking one ligand in several search boxes (sites): the boxes --blind puts
// over the receptor surface, and the merge of the poses every box produced
// into one ranked, clustered list (host code, no Kokkos).
#pragma once

#include "dock/dock_config.hpp"
#include "dock/molecule.hpp"
#include "dock/poses_out.hpp"

#include <array>
#include <vector>

namespace pk::dock {

/// Blind docking boxes: cubes of side `box_size` on a lattice `box_size -
/// overlap` apart, centred on the receptor's heavy-atom bounding box grown
/// by kBlindMarginAngstrom, as few per axis as cover it; a cube is kept when
/// it holds receptor surface: at least kBlindMinAtoms receptor heavy atoms
/// and kBlindMinContactProbes probe points (a 2 Å lattice over the cube)
/// 3-5 Å from the nearest receptor heavy atom (where a ligand heavy atom
/// touching the receptor sits: empty space next to the receptor).
struct BlindTiling {
  std::array<double, 3> region_lo{0, 0, 0}, region_hi{0, 0, 0};  ///< Å, the grown bounding box
  std::array<int, 3> tiles{0, 0, 0};                             ///< cubes per axis on the lattice
  std::vector<DockBox> boxes;           ///< the kept cubes, lattice order (x slowest)
  std::vector<int> atoms, contact_probes;  ///< per kept cube: receptor heavy atoms, contact probe points
};
constexpr double kBlindMarginAngstrom = 4.0;
constexpr int kBlindMinAtoms = 10;
constexpr int kBlindMinContactProbes = 10;
constexpr double kBlindProbeSpacingAngstrom = 2.0;
constexpr double kBlindContactLoAngstrom = 3.0, kBlindContactHiAngstrom = 5.0;

/// Throws pk::InputError when the receptor has no heavy atom.
BlindTiling blind_boxes(const Receptor& receptor, double box_size, double overlap);

/// One ligand's poses from every box (per_box[b], poses with site = b, each
/// list as select_poses leaves it) as one list: all poses ranked by inter +
/// intra (ties: lower box first), clustered at min_rmsd (heavy atoms, as in
/// one box), re-scored against the intra of the best pose, RMSD bounds from
/// it, then the num_modes / energy_range cut. Boxes without poses may be
/// empty outputs; the ligand fields come from the first box with poses.
LigandOutput merge_sites(const std::vector<LigandOutput>& per_box, int num_modes, double energy_range_kcal,
                         double min_rmsd_angstrom);

}  // namespace pk::dock
