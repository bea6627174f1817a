// Protein structures as deposited: PDB and mmCIF (PDBx) coordinate records,
// one plain atom list for receptor preparation (receptor.hpp). Only the
// first model is read. Plain text, no RDKit.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace pk::prep {

struct StructureAtom {
  bool hetatm = false;
  std::string name;       ///< atom name, trimmed ("CA", "OXT", "HD21")
  std::string name_field; ///< the PDB columns 13-16 as given (mmCIF: made from the name)
  char altloc = ' ';      ///< alternate location (' ' none)
  std::string residue;    ///< residue name, trimmed ("ALA", "HOH", "ZN")
  std::string chain;      ///< chain (PDB column 22; mmCIF auth_asym_id)
  int resseq = 0;
  char icode = ' ';       ///< insertion code (' ' none)
  std::array<double, 3> xyz{};  ///< Å
  double occupancy = 1.0;
  std::string element;    ///< capitalised ("C", "Zn"); from the name where the file gives none
  long line = 0;          ///< 1-based line of the file
};

struct Structure {
  std::string path;
  std::vector<StructureAtom> atoms;  ///< first model, file order
  int models = 1;                    ///< MODEL records seen (only the first is read)
  /// Whether ATOM and HETATM are told apart (an mmCIF loop without
  /// group_PDB does not: every atom then reads as ATOM).
  bool groups_given = true;
};

/// PDB (.pdb, .ent) or mmCIF (.cif, .mmcif), each optionally gzipped. Throws
/// pk::InputError (file, line, what was expected) for a malformed coordinate
/// record and for a file without atoms; pk::UsageError for another format.
Structure read_structure(const std::string& path);

/// Whether the name is mmCIF (.cif, .mmcif); throws pk::UsageError for a
/// name that is neither PDB nor mmCIF (checked before any work).
bool is_mmcif_name(const std::string& path);

}  // namespace pk::prep
