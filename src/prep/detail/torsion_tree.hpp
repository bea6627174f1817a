// Vina's torsion tree by Meeko's rules. Non-polar hydrogens (type H) are
// merged into their heavy atom (charge added); heavy atoms and HD are kept.
// A bond is a torsion (rotatable) when it is
//   - single and in no ring (ring bonds are rigid),
//   - not an amide-like C-N bond, [NX3]-[CX3]=[O,N] (amides, carbamates,
//     ureas, amidines, guanidines; tertiary amides included),
//   - not to an atom with a triple bond (nitriles, alkynes: the turn moves
//     nothing off the axis),
//   - and each of its atoms has another kept neighbour, so that the turn
//     moves a heavy atom or a polar hydrogen (CH3 is no torsion; OH, NH2 on
//     an sp3 carbon and NH3+ are, their HD moves).
// The rigid bodies joined by torsions form the tree. Its root is Meeko's:
// leaves are peeled off until one or two bodies remain; of two, the one with
// more atoms (the first on a tie).
#pragma once

#include "prep/pdbqt_writer.hpp"

#include <GraphMol/ROMol.h>

#include <string>
#include <vector>

namespace pk::prep::detail {

/// Throws PrepareError for a macrocycle: a ring of at least
/// `macrocycle_min_ring` atoms.
void refuse_macrocycles(const RDKit::ROMol& mol, int macrocycle_min_ring);

/// Whether each bond is a torsion under the rules above.
std::vector<bool> rotatable_bonds(const RDKit::ROMol& mol, const std::vector<std::string>& types);

/// The tree of the molecule's kept atoms (heavy atoms and HD) with their
/// coordinates, charges (merged hydrogens' added) and types.
LigandTree build_tree(const RDKit::ROMol& mol, const std::vector<std::string>& types,
                      const std::vector<double>& charges);

}  // namespace pk::prep::detail
