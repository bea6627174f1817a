// The standard amino acids as receptor preparation needs them: the heavy
// atoms a complete residue has, its aromatic carbons (AutoDock type A), and
// where its polar hydrogens go at pH 7 (Lys NH3+, Arg guanidinium, Asp/Glu
// carboxylates, Ser/Thr/Tyr OH, Cys SH, Asn/Gln/Trp NH; His's ring hydrogen
// is chosen per residue, receptor.cpp). Amber/CHARMM names of protonation
// states (HID HIE HIP HSD HSE HSP CYX CYM ASH GLH LYN) map onto them.
#pragma once

#include <string>
#include <vector>

namespace pk::prep::detail {

/// How a hydrogen on `atom` is placed: between its neighbours `a` and `b`
/// (in their plane, pointing away: ring NH, Arg NE), or from internal
/// coordinates: bond to `atom`, angle a-atom-H, dihedral b-a-atom-H.
struct HydrogenSite {
  const char* atom;
  const char* name;
  bool bisector;
  const char* a;
  const char* b;
  double angle_deg = 0, dihedral_deg = 0;
};

struct ResidueTemplate {
  std::string name;                     ///< the standard name (HIS for HID, ...)
  std::vector<std::string> heavy;       ///< backbone and side chain, OXT excluded
  std::vector<std::string> aromatic;    ///< carbons typed A
  std::vector<HydrogenSite> hydrogens;  ///< side-chain polar hydrogens (HIS: both ring NH)
  /// Protonation the residue name asks for: "HID"/"HIE"/"HIP" for histidine
  /// (empty: chosen per residue), "CYX"/"CYM" (no SG hydrogen), "ASH"/"GLH"
  /// (neutral acid), "LYN" (neutral lysine, two NZ hydrogens).
  std::string state;
};

/// The template of a residue name (standard or a protonation-state name);
/// nullptr for anything else.
const ResidueTemplate* residue_template(const std::string& residue_name);

/// Bond lengths of polar hydrogens, Å.
double polar_bond_length(const std::string& element);

}  // namespace pk::prep::detail
