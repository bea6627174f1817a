// What a prepared ligand keeps of the molecule it came from, so that its
// docked poses can be written back as that molecule (docked_sdf.hpp): the
// RDKit molecule with every hydrogen, its bond orders and charges as read, the
// input's SD properties, and how the PDBQT atoms and the torsion tree's rigid
// bodies map onto it.
#pragma once

#include <GraphMol/RWMol.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pk::prep::detail {

struct MoleculeIdentity {
  /// The molecule as prepared (every hydrogen explicit, the prepared
  /// coordinates as conformer 0) with the bonds as read: an SDF record's bond
  /// orders and formal charges exactly as its molfile gives them, a SMILES or
  /// MOL2 record's as RDKit reads them, kekulized.
  std::unique_ptr<RDKit::RWMol> mol;
  std::string name;
  /// The input's SD properties ("> <NAME>" blocks), in order.
  std::vector<std::pair<std::string, std::string>> properties;
  /// Molecule atom of PDBQT atom k (atoms in the order the PDBQT lists them).
  std::vector<int> written_atom;
  /// Per rigid body of the torsion tree, the PDBQT atoms fixed relative to
  /// it: its own, the parent's atom on the joining torsion and the first
  /// atom of each child body (both on torsion axes).
  std::vector<std::vector<int>> rigid_sets;
  /// Per molecule atom: the rigid body whose motion carries it when it is a
  /// merged (non-polar) hydrogen, which the PDBQT does not hold; -1 for atoms
  /// the PDBQT holds.
  std::vector<int> carried_by;
};

}  // namespace pk::prep::detail
