// Ligand files that are not PDBQT (SDF/MOL, MOL2, SMILES, gzipped too). The
// docking code reads them through a handler that the command layer installs
// where RDKit is built in (src/prep/ prepares each record in-process exactly
// as `pandakinetics prepare` does), and writes their docked poses' SDF through
// it, so that the molecule keeps its name, properties and bond orders. Without
// a handler such a file is refused with a message saying so.
#pragma once

#include "dock/poses_out.hpp"

#include <memory>
#include <string>

namespace pk::dock {

class MoleculeFileHandler {
 public:
  virtual ~MoleculeFileHandler() = default;
  /// The file's records prepared as PDBQT text: one ligand bare, several as
  /// MODEL blocks (what `prepare --output FILE.pdbqt` writes). Throws
  /// pk::InputError (file, line, reason) when no record can be prepared.
  virtual std::string pdbqt_of(const std::string& path) = 0;
  /// Writes the poses of `lig` (a ligand read from pdbqt_of(lig.source)) as
  /// SDF records of the input molecule.
  virtual void write_sdf(const LigandOutput& lig, const std::string& path) = 0;
};

/// Whether the name is a molecule file (.sdf .sd .mol .mol2 .smi .smiles .ism
/// .can, each optionally .gz) rather than PDBQT.
bool is_molecule_file(const std::string& path);

/// Installs the handler (nullptr removes it); the process keeps one.
void set_molecule_file_handler(std::shared_ptr<MoleculeFileHandler> handler);
MoleculeFileHandler* molecule_file_handler();

/// The PDBQT text of a molecule file through the handler; without one,
/// pk::InputError naming the file.
std::string molecule_file_pdbqt(const std::string& path);

/// How many ligands (MODELs of molecule_file_pdbqt) a molecule file gives:
/// its records that can be prepared. 0 without a handler or when none can
/// be (docking the file then reports why).
int molecule_file_models(const std::string& path);

}  // namespace pk::dock
