// Docked poses and their output files: PDBQT models with Vina's REMARK lines
// (read by vina_split and other Vina tooling), SDF with the scores as
// properties, the poses HDF5 file for the network stage (layout in
// docs/formats.md, "Docked poses") and a JSON summary.
#pragma once

#include "dock/cluster.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace pk::dock {

/// One final pose. Energies in kcal/mol.
struct PoseResult {
  std::vector<double> conformation;  ///< position 3 (Å), quaternion wxyz 4, torsions (rad)
  Coords coords;                     ///< every model atom, Å, model order
  double score = 0;                  ///< Vina's final score (REMARK VINA RESULT)
  double inter = 0, intra = 0;       ///< with the final softening
  double intra_best = 0;             ///< intra of the best pose (Vina's "unbound" reference)
  double torsional_normalisation = 1;  ///< 1 + w_rot * N_rot
  double rmsd_lb = 0, rmsd_ub = 0;     ///< Å from the best pose
  int site = 0;                        ///< search box index
  std::vector<std::pair<std::string, double>> inter_terms;  ///< unweighted term sums, when known
  std::vector<std::pair<std::string, double>> intra_terms;  ///< the same over the intramolecular pairs
};

/// What the output writers need to know about a ligand.
struct LigandOutput {
  std::string name;    ///< file stem, '/' replaced by '_'
  std::string source;  ///< path
  std::string pdbqt;   ///< the input PDBQT text
  int n_torsions = 0, torsdof = 0;
  std::vector<int> atom_line;  ///< 0-based line in `pdbqt` of model atom a
  std::vector<std::string> element;  ///< per model atom ("C", "N", "Cl", ...)
  std::vector<int> xs_type;          ///< per model atom, Vina XS type index
  std::vector<std::array<int, 2>> bonds;  ///< model atom pairs
  std::vector<PoseResult> poses;          ///< best first
  std::array<double, 3> box_center{0, 0, 0}, box_size{0, 0, 0};  ///< the search box, Å
};

/// Writes all poses as Vina writes them: MODEL n / REMARK VINA RESULT ... /
/// the input lines with new coordinates / ENDMDL.
void write_pdbqt_models(const LigandOutput& lig, const std::string& path);

/// Writes one SDF record per pose (single bonds from distances; polar H
/// only, as modelled) with score, inter, intra and RMSD properties. A ligand
/// read from a molecule file (ligand_files.hpp) is written through its
/// handler instead, as the input molecule with the same properties.
void write_sdf(const LigandOutput& lig, const std::string& path);

/// The SD properties of pose `rank` (1 = best): score_kcal_per_mol,
/// minimizedAffinity, pose_rank, inter/intra (kcal/mol), RMSD bounds (Å), site.
std::vector<std::pair<std::string, std::string>> pose_sdf_properties(const PoseResult& pose, int rank);

/// Writes the poses HDF5 file (one group per ligand) from the calling rank.
struct Box {
  std::array<double, 3> center{0, 0, 0}, size{0, 0, 0};
};
void write_poses_h5(const std::vector<LigandOutput>& ligands, const std::vector<Box>& boxes,
                    const std::string& receptor, const std::string& path);

/// JSON: per ligand, per pose: score, inter, intra, intra_best, torsional
/// normalisation, RMSDs and terms.
void write_dock_json(const std::vector<LigandOutput>& ligands, const std::string& receptor, const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& options);

/// Bonds from distances: covalent radii sum times 1.1 (as Vina decides bonding).
std::vector<std::array<int, 2>> bonds_from_distances(const Coords& xyz, const std::vector<std::string>& element);

}  // namespace pk::dock
