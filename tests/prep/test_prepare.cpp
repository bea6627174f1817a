// Ligand preparation (src/prep/): Meeko's typing and torsion rules on small
// molecules whose answers are known by hand, the records of SMILES/SDF files
// (also gzipped) with bad ones in between, determinism, macrocycles, and the
// PDBQT read back by the project's own docking reader.
#include "core/error.hpp"
#include "dock/molecule.hpp"
#include "prep/ligand_source.hpp"
#include "prep/prepare.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

namespace {

using pk::prep::LigandFormat;
using pk::prep::LigandRecord;
using pk::prep::PreparedLigand;

PreparedLigand from_smiles(const std::string& smiles) {
  LigandRecord r;
  r.number = 1;
  r.format = LigandFormat::kSmiles;
  r.text = smiles;
  return pk::prep::prepare_ligand(r, "test");
}

// Heavy-atom AutoDock types as "element:type" counts, e.g. {"N:NA": 1}.
std::map<std::string, int> type_counts(const pk::dock::Ligand& lig) {
  std::map<std::string, int> n;
  for (const auto& a : lig.atoms) ++n[a.element + ":" + a.ad_type];
  return n;
}

pk::dock::Ligand read_back(const PreparedLigand& p) {
  auto ligs = pk::dock::parse_ligands(p.pdbqt, p.name);
  EXPECT_EQ(ligs.size(), 1u);
  return ligs.at(0);
}

std::string temp_path(const std::string& suffix) {
  return (::testing::TempDir().empty() ? std::string("/tmp/") : ::testing::TempDir()) + "pk_prep_" +
         std::to_string(::getpid()) + suffix;
}

struct TypingCase {
  const char* smiles;
  std::map<std::string, int> types;  ///< heavy atoms and HD
  int torsions;
};

TEST(PrepareTyping, MeekoTypesAndTorsions) {
  const std::vector<TypingCase> cases = {
      // Amide N is N, the amide C-N bond rigid; CH3 groups are no torsions.
      {"CC(=O)NC", {{"C:C", 3}, {"O:OA", 1}, {"N:N", 1}, {"H:HD", 1}}, 0},
      // Butane: one torsion (C2-C3); ethanol: C-O turns its HD.
      {"CCCC", {{"C:C", 4}}, 1},
      {"CCO", {{"C:C", 2}, {"O:OA", 1}, {"H:HD", 1}}, 1},
      // Pyridine N accepts (NA); pyrrole NH is N with an HD.
      {"c1ccncc1", {{"C:A", 5}, {"N:NA", 1}}, 0},
      {"c1cc[nH]c1", {{"C:A", 4}, {"N:N", 1}, {"H:HD", 1}}, 0},
      // Tertiary amine: NA; ammonium: N with three HD (a torsion: they move).
      {"CCN(CC)CC", {{"C:C", 6}, {"N:NA", 1}}, 3},
      {"CC[NH3+]", {{"C:C", 2}, {"N:N", 1}, {"H:HD", 3}}, 1},
      // Nitrile: the bond to the sp carbon is no torsion.
      {"CCC#N", {{"C:C", 3}, {"N:NA", 1}}, 0},
      // Thioether SA, sulfone S, thiophene S (aromatic: S).
      {"CSC", {{"C:C", 2}, {"S:SA", 1}}, 0},
      {"CS(=O)(=O)C", {{"C:C", 2}, {"S:S", 1}, {"O:OA", 2}}, 0},
      {"c1ccsc1", {{"C:A", 4}, {"S:S", 1}}, 0},
      // Nitro N (N+): N; aniline N: N; biphenyl: one torsion.
      {"c1ccccc1[N+](=O)[O-]", {{"C:A", 6}, {"N:N", 1}, {"O:OA", 2}}, 1},
      {"Nc1ccccc1", {{"C:A", 6}, {"N:N", 1}, {"H:HD", 2}}, 1},
      {"c1ccccc1-c1ccccc1", {{"C:A", 12}}, 1},
      // Halogens, urea (both C-N rigid), a ring (rigid).
      {"FC(Cl)(Br)I", {{"C:C", 1}, {"F:F", 1}, {"Cl:Cl", 1}, {"Br:Br", 1}, {"I:I", 1}}, 0},
      {"CNC(=O)NC", {{"C:C", 3}, {"N:N", 2}, {"O:OA", 1}, {"H:HD", 2}}, 0},
      {"C1CCCCC1", {{"C:C", 6}}, 0},
      // Phosphate ester: P; its P-O(H) bonds are torsions (HD), as is O-C.
      {"COP(=O)(O)O", {{"C:C", 1}, {"P:P", 1}, {"O:OA", 4}, {"H:HD", 2}}, 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.smiles);
    const PreparedLigand p = from_smiles(c.smiles);
    const pk::dock::Ligand lig = read_back(p);
    EXPECT_EQ(type_counts(lig), c.types);
    EXPECT_EQ(p.torsions, c.torsions);
    EXPECT_EQ(lig.torsdof, c.torsions);
    EXPECT_EQ(lig.n_torsions(), c.torsions);
    EXPECT_TRUE(p.embedded);
  }
}

// Embedded geometry is chemistry: bonded heavy atoms 1.2-1.6 A apart,
// nonbonded ones no closer than 2.2 A (the reader's bonds are Vina's,
// from covalent radii).
TEST(PrepareGeometry, EmbeddedBondLengthsAreSane) {
  const PreparedLigand p = from_smiles("CC(C)Cc1ccc(cc1)C(C)C(=O)O");  // ibuprofen
  const pk::dock::Ligand lig = read_back(p);
  EXPECT_EQ(p.heavy_atoms, 15);
  // CH-CH2, CH2-ring, ring-CH, CH-COOH, C-OH (its HD moves); the CH3 ends are none.
  EXPECT_EQ(p.torsions, 5);
  int heavy_bonds = 0;
  for (const auto& b : lig.bonds) {
    if (lig.atoms[b.a].hydrogen || lig.atoms[b.b].hydrogen) continue;
    const auto& x = lig.atoms[b.a].xyz;
    const auto& y = lig.atoms[b.b].xyz;
    const double d = std::sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) + (x[2] - y[2]) * (x[2] - y[2]));
    EXPECT_GT(d, 1.15);
    EXPECT_LT(d, 1.60);
    ++heavy_bonds;
  }
  EXPECT_EQ(heavy_bonds, 15);
}

TEST(PrepareGeometry, SameInputSameBytes) {
  const std::string smi = "COc1ccc(S(=O)(=O)N[C@@H](CC(=O)NCc2ccc(C#N)cc2)C(=O)N2CCC[C@H]2C(=O)N)cc1Cl";
  const PreparedLigand a = from_smiles(smi);
  const PreparedLigand b = from_smiles(smi);
  EXPECT_EQ(a.pdbqt, b.pdbqt);
  LigandRecord r;
  r.format = LigandFormat::kSmiles;
  r.text = smi;
  pk::prep::PrepareOptions other;
  other.seed = 7;
  EXPECT_NE(pk::prep::prepare_ligand(r, "x", other).pdbqt, a.pdbqt);  // the seed is used
}

TEST(PrepareErrors, MacrocycleAndBadSmilesAreRefusedWithAReason) {
  try {
    from_smiles("C1CCCCCCCCCCCCC1");
    FAIL() << "macrocycle accepted";
  } catch (const pk::prep::PrepareError& e) {
    EXPECT_NE(std::string(e.what()).find("macrocycle: a ring of 14 atoms"), std::string::npos) << e.what();
  }
  try {
    from_smiles("C1CC(");
    FAIL() << "bad SMILES accepted";
  } catch (const pk::prep::PrepareError& e) {
    EXPECT_NE(std::string(e.what()).find("SMILES"), std::string::npos) << e.what();
  }
  try {
    from_smiles("C[Au]C");
    FAIL() << "gold typed";
  } catch (const pk::prep::PrepareError& e) {
    EXPECT_NE(std::string(e.what()).find("no AutoDock type"), std::string::npos) << e.what();
  }
}

// A salt: the largest fragment is kept and said so.
TEST(PrepareErrors, SaltKeepsTheLargestFragment) {
  const PreparedLigand p = from_smiles("CC[NH3+].[Cl-]");
  EXPECT_EQ(p.heavy_atoms, 3);
  EXPECT_NE(p.note.find("largest of 2 fragments"), std::string::npos) << p.note;
}

void write_text(const std::string& path, const std::string& text, bool gz) {
  if (gz) {
    gzFile f = gzopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
  } else {
    std::ofstream(path) << text;
  }
}

// Three SDF records, the middle one broken (its counts line announces two
// atoms and a bond, the block has one atom): records 1 and 3 are prepared with their input coordinates, record 2
// fails with its number and first line (10: after 8 lines and "$$$$").
TEST(LigandSource, SdfRecordsStreamWithBadOneInBetween) {
  const std::string water_like =
      "methanol\n  test\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\n"
      "    0.0000    0.0000    0.0000 C   0  0\n    1.4300    0.0000    0.1000 O   0  0\n"
      "  1  2  1  0\nM  END\n";
  const std::string broken = "broken\n  test\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\n"
                             "    0.0000    0.0000    0.0000 C   0  0\nM  END\n";
  const std::string text = water_like + "$$$$\n" + broken + "$$$$\n" + water_like + "$$$$\n";
  for (bool gz : {false, true}) {
    SCOPED_TRACE(gz ? "gzip" : "plain");
    const std::string path = temp_path(gz ? ".sdf.gz" : ".sdf");
    write_text(path, text, gz);
    pk::prep::LigandSource source(path);
    LigandRecord r;
    std::vector<std::string> outcome;
    while (source.next(r)) {
      try {
        const PreparedLigand p = pk::prep::prepare_ligand(r, "x");
        EXPECT_FALSE(p.embedded);          // input 3-D coordinates kept
        EXPECT_EQ(p.hydrogens_added, 4);   // CH3 and OH
        EXPECT_NE(p.pdbqt.find("   0.000   0.000   0.000"), std::string::npos);
        outcome.push_back(std::to_string(r.number) + " ok " + p.name);
      } catch (const pk::prep::PrepareError& e) {
        outcome.push_back(std::to_string(r.number) + " line " + std::to_string(r.line) + " failed");
      }
    }
    std::remove(path.c_str());
    EXPECT_EQ(outcome, (std::vector<std::string>{"1 ok methanol", "2 line 10 failed", "3 ok methanol"}));
  }
}

// MOL2 records with every hydrogen given: none added, the given ones kept
// where they are (the hydroxyl H is written as HD at its input position).
TEST(LigandSource, Mol2RecordsKeepGivenHydrogens) {
  const std::string methanol =
      "@<TRIPOS>MOLECULE\nmethanol\n 6 5 0 0 0\nSMALL\nGASTEIGER\n\n@<TRIPOS>ATOM\n"
      "      1 C           0.9475   -0.0401   -0.0734 C.3     1  UNL1        0.0330\n"
      "      2 O           2.3632   -0.0389   -0.0628 O.3     1  UNL1       -0.3982\n"
      "      3 H           0.5860   -0.9851   -0.4861 H       1  UNL1        0.0521\n"
      "      4 H           0.5860    0.7958   -0.6774 H       1  UNL1        0.0521\n"
      "      5 H           0.5844    0.0700    0.9512 H       1  UNL1        0.0521\n"
      "      6 H           2.6561   -0.1379   -0.9846 H       1  UNL1        0.2090\n"
      "@<TRIPOS>BOND\n     1     1     2    1\n     2     1     3    1\n     3     1     4    1\n"
      "     4     1     5    1\n     5     2     6    1\n";
  const std::string path = temp_path(".mol2");
  write_text(path, "# two records\n" + methanol + methanol, false);
  pk::prep::LigandSource source(path);
  LigandRecord r;
  int n = 0;
  while (source.next(r)) {
    ++n;
    EXPECT_EQ(r.line, n == 1 ? 2 : 21);  // a record is 19 lines
    const PreparedLigand p = pk::prep::prepare_ligand(r, "x");
    EXPECT_EQ(p.name, "methanol");
    EXPECT_EQ(p.hydrogens_added, 0);
    EXPECT_FALSE(p.embedded);
    EXPECT_EQ(p.torsions, 0);  // C-O: the carbon's other neighbours are merged hydrogens
    EXPECT_NE(p.pdbqt.find("   2.656  -0.138  -0.985  0.00  0.00"), std::string::npos) << p.pdbqt;
  }
  std::remove(path.c_str());
  EXPECT_EQ(n, 2);
}

TEST(LigandSource, SmilesLinesWithNamesCommentsAndHeader) {
  const std::string path = temp_path(".smi");
  write_text(path, "smiles name\n# a comment\n\nCCO ethanol one\nC1CC( broken\nc1ccccc1\n", false);
  pk::prep::LigandSource source(path);
  LigandRecord r;
  std::vector<std::string> seen;
  while (source.next(r)) seen.push_back(std::to_string(r.number) + "@" + std::to_string(r.line) + " " + r.text + " [" + r.name + "]");
  std::remove(path.c_str());
  EXPECT_EQ(seen, (std::vector<std::string>{"1@4 CCO [ethanol one]", "2@5 C1CC( [broken]", "3@6 c1ccccc1 []"}));
}

TEST(LigandSource, UnknownExtensionIsAUsageError) {
  EXPECT_THROW(pk::prep::format_of("ligand.xyz"), pk::UsageError);
  EXPECT_EQ(pk::prep::format_of("a.SDF.gz"), LigandFormat::kSdf);
  EXPECT_EQ(pk::prep::format_of("a.mol2"), LigandFormat::kMol2);
}

}  // namespace
