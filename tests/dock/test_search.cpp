// The search driver on an energy with known minima: harmonic restraints to a
// goal pose plus an offset well. Checks the chain and step heuristics against
// Vina's formulas, the final selection (ranking, Vina's score formula with the
// best pose's intra, RMSD bounds from the best pose, the mode cut) and that a
// seed fixes the result.
#include "dock/search_driver.hpp"

#include <gtest/gtest.h>

#include <random>

namespace {

using Exec = Kokkos::DefaultExecutionSpace;
using Mem = Exec::memory_space;
using Span = pk::kernels::dock::ChainSpan<Kokkos::View<double**, Mem>>;

pk::dock::TreeHost small_tree() {
  pk::dock::TreeHost t;
  t.atom_ref = {{0, 0, 0}, {1.5, 0, 0}, {-0.7, 1.3, 0}, {-0.7, -1.3, 0.1}, {2.2, 1.2, 0.1}, {3.6, 1.1, 0.3},
                {1.9, 2.6, -0.2}, {4.4, 2.3, 0.2}};
  t.atom_node = {0, 0, 0, 0, 1, 1, 1, 2};
  t.node_parent = {-1, 0, 1};
  t.node_axis_from = {-1, 1, 5};
  t.node_axis_to = {0, 4, 7};
  t.root_origin = t.atom_ref[0];
  return t;
}

// Restraint to `goal` coordinates (depth 0) and a shallower quadratic well
// around the goal shifted by 6 Å in x (depth 2 kcal/mol).
struct TwoWells {
  Kokkos::View<const double* [3], Mem> goal;
  template <class S>
  KOKKOS_INLINE_FUNCTION double operator()(const S& x, const S& g, double) const {
    const int n = static_cast<int>(goal.extent(0));
    double e0 = 0, e1 = 2.0;
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < 3; ++d) {
        const double r0 = x(i, d) - goal(i, d), r1 = x(i, d) - goal(i, d) - (d == 0 ? 6.0 : 0.0);
        e0 += r0 * r0;
        e1 += r1 * r1;
      }
    const bool first = e0 < e1;
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < 3; ++d) g(i, d) = 2 * (x(i, d) - goal(i, d) - (first || d != 0 ? 0.0 : 6.0));
    return first ? e0 : e1;
  }
};

}  // namespace

TEST(DockSearch, VinaStepHeuristics) {
  // Vina 1.2: 70 * 3 * (50 + movable + 10 * dof) / 2 global, (25 + movable) / 3 local; imatinib 39 atoms, 7 torsions.
  EXPECT_EQ(pk::dock::vina_global_steps(39, 7), 105 * (50 + 39 + 130));
  EXPECT_EQ(pk::dock::vina_local_steps(39), 21);
}

TEST(DockSearch, DriverFindsBothWellsRanksThemAndAppliesVinasScoreFormula) {
  const auto t = small_tree();
  auto goal_conf = t.input_conformation();
  goal_conf[7] = 1.0, goal_conf[8] = -2.0;
  const auto goal = pk::dock::coordinates_of(t, goal_conf);
  Kokkos::View<double* [3], Mem> gv("goal", goal.size());
  auto gh = Kokkos::create_mirror_view(gv);
  for (std::size_t i = 0; i < goal.size(); ++i)
    for (int d = 0; d < 3; ++d) gh(i, d) = goal[i][d];
  Kokkos::deep_copy(gv, gh);
  const TwoWells energy{gv};
  std::vector<int> heavy(t.n_atoms());
  std::iota(heavy.begin(), heavy.end(), 0);
  pk::dock::SearchSettings s;
  s.exhaustiveness = 8;
  s.chains = 8;
  s.steps_per_chain = 300;
  s.seed = 7;
  s.energy_range_kcal = 3.0;
  s.box_lo = {-3, -3, -3};
  s.box_hi = {9, 4, 3};
  int chains = 0, steps = 0;
  const auto minima = pk::dock::monte_carlo_minima<Exec>(t, energy, heavy, t.n_atoms(), s, &chains, &steps);
  EXPECT_EQ(chains, 8);
  EXPECT_EQ(steps, 300);
  ASSERT_FALSE(minima.empty());
  // Host re-scoring: inter = the two-well energy, intra = 0.1 * x of atom 0 (so intra_best matters).
  const pk::dock::FinalScorer scorer = [&](const pk::dock::Coords& x) {
    double e0 = 0, e1 = 2.0;
    for (std::size_t i = 0; i < x.size(); ++i)
      for (int d = 0; d < 3; ++d) {
        e0 += std::pow(x[i][d] - goal[i][d], 2);
        e1 += std::pow(x[i][d] - goal[i][d] - (d == 0 ? 6.0 : 0.0), 2);
      }
    return pk::dock::FinalEnergy{std::min(e0, e1) - 5.0, 0.1 * x[0][0], {}};
  };
  const double norm = 1.2;
  const auto poses = pk::dock::select_poses(t, minima, heavy, std::vector<int>(t.n_atoms(), 6), scorer, norm, s);
  ASSERT_EQ(poses.size(), 2u);  // the two wells, 2 kcal/mol apart, within the 3 kcal/mol range
  EXPECT_LT(pk::dock::rmsd_upper_bound(poses[0].coords, goal), 1e-3);
  EXPECT_NEAR(poses[1].rmsd_ub, 6.0, 1e-3);
  EXPECT_NEAR(poses[0].rmsd_ub, 0.0, 1e-12);
  const double intra_best = 0.1 * goal[0][0];
  EXPECT_NEAR(poses[0].intra_best, intra_best, 1e-6);
  EXPECT_NEAR(poses[0].score, -5.0 / norm, 1e-6);  // best: inter / normalisation
  EXPECT_NEAR(poses[1].score, (2.0 - 5.0 + 0.1 * (goal[0][0] + 6.0) - intra_best) / norm, 1e-5);
  s.num_modes = 1;
  EXPECT_EQ(pk::dock::select_poses(t, minima, heavy, std::vector<int>(t.n_atoms(), 6), scorer, norm, s).size(), 1u);
  s.num_modes = 9;
  s.energy_range_kcal = 1.0;
  EXPECT_EQ(pk::dock::select_poses(t, minima, heavy, std::vector<int>(t.n_atoms(), 6), scorer, norm, s).size(), 1u);
  // Same seed, same minima.
  const auto again = pk::dock::monte_carlo_minima<Exec>(t, energy, heavy, t.n_atoms(), s);
  ASSERT_EQ(again.size(), minima.size());
  for (std::size_t i = 0; i < minima.size(); ++i) {
    EXPECT_EQ(again[i].energy, minima[i].energy);
    EXPECT_EQ(again[i].conformation, minima[i].conformation);
  }
}
