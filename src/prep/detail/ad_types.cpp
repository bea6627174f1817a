#include "prep/detail/ad_types.hpp"

#include "prep/prepare.hpp"

namespace pk::prep::detail {

namespace {

bool sp2_carbon(const RDKit::Atom& a) {  // SMARTS [#6X3v4]
  return a.getAtomicNum() == 6 && a.getTotalDegree() == 3 && a.getTotalValence() == 4;
}

std::string nitrogen_type(const RDKit::ROMol& mol, const RDKit::Atom& n) {
  if (n.getFormalCharge() == 1) return "N";
  if (n.getTotalDegree() == 3 && n.getTotalValence() == 3) {
    for (const auto* nb : mol.atomNeighbors(&n))
      if (nb->getIsAromatic() || sp2_carbon(*nb)) return "N";
  }
  return "NA";
}

}  // namespace

std::vector<std::string> autodock_types(const RDKit::ROMol& mol) {
  std::vector<std::string> types(mol.getNumAtoms());
  for (const auto* a : mol.atoms()) {
    std::string& t = types[a->getIdx()];
    switch (a->getAtomicNum()) {
      case 1: {
        t = "H";
        for (const auto* nb : mol.atomNeighbors(a)) {
          const int z = nb->getAtomicNum();
          if (z == 7 || z == 8 || z == 9 || z == 15 || z == 16) t = "HD";
        }
        break;
      }
      case 5: t = "B"; break;
      case 6: t = a->getIsAromatic() ? "A" : "C"; break;
      case 7: t = nitrogen_type(mol, *a); break;
      case 8: t = "OA"; break;
      case 9: t = "F"; break;
      case 12: t = "Mg"; break;
      case 14: t = "Si"; break;
      case 15: t = "P"; break;
      case 16: t = !a->getIsAromatic() && a->getTotalDegree() == 2 ? "SA" : "S"; break;  // [SX2]: aliphatic only
      case 17: t = "Cl"; break;
      case 20: t = "Ca"; break;
      case 25: t = "Mn"; break;
      case 26: t = "Fe"; break;
      case 30: t = "Zn"; break;
      case 35: t = "Br"; break;
      case 53: t = "I"; break;
      default:
        throw PrepareError("atom " + std::to_string(a->getIdx() + 1) + " (" + a->getSymbol() +
                           "): no AutoDock type for this element");
    }
  }
  return types;
}

}  // namespace pk::prep::detail
