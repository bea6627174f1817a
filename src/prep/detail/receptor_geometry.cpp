#include "prep/detail/receptor_geometry.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace pk::prep::detail {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kPeptideBondMax = 1.75;   // Å: C(i-1)-N(i) closer than this is a peptide bond
constexpr double kDisulfideMax = 2.5;      // Å: SG-SG
constexpr double kMetalContactMax = 2.8;   // Å: N/S coordinating a metal ion
constexpr double kPolarHydrogenMax = 1.3;  // Å: a given H this close to N/O/S is polar
constexpr double kBondMax = 1.9;           // Å: heavy-atom neighbours (the NA rule)

Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
Vec3 operator*(double s, Vec3 a) { return {s * a.x, s * a.y, s * a.z}; }
Vec3 cross(Vec3 a, Vec3 b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
Vec3 unit(Vec3 a) {
  const double n = std::sqrt(a.x * a.x + a.y * a.y + a.z * a.z);
  return n > 0 ? (1.0 / n) * a : a;
}

// The point at `bond` from c with angle b-c-H and dihedral a-b-c-H (degrees):
// the natural extension reference frame (Parsons et al. 2005).
Vec3 from_internal(Vec3 a, Vec3 b, Vec3 c, double bond, double angle_deg, double dihedral_deg) {
  const double th = angle_deg * kPi / 180, ph = dihedral_deg * kPi / 180;
  const Vec3 bc = unit(c - b);
  const Vec3 n = unit(cross(b - a, bc));
  const Vec3 m = cross(n, bc);
  const double d0 = -bond * std::cos(th), d1 = bond * std::sin(th) * std::cos(ph), d2 = bond * std::sin(th) * std::sin(ph);
  return c + d0 * bc + d1 * m + d2 * n;
}

double dihedral(Vec3 a, Vec3 b, Vec3 c, Vec3 d) {
  const Vec3 b1 = b - a, b2 = c - b, b3 = d - c;
  const Vec3 n1 = cross(b1, b2), n2 = cross(b2, b3);
  const Vec3 m1 = cross(n1, unit(b2));
  const double x = n1.x * n2.x + n1.y * n2.y + n1.z * n2.z, y = m1.x * n2.x + m1.y * n2.y + m1.z * n2.z;
  return std::atan2(y, x) * 180 / kPi;
}

bool near_any(Vec3 p, const std::vector<Vec3>& others, double max, bool skip_self) {
  for (const auto& o : others) {
    const double d = distance(p, o);
    if (skip_self && d < 1e-3) continue;
    if (d <= max) return true;
  }
  return false;
}

StructureAtom hydrogen(const StructureAtom& on, const std::string& name, Vec3 p) {
  StructureAtom h = on;
  h.name = name;
  h.name_field = name.size() < 4 ? " " + name : name.substr(0, 4);
  h.element = "H";
  h.xyz = {p.x, p.y, p.z};
  return h;
}

struct Placed {
  std::map<std::string, std::vector<StructureAtom>> on;  // heavy atom name -> its hydrogens
};

// The added polar hydrogens of a standard residue.
void add_hydrogens(const std::map<std::string, Vec3>& at, const std::map<std::string, const StructureAtom*>& atom,
                   const ResidueTemplate& t, const StructureAtom* previous_c, const Environment& env,
                   const std::string& where, std::vector<std::string>& notes, ProtonationCounts& counts, Placed& out) {
  const auto has = [&](const char* n) { return at.count(n) > 0; };
  // Backbone N: one H in the peptide plane, or NH3+ (NH2+ for Pro) at a chain start.
  if (has("N")) {
    const Vec3 n = at.at("N");
    const bool bonded = previous_c && distance(vec(previous_c->xyz), n) <= kPeptideBondMax;
    const StructureAtom& na = *atom.at("N");
    if (bonded && t.name != "PRO" && has("CA")) {
      out.on["N"].push_back(hydrogen(na, "H", n + polar_bond_length("N") *
                                                   unit(unit(n - vec(previous_c->xyz)) + unit(n - at.at("CA")))));
    } else if (!bonded && has("CA") && has("C")) {
      ++counts.n_termini;
      if (previous_c)
        notes.push_back(where + ": no peptide bond to the preceding residue (C-N " +
                        std::to_string(distance(vec(previous_c->xyz), n)).substr(0, 4) +
                        " Å): a chain break, its N protonated as an N-terminus");
      const Vec3 ca = at.at("CA"), c = at.at("C");
      if (t.name == "PRO" && has("CD")) {
        const double cd = dihedral(c, ca, n, at.at("CD"));
        out.on["N"].push_back(hydrogen(na, "H2", from_internal(c, ca, n, 1.01, 109.5, cd + 120)));
        out.on["N"].push_back(hydrogen(na, "H3", from_internal(c, ca, n, 1.01, 109.5, cd - 120)));
      } else if (t.name != "PRO") {
        for (int k = 0; k < 3; ++k)
          out.on["N"].push_back(hydrogen(na, "H" + std::to_string(k + 1), from_internal(c, ca, n, 1.01, 109.5, 180 - 120 * k)));
      }
    }
  }
  // Histidine's ring hydrogen: the name's state, else away from a metal, else HIE.
  std::string his = t.state;
  if (t.name == "HIS" && his.empty() && has("ND1") && has("NE2")) {
    const bool nd1 = near_any(at.at("ND1"), env.metals, kMetalContactMax, false);
    const bool ne2 = near_any(at.at("NE2"), env.metals, kMetalContactMax, false);
    his = nd1 && ne2 ? "none" : nd1 ? "HIE" : ne2 ? "HID" : "HIE";
    counts.his_by_metal += (nd1 || ne2) ? 1 : 0;
  }
  if (t.name == "HIS") {
    if (his == "HIE") ++counts.hie;
    if (his == "HID") ++counts.hid;
    if (his == "HIP") ++counts.hip;
    if (his == "none") ++counts.his_neither;
  }
  bool cys_h = t.name == "CYS" && t.state.empty();
  if (cys_h && has("SG")) {
    if (near_any(at.at("SG"), env.cys_sulfur, kDisulfideMax, true)) {
      cys_h = false;
      ++counts.cys_disulfide;
    } else if (near_any(at.at("SG"), env.metals, kMetalContactMax, false)) {
      cys_h = false;
      ++counts.cys_metal;
    }
  }
  for (const auto& site : t.hydrogens) {
    const std::string on = site.atom;
    if (t.name == "HIS" && ((on == "ND1" && his != "HID" && his != "HIP") || (on == "NE2" && his != "HIE" && his != "HIP")))
      continue;
    if (t.name == "CYS" && !cys_h) continue;
    if (!has(site.atom) || !has(site.a) || !has(site.b)) continue;  // a missing atom: reported with the residue
    const Vec3 x = at.at(on), a = at.at(site.a), b = at.at(site.b);
    const double len = polar_bond_length(atom.at(on)->element);
    const Vec3 p = site.bisector ? x + len * unit(unit(x - a) + unit(x - b))
                                 : from_internal(b, a, x, len, site.angle_deg, site.dihedral_deg);
    out.on[on].push_back(hydrogen(*atom.at(on), site.name, p));
  }
}

std::string heavy_type(const StructureAtom& a, const ResidueTemplate* t, bool has_h, int heavy_neighbours,
                       const std::string& path, const std::string& where) {
  const std::string& e = a.element;
  if (e == "C") return t && std::count(t->aromatic.begin(), t->aromatic.end(), a.name) ? "A" : "C";
  if (e == "N") return has_h || (t && a.name == "N") || heavy_neighbours >= 3 ? "N" : "NA";
  if (e == "O") return "OA";
  if (e == "S" || e == "Se") return "SA";
  static const std::set<std::string> by_element = {"F", "Cl", "Br", "I", "P", "Zn", "Mg", "Ca", "Fe", "Mn",
                                                   "Cu", "Ni", "Co", "Cd", "Hg", "Na", "K"};
  if (by_element.count(e)) return e;
  throw InputError(path, a.line, where + ": atom " + a.name + ": element '" + e +
                                     "' has no AutoDock type (expected C, N, O, S, P, a halogen or a metal Vina types)");
}

// Missing and extra heavy atoms of a standard residue, as notes.
void note_template_differences(const ResidueTemplate& t, const std::vector<const StructureAtom*>& heavy,
                               const std::map<std::string, Vec3>& at, bool add_h, const std::string& where,
                               std::vector<std::string>& notes) {
  std::string missing, extra;
  for (const auto& n : t.heavy)
    if (!at.count(n)) missing += (missing.empty() ? "" : ", ") + n;
  for (const auto* a : heavy)
    if (std::find(t.heavy.begin(), t.heavy.end(), a->name) == t.heavy.end() && a->name != "OXT")
      extra += (extra.empty() ? "" : ", ") + a->name;
  if (!missing.empty())
    notes.push_back(where + ": missing atoms " + missing + " (not rebuilt: the residue is kept as given" +
                    (add_h ? ", without the hydrogens of missing atoms)" : ")"));
  if (!extra.empty()) notes.push_back(where + ": atoms not in the " + t.name + " template typed by element: " + extra);
}

// Hydrogens as given: the polar ones (on N, O, S) kept with the atom they sit on.
void keep_given_hydrogens(const std::vector<const StructureAtom*>& heavy, const std::vector<const StructureAtom*>& given_h,
                          ProtonationCounts& counts, Placed& placed) {
  for (const auto* h : given_h) {
    const StructureAtom* host = nullptr;
    double best = kPolarHydrogenMax;
    for (const auto* a : heavy) {
      const double d = distance(vec(a->xyz), vec(h->xyz));
      if (d < best) best = d, host = a;
    }
    if (host && (host->element == "N" || host->element == "O" || host->element == "S")) {
      StructureAtom kept = *h;
      kept.element = "H";
      placed.on[host->name].push_back(kept);
      ++counts.polar_kept;
    } else {
      ++counts.nonpolar_dropped;
    }
  }
}

}  // namespace

double distance(const Vec3& a, const Vec3& b) {
  return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z));
}

std::vector<TypedAtom> type_residue(const std::vector<StructureAtom>& atoms, const ResidueTemplate* t,
                                    const StructureAtom* previous_c, const Environment& env,
                                    bool add_h, const std::string& where, const std::string& path,
                                    std::vector<std::string>& notes, ProtonationCounts& counts) {
  std::vector<const StructureAtom*> heavy, given_h;
  std::map<std::string, Vec3> at;
  std::map<std::string, const StructureAtom*> by_name;
  for (const auto& a : atoms) {
    if (a.element == "H" || a.element == "D") {
      given_h.push_back(&a);
      continue;
    }
    if (by_name.count(a.name)) {
      notes.push_back(where + ": atom " + a.name + " given twice (line " + std::to_string(a.line) + "): the second dropped");
      continue;
    }
    heavy.push_back(&a);
    at[a.name] = vec(a.xyz);
    by_name[a.name] = &a;
  }
  if (t) note_template_differences(*t, heavy, at, add_h, where, notes);
  Placed placed;
  if (add_h && t) add_hydrogens(at, by_name, *t, previous_c, env, where, notes, counts, placed);
  if (!add_h) keep_given_hydrogens(heavy, given_h, counts, placed);
  std::vector<TypedAtom> out;
  for (const auto* a : heavy) {
    const auto hs = placed.on.find(a->name);
    const bool has_h = hs != placed.on.end() && !hs->second.empty();
    int neighbours = 0;
    for (const auto* b : heavy)
      if (b != a && distance(vec(a->xyz), vec(b->xyz)) <= kBondMax) ++neighbours;
    if (a->name == "N" && previous_c && distance(vec(previous_c->xyz), vec(a->xyz)) <= kPeptideBondMax) ++neighbours;
    out.push_back(TypedAtom{*a, heavy_type(*a, t, has_h, neighbours, path, where), false});
    if (has_h)
      for (const auto& h : hs->second) out.push_back(TypedAtom{h, "HD", add_h});
  }
  return out;
}

void ProtonationCounts::summarise(const std::string& path, bool hydrogens_given, std::vector<std::string>& notes) const {
  if (hydrogens_given) {
    notes.push_back(path + ": hydrogens given: " + std::to_string(polar_kept) + " polar kept (HD), " +
                    std::to_string(nonpolar_dropped) + " non-polar not written; none added");
    return;
  }
  notes.push_back(path + ": polar hydrogens added at pH 7: Lys NH3+, Arg +, Asp/Glu -, " + std::to_string(n_termini) +
                  " N-terminus/termini NH3+; histidines " + std::to_string(hie) + " HIE, " + std::to_string(hid) + " HID, " +
                  std::to_string(hip) + " HIP, " + std::to_string(his_neither) + " without ring H (" +
                  std::to_string(his_by_metal) + " chosen by a metal contact); cysteines without SG hydrogen: " +
                  std::to_string(cys_disulfide) + " in disulfides, " + std::to_string(cys_metal) + " bound to a metal");
}

}  // namespace pk::prep::detail
