// Receptor preparation, one residue at a time: polar hydrogens placed from
// the residue template (or the given ones kept) and AutoDock types assigned.
// Used by receptor.cpp.
#pragma once

#include "prep/detail/residue_templates.hpp"
#include "prep/structure_file.hpp"

#include <array>
#include <string>
#include <vector>

namespace pk::prep::detail {

struct Vec3 {
  double x = 0, y = 0, z = 0;
};
inline Vec3 vec(const std::array<double, 3>& a) { return {a[0], a[1], a[2]}; }
double distance(const Vec3& a, const Vec3& b);

/// What a residue's protonation depends on outside it.
struct Environment {
  std::vector<Vec3> metals;      ///< kept metal ions
  std::vector<Vec3> cys_sulfur;  ///< every cysteine SG (disulfides)
};

struct TypedAtom {
  StructureAtom atom;
  std::string type;    ///< AutoDock type
  bool added = false;  ///< a hydrogen placed here
};

/// Tallies for the summary notes.
struct ProtonationCounts {
  int hie = 0, hid = 0, hip = 0, his_neither = 0, his_by_metal = 0;
  int cys_disulfide = 0, cys_metal = 0, n_termini = 0, nonpolar_dropped = 0, polar_kept = 0;
  void summarise(const std::string& path, bool hydrogens_given, std::vector<std::string>& notes) const;
};

/// The residue's written atoms: heavy atoms in file order, each followed by
/// its polar hydrogens. `t` is nullptr for a residue without a template
/// (typed by element, no hydrogens added); `previous_c` the preceding
/// residue's C when it is in the same chain. Throws pk::InputError for an
/// element without an AutoDock type.
std::vector<TypedAtom> type_residue(const std::vector<StructureAtom>& atoms, const ResidueTemplate* t,
                                    const StructureAtom* previous_c, const Environment& env,
                                    bool add_hydrogens, const std::string& where, const std::string& path,
                                    std::vector<std::string>& notes, ProtonationCounts& counts);

}  // namespace pk::prep::detail
