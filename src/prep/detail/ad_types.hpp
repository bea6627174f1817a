// AutoDock 4 / Vina atom types by Meeko's rules (its ad4_types table, later
// rules overriding earlier ones), written as code rather than SMARTS:
//   H  hydrogen; HD when bonded to N, O, F, P or S
//   C  aliphatic carbon; A aromatic carbon (RDKit's aromaticity)
//   NA nitrogen (acceptor) unless it is N: three connections and valence 3
//      with an aromatic neighbour (pyrrole, aniline) or an sp2 carbon
//      neighbour (amide, enamine), or a positive formal charge (ammonium,
//      pyridinium, nitro)
//   OA every oxygen;  SA aliphatic sulfur with two connections; S other
//      sulfur (thiophene's too; Vina scores S and SA alike)
//   B F Mg Si P Cl Ca Mn Fe Zn Br I by element
#pragma once

#include <GraphMol/ROMol.h>

#include <string>
#include <vector>

namespace pk::prep::detail {

/// One type per atom (hydrogens explicit). Throws PrepareError naming an
/// element without an AutoDock type.
std::vector<std::string> autodock_types(const RDKit::ROMol& mol);

}  // namespace pk::prep::detail
