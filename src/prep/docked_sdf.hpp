// Docked poses written back as the molecule that was prepared: an SDF record
// per pose with the molecule's name, the input's SD properties, its bond
// orders and charges as read (not perceived again from PDBQT coordinates),
// every atom placed (heavy atoms and polar hydrogens at the pose's
// coordinates, each non-polar hydrogen carried rigidly with its torsion-tree
// body, so bond lengths and angles stay as prepared) and the pose's own
// properties (score, rank, ...). Plain C++ interface; RDKit inside.
#pragma once

#include "prep/prepare.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace pk::prep {

using SdProperties = std::vector<std::pair<std::string, std::string>>;

struct DockedPose {
  /// Coordinates of the PDBQT atoms (Å), in the order the prepared PDBQT
  /// lists them (PreparedMolecule::ligand.pdbqt).
  std::vector<std::array<double, 3>> xyz;
  /// Written after the input's properties; an input property of the same
  /// name is replaced.
  SdProperties properties;
};

/// One SDF record per pose, "$$$$"-terminated. Throws PrepareError when the
/// molecule has no identity (prepared by prepare_ligand) or a pose does not
/// have one coordinate per PDBQT atom.
std::string docked_sdf(const PreparedMolecule& molecule, const std::vector<DockedPose>& poses);

/// The data items of an SDF record's text after "M  END": "> <NAME>" header
/// lines (anything else on the line ignored) and the value lines up to a
/// blank line, in order; multi-line values joined with '\n'.
SdProperties sd_properties(const std::string& record_text);

}  // namespace pk::prep
