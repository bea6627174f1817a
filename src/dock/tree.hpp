// A ligand's torsion tree as plain host arrays (no Kokkos): what the device
// kinematics (kernels/dock_kinematics.hpp) is built from, and host helpers
// to build it from a parsed ligand and to place atoms for a conformation.
#pragma once

#include <array>
#include <vector>

namespace pk::dock {

/// A torsion tree on the host. Nodes in preorder (parent < child), node 0 the
/// root; a branch node's frame origin is its child-side axis atom.
struct TreeHost {
  std::vector<int> atom_node;
  std::vector<std::array<double, 3>> atom_ref;  ///< input coordinates, Å
  std::vector<int> node_parent;                 ///< -1 for the root
  std::vector<int> node_axis_from;              ///< parent-side axis atom (root: -1)
  std::vector<int> node_axis_to;                ///< child-side axis atom = frame origin (root: origin atom)
  std::array<double, 3> root_origin{0, 0, 0};   ///< Å

  int n_atoms() const { return static_cast<int>(atom_node.size()); }
  int n_torsions() const { return static_cast<int>(node_parent.size()) - 1; }
  /// Conformation of the input pose: root origin, identity, zero torsions.
  std::vector<double> input_conformation() const {
    std::vector<double> c(7 + n_torsions(), 0.0);
    for (int d = 0; d < 3; ++d) c[d] = root_origin[d];
    c[3] = 1.0;
    return c;
  }
};

/// The torsion tree of a parsed ligand: every atom of the file is moved
/// (hydrogens with their node); the root origin is the first ROOT atom.
/// Throws InputError naming the file for more than kMaxTorsions torsions.
struct Ligand;
TreeHost tree_of(const Ligand& lig);

/// Most torsions a ligand may have (issue 19: 1,200 made docking and the
/// path relaxation run for days; the search's cost per step grows with the
/// square of the torsion count, and Vina's guidance is 32 or fewer).
constexpr int kMaxTorsions = 256;

/// Atom coordinates of one conformation, computed on the host (for output).
std::vector<std::array<double, 3>> coordinates_of(const TreeHost& tree, const std::vector<double>& conf);

}  // namespace pk::dock
