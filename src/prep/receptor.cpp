#include "prep/receptor.hpp"

#include "core/error.hpp"
#include "prep/detail/receptor_geometry.hpp"
#include "prep/detail/residue_templates.hpp"
#include "prep/structure_file.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace pk::prep {

namespace {

using detail::Vec3;

const std::set<std::string> kWaters = {"HOH", "WAT", "H2O", "DOD", "D2O", "SOL", "TIP", "TIP3", "SPC", "T3P"};
// Metals Vina types: Zn Mg Ca Fe Mn by name, the others as Met_D.
const std::set<std::string> kMetals = {"Zn", "Mg", "Ca", "Fe", "Mn", "Cu", "Ni", "Co", "Cd", "Hg", "Na", "K"};
const std::set<std::string> kByElement = {"F", "Cl", "Br", "I", "P"};

struct Residue {
  std::string chain, name;
  int resseq = 0;
  char icode = ' ';
  bool hetatm = false;
  long line = 0;
  std::vector<StructureAtom> atoms;
  std::string label() const {
    std::string l = name + " " + chain + " " + std::to_string(resseq);
    if (icode != ' ') l += icode;
    return l;
  }
};

struct OutAtom {
  StructureAtom atom;
  std::string type;
  std::string residue_label;
};

// Consecutive records of one (chain, number, insertion code) form a residue.
std::vector<Residue> residues_of(const Structure& s) {
  std::vector<Residue> out;
  for (const auto& a : s.atoms) {
    if (out.empty() || out.back().chain != a.chain || out.back().resseq != a.resseq || out.back().icode != a.icode ||
        out.back().hetatm != a.hetatm) {
      Residue r;
      r.chain = a.chain, r.name = a.residue, r.resseq = a.resseq, r.icode = a.icode, r.hetatm = a.hetatm, r.line = a.line;
      out.push_back(std::move(r));
    }
    out.back().atoms.push_back(a);
  }
  return out;
}

std::string where(const std::string& path, const Residue& r) { return path + ":" + std::to_string(r.line) + ": " + r.label(); }

// One alternate location per residue: the most occupied (the first on a tie);
// atoms without one are always kept.
void choose_altloc(Residue& r, const std::string& path, std::vector<std::string>& notes) {
  std::map<char, double> occupancy;
  std::vector<char> order;
  for (const auto& a : r.atoms)
    if (a.altloc != ' ') {
      if (!occupancy.count(a.altloc)) order.push_back(a.altloc);
      occupancy[a.altloc] += a.occupancy;
    }
  if (order.empty()) return;
  char keep = order[0];
  for (char c : order)
    if (occupancy[c] > occupancy[keep] + 1e-9) keep = c;
  std::vector<StructureAtom> kept;
  for (auto& a : r.atoms)
    if (a.altloc == ' ' || a.altloc == keep) kept.push_back(a);
  r.atoms = std::move(kept);
  for (const auto& a : r.atoms)
    if (a.altloc == keep) r.name = a.residue;  // microheterogeneity: the kept location's residue
  std::string all(order.begin(), order.end());
  char occ[32];
  std::snprintf(occ, sizeof occ, "%.2f", occupancy[keep]);
  notes.push_back(where(path, r) + ": alternate locations " + all + ": kept " + keep + " (summed occupancy " + occ + ")");
}

bool is_hydrogen(const StructureAtom& a) { return a.element == "H" || a.element == "D"; }

const StructureAtom* find(const Residue& r, const std::string& name) {
  for (const auto& a : r.atoms)
    if (a.name == name && !is_hydrogen(a)) return &a;
  return nullptr;
}

bool is_ion(const Residue& r) { return r.atoms.size() == 1 && kMetals.count(r.atoms[0].element); }

// --chains: the chosen chains' residues, and the metal ions (whatever their
// chain) within 3 Å of one of their heavy atoms: deposited files often list
// the ions of all chains under one chain.
void select_chains(std::vector<Residue>& all, const std::vector<std::string>& chains, const std::string& path,
                   std::vector<std::string>& notes) {
  constexpr double kContact = 3.0;
  const auto chosen = [&](const Residue& r) { return std::find(chains.begin(), chains.end(), r.chain) != chains.end(); };
  std::vector<std::pair<detail::Vec3, std::string>> chosen_heavy;  // position, "residue atom"
  for (const auto& k : all)
    if (chosen(k) && !kWaters.count(k.name))
      for (const auto& a : k.atoms)
        if (a.element != "H" && a.element != "D") chosen_heavy.emplace_back(detail::vec(a.xyz), k.label() + " " + a.name);
  std::vector<Residue> kept;
  int dropped = 0;
  for (auto& r : all) {
    if (chosen(r)) {
      kept.push_back(std::move(r));
      continue;
    }
    if (!is_ion(r)) {
      ++dropped;
      continue;
    }
    const detail::Vec3 m = detail::vec(r.atoms[0].xyz);
    std::string contact;
    for (const auto& [p, label] : chosen_heavy)
      if (contact.empty() && detail::distance(m, p) <= kContact) contact = label;
    if (contact.empty()) {
      ++dropped;
      continue;
    }
    notes.push_back(where(path, r) + ": metal ion of another chain kept: it binds " + contact + " (within 3 Å)");
    kept.push_back(std::move(r));
  }
  std::string list;
  for (const auto& c : chains) list += (list.empty() ? "" : ",") + c;
  notes.push_back(path + ": --chains " + list + ": " + std::to_string(dropped) + " residue(s)/group(s) of other chains left out");
  all = std::move(kept);
}

// Waters, ions and other hetero groups (removed or kept, noted); modified
// residues read as standard; alternate locations chosen.
std::vector<Residue> classify(std::vector<Residue>& all, const Structure& s, const ReceptorOptions& options,
                              PreparedReceptor& out) {
  const std::string& path = s.path;
  std::vector<std::string>& notes = out.notes;
  std::vector<Residue> kept;
  int waters = 0, insertion = 0;
  std::string first_insertion;
  for (auto& r : all) {
    choose_altloc(r, path, notes);
    // Without ATOM/HETATM groups (an mmCIF loop without group_PDB) a residue
    // that is no amino acid counts as a hetero group.
    if (!s.groups_given && !detail::residue_template(r.name)) r.hetatm = true;
    if (kWaters.count(r.name)) {
      ++waters;
      if (!options.keep_waters) continue;
    } else if (is_ion(r)) {
      ++out.metals;
    } else if (r.name == "MSE") {
      for (auto& a : r.atoms)
        if (a.name == "SE") a.name = "SD", a.element = "S", a.name_field = " SD ";
      for (auto& a : r.atoms) a.residue = "MET", a.hetatm = false;
      notes.push_back(where(path, r) + ": selenomethionine read as MET (SE as SD, typed as sulfur)");
      r.name = "MET", r.hetatm = false;
    } else if (r.hetatm && !detail::residue_template(r.name)) {
      std::string metal;
      for (const auto& a : r.atoms)
        if (kMetals.count(a.element)) metal = " including its " + a.element;
      notes.push_back(where(path, r) + ": removed HETATM group (" + std::to_string(r.atoms.size()) + " atoms" + metal +
                      "): ligands, cofactors and other ions are not part of the receptor");
      continue;
    } else if (!detail::residue_template(r.name)) {
      notes.push_back(where(path, r) + ": no template for residue '" + r.name + "': typed by element, no hydrogens added");
    }
    if (r.icode != ' ' && insertion++ == 0) first_insertion = r.label();
    kept.push_back(std::move(r));
  }
  if (waters)
    notes.push_back(path + ": " + std::to_string(waters) + " water molecule(s) " +
                    (options.keep_waters ? "kept (typed OA)" : "removed"));
  if (insertion)
    notes.push_back(path + ": " + std::to_string(insertion) + " residue(s) with insertion codes (first " + first_insertion +
                    "): kept as separate residues, the code written in column 27");
  return kept;
}

// Each kept residue's atoms typed, polar hydrogens kept or added.
std::vector<OutAtom> typed_atoms(const std::vector<Residue>& kept, const std::string& path, PreparedReceptor& out) {
  for (const auto& r : kept)
    for (const auto& a : r.atoms)
      if (is_hydrogen(a) && !kWaters.count(r.name)) out.hydrogens_given = true;
  detail::Environment env;
  for (const auto& r : kept) {
    if (is_ion(r)) env.metals.push_back(detail::vec(r.atoms[0].xyz));
    if (const detail::ResidueTemplate* t = detail::residue_template(r.name); t && t->name == "CYS")
      if (const StructureAtom* sg = find(r, "SG")) env.cys_sulfur.push_back(detail::vec(sg->xyz));
  }
  std::vector<OutAtom> atoms;
  detail::ProtonationCounts counts;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const Residue& r = kept[i];
    const Residue* previous = i > 0 && kept[i - 1].chain == r.chain ? &kept[i - 1] : nullptr;
    const detail::ResidueTemplate* t = detail::residue_template(r.name);
    std::vector<detail::TypedAtom> typed =
        detail::type_residue(r.atoms, t, previous ? find(*previous, "C") : nullptr, env, !out.hydrogens_given,
                             where(path, r), path, out.notes, counts);
    for (auto& ta : typed) {
      if (ta.type == "HD") {
        ++out.polar_hydrogens;
        out.hydrogens_added += ta.added ? 1 : 0;
      } else if (!kMetals.count(ta.atom.element)) {
        ++out.heavy_atoms;
      }
      atoms.push_back(OutAtom{ta.atom, ta.type, r.label()});
    }
    ++out.residues;
  }
  counts.summarise(path, out.hydrogens_given, out.notes);
  return atoms;
}

std::string pdbqt_text(const std::vector<OutAtom>& atoms, const std::string& path, bool hydrogens_given) {
  std::string text = "REMARK  receptor prepared by pandakinetics prepare from " + path + "\n";
  text += "REMARK  " + std::string(hydrogens_given ? "hydrogens as given (polar kept, non-polar not written)"
                                                    : "polar hydrogens added at pH 7 (docs/prepare.md)") + "\n";
  int serial = 0;
  for (const auto& o : atoms) {
    const StructureAtom& a = o.atom;
    char line[128];
    // PDB columns 1-66, the charge in 71-76 (0: Vina does not use it), the AutoDock type in 78-79.
    std::snprintf(line, sizeof line, "%-6s%5d %-4s %3s %1s%4d%c   %8.3f%8.3f%8.3f%6.2f%6.2f    %+6.3f %-2s\n",
                  a.hetatm ? "HETATM" : "ATOM", (++serial) % 100000, a.name_field.substr(0, 4).c_str(),
                  a.residue.substr(0, 3).c_str(), a.chain.substr(0, 1).c_str(), a.resseq % 10000, a.icode,
                  a.xyz[0], a.xyz[1], a.xyz[2], std::min(a.occupancy, 99.99), 0.0, 0.0, o.type.c_str());
    text += line;
  }
  return text + "TER\n";
}

}  // namespace

PreparedReceptor prepare_receptor(const std::string& path, const ReceptorOptions& options) {
  const Structure s = read_structure(path);
  PreparedReceptor out;
  if (s.models > 1) out.notes.push_back(path + ": " + std::to_string(s.models) + " models: only the first is read");
  std::vector<Residue> all = residues_of(s);
  if (!options.chains.empty()) select_chains(all, options.chains, path, out.notes);
  if (all.empty()) throw InputError(path, 0, "no atoms in the chosen chains");
  const std::vector<Residue> kept = classify(all, s, options, out);
  const std::vector<OutAtom> atoms = typed_atoms(kept, path, out);
  if (atoms.empty()) throw InputError(path, 0, "nothing left to write: no protein atoms or kept ions");
  out.pdbqt = pdbqt_text(atoms, path, out.hydrogens_given);
  return out;
}

}  // namespace pk::prep
