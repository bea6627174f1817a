// Receptor and ligand models read from PDBQT, typed as AutoDock Vina 1.2 types
// them: AutoDock type -> element -> XS type (C_H/C_P from heteroatom
// neighbours, N/O donor/acceptor from HD neighbours and NA/OA, metals Met_D),
// covalent bonds by distance inside rigid pieces (as Vina decides them), the
// ligand torsion tree (ROOT/BRANCH/ENDBRANCH/TORSDOF) as plain data, Vina's
// N_rot and Vina's intramolecular pair list. Host-only, no Kokkos.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace pk::dock {

/// Vina 1.2 XS types (the numbering of Vina's atom_constants.h). Hydrogens
/// have no XS type (kXsNone) and are never scored.
enum XsType : int {
  kXsC_H = 0,
  kXsC_P,
  kXsN_P,
  kXsN_D,
  kXsN_A,
  kXsN_DA,
  kXsO_P,
  kXsO_D,
  kXsO_A,
  kXsO_DA,
  kXsS_P,
  kXsP_P,
  kXsF_H,
  kXsCl_H,
  kXsBr_H,
  kXsI_H,
  kXsSi,
  kXsAt,
  kXsMet_D,
  kXsCount,  ///< number of scored types
  kXsNone = -1
};

/// Name of an XS type ("C_H", "N_DA", ...), "H" for kXsNone.
const char* xs_name(int xs);
/// XS van der Waals radius, Å (Vina's xs_vdw_radii).
double xs_radius_angstrom(int xs);
bool xs_is_hydrophobic(int xs);
bool xs_is_acceptor(int xs);
bool xs_is_donor(int xs);

/// One atom of a PDBQT file.
struct Atom {
  std::string name;     ///< PDB atom name (columns 13-16), trimmed
  std::string ad_type;  ///< AutoDock type (columns 78-79): C, A, N, NA, OA, HD, Zn, ...
  std::string element;  ///< element symbol: C, N, O, S, H, Cl, Zn, ...
  int xs = kXsNone;     ///< XsType; kXsNone for hydrogens
  bool hydrogen = false;
  double charge = 0;              ///< partial charge, e (columns 69-76)
  std::array<double, 3> xyz{};    ///< Å
  long line = 0;                  ///< 1-based line in the file
  int serial = 0;                 ///< atom serial number (columns 7-11)
};

struct Bond {
  int a = 0, b = 0;        ///< atom indices, a < b
  bool rotatable = false;  ///< the axis bond of a BRANCH
};

/// One rigid piece of the torsion tree. Node 0 is ROOT; nodes are in file
/// (pre)order, so parent < child. A BRANCH a b node turns about the bond from
/// `axis_from` (atom a, in the parent) to `axis_to` (atom b, its first atom).
struct TreeNode {
  int parent = -1;     ///< -1 for the root
  int axis_from = -1;  ///< parent-side axis atom (root: -1)
  int axis_to = -1;    ///< child-side axis atom, the node's frame origin (root: -1)
  std::vector<int> atoms;  ///< atoms listed in this node's part of the file (axis_to included)
  long line = 0;           ///< line of ROOT / BRANCH
};

/// A ligand (one MODEL of a PDBQT file, or the whole file).
struct Ligand {
  std::string file;
  int model = 0;      ///< 0-based MODEL index in the file
  std::string text;   ///< this model's PDBQT lines (for output writers)
  std::vector<Atom> atoms;           ///< every ATOM/HETATM in file order (hydrogens too)
  std::vector<int> atom_text_line;   ///< 0-based line of atom a inside `text`
  std::vector<Bond> bonds;
  std::vector<TreeNode> nodes;
  std::vector<int> atom_node;        ///< node that moves atom a
  int torsdof = 0;                   ///< TORSDOF record
  double n_rot = 0;                  ///< Vina's N_rot (conf_independent_inputs::num_tors)
  std::vector<std::array<int, 2>> intra_pairs;  ///< Vina's intramolecular pairs (heavy atoms)

  int n_atoms() const { return static_cast<int>(atoms.size()); }
  int n_torsions() const { return static_cast<int>(nodes.size()) - 1; }
  /// Indices of the scored (non-hydrogen) atoms.
  std::vector<int> heavy_atoms() const;
};

/// The rigid receptor.
struct Receptor {
  std::string file;
  std::vector<Atom> atoms;  ///< hydrogens included (kXsNone), in file order
};

/// Reads a rigid receptor PDBQT. Throws pk::InputError (file, line, what was
/// expected) for a malformed line, an unknown AutoDock type or no atoms.
Receptor read_receptor(const std::string& path);

/// Reads a ligand PDBQT: one Ligand per MODEL (or one for a file without
/// MODEL records). Throws pk::InputError for malformed lines, unknown types,
/// an empty file, unbalanced or inconsistent BRANCH/ENDBRANCH, a missing ROOT.
std::vector<Ligand> read_ligands(const std::string& path);
/// The same from text already in memory (`file` names it in messages).
std::vector<Ligand> parse_ligands(const std::string& text, const std::string& file);

/// Writes `lig` as PDBQT text with atom a at `xyz[a]` (Å), every other line
/// as in the input (the torsion tree stays valid).
std::string ligand_pdbqt_with_coords(const Ligand& lig, const std::vector<std::array<double, 3>>& xyz);

namespace detail {
/// Element, hydrogen flag and covalent radius (Å) of an AutoDock type; false
/// if the type is unknown.
bool ad_type_info(const std::string& ad, std::string& element, bool& hydrogen, double& covalent_radius);
/// Bonds, XS types, N_rot and intramolecular pairs of a parsed ligand (fills
/// those members from atoms and nodes).
void finish_ligand(Ligand& lig);
/// XS types of receptor atoms (bonds by distance over the whole receptor).
void type_receptor(Receptor& rec);
}  // namespace detail

}  // namespace pk::dock
