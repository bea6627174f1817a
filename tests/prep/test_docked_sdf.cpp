// Docked poses written back as the input molecule (prep/docked_sdf.hpp):
// the SD property reader on the header forms files use, and the atom
// placement against an exact answer: a pose that moves the whole ligand
// rigidly must move every atom, the merged (non-polar) hydrogens included,
// by the same motion; a pose that turns one torsion must keep every
// hydrogen's bond length and leave the other side of the torsion in place.
#include "prep/docked_sdf.hpp"
#include "prep/ligand_source.hpp"
#include "prep/prepare.hpp"

#include <GraphMol/FileParsers/FileParsers.h>
#include <GraphMol/RWMol.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using pk::prep::DockedPose;
using Xyz = std::array<double, 3>;

pk::prep::PreparedMolecule from_smiles(const std::string& smiles, const std::string& name) {
  pk::prep::LigandRecord r;
  r.number = 1;
  r.format = pk::prep::LigandFormat::kSmiles;
  r.text = smiles;
  r.name = name;
  return pk::prep::prepare_molecule(r, "test");
}

std::vector<Xyz> pdbqt_atoms(const std::string& pdbqt) {
  std::vector<Xyz> out;
  std::istringstream in(pdbqt);
  for (std::string l; std::getline(in, l);)
    if (l.compare(0, 4, "ATOM") == 0)
      out.push_back({std::stod(l.substr(30, 8)), std::stod(l.substr(38, 8)), std::stod(l.substr(46, 8))});
  return out;
}

// The records of an SDF text, parsed by RDKit (hydrogens kept).
std::vector<std::unique_ptr<RDKit::RWMol>> records(const std::string& sdf) {
  std::vector<std::unique_ptr<RDKit::RWMol>> out;
  std::size_t at = 0;
  for (std::size_t end; (end = sdf.find("$$$$\n", at)) != std::string::npos; at = end + 5)
    out.emplace_back(RDKit::MolBlockToMol(sdf.substr(at, end - at), true, false));
  return out;
}

// x -> R x + t, R about z by `angle` then about x by `tilt`.
Xyz move(const Xyz& p, double angle, double tilt, const Xyz& t) {
  const double c = std::cos(angle), s = std::sin(angle), ct = std::cos(tilt), st = std::sin(tilt);
  const Xyz a{c * p[0] - s * p[1], s * p[0] + c * p[1], p[2]};
  return {a[0] + t[0], ct * a[1] - st * a[2] + t[1], st * a[1] + ct * a[2] + t[2]};
}

double dist(const RDGeom::Point3D& a, const RDGeom::Point3D& b) { return (a - b).length(); }

TEST(DockedSdf, SdPropertiesAsFilesWriteThem) {
  const std::string text =
      "x\n  RDKit\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n"
      "> <plain>\nvalue 1\n\n"
      ">  <spaced>  (7) \r\nline one\r\nline two\r\n\r\n"
      "> 12 <numbered>\n-3.5\n\n"
      "> no name here\nignored\n\n";
  const auto p = pk::prep::sd_properties(text);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].first, "plain");
  EXPECT_EQ(p[0].second, "value 1");
  EXPECT_EQ(p[1].first, "spaced");
  EXPECT_EQ(p[1].second, "line one\nline two");
  EXPECT_EQ(p[2].first, "numbered");
  EXPECT_EQ(p[2].second, "-3.5");
  EXPECT_TRUE(pk::prep::sd_properties("x\n\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n").empty());
}

TEST(DockedSdf, RigidMotionMovesEveryAtomAlike) {
  // Ibuprofen: 4 torsions, CH3/CH2/CH hydrogens merged into their carbons.
  const auto m = from_smiles("CC(C)Cc1ccc(cc1)C(C)C(=O)O", "ibuprofen");
  const std::vector<Xyz> given = pdbqt_atoms(m.ligand.pdbqt);
  DockedPose pose;
  for (const auto& p : given) pose.xyz.push_back(move(p, 0.7, -1.1, {3.0, -2.0, 5.5}));
  pose.properties = {{"score_kcal_per_mol", "-7.000"}};
  const std::string sdf = pk::prep::docked_sdf(m, {pose});
  const auto out = records(sdf);
  ASSERT_EQ(out.size(), 1u);
  // The reference: prepare's molecule itself, moved by the same motion.
  const std::string ref_sdf = pk::prep::docked_sdf(m, {DockedPose{given, {}}});
  const auto ref = records(ref_sdf);
  ASSERT_EQ(out[0]->getNumAtoms(), 33u);  // C13H18O2, every hydrogen
  ASSERT_EQ(ref[0]->getNumAtoms(), 33u);
  double worst = 0;
  for (unsigned a = 0; a < out[0]->getNumAtoms(); ++a) {
    const auto& r = ref[0]->getConformer().getAtomPos(a);
    const Xyz want = move({r.x, r.y, r.z}, 0.7, -1.1, {3.0, -2.0, 5.5});
    const auto& got = out[0]->getConformer().getAtomPos(a);
    worst = std::max(worst, dist(got, RDGeom::Point3D(want[0], want[1], want[2])));
  }
  // The PDBQT keeps 3 decimals and the SDF 4: within rounding of an exact answer.
  EXPECT_LT(worst, 2e-3) << "an atom strayed from the rigid motion by " << worst << " A";
  EXPECT_EQ(out[0]->getProp<std::string>("_Name"), "ibuprofen");
  EXPECT_NE(sdf.find("> <score_kcal_per_mol>\n-7.000\n\n$$$$"), std::string::npos);
}

TEST(DockedSdf, TurnedTorsionKeepsHydrogenGeometry) {
  // Butane-like chain with an OH: turn the last BRANCH by 100 degrees about its axis.
  const auto m = from_smiles("CCCCO", "butanol");
  const std::string& text = m.ligand.pdbqt;
  const std::vector<Xyz> given = pdbqt_atoms(text);
  // The last BRANCH a b: atoms after it (to its ENDBRANCH) turn about a->b.
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  int a = -1, b = -1, first = -1, serial = 0, branch_at = -1;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].compare(0, 7, "BRANCH ") == 0) branch_at = static_cast<int>(i);
  ASSERT_GE(branch_at, 0) << text;
  std::istringstream br(lines[branch_at].substr(7));
  br >> a >> b;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].compare(0, 4, "ATOM") == 0) ++serial;
    if (static_cast<int>(i) == branch_at) first = serial;  // atoms after this line are serial first+1 ...
  }
  int last = first;
  for (std::size_t i = branch_at + 1; i < lines.size() && lines[i].compare(0, 9, "ENDBRANCH") != 0; ++i)
    if (lines[i].compare(0, 4, "ATOM") == 0) ++last;
  const Xyz pa = given[a - 1], pb = given[b - 1];
  Xyz k{pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]};
  const double n = std::sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]);
  for (auto& v : k) v /= n;
  DockedPose pose{given, {}};
  const double th = 100.0 * M_PI / 180;
  for (int s = first + 1; s <= last; ++s) {  // Rodrigues about the axis through a
    const Xyz v{given[s - 1][0] - pa[0], given[s - 1][1] - pa[1], given[s - 1][2] - pa[2]};
    const double kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
    const Xyz kxv{k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]};
    for (int d = 0; d < 3; ++d)
      pose.xyz[s - 1][d] = pa[d] + v[d] * std::cos(th) + kxv[d] * std::sin(th) + k[d] * kv * (1 - std::cos(th));
  }
  const auto before = records(pk::prep::docked_sdf(m, {DockedPose{given, {}}}));
  const auto after = records(pk::prep::docked_sdf(m, {pose}));
  ASSERT_EQ(after[0]->getNumAtoms(), 15u);  // C4H10O
  int moved = 0;
  for (const auto* atom : after[0]->atoms()) {
    if (atom->getAtomicNum() != 1) continue;
    const unsigned h = atom->getIdx();
    const unsigned host = (*after[0]->atomNeighbors(atom).begin())->getIdx();
    const double d0 = dist(before[0]->getConformer().getAtomPos(h), before[0]->getConformer().getAtomPos(host));
    const double d1 = dist(after[0]->getConformer().getAtomPos(h), after[0]->getConformer().getAtomPos(host));
    EXPECT_NEAR(d1, d0, 2e-3) << "hydrogen " << h;
    // 1-3 distances to the host's other neighbours too (the hydrogen turned with its body)
    for (const auto* q : after[0]->atomNeighbors(after[0]->getAtomWithIdx(host))) {
      if (q->getIdx() == h) continue;
      EXPECT_NEAR(dist(after[0]->getConformer().getAtomPos(h), after[0]->getConformer().getAtomPos(q->getIdx())),
                  dist(before[0]->getConformer().getAtomPos(h), before[0]->getConformer().getAtomPos(q->getIdx())), 5e-3);
    }
    moved += dist(after[0]->getConformer().getAtomPos(h), before[0]->getConformer().getAtomPos(h)) > 0.1;
  }
  EXPECT_GT(moved, 0) << "no hydrogen followed the turned branch";
}

TEST(DockedSdf, WrongAtomCountIsRefused) {
  const auto m = from_smiles("CCO", "ethanol");
  DockedPose pose{{{0, 0, 0}}, {}};
  EXPECT_THROW(pk::prep::docked_sdf(m, {pose}), pk::prep::PrepareError);
  EXPECT_THROW(pk::prep::docked_sdf(pk::prep::PreparedMolecule{m.ligand, nullptr}, {}), pk::prep::PrepareError);
}

}  // namespace
