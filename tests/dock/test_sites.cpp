// Several search boxes: the --blind boxes on Debian's Abl kinase receptor
// cover AutoDock Vina's own best imatinib pose, their surface counts agree
// with a brute-force nearest-atom search, empty tiles are dropped; the merge
// of poses from several boxes against hand-made cases.
#include "dock/sites.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/source_paths.hpp"
#define PK_DOCK_TEST_DATA PK_SOURCE_DIR "/tests/dock/data"
#define PK_DOCK_INPUTS_DIR PK_SOURCE_DIR "/inputs/dock"

namespace {

using pk::dock::BlindTiling;
using pk::dock::Coords;
using pk::dock::LigandOutput;
using pk::dock::PoseResult;

bool inside(const pk::dock::DockBox& b, const std::array<double, 3>& x) {
  for (int d = 0; d < 3; ++d)
    if (std::fabs(x[d] - b.center[d]) > 0.5 * b.size[d]) return false;
  return true;
}

int brute_force_contacts(const pk::dock::Receptor& r, const pk::dock::DockBox& b) {
  const double h = pk::dock::kBlindProbeSpacingAngstrom;
  const int n = static_cast<int>(std::floor(b.size[0] / h + 1e-9)) + 1;
  int contacts = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k) {
        const double p[3] = {b.center[0] + (i - 0.5 * (n - 1)) * h, b.center[1] + (j - 0.5 * (n - 1)) * h,
                             b.center[2] + (k - 0.5 * (n - 1)) * h};
        double best = INFINITY;
        for (const auto& a : r.atoms) {
          if (a.hydrogen) continue;
          best = std::min(best, std::hypot(a.xyz[0] - p[0], a.xyz[1] - p[1], a.xyz[2] - p[2]));
        }
        contacts += best >= pk::dock::kBlindContactLoAngstrom && best <= pk::dock::kBlindContactHiAngstrom;
      }
  return contacts;
}

TEST(BlindBoxes, CoverVinasBestPoseOnAblKinase) {
  const auto receptor = pk::dock::read_receptor(PK_DOCK_INPUTS_DIR "/protein.pdbqt");
  const BlindTiling t = pk::dock::blind_boxes(receptor, 30.0, 10.0);
  ASSERT_FALSE(t.boxes.empty());
  ASSERT_EQ(t.boxes.size(), t.atoms.size());
  // The lattice covers the grown bounding box with as few cubes as possible.
  for (int d = 0; d < 3; ++d) {
    const double extent = t.region_hi[d] - t.region_lo[d];
    EXPECT_GE(30.0 + (t.tiles[d] - 1) * 20.0, extent - 1e-9);
    EXPECT_LT(30.0 + (t.tiles[d] - 2) * 20.0, extent);
  }
  // Vina's best mode (its own output, exhaustiveness 8): every heavy atom in one box.
  const auto vina = pk::dock::read_ligands(PK_DOCK_TEST_DATA "/vina_imatinib_e8_seed1.pdbqt");
  int holding = 0;
  for (const auto& b : t.boxes) {
    bool all = true;
    for (const auto& a : vina.front().atoms)
      if (!a.hydrogen) all = all && inside(b, a.xyz);
    holding += all;
    EXPECT_DOUBLE_EQ(b.size[0], 30.0);
  }
  EXPECT_GE(holding, 1);
  // The surface counts of a few boxes against a brute-force search over every atom.
  for (std::size_t k = 0; k < t.boxes.size(); k += 7) {
    EXPECT_EQ(t.contact_probes[k], brute_force_contacts(receptor, t.boxes[k])) << "box " << k;
    int atoms = 0;
    for (const auto& a : receptor.atoms) atoms += !a.hydrogen && inside(t.boxes[k], a.xyz);
    EXPECT_EQ(t.atoms[k], atoms);
    EXPECT_GE(t.atoms[k], pk::dock::kBlindMinAtoms);
  }
}

TEST(BlindBoxes, DropTilesWithoutReceptor) {
  // Two blobs of 27 carbon atoms 3.8 Å apart, 60 Å apart along x: the middle tile holds no atom.
  pk::dock::Receptor r;
  r.file = "two_blobs";
  for (double x0 : {0.0, 60.0})
    for (int i = 0; i < 27; ++i) {
      pk::dock::Atom a;
      a.element = "C";
      a.xyz = {x0 + 3.8 * (i % 3), 3.8 * (i / 3 % 3), 3.8 * (i / 9)};
      r.atoms.push_back(a);
    }
  const BlindTiling t = pk::dock::blind_boxes(r, 20.0, 5.0);
  EXPECT_EQ(t.tiles[0], 5);  // 60 + 7.6 + 8 Å of extent, cubes 15 Å apart
  EXPECT_EQ(t.tiles[1], 1);
  ASSERT_EQ(t.boxes.size(), 2u);
  EXPECT_LT(t.boxes[0].center[0], 10.0);
  EXPECT_GT(t.boxes[1].center[0], 55.0);
  for (int k = 0; k < 2; ++k) EXPECT_EQ(t.atoms[k], 27);
  pk::dock::Receptor none;
  none.file = "no_heavy";
  EXPECT_THROW(pk::dock::blind_boxes(none, 30.0, 10.0), pk::InputError);
}

PoseResult pose(double x, double inter, double intra, int site) {
  PoseResult p;
  p.coords = {{x, 0, 0}, {x + 1.5, 0, 0}, {x + 1.5, 1.0, 0}};  // two heavy atoms and a polar H
  p.inter = inter;
  p.intra = intra;
  p.torsional_normalisation = 1.25;
  p.site = site;
  return p;
}

LigandOutput ligand(std::vector<PoseResult> poses) {
  LigandOutput l;
  l.name = "lig";
  l.element = {"C", "O", "H"};
  l.xs_type = {0, 1, -1};
  l.poses = std::move(poses);
  return l;
}

TEST(MergeSites, RanksClustersAndRescoresAcrossBoxes) {
  // Box 0: totals -10, -8; box 1: -12, -9.9 (within 1 Å of box 0's best: dropped), -7.
  std::vector<LigandOutput> boxes = {ligand({pose(0, -9, -1, 0), pose(5, -7.5, -0.5, 0)}),
                                     ligand({pose(20, -11, -1, 1), pose(0.5, -9.4, -0.5, 1), pose(30, -6, -1, 1)}),
                                     LigandOutput{}};  // a box that gave no pose
  const LigandOutput m = pk::dock::merge_sites(boxes, 9, 10.0, 1.0);
  ASSERT_EQ(m.poses.size(), 4u);
  const int sites[4] = {1, 0, 0, 1};
  const double totals[4] = {-12, -10, -8, -7};
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(m.poses[k].site, sites[k]) << k;
    EXPECT_DOUBLE_EQ(m.poses[k].inter + m.poses[k].intra, totals[k]);
    // Vina's formula against the merged best pose's intra (-1).
    EXPECT_DOUBLE_EQ(m.poses[k].score, (totals[k] + 1.0) / 1.25);
    EXPECT_DOUBLE_EQ(m.poses[k].intra_best, -1.0);
  }
  EXPECT_DOUBLE_EQ(m.poses[0].rmsd_ub, 0.0);
  EXPECT_DOUBLE_EQ(m.poses[1].rmsd_ub, 20.0);  // both heavy atoms moved 20 Å
  // The cut applies to the merged list: 2 modes, or 3.5 kcal/mol from the best (scores -8.8, -7.2, -5.6, -4.8).
  EXPECT_EQ(pk::dock::merge_sites(boxes, 2, 10.0, 1.0).poses.size(), 2u);
  EXPECT_EQ(pk::dock::merge_sites(boxes, 9, 3.5, 1.0).poses.size(), 3u);
  // One box: the list as it was.
  const LigandOutput one = pk::dock::merge_sites({boxes[0]}, 9, 10.0, 1.0);
  ASSERT_EQ(one.poses.size(), 2u);
  EXPECT_DOUBLE_EQ(one.poses[1].score, (-8.0 + 1.0) / 1.25);
  EXPECT_TRUE(pk::dock::merge_sites({LigandOutput{}}, 9, 3.0, 1.0).poses.empty());
}

}  // namespace
