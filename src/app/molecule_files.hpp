// Molecule files (SDF/MOL, MOL2, SMILES) as docking inputs: installs the
// docking code's handler (dock/ligand_files.hpp) that prepares them with
// src/prep/ in-process, as `pandakinetics prepare` does, and writes their
// docked poses back as SDF records of the input molecule. A no-op in builds
// without RDKit (such a file is then refused with a message).
#pragma once

#include <ostream>

namespace pk::cli {

/// `err` receives one line per record that could not be prepared (skipped),
/// when `report` (rank 0: every rank prepares the same records).
void install_molecule_files(std::ostream& err, bool report = true);

}  // namespace pk::cli
