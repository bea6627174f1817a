#include "prep/pdbqt_writer.hpp"

#include <cstdio>
#include <functional>

namespace pk::prep {

namespace {

// PDB columns: a one-letter element's name starts in column 14, so that the
// element stays in columns 13-14 (" C1 ", "Cl1 ").
std::string name_field(const TreeAtom& a) {
  std::string n = a.name.substr(0, 4);
  if (a.element.size() == 1 && n.size() < 4) n = " " + n;
  n.resize(4, ' ');
  return n;
}

void atom_line(std::string& out, int serial, const TreeAtom& a) {
  char buf[128];
  // Columns 1-66 as PDB (residue UNL 1), 71-76 the charge, 78-79 the type.
  std::snprintf(buf, sizeof buf, "ATOM  %5d %4s UNL     1    %8.3f%8.3f%8.3f  0.00  0.00    %+6.3f %-2s\n", serial,
                name_field(a).c_str(), a.xyz[0], a.xyz[1], a.xyz[2], a.charge + 0.0, a.type.c_str());
  out += buf;
}

}  // namespace

std::string write_pdbqt(const LigandTree& tree, const std::vector<std::string>& remarks, std::vector<int>* order) {
  std::string out;
  for (const auto& r : remarks) out += "REMARK  " + r + "\n";
  std::vector<int> serial(tree.atoms.size(), 0);
  int next = 1;
  if (order) order->clear();
  auto write_atoms = [&](const RigidBody& body) {
    for (int a : body.atoms) {
      serial[a] = next++;
      atom_line(out, serial[a], tree.atoms[a]);
      if (order) order->push_back(a);
    }
  };
  std::function<void(int)> write_branch = [&](int b) {
    const RigidBody& body = tree.bodies[b];
    char buf[64];
    std::snprintf(buf, sizeof buf, "BRANCH %3d %3d\n", serial[body.parent_atom], next);
    out += buf;
    write_atoms(body);
    for (int c : body.children) write_branch(c);
    std::snprintf(buf, sizeof buf, "ENDBRANCH %3d %3d\n", serial[body.parent_atom], serial[body.child_atom]);
    out += buf;
  };
  out += "ROOT\n";
  write_atoms(tree.bodies[tree.root]);
  out += "ENDROOT\n";
  for (int c : tree.bodies[tree.root].children) write_branch(c);
  out += "TORSDOF " + std::to_string(tree.torsions()) + "\n";
  return out;
}

}  // namespace pk::prep
