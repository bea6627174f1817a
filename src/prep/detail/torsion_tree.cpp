#include "prep/detail/torsion_tree.hpp"

#include "prep/prepare.hpp"

#include <GraphMol/RingInfo.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace pk::prep::detail {

namespace {

bool has_triple_bond(const RDKit::ROMol& mol, const RDKit::Atom& a) {
  for (const auto* b : mol.atomBonds(&a))
    if (b->getBondType() == RDKit::Bond::TRIPLE) return true;
  return false;
}

// [NX3]-[CX3]=[O,N]: the C-N bond of an amide, carbamate, urea or amidine.
bool amide_like(const RDKit::ROMol& mol, const RDKit::Atom& n, const RDKit::Atom& c) {
  if (n.getAtomicNum() != 7 || n.getTotalDegree() != 3) return false;
  if (c.getAtomicNum() != 6 || c.getTotalDegree() != 3) return false;
  for (const auto* b : mol.atomBonds(&c)) {
    if (b->getBondType() != RDKit::Bond::DOUBLE) continue;
    const int z = b->getOtherAtom(&c)->getAtomicNum();
    if (z == 7 || z == 8) return true;
  }
  return false;
}

bool other_kept_neighbour(const RDKit::ROMol& mol, const RDKit::Atom& a, const RDKit::Atom& partner,
                          const std::vector<std::string>& types) {
  for (const auto* nb : mol.atomNeighbors(&a))
    if (nb != &partner && types[nb->getIdx()] != "H") return true;
  return false;
}

int find(std::vector<int>& parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

// Meeko's root: peel leaves off the body graph until one or two bodies remain.
int choose_root(const std::vector<std::vector<int>>& graph, const std::vector<int>& size) {
  const int n = static_cast<int>(graph.size());
  std::vector<int> degree(n);
  std::vector<bool> alive(n, true);
  for (int i = 0; i < n; ++i) degree[i] = static_cast<int>(graph[i].size());
  int left = n;
  while (left > 2) {
    std::vector<int> leaves;
    for (int i = 0; i < n; ++i)
      if (alive[i] && degree[i] <= 1) leaves.push_back(i);
    for (int l : leaves) {
      alive[l] = false;
      --left;
      for (int m : graph[l])
        if (alive[m]) --degree[m];
    }
  }
  std::vector<int> kept;
  for (int i = 0; i < n; ++i)
    if (alive[i]) kept.push_back(i);
  if (kept.size() == 1) return kept[0];
  return size[kept[1]] > size[kept[0]] ? kept[1] : kept[0];
}

}  // namespace

void refuse_macrocycles(const RDKit::ROMol& mol, int macrocycle_min_ring) {
  const RDKit::RingInfo* rings = mol.getRingInfo();
  for (const auto& ring : rings->atomRings())
    if (static_cast<int>(ring.size()) >= macrocycle_min_ring)
      throw PrepareError("macrocycle: a ring of " + std::to_string(ring.size()) + " atoms (rings of " +
                         std::to_string(macrocycle_min_ring) +
                         " or more are refused: flexible-ring docking is not implemented and a rigid "
                         "macrocycle would be docked in one conformation)");
}

std::vector<bool> rotatable_bonds(const RDKit::ROMol& mol, const std::vector<std::string>& types) {
  const RDKit::RingInfo* rings = mol.getRingInfo();
  std::vector<bool> rot(mol.getNumBonds(), false);
  for (const auto* b : mol.bonds()) {
    if (b->getBondType() != RDKit::Bond::SINGLE || rings->numBondRings(b->getIdx()) > 0) continue;
    const RDKit::Atom& a1 = *b->getBeginAtom();
    const RDKit::Atom& a2 = *b->getEndAtom();
    if (types[a1.getIdx()] == "H" || types[a2.getIdx()] == "H") continue;
    if (amide_like(mol, a1, a2) || amide_like(mol, a2, a1)) continue;
    if (has_triple_bond(mol, a1) || has_triple_bond(mol, a2)) continue;
    if (!other_kept_neighbour(mol, a1, a2, types) || !other_kept_neighbour(mol, a2, a1, types)) continue;
    rot[b->getIdx()] = true;
  }
  return rot;
}

namespace {

// The written atoms (heavy atoms and HD) in input order; each merged hydrogen
// gives its charge to its atom. kept_index[i]: atom i's place, or -1.
std::vector<TreeAtom> tree_atoms(const RDKit::ROMol& mol, const std::vector<std::string>& types,
                                 const std::vector<double>& charges, std::vector<int>& kept_index) {
  const RDKit::Conformer& conf = mol.getConformer();
  std::vector<TreeAtom> atoms;
  kept_index.assign(mol.getNumAtoms(), -1);
  std::map<std::string, int> per_element;
  for (const auto* a : mol.atoms()) {
    if (types[a->getIdx()] == "H") continue;
    kept_index[a->getIdx()] = static_cast<int>(atoms.size());
    TreeAtom t;
    t.element = a->getSymbol();
    t.name = t.element + std::to_string(++per_element[t.element]);
    if (t.name.size() > 4) t.name = t.element;
    const auto& p = conf.getAtomPos(a->getIdx());
    t.xyz = {p.x, p.y, p.z};
    t.charge = charges[a->getIdx()];
    t.type = types[a->getIdx()];
    atoms.push_back(t);
  }
  for (const auto* a : mol.atoms()) {
    if (types[a->getIdx()] != "H") continue;
    for (const auto* nb : mol.atomNeighbors(a))
      if (kept_index[nb->getIdx()] >= 0) atoms[kept_index[nb->getIdx()]].charge += charges[a->getIdx()];
  }
  return atoms;
}

// Rigid bodies: written atoms joined by bonds that are not torsions, numbered
// by their first atom. Returns each atom's body.
std::vector<int> rigid_bodies(const RDKit::ROMol& mol, const std::vector<bool>& rot, const std::vector<int>& kept_index,
                              LigandTree& tree) {
  const int k = static_cast<int>(tree.atoms.size());
  std::vector<int> uf(k);
  std::iota(uf.begin(), uf.end(), 0);
  for (const auto* b : mol.bonds()) {
    const int i = kept_index[b->getBeginAtomIdx()], j = kept_index[b->getEndAtomIdx()];
    if (i < 0 || j < 0 || rot[b->getIdx()]) continue;
    uf[find(uf, i)] = find(uf, j);
  }
  std::vector<int> body_of(k, -1), body_of_root(k, -1);
  for (int i = 0; i < k; ++i) {
    const int r = find(uf, i);
    if (body_of_root[r] < 0) {
      body_of_root[r] = static_cast<int>(tree.bodies.size());
      tree.bodies.emplace_back();
    }
    body_of[i] = body_of_root[r];
    tree.bodies[body_of[i]].atoms.push_back(i);
  }
  return body_of;
}

// Orients the body graph away from the root; children in the order of their
// joint atoms; each child's joint atom first in its atom list.
void orient(const std::vector<std::vector<int>>& graph, std::map<std::pair<int, int>, std::pair<int, int>>& joint,
            LigandTree& tree) {
  std::vector<int> stack{tree.root};
  std::vector<bool> seen(graph.size(), false);
  seen[tree.root] = true;
  while (!stack.empty()) {
    const int b = stack.back();
    stack.pop_back();
    std::vector<int> children;
    for (int c : graph[b])
      if (!seen[c]) children.push_back(c);
    std::sort(children.begin(), children.end(), [&](int x, int y) { return joint[{b, x}] < joint[{b, y}]; });
    for (int c : children) {
      seen[c] = true;
      RigidBody& body = tree.bodies[c];
      body.parent = b;
      body.parent_atom = joint[{b, c}].first;
      body.child_atom = joint[{b, c}].second;
      auto it = std::find(body.atoms.begin(), body.atoms.end(), body.child_atom);
      std::rotate(body.atoms.begin(), it, it + 1);
      tree.bodies[b].children.push_back(c);
      stack.push_back(c);
    }
  }
}

}  // namespace

LigandTree build_tree(const RDKit::ROMol& mol, const std::vector<std::string>& types,
                      const std::vector<double>& charges) {
  const std::vector<bool> rot = rotatable_bonds(mol, types);
  LigandTree tree;
  std::vector<int> kept_index;
  tree.atoms = tree_atoms(mol, types, charges, kept_index);
  const std::vector<int> body_of = rigid_bodies(mol, rot, kept_index, tree);
  const int nb = static_cast<int>(tree.bodies.size());
  // Torsions join the bodies into a tree (a torsion is in no ring).
  std::vector<std::vector<int>> graph(nb);
  std::map<std::pair<int, int>, std::pair<int, int>> joint;  // (body, body) -> (its atom, the other's atom)
  for (const auto* b : mol.bonds()) {
    if (!rot[b->getIdx()]) continue;
    const int i = kept_index[b->getBeginAtomIdx()], j = kept_index[b->getEndAtomIdx()];
    const int bi = body_of[i], bj = body_of[j];
    graph[bi].push_back(bj);
    graph[bj].push_back(bi);
    joint[{bi, bj}] = {i, j};
    joint[{bj, bi}] = {j, i};
  }
  std::vector<int> size(nb);
  for (int b = 0; b < nb; ++b) size[b] = static_cast<int>(tree.bodies[b].atoms.size());
  tree.root = choose_root(graph, size);
  orient(graph, joint, tree);
  return tree;
}

}  // namespace pk::prep::detail
