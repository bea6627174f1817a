// Ligand preparation for Vina docking: a record of a SMILES/SDF/MOL2 file in,
// a PDBQT ligand (AutoDock types, Gasteiger charges, torsion tree) out. The
// rules (hydrogens, embedding, typing, torsions, macrocycles) are Meeko's and
// are documented in docs/prepare.md. RDKit stays inside src/prep/*.cpp: this
// header is plain C++.
#pragma once

#include "prep/ligand_source.hpp"

#include <memory>
#include <stdexcept>
#include <string>

namespace pk::prep {

struct PrepareOptions {
  /// ETKDG's random seed: the same input and seed give the same coordinates.
  int seed = 20261207;
  /// A ring of at least this many atoms is a macrocycle: refused (its bonds
  /// would be rigid in Vina's torsion tree; flexible rings are not built).
  int macrocycle_min_ring = 12;
  /// Force-field steps of the clean-up after embedding.
  int max_minimize_iterations = 2000;
  /// Keep only the largest fragment (salts, counter-ions); otherwise refuse
  /// a record of several fragments.
  bool largest_fragment = true;
};

/// Why a record could not be prepared (a parse error, a failed embedding, a
/// macrocycle, an element without an AutoDock type). The caller logs it with
/// the file and record number and goes on with the next record.
class PrepareError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PreparedLigand {
  std::string name;   ///< the record's name, or "<file stem>_<record>"
  std::string pdbqt;  ///< the whole PDBQT text (REMARKs, ROOT ... TORSDOF)
  int heavy_atoms = 0;
  int polar_hydrogens = 0;  ///< HD atoms written
  int torsions = 0;         ///< active torsions (BRANCHes) = TORSDOF
  bool embedded = false;    ///< 3-D coordinates were generated (ETKDG + force field)
  int hydrogens_added = 0;  ///< hydrogens the input did not give
  std::string note;         ///< what was changed (a dropped fragment), empty if nothing
};

/// Prepares one record. `fallback_name` names a record without a name.
/// Throws PrepareError with the reason.
PreparedLigand prepare_ligand(const LigandRecord& record, const std::string& fallback_name,
                              const PrepareOptions& options = {});

namespace detail {
struct MoleculeIdentity;  // RDKit inside: detail/identity.hpp
}

/// A prepared ligand with what it keeps of the input molecule (name, SD
/// properties, bond orders, hydrogens, the PDBQT atoms' places in it), to
/// write its docked poses back as that molecule (docked_sdf.hpp).
struct PreparedMolecule {
  PreparedLigand ligand;
  std::shared_ptr<const detail::MoleculeIdentity> identity;
};

/// prepare_ligand, keeping the molecule's identity. The PDBQT text is the
/// same as prepare_ligand's.
PreparedMolecule prepare_molecule(const LigandRecord& record, const std::string& fallback_name,
                                  const PrepareOptions& options = {});

/// A file's name without its folder and its ligand extensions (".sdf.gz",
/// ".smi", ...): prepare's fallback names are "<stem>_<record>".
std::string ligand_file_stem(const std::string& path);

/// RDKit's version ("2022.09.3").
std::string rdkit_version();

}  // namespace pk::prep
