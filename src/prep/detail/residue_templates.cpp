#include "prep/detail/residue_templates.hpp"

#include <map>

namespace pk::prep::detail {

namespace {

using H = HydrogenSite;

std::map<std::string, ResidueTemplate> make_templates() {
  const std::vector<std::string> bb = {"N", "CA", "C", "O"};
  const auto res = [&](const std::string& name, std::vector<std::string> side, std::vector<std::string> aromatic,
                       std::vector<HydrogenSite> h) {
    ResidueTemplate t;
    t.name = name;
    t.heavy = bb;
    t.heavy.insert(t.heavy.end(), side.begin(), side.end());
    t.aromatic = std::move(aromatic);
    t.hydrogens = std::move(h);
    return t;
  };
  std::map<std::string, ResidueTemplate> t;
  t["GLY"] = res("GLY", {}, {}, {});
  t["ALA"] = res("ALA", {"CB"}, {}, {});
  t["VAL"] = res("VAL", {"CB", "CG1", "CG2"}, {}, {});
  t["LEU"] = res("LEU", {"CB", "CG", "CD1", "CD2"}, {}, {});
  t["ILE"] = res("ILE", {"CB", "CG1", "CG2", "CD1"}, {}, {});
  t["PRO"] = res("PRO", {"CB", "CG", "CD"}, {}, {});
  t["MET"] = res("MET", {"CB", "CG", "SD", "CE"}, {}, {});
  t["PHE"] = res("PHE", {"CB", "CG", "CD1", "CD2", "CE1", "CE2", "CZ"}, {"CG", "CD1", "CD2", "CE1", "CE2", "CZ"}, {});
  t["TYR"] = res("TYR", {"CB", "CG", "CD1", "CD2", "CE1", "CE2", "CZ", "OH"}, {"CG", "CD1", "CD2", "CE1", "CE2", "CZ"},
                 {H{"OH", "HH", false, "CZ", "CE1", 110, 180}});
  t["TRP"] = res("TRP", {"CB", "CG", "CD1", "CD2", "NE1", "CE2", "CE3", "CZ2", "CZ3", "CH2"},
                 {"CG", "CD1", "CD2", "CE2", "CE3", "CZ2", "CZ3", "CH2"}, {H{"NE1", "HE1", true, "CD1", "CE2"}});
  t["SER"] = res("SER", {"CB", "OG"}, {}, {H{"OG", "HG", false, "CB", "CA", 109.5, 180}});
  t["THR"] = res("THR", {"CB", "OG1", "CG2"}, {}, {H{"OG1", "HG1", false, "CB", "CA", 109.5, 180}});
  t["CYS"] = res("CYS", {"CB", "SG"}, {}, {H{"SG", "HG", false, "CB", "CA", 96, 180}});
  t["ASN"] = res("ASN", {"CB", "CG", "OD1", "ND2"}, {},
                 {H{"ND2", "HD21", false, "CG", "OD1", 120, 0}, H{"ND2", "HD22", false, "CG", "OD1", 120, 180}});
  t["GLN"] = res("GLN", {"CB", "CG", "CD", "OE1", "NE2"}, {},
                 {H{"NE2", "HE21", false, "CD", "OE1", 120, 0}, H{"NE2", "HE22", false, "CD", "OE1", 120, 180}});
  t["ASP"] = res("ASP", {"CB", "CG", "OD1", "OD2"}, {}, {});
  t["GLU"] = res("GLU", {"CB", "CG", "CD", "OE1", "OE2"}, {}, {});
  t["LYS"] = res("LYS", {"CB", "CG", "CD", "CE", "NZ"}, {},
                 {H{"NZ", "HZ1", false, "CE", "CD", 109.5, 180}, H{"NZ", "HZ2", false, "CE", "CD", 109.5, 60},
                  H{"NZ", "HZ3", false, "CE", "CD", 109.5, -60}});
  t["ARG"] = res("ARG", {"CB", "CG", "CD", "NE", "CZ", "NH1", "NH2"}, {},
                 {H{"NE", "HE", true, "CD", "CZ"}, H{"NH1", "HH11", false, "CZ", "NE", 120, 0},
                  H{"NH1", "HH12", false, "CZ", "NE", 120, 180}, H{"NH2", "HH21", false, "CZ", "NE", 120, 180},
                  H{"NH2", "HH22", false, "CZ", "NE", 120, 0}});
  t["HIS"] = res("HIS", {"CB", "CG", "ND1", "CD2", "CE1", "NE2"}, {"CG", "CD2", "CE1"},
                 {H{"ND1", "HD1", true, "CG", "CE1"}, H{"NE2", "HE2", true, "CD2", "CE1"}});
  // Protonation-state names (Amber, CHARMM).
  for (const char* n : {"HID", "HIE", "HIP", "HSD", "HSE", "HSP"}) {
    t[n] = t["HIS"];
    const std::string s = n;
    t[n].state = s == "HSD" ? "HID" : s == "HSE" ? "HIE" : s == "HSP" ? "HIP" : s;
  }
  for (const char* n : {"CYX", "CYM"}) {
    t[n] = t["CYS"];
    t[n].state = n;
    t[n].hydrogens.clear();
  }
  t["ASH"] = t["ASP"];
  t["ASH"].state = "ASH";
  t["ASH"].hydrogens = {H{"OD2", "HD2", false, "CG", "OD1", 110, 180}};
  t["GLH"] = t["GLU"];
  t["GLH"].state = "GLH";
  t["GLH"].hydrogens = {H{"OE2", "HE2", false, "CD", "OE1", 110, 180}};
  t["LYN"] = t["LYS"];
  t["LYN"].state = "LYN";
  t["LYN"].hydrogens.pop_back();
  return t;
}

}  // namespace

const ResidueTemplate* residue_template(const std::string& residue_name) {
  static const std::map<std::string, ResidueTemplate> templates = make_templates();
  const auto it = templates.find(residue_name);
  return it == templates.end() ? nullptr : &it->second;
}

double polar_bond_length(const std::string& element) {
  if (element == "O") return 0.96;
  if (element == "S") return 1.34;
  return 1.01;
}

}  // namespace pk::prep::detail
