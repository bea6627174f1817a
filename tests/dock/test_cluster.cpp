// RMSD bounds against AutoDock Vina's own output (the rmsd l.b. / u.b.
// columns of REMARK VINA RESULT in a file Vina wrote), clustering and the
// mode cut against hand-made cases.
#include "dock/cluster.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

// The test data folder (a generated header: nvcc_wrapper mangles quoted -D strings).
#include "core/source_paths.hpp"
#define PK_DOCK_TEST_DATA PK_SOURCE_DIR "/tests/dock/data"

namespace {

struct Model {
  pk::dock::Coords heavy;
  std::vector<int> element;
  double score = 0, lb = 0, ub = 0;
};

int element_of(const std::string& ad_type) {
  static const std::map<std::string, int> map = {{"C", 6}, {"A", 6}, {"N", 7}, {"NA", 7}, {"OA", 8}, {"O", 8},
                                                 {"S", 16}, {"SA", 16}, {"P", 15}, {"F", 9}, {"Cl", 17}};
  const auto it = map.find(ad_type);
  return it == map.end() ? 0 : it->second;
}

std::vector<Model> read_vina_output(const std::string& path) {
  std::ifstream in(path);
  std::vector<Model> models;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MODEL", 0) == 0) models.emplace_back();
    if (line.rfind("REMARK VINA RESULT:", 0) == 0) {
      std::istringstream s(line.substr(19));
      s >> models.back().score >> models.back().lb >> models.back().ub;
    }
    if (line.rfind("ATOM", 0) == 0 || line.rfind("HETATM", 0) == 0) {
      std::istringstream t(line.substr(77));
      std::string type;
      t >> type;
      if (type == "H" || type == "HD") continue;
      models.back().heavy.push_back(
          {std::stod(line.substr(30, 8)), std::stod(line.substr(38, 8)), std::stod(line.substr(46, 8))});
      models.back().element.push_back(element_of(type));
    }
  }
  return models;
}

}  // namespace

TEST(DockCluster, RmsdBoundsMatchVinaOutput) {
  const auto models = read_vina_output(std::string(PK_DOCK_TEST_DATA) + "/vina_imatinib_e2_seed1.pdbqt");
  ASSERT_GE(models.size(), 3u);
  for (const auto& m : models) {
    ASSERT_EQ(m.heavy.size(), models[0].heavy.size());
    // Vina prints 3 decimals.
    EXPECT_NEAR(pk::dock::rmsd_upper_bound(m.heavy, models[0].heavy), m.ub, 6e-4);
    EXPECT_NEAR(pk::dock::rmsd_lower_bound(m.heavy, models[0].heavy, m.element), m.lb, 6e-4);
  }
}

TEST(DockCluster, BoundsOnHandMadeCases) {
  const pk::dock::Coords a = {{0, 0, 0}, {1, 0, 0}, {0, 2, 0}};
  pk::dock::Coords b = a;
  for (auto& x : b) x[2] += 1.5;
  EXPECT_NEAR(pk::dock::rmsd_upper_bound(a, b), 1.5, 1e-12);
  // Swapping two atoms of one type: the upper bound sees it, the lower bound does not.
  const pk::dock::Coords s = {{1, 0, 0}, {0, 0, 0}, {0, 2, 0}};
  EXPECT_NEAR(pk::dock::rmsd_upper_bound(a, s), std::sqrt(2.0 / 3.0), 1e-12);
  EXPECT_NEAR(pk::dock::rmsd_lower_bound(a, s, {6, 6, 7}), 0.0, 1e-12);
  EXPECT_NEAR(pk::dock::rmsd_lower_bound(a, s, {6, 7, 6}), pk::dock::rmsd_upper_bound(a, s), 1e-12);
}

TEST(DockCluster, GreedyClusteringKeepsTheBestOfEachGroup) {
  auto shifted = [](double dx) { return pk::dock::Coords{{dx, 0, 0}, {dx + 1, 0, 0}}; };
  // poses at x = 0, 0.5 (same cluster as 0), 3, 3.9 (same as 3), 10
  const std::vector<pk::dock::Coords> heavy = {shifted(0.5), shifted(0), shifted(3), shifted(3.9), shifted(10)};
  const std::vector<double> e = {-8.0, -9.0, -7.0, -7.5, -1.0};
  const auto kept = pk::dock::cluster_poses(e, heavy, 1.0);
  EXPECT_EQ(kept, (std::vector<int>{1, 3, 4}));
  EXPECT_EQ(pk::dock::modes_to_keep({-9.0, -7.5, -1.0}, 9, 3.0), 2);
  EXPECT_EQ(pk::dock::modes_to_keep({-9.0, -7.5, -1.0}, 1, 3.0), 1);
  EXPECT_EQ(pk::dock::modes_to_keep({-9.0, -7.5, -1.0}, 9, 10.0), 3);
}
