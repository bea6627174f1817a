// PDBQT reading and Vina typing on the Debian test ligand (imatinib) against
// facts read off the molecule by hand: 37 heavy atoms in 5 rings (so 41
// heavy-heavy bonds) plus 2 N-H bonds, 7 BRANCHes, N_rot 7, the XS types of
// chosen atoms; the intramolecular pair list against a breadth-first
// shortest-path count; and every malformed input stopping with file:line.
#include "dock/molecule.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include <queue>
#include <string>

namespace {

/// inputs/dock, from the environment (set by CTest).
std::string inputs() {
  const char* dir = std::getenv("PK_DOCK_INPUTS");
  return dir ? dir : "inputs/dock";
}

const std::string kLigand = inputs() + "/ligand.pdbqt";

int by_name(const pk::dock::Ligand& l, const std::string& name) {
  for (int a = 0; a < l.n_atoms(); ++a)
    if (l.atoms[a].name == name) return a;
  return -1;
}

std::string expect_error(const std::string& text) {
  try {
    pk::dock::parse_ligands(text, "bad.pdbqt");
  } catch (const pk::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for:\n" << text;
  return "";
}

std::string atom(int serial, const std::string& type, double x = 0, const std::string& name = "C1") {
  char buf[128];
  std::snprintf(buf, sizeof buf, "HETATM%5d  %-3s LIG     1    %8.3f%8.3f%8.3f  1.00  0.00    %6.3f %-2s", serial,
                name.c_str(), x, 0.0, 0.0, 0.0, type.c_str());
  return std::string(buf) + "\n";
}

}  // namespace

TEST(DockPdbqt, DebianLigandTopology) {
  const auto ligs = pk::dock::read_ligands(kLigand);
  ASSERT_EQ(ligs.size(), 1u);
  const auto& l = ligs[0];
  EXPECT_EQ(l.n_atoms(), 39);
  EXPECT_EQ(static_cast<int>(l.heavy_atoms().size()), 37);
  EXPECT_EQ(l.n_torsions(), 7);
  EXPECT_EQ(l.torsdof, 7);
  EXPECT_DOUBLE_EQ(l.n_rot, 7.0);
  int heavy_bonds = 0, h_bonds = 0, rotatable = 0;
  for (const auto& b : l.bonds) {
    const bool h = l.atoms[b.a].hydrogen || l.atoms[b.b].hydrogen;
    (h ? h_bonds : heavy_bonds)++;
    rotatable += b.rotatable;
  }
  EXPECT_EQ(heavy_bonds, 41);
  EXPECT_EQ(h_bonds, 2);
  EXPECT_EQ(rotatable, 7);
  using namespace pk::dock;
  EXPECT_EQ(l.atoms[by_name(l, "N3")].xs, kXsN_A);   // NA, no HD
  EXPECT_EQ(l.atoms[by_name(l, "N13")].xs, kXsN_D);  // N bonded to HD
  EXPECT_EQ(l.atoms[by_name(l, "N21")].xs, kXsN_D);
  EXPECT_EQ(l.atoms[by_name(l, "N48")].xs, kXsN_P);  // N, no HD, not an acceptor type
  EXPECT_EQ(l.atoms[by_name(l, "O29")].xs, kXsO_A);
  EXPECT_EQ(l.atoms[by_name(l, "C20")].xs, kXsC_H);  // methyl on a benzene carbon
  EXPECT_EQ(l.atoms[by_name(l, "C2")].xs, kXsC_P);   // next to N3
  EXPECT_EQ(l.atoms[by_name(l, "C22")].xs, kXsC_P);  // amide carbon
  EXPECT_EQ(l.atoms[by_name(l, "C17")].xs, kXsC_H);
  EXPECT_EQ(l.atoms[13].xs, kXsNone);                // the H of N13
  // Tree: BRANCH 5 7 hangs from the root, BRANCH 9 13 from it.
  EXPECT_EQ(l.nodes[1].parent, 0);
  EXPECT_EQ(l.atoms[l.nodes[1].axis_from].serial, 5);
  EXPECT_EQ(l.atoms[l.nodes[1].axis_to].serial, 7);
  EXPECT_EQ(l.nodes[2].parent, 1);
  EXPECT_EQ(l.nodes[7].parent, 6);
  EXPECT_EQ(l.atom_node[by_name(l, "C53")], 7);
  EXPECT_EQ(l.atom_text_line[0], 11);  // 10 REMARK lines and ROOT come first
}

TEST(DockPdbqt, IntraPairsAreMovablePairsBeyondThreeBonds) {
  const auto l = pk::dock::read_ligands(kLigand)[0];
  const int n = l.n_atoms();
  std::vector<std::vector<int>> nb(n);
  for (const auto& b : l.bonds) nb[b.a].push_back(b.b), nb[b.b].push_back(b.a);
  // Rigid pieces: nodes, where a branch's axis atoms belong to both sides.
  auto same_piece = [&](int a, int b) {
    for (int k = 0; k < static_cast<int>(l.nodes.size()); ++k) {
      auto in = [&](int x) {
        if (l.atom_node[x] == k) return true;
        if (k > 0 && x == l.nodes[k].axis_from) return true;
        for (const auto& c : l.nodes)
          if (c.parent == k && c.axis_to == x) return true;
        return false;
      };
      if (in(a) && in(b)) return true;
    }
    return false;
  };
  int expected = 0;
  for (int a = 0; a < n; ++a) {
    std::vector<int> dist(n, -1);
    std::queue<int> q;
    dist[a] = 0;
    q.push(a);
    while (!q.empty()) {
      const int x = q.front();
      q.pop();
      for (int y : nb[x])
        if (dist[y] < 0) dist[y] = dist[x] + 1, q.push(y);
    }
    for (int b = a + 1; b < n; ++b)
      if (!l.atoms[a].hydrogen && !l.atoms[b].hydrogen && !same_piece(a, b) && dist[b] > 3) ++expected;
  }
  EXPECT_EQ(static_cast<int>(l.intra_pairs.size()), expected);
  EXPECT_GT(expected, 100);
}

TEST(DockPdbqt, MultiModelAndCoordinateRewrite) {
  const std::string one = "ROOT\n" + atom(1, "C", 0.0) + atom(2, "OA", 1.4, "O1") + "ENDROOT\nTORSDOF 0\n";
  const auto ligs = pk::dock::parse_ligands("MODEL 1\n" + one + "ENDMDL\nMODEL 2\n" + one + "ENDMDL\n", "m.pdbqt");
  ASSERT_EQ(ligs.size(), 2u);
  EXPECT_EQ(ligs[1].model, 1);
  EXPECT_EQ(ligs[1].atoms[1].xs, pk::dock::kXsO_A);
  EXPECT_EQ(ligs[1].atoms[0].xs, pk::dock::kXsC_P);
  const std::string moved = pk::dock::ligand_pdbqt_with_coords(ligs[0], {{1, 2, 3}, {4, 5, 6}});
  const auto again = pk::dock::parse_ligands(moved, "moved.pdbqt")[0];
  EXPECT_DOUBLE_EQ(again.atoms[1].xyz[2], 6.0);
  EXPECT_EQ(again.atoms[1].ad_type, "OA");
  // Vina 1.2.3 reads Se as S (and rejects B, as we do).
  const auto se = pk::dock::parse_ligands("ROOT\n" + atom(1, "C", 0.0) + atom(2, "Se", 1.9, "SE1") + "ENDROOT\nTORSDOF 0\n",
                                          "se.pdbqt")[0];
  EXPECT_EQ(se.atoms[1].element, "S");
  EXPECT_EQ(se.atoms[1].xs, pk::dock::kXsS_P);
  EXPECT_EQ(se.atoms[0].xs, pk::dock::kXsC_P);
  EXPECT_THROW(pk::dock::parse_ligands("ROOT\n" + atom(1, "B") + "ENDROOT\nTORSDOF 0\n", "b.pdbqt"), pk::InputError);
}

TEST(DockPdbqt, BadInputNamesFileAndLine) {
  const std::string head = "ROOT\n" + atom(1, "C");
  auto has = [](const std::string& msg, const std::string& part) {
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  };
  has(expect_error(head + "HETATM    2  C2  LIG     1       1.0xx   0.000   0.000  1.00  0.00     0.000 C\n"),
      "bad.pdbqt:3: expected a number for x");
  has(expect_error(head + atom(2, "Qq") + "ENDROOT\nTORSDOF 0\n"), "bad.pdbqt:3: unknown AutoDock atom type 'Qq'");
  has(expect_error(head + "ENDROOT\nBRANCH 1 2\n" + atom(2, "C", 1.5) + "TORSDOF 1\n"),
      "bad.pdbqt:4: BRANCH is never closed: expected ENDBRANCH 1 2 before TORSDOF (line 6)");
  has(expect_error(head + "ENDROOT\nBRANCH 1 2\n" + atom(2, "C", 1.5)), "bad.pdbqt:4: BRANCH is never closed");
  has(expect_error(head + "ENDROOT\nBRANCH 1 2\n" + atom(2, "C", 1.5) + "ENDBRANCH 1 3\nTORSDOF 1\n"),
      "bad.pdbqt:6: ENDBRANCH 1 3 does not match");
  has(expect_error(head + "ENDROOT\nENDBRANCH 1 2\n"), "bad.pdbqt:4: ENDBRANCH without an open BRANCH");
  has(expect_error(head + "ENDROOT\n"), "missing TORSDOF");
  has(expect_error(head + "ENDROOT\nBRANCH 7 2\n" + atom(2, "C", 1.5) + "ENDBRANCH 7 2\nTORSDOF 1\n"),
      "bad.pdbqt:4: BRANCH 7 2: no atom 7");
  has(expect_error("REMARK nothing here\n"), "no ATOM/HETATM records");
  has(expect_error(head + "GARBAGE\n"), "bad.pdbqt:3: unknown record 'GARBAGE'");
  has(expect_error(head + "HETATM    2  C2  LIG     1       1.000   0.000\n"), "bad.pdbqt:3: ATOM/HETATM record too short");
}
