#include "prep/prepare.hpp"

#include "prep/detail/ad_types.hpp"
#include "prep/detail/identity.hpp"
#include "prep/detail/molecule.hpp"
#include "prep/detail/torsion_tree.hpp"
#include "prep/docked_sdf.hpp"
#include "prep/pdbqt_writer.hpp"

#include <GraphMol/FileParsers/FileParsers.h>
#include <GraphMol/MolOps.h>
#include <RDGeneral/versions.h>

namespace pk::prep {

std::string rdkit_version() { return RDKit::rdkitVersion; }

std::string ligand_file_stem(const std::string& path) {
  std::string s = path.substr(path.find_last_of('/') + 1);
  for (const char* ext : {".gz", ".smi", ".smiles", ".ism", ".can", ".sdf", ".sd", ".mol2", ".mol"}) {
    const std::string e = ext;
    if (s.size() > e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0) s.resize(s.size() - e.size());
  }
  return s;
}

namespace {

// The bonds as read: an SDF record's bond orders and formal charges from its
// molfile without RDKit's sanitization (which aromatizes and may rewrite
// nitro groups); otherwise RDKit's reading, kekulized.
void restore_bonds_as_read(const LigandRecord& record, RDKit::RWMol& mol) {
  if (record.format == LigandFormat::kSdf) {
    std::unique_ptr<RDKit::RWMol> raw;
    try {
      raw.reset(RDKit::MolBlockToMol(record.text, false, false));
    } catch (const std::exception&) {
    }
    if (raw) {
      for (auto* b : mol.bonds()) {
        int i = -1, j = -1;
        if (!b->getBeginAtom()->getPropIfPresent(detail::kInputIndex, i) ||
            !b->getEndAtom()->getPropIfPresent(detail::kInputIndex, j))
          continue;  // a hydrogen added here: single
        const RDKit::Bond* given = raw->getBondBetweenAtoms(i, j);
        if (!given) continue;
        b->setBondType(given->getBondType());
        b->setIsAromatic(given->getBondType() == RDKit::Bond::AROMATIC);
      }
      for (auto* a : mol.atoms()) {
        int i = -1;
        if (a->getPropIfPresent(detail::kInputIndex, i)) {
          a->setFormalCharge(raw->getAtomWithIdx(i)->getFormalCharge());
          a->setIsAromatic(false);
        }
      }
      mol.updatePropertyCache(false);
      return;
    }
  }
  try {
    RDKit::MolOps::Kekulize(mol, true);
  } catch (const std::exception&) {
    // left aromatic (written as bond type 4)
  }
}

std::shared_ptr<detail::MoleculeIdentity> identity_of(const LigandRecord& record, const RDKit::RWMol& mol,
                                                      const std::vector<std::string>& types, const LigandTree& tree,
                                                      const std::vector<int>& order, const std::string& name) {
  auto id = std::make_shared<detail::MoleculeIdentity>();
  id->mol = std::make_unique<RDKit::RWMol>(mol);
  restore_bonds_as_read(record, *id->mol);
  id->name = name;
  if (record.format == LigandFormat::kSdf) id->properties = sd_properties(record.text);
  // Tree atoms are the molecule's atoms of types other than H, in order.
  std::vector<int> mol_of_tree, tree_of_mol(mol.getNumAtoms(), -1);
  for (const auto* a : mol.atoms())
    if (types[a->getIdx()] != "H") {
      tree_of_mol[a->getIdx()] = static_cast<int>(mol_of_tree.size());
      mol_of_tree.push_back(static_cast<int>(a->getIdx()));
    }
  std::vector<int> written_of_tree(tree.atoms.size(), -1), body_of_tree(tree.atoms.size(), -1);
  for (std::size_t k = 0; k < order.size(); ++k) {
    written_of_tree[order[k]] = static_cast<int>(k);
    id->written_atom.push_back(mol_of_tree[order[k]]);
  }
  for (std::size_t b = 0; b < tree.bodies.size(); ++b) {
    const RigidBody& body = tree.bodies[b];
    std::vector<int> set;
    for (int t : body.atoms) {
      set.push_back(written_of_tree[t]);
      body_of_tree[t] = static_cast<int>(b);
    }
    if (body.parent_atom >= 0) set.push_back(written_of_tree[body.parent_atom]);
    for (int c : body.children) set.push_back(written_of_tree[tree.bodies[c].child_atom]);
    id->rigid_sets.push_back(std::move(set));
  }
  id->carried_by.assign(mol.getNumAtoms(), -1);
  for (const auto* a : mol.atoms()) {
    if (types[a->getIdx()] != "H") continue;
    for (const auto* nb : mol.atomNeighbors(a))
      if (tree_of_mol[nb->getIdx()] >= 0) id->carried_by[a->getIdx()] = body_of_tree[tree_of_mol[nb->getIdx()]];
  }
  return id;
}

}  // namespace

namespace {

PreparedMolecule prepare(const LigandRecord& record, const std::string& fallback_name, const PrepareOptions& options,
                         bool keep_identity) {
  std::unique_ptr<RDKit::RWMol> mol = detail::parse_record(record);
  detail::refuse_macrocycles(*mol, options.macrocycle_min_ring);
  const detail::ThreeD geometry = detail::make_3d(mol, options);
  const std::vector<std::string> types = detail::autodock_types(*mol);
  const std::vector<double> charges = detail::gasteiger_charges(*mol);
  const LigandTree tree = detail::build_tree(*mol, types, charges);

  PreparedMolecule prepared;
  PreparedLigand& out = prepared.ligand;
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
  std::vector<int> order;
  out.pdbqt = write_pdbqt(tree, remarks, &order);
  if (keep_identity) prepared.identity = identity_of(record, *mol, types, tree, order, out.name);
  return prepared;
}

}  // namespace

PreparedMolecule prepare_molecule(const LigandRecord& record, const std::string& fallback_name,
                                  const PrepareOptions& options) {
  return prepare(record, fallback_name, options, true);
}

PreparedLigand prepare_ligand(const LigandRecord& record, const std::string& fallback_name,
                              const PrepareOptions& options) {
  return prepare(record, fallback_name, options, false).ligand;
}

}  // namespace pk::prep
