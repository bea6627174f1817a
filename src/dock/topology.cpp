// What Vina 1.2 derives from parsed atoms: element and covalent radius of each
// AutoDock type, bonds (distance < 1.1 x the covalent radii sum, only between
// atoms that cannot move relative to each other), XS types, N_rot (Vina's
// num_tors) and the intramolecular pair list (pairs that can move relative to
// each other and are more than three bonds apart, found with Vina's own
// depth-limited search over bonds in Vina's internal atom order).
#include "dock/molecule.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_map>

namespace pk::dock {

namespace {

struct AdType {
  const char* name;
  const char* element;
  double covalent_radius;  ///< Å
};

// AutoDock types Vina 1.2 knows (atom_constants.h), with covalent radii.
constexpr AdType kAdTypes[] = {
    {"C", "C", 0.77},   {"A", "C", 0.77},   {"N", "N", 0.75},   {"O", "O", 0.73},   {"P", "P", 1.06},
    {"S", "S", 1.02},   {"H", "H", 0.37},   {"F", "F", 0.71},   {"I", "I", 1.33},   {"NA", "N", 0.75},
    {"OA", "O", 0.73},  {"SA", "S", 1.02},  {"HD", "H", 0.37},  {"Mg", "Mg", 1.30}, {"Mn", "Mn", 1.39},
    {"Zn", "Zn", 1.31}, {"Ca", "Ca", 1.74}, {"Fe", "Fe", 1.25}, {"Cl", "Cl", 0.99}, {"Br", "Br", 1.14},
    {"Si", "Si", 1.11}, {"At", "At", 1.44}};
constexpr double kMaxCovalentRadius = 1.74;  // Vina uses the largest radius for non-AutoDock metals
constexpr const char* kOtherMetals[] = {"Cu", "Fe", "Na", "K", "Hg", "Co", "U", "Cd", "Ni"};
constexpr double kBondAllowance = 1.1;

/// Vina's type equivalences: Se is read as S.
std::string canonical_ad(const std::string& ad) { return ad == "Se" ? "S" : ad; }

bool is_autodock_type(const std::string& ad) {
  const std::string name = canonical_ad(ad);
  for (const auto& t : kAdTypes)
    if (name == t.name) return true;
  return false;
}

double covalent_radius(const Atom& a) {
  const std::string name = canonical_ad(a.ad_type);
  for (const auto& t : kAdTypes)
    if (name == t.name) return t.covalent_radius;
  return kMaxCovalentRadius;
}

double dist2(const Atom& a, const Atom& b) {
  double s = 0;
  for (int d = 0; d < 3; ++d) s += (a.xyz[d] - b.xyz[d]) * (a.xyz[d] - b.xyz[d]);
  return s;
}

/// Vina's bond test, for atoms whose covalent radii are known.
bool bonded_by_distance(const Atom& a, const Atom& b, double cov_a, double cov_b) {
  return std::sqrt(dist2(a, b)) < kBondAllowance * (cov_a + cov_b);
}

bool bonded_by_distance(const Atom& a, const Atom& b) {
  return bonded_by_distance(a, b, covalent_radius(a), covalent_radius(b));
}

/// XS type from element, AutoDock type and bonded neighbours (Vina's
/// model::assign_types).
int xs_type_of(const Atom& a, const std::vector<int>& neighbours, const std::vector<Atom>& atoms) {
  if (a.hydrogen) return kXsNone;
  bool hetero_neighbour = false, hd_neighbour = false;
  for (int j : neighbours) {
    const Atom& b = atoms[j];
    // Vina's ad_is_heteroatom: not C/A/H/HD, and an AutoDock type (metals
    // outside AutoDock's list, such as Cu, do not count).
    if (!b.hydrogen && b.element != "C" && is_autodock_type(b.ad_type)) hetero_neighbour = true;
    if (b.ad_type == "HD") hd_neighbour = true;
  }
  const bool acceptor = a.ad_type == "OA" || a.ad_type == "NA";
  const bool donor = hd_neighbour;  // metals are their own type (Met_D)
  const std::string& el = a.element;
  if (el == "C") return hetero_neighbour ? kXsC_P : kXsC_H;
  if (el == "N") return acceptor && donor ? kXsN_DA : acceptor ? kXsN_A : donor ? kXsN_D : kXsN_P;
  if (el == "O") return acceptor && donor ? kXsO_DA : acceptor ? kXsO_A : donor ? kXsO_D : kXsO_P;
  if (el == "S") return kXsS_P;
  if (el == "P") return kXsP_P;
  if (el == "F") return kXsF_H;
  if (el == "Cl") return kXsCl_H;
  if (el == "Br") return kXsBr_H;
  if (el == "I") return kXsI_H;
  if (el == "Si") return kXsSi;
  if (el == "At") return kXsAt;
  return kXsMet_D;
}

/// Vina's internal atom order: each node's atoms in file order, every atom
/// followed by the child-side axis atoms of the branches hanging from it
/// (they lie on the axis, so Vina keeps them in the parent's rigid piece),
/// then the children in that order.
std::vector<int> vina_order(const Ligand& lig, std::vector<std::vector<int>>& pieces) {
  const int m = static_cast<int>(lig.nodes.size());
  std::vector<std::vector<int>> children(m);
  for (int k = 1; k < m; ++k) children[lig.nodes[k].parent].push_back(k);
  pieces.assign(m, {});
  std::vector<int> order;
  std::function<void(int)> process = [&](int k) {
    const TreeNode& n = lig.nodes[k];
    for (int a : n.atoms) {
      if (a != n.axis_to) order.push_back(a), pieces[k].push_back(a);
      for (int c : children[k])
        if (lig.nodes[c].axis_from == a) order.push_back(lig.nodes[c].axis_to), pieces[k].push_back(lig.nodes[c].axis_to);
    }
    for (int a : n.atoms)
      for (int c : children[k])
        if (lig.nodes[c].axis_from == a) process(c);
  };
  process(0);
  return order;
}

}  // namespace

const char* xs_name(int xs) {
  static const char* names[] = {"C_H", "C_P", "N_P", "N_D", "N_A", "N_DA", "O_P", "O_D", "O_A", "O_DA",
                                "S_P", "P_P", "F_H", "Cl_H", "Br_H", "I_H", "Si", "At", "Met_D"};
  return xs >= 0 && xs < kXsCount ? names[xs] : "H";
}

double xs_radius_angstrom(int xs) {
  static const double r[] = {1.9, 1.9, 1.8, 1.8, 1.8, 1.8, 1.7, 1.7, 1.7, 1.7,
                             2.0, 2.1, 1.5, 1.8, 2.0, 2.2, 2.2, 2.3, 1.2};
  return xs >= 0 && xs < kXsCount ? r[xs] : 0.0;
}

bool xs_is_hydrophobic(int xs) {
  return xs == kXsC_H || xs == kXsF_H || xs == kXsCl_H || xs == kXsBr_H || xs == kXsI_H;
}
bool xs_is_acceptor(int xs) { return xs == kXsN_A || xs == kXsN_DA || xs == kXsO_A || xs == kXsO_DA; }
bool xs_is_donor(int xs) {
  return xs == kXsN_D || xs == kXsN_DA || xs == kXsO_D || xs == kXsO_DA || xs == kXsMet_D;
}

std::vector<int> Ligand::heavy_atoms() const {
  std::vector<int> h;
  for (int a = 0; a < n_atoms(); ++a)
    if (!atoms[a].hydrogen) h.push_back(a);
  return h;
}

namespace detail {

bool ad_type_info(const std::string& ad, std::string& element, bool& hydrogen, double& cov) {
  for (const auto& t : kAdTypes)
    if (canonical_ad(ad) == t.name) {
      element = t.element;
      hydrogen = element == "H";
      cov = t.covalent_radius;
      return true;
    }
  for (const char* m : kOtherMetals)
    if (ad == m) {
      element = m;
      hydrogen = false;
      cov = kMaxCovalentRadius;
      return true;
    }
  return false;
}

void finish_ligand(Ligand& lig) {
  const int n = lig.n_atoms();
  std::vector<std::vector<int>> pieces;
  const std::vector<int> order = vina_order(lig, pieces);
  std::vector<int> rank(n);
  for (int i = 0; i < n; ++i) rank[order[i]] = i;
  // Vina's mobility: 0 variable, 1 fixed (same rigid piece, or an axis atom
  // with the piece it turns), 2 rotor (a BRANCH axis).
  std::vector<unsigned char> mob(static_cast<std::size_t>(n) * n, 0);
  auto set = [&](int a, int b, unsigned char v) { mob[a * n + b] = mob[b * n + a] = v; };
  for (const auto& p : pieces)
    for (int a : p)
      for (int b : p) set(a, b, 1);
  for (int k = 1; k < static_cast<int>(lig.nodes.size()); ++k) {
    for (int a : pieces[k]) set(lig.nodes[k].axis_from, a, 1), set(lig.nodes[k].axis_to, a, 1);
    set(lig.nodes[k].axis_from, lig.nodes[k].axis_to, 2);
  }
  // Bonds, each atom's neighbours in Vina's internal order.
  lig.bonds.clear();
  std::vector<std::vector<int>> nb(n);
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      const unsigned char m = mob[i * n + j];
      if (m == 0 || !bonded_by_distance(lig.atoms[i], lig.atoms[j])) continue;
      lig.bonds.push_back(Bond{i, j, m == 2});
      nb[i].push_back(j);
      nb[j].push_back(i);
    }
  for (auto& v : nb) std::sort(v.begin(), v.end(), [&](int a, int b) { return rank[a] < rank[b]; });
  for (int i = 0; i < n; ++i) lig.atoms[i].xs = xs_type_of(lig.atoms[i], nb[i], lig.atoms);
  // N_rot: 0.5 per rotatable bond end whose other atom is heavy with more
  // than one heavy neighbour (Vina's atom_rotors).
  auto heavy_degree = [&](int a) {
    int c = 0;
    for (int j : nb[a]) c += lig.atoms[j].hydrogen ? 0 : 1;
    return c;
  };
  lig.n_rot = 0;
  for (const Bond& b : lig.bonds) {
    if (!b.rotatable || lig.atoms[b.a].hydrogen || lig.atoms[b.b].hydrogen) continue;
    if (heavy_degree(b.b) > 1) lig.n_rot += 0.5;
    if (heavy_degree(b.a) > 1) lig.n_rot += 0.5;
  }
  // Intramolecular pairs: variable mobility and not reached by Vina's
  // bonded_to(i, 3) (a depth-limited search that stops at atoms seen before).
  lig.intra_pairs.clear();
  std::vector<char> seen(n);
  std::vector<int> seen_list;
  std::function<void(int, int)> reach = [&](int a, int depth) {
    if (seen[a]) return;
    seen[a] = 1;
    seen_list.push_back(a);
    if (depth > 0)
      for (int j : nb[a]) reach(j, depth - 1);
  };
  for (int ii = 0; ii < n; ++ii) {
    const int i = order[ii];
    for (int s : seen_list) seen[s] = 0;
    seen_list.clear();
    reach(i, 3);
    for (int jj = ii + 1; jj < n; ++jj) {
      const int j = order[jj];
      if (mob[i * n + j] != 0 || seen[j] || lig.atoms[i].hydrogen || lig.atoms[j].hydrogen) continue;
      lig.intra_pairs.push_back({std::min(i, j), std::max(i, j)});
    }
  }
  std::sort(lig.intra_pairs.begin(), lig.intra_pairs.end());
}

void type_receptor(Receptor& rec) {
  const int n = static_cast<int>(rec.atoms.size());
  const double cell = 2 * kBondAllowance * kMaxCovalentRadius;
  std::unordered_map<long long, std::vector<int>> cells;
  auto key = [&](int x, int y, int z) { return (static_cast<long long>(x) * 100003LL + y) * 100019LL + z; };
  auto cell_of = [&](const Atom& a, int d) { return static_cast<int>(std::floor(a.xyz[d] / cell)); };
  for (int i = 0; i < n; ++i) cells[key(cell_of(rec.atoms[i], 0), cell_of(rec.atoms[i], 1), cell_of(rec.atoms[i], 2))].push_back(i);
  // Covalent radii looked up once per atom, not once per pair tried (the
  // lookup compares type names: most of the receptor's reading time before).
  std::vector<double> cov(n);
  for (int i = 0; i < n; ++i) cov[i] = covalent_radius(rec.atoms[i]);
  std::vector<std::vector<int>> nb(n);
  for (int i = 0; i < n; ++i) {
    const Atom& a = rec.atoms[i];
    const int cx = cell_of(a, 0), cy = cell_of(a, 1), cz = cell_of(a, 2);
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          auto it = cells.find(key(cx + dx, cy + dy, cz + dz));
          if (it == cells.end()) continue;
          for (int j : it->second)
            if (j != i && bonded_by_distance(a, rec.atoms[j], cov[i], cov[j])) nb[i].push_back(j);
        }
  }
  for (int i = 0; i < n; ++i) rec.atoms[i].xs = xs_type_of(rec.atoms[i], nb[i], rec.atoms);
}

}  // namespace detail

}  // namespace pk::dock
