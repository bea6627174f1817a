// Receptor preparation: a deposited protein structure (PDB or mmCIF) to a
// rigid receptor PDBQT with AutoDock types for Vina. Rules (docs/prepare.md,
// "Receptors"): the first model; waters removed; the metal ions Vina types
// (Zn, Mg, Ca, Fe, Mn, and Cu, Ni, Co, Cd, Hg, Na, K as Met_D) kept; other
// HETATM groups (ligands, buffer, halide ions) removed; per residue one
// alternate location (the most occupied); insertion codes kept; polar
// hydrogens kept when the file gives hydrogens, otherwise added to the
// standard amino acids at the documented protonation (pH 7); non-polar
// hydrogens never written. Every change is reported as a note naming the file,
// line and residue. Plain C++, no RDKit.
#pragma once

#include <string>
#include <vector>

namespace pk::prep {

struct ReceptorOptions {
  /// Keep crystallographic waters (typed OA, no hydrogens) instead of removing them.
  bool keep_waters = false;
  /// Chains to keep (PDB chain letters / mmCIF auth_asym_id); empty: all.
  std::vector<std::string> chains;
};

struct PreparedReceptor {
  std::string pdbqt;               ///< the receptor PDBQT text
  std::vector<std::string> notes;  ///< "file:line: residue: what was done", in file order
  int heavy_atoms = 0;
  int polar_hydrogens = 0;          ///< HD written
  int hydrogens_added = 0;          ///< of them, placed here
  int metals = 0;
  int residues = 0;
  bool hydrogens_given = false;     ///< the input had hydrogens (kept as given, none added)
};

/// Throws pk::InputError (file, line, what) for a malformed file, an element
/// without an AutoDock type in a kept residue, or nothing left to write.
PreparedReceptor prepare_receptor(const std::string& path, const ReceptorOptions& options = {});

}  // namespace pk::prep
