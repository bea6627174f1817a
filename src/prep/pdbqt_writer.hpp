// A ligand's torsion tree as PDBQT text (ROOT/BRANCH/ENDBRANCH/TORSDOF), the
// layout AutoDock Vina and Open Babel write. Plain data in, text out.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace pk::prep {

struct TreeAtom {
  std::string name;             ///< PDB atom name, at most 4 characters
  std::string element;          ///< element symbol (for the name's column)
  std::array<double, 3> xyz{};  ///< Angstrom
  double charge = 0.0;          ///< Gasteiger, with merged hydrogens' charges added
  std::string type;             ///< AutoDock type: C, A, N, NA, OA, SA, HD, ...
};

/// A rigid body of the torsion tree: its atoms (indices into LigandTree::atoms)
/// and the rotatable bond that joins it to its parent.
struct RigidBody {
  std::vector<int> atoms;  ///< the child atom of the joining bond first
  int parent = -1;         ///< body index; -1 for the root
  int parent_atom = -1;    ///< atom of the parent body on the rotatable bond
  int child_atom = -1;     ///< atom of this body on the rotatable bond
  std::vector<int> children;
};

struct LigandTree {
  std::vector<TreeAtom> atoms;
  std::vector<RigidBody> bodies;
  int root = 0;
  int torsions() const { return static_cast<int>(bodies.size()) - 1; }
};

/// The PDBQT text: `remarks` as REMARK lines, then the tree depth first,
/// atoms numbered from 1 in the order written, then TORSDOF. `order`, when
/// given, receives the tree atom written as serial k + 1 at position k.
std::string write_pdbqt(const LigandTree& tree, const std::vector<std::string>& remarks,
                        std::vector<int>* order = nullptr);

}  // namespace pk::prep
