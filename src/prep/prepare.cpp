#include "prep/prepare.hpp"

#include "prep/detail/ad_types.hpp"
#include "prep/detail/molecule.hpp"
#include "prep/detail/torsion_tree.hpp"
#include "prep/pdbqt_writer.hpp"

#include <RDGeneral/versions.h>

namespace pk::prep {

std::string rdkit_version() { return RDKit::rdkitVersion; }

PreparedLigand prepare_ligand(const LigandRecord& record, const std::string& fallback_name,
                              const PrepareOptions& options) {
  std::unique_ptr<RDKit::RWMol> mol = detail::parse_record(record);
  detail::refuse_macrocycles(*mol, options.macrocycle_min_ring);
  const detail::ThreeD geometry = detail::make_3d(mol, options);
  const std::vector<std::string> types = detail::autodock_types(*mol);
  const std::vector<double> charges = detail::gasteiger_charges(*mol);
  const LigandTree tree = detail::build_tree(*mol, types, charges);

  PreparedLigand out;
  out.name = record.name.empty() ? fallback_name : record.name;
  out.embedded = geometry.embedded;
  out.hydrogens_added = geometry.hydrogens_added;
  out.note = geometry.note;
  out.torsions = tree.torsions();
  for (const auto& a : tree.atoms) (a.type == "HD" ? out.polar_hydrogens : out.heavy_atoms) += 1;
  std::vector<std::string> remarks = {
      "Name = " + out.name,
      "prepared by pandakinetics prepare (RDKit " + rdkit_version() + ") from " + format_name(record.format) +
          " record " + std::to_string(record.number) +
          (geometry.embedded ? ", 3-D by ETKDG v3 seed " + std::to_string(options.seed) : ", input 3-D coordinates"),
      std::to_string(out.torsions) + " active torsions"};
  out.pdbqt = write_pdbqt(tree, remarks);
  return out;
}

}  // namespace pk::prep
