// Reading the poses HDF5 file that docking writes (`pandakinetics dock
// --out_h5`; layout in docs/pipeline.md "Poses HDF5"): per ligand the
// model-atom coordinates of every pose, its Vina score and parts, the root
// position, orientation and torsions, the search box it came from; and the
// search boxes. Every problem is a pk::InputError naming the file and the
// dataset.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace pk::pipeline {

using Vec3 = std::array<double, 3>;
using Coords = std::vector<Vec3>;

struct LigandPoses {
  std::string name, source, pdbqt;
  int n_atoms = 0, n_torsions = 0, torsdof = 0;
  std::vector<Coords> coordinates;           ///< per pose, model atoms, Å
  std::vector<double> score_kcal_per_mol;    ///< Vina's final score per pose
  std::vector<double> inter_kcal_per_mol, intra_kcal_per_mol;
  std::vector<Vec3> position_angstrom;       ///< root origin per pose
  std::vector<std::array<double, 4>> orientation_wxyz;
  std::vector<std::vector<double>> torsions_rad;  ///< per pose, n_torsions
  std::vector<int> site;                     ///< search box per pose
  std::vector<int> xs_type;                  ///< per atom
  std::vector<std::string> element;          ///< per atom
  std::vector<int> ray, depth;               ///< per pose: generated channel states' ray and step (empty: docked)
  bool is_channel(int p) const { return !ray.empty() && ray[p] >= 0; }
  int n_poses() const { return static_cast<int>(score_kcal_per_mol.size()); }
};

struct SearchBox {
  Vec3 center_angstrom{0, 0, 0}, size_angstrom{0, 0, 0};
};

struct PosesFile {
  std::string path, receptor;
  std::vector<LigandPoses> ligands;
  std::vector<SearchBox> boxes;
  /// The ligand called `name`; an empty name picks the only ligand (error if several).
  const LigandPoses& ligand(const std::string& name) const;
};

PosesFile read_poses_h5(const std::string& path);

}  // namespace pk::pipeline
