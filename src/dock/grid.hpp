// Building the device scorer (kernels/dock_score.hpp) from host models: Vina's
// grid maps computed by a Kokkos kernel (every grid point sums Vina's
// tabulated pair energies over the receptor atoms within 8 Å, one map per XS
// type needed), the ligand's map slots and intramolecular pairs, and batch
// evaluation of many poses (energy and per-atom gradient) on the device.
#pragma once

#include "dock/molecule.hpp"
#include "dock/scoring.hpp"
#include "dock_score.hpp"

#include <Kokkos_Core.hpp>

#include <array>
#include <vector>

namespace pk::dock {

using DockExec = Kokkos::DefaultExecutionSpace;
using DockMem = DockExec::memory_space;
using DeviceGrid = kernels::dock::GridMaps<DockMem>;
using DeviceLigand = kernels::dock::LigandTerms<DockMem>;
using DeviceEnergy = kernels::dock::VinaEnergy<DockMem>;
using DeviceAtomsEnergy = kernels::dock::VinaAtomsEnergy<DockMem>;

/// How the GPU search's teams evaluate the energy (VinaEnergy::team_energy,
/// the pairs form, or VinaEnergy::team_energy_atoms): PK_DOCK_TEAM_FORM =
/// pairs (the default) or atoms; anything else throws pk::UsageError.
enum class TeamForm { kPairs, kAtoms };
TeamForm team_form_setting();

/// coords(a, d) / grad(a, d) of one pose inside (pose, atom, 3) views, the
/// span type VinaEnergy takes.
template <class View3>
struct PoseSpan {
  View3 v;
  int pose;
  KOKKOS_INLINE_FUNCTION double& operator()(int a, int d) const { return v(pose, a, d); }
};

/// The XS types of the scored atoms of `ligands`, ascending, no repeats.
std::vector<int> xs_types_of(const std::vector<Ligand>& ligands);

/// Vina's grid maps over `box` for the XS types `types`, built on the device.
DeviceGrid build_grid_maps(const Receptor& receptor, const GridBox& box, const std::vector<int>& types,
                           const ScoringWeights& w);

/// The ligand side of the device scorer (throws pk::UsageError if an atom's
/// XS type has no map in `grid`); its atoms' slots balance the pairs over
/// the 32 lanes of a warp.
DeviceLigand upload_ligand(const Ligand& lig, const DeviceGrid& grid, const ScoringWeights& w);

/// `d` (from upload_ligand for `lig`) with its atoms' slots balanced over
/// lane groups of `lanes` lanes instead (run_evaluations_grouped); the maps,
/// pairs and pair table are shared, not rebuilt.
DeviceLigand ligand_for_lanes(DeviceLigand d, const Ligand& lig, int lanes);

/// Grid inter + intra energies of many poses: coords [n_poses][n_atoms] (Å).
/// Returns inter and intra per pose (kcal/mol) and, if `grad` is not null,
/// dE/dx of the sum per pose and atom (kcal/mol/Å).
struct PoseEnergies {
  std::vector<double> inter, intra;
  std::vector<std::vector<std::array<double, 3>>> grad;
};
PoseEnergies evaluate_poses(const DeviceEnergy& energy, const std::vector<std::vector<std::array<double, 3>>>& poses,
                            double cap, bool want_grad);

}  // namespace pk::dock
