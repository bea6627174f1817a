// Estimators and their intervals against exact values.
#include "core/units.hpp"
#include "kmc/estimates.hpp"

#include <gtest/gtest.h>

#include <cmath>

using pk::kmc::ReplicaTotals;

TEST(KmcEstimates, QuantilesMatchTables) {
  EXPECT_NEAR(pk::kmc::student_t95(1), 12.7062, 1e-3);
  EXPECT_NEAR(pk::kmc::student_t95(7), 2.3646, 1e-3);
  EXPECT_NEAR(pk::kmc::student_t95(30), 2.0423, 2e-3);
  EXPECT_NEAR(pk::kmc::student_t95(63), 1.9983, 2e-3);
  EXPECT_NEAR(pk::kmc::chi_square_quantile(0.975, 2), 7.3778, 0.01 * 7.3778);
  EXPECT_NEAR(pk::kmc::chi_square_quantile(0.025, 20), 9.5908, 0.01 * 9.5908);
  EXPECT_NEAR(pk::kmc::chi_square_quantile(0.975, 40), 59.342, 0.01 * 59.342);
}

TEST(KmcEstimates, PooledRatesKdAndFreeEnergyAreConsistent) {
  std::vector<ReplicaTotals> reps;
  for (int r = 0; r < 8; ++r) {
    ReplicaTotals t;
    t.temperature_K = 300;
    t.concentration_M = 1e-6;
    t.n_unbind = 100 + 3 * r;
    t.bound_time_s = 0.2;
    t.n_bind = 50 + r;
    t.unbound_time_s = 2.0;
    reps.push_back(t);
  }
  const auto g = pk::kmc::estimate(reps);
  ASSERT_EQ(g.size(), 1u);
  double n_unbind = 0, n_bind = 0;
  for (const auto& t : reps) {
    n_unbind += t.n_unbind;
    n_bind += t.n_bind;
  }
  const double koff = n_unbind / (8 * 0.2), kon = n_bind / (8 * 2.0 * 1e-6);
  EXPECT_DOUBLE_EQ(g[0].koff_per_s.value, koff);
  EXPECT_DOUBLE_EQ(g[0].kon_per_M_per_s.value, kon);
  EXPECT_DOUBLE_EQ(g[0].residence_time_s.value, 1 / koff);
  EXPECT_NEAR(g[0].kd_M.value, koff / kon, 1e-15 * koff / kon);
  EXPECT_NEAR(g[0].dg_kcal_per_mol.value, pk::units::rt_kcal_per_mol(300) * std::log(koff / kon), 1e-12);
  EXPECT_LT(g[0].koff_per_s.ci_low, koff);
  EXPECT_GT(g[0].koff_per_s.ci_high, koff);
  EXPECT_STREQ(g[0].koff_per_s.ci_method, "replica-t");
  // Residence-time interval is the inverted rate interval.
  EXPECT_DOUBLE_EQ(g[0].residence_time_s.ci_low, 1 / g[0].koff_per_s.ci_high);
}

TEST(KmcEstimates, NoEventsGiveZeroWithAPoissonUpperBound) {
  ReplicaTotals t;
  t.temperature_K = 300;
  t.concentration_M = 1e-6;
  t.bound_time_s = 2.0;
  const auto g = pk::kmc::estimate({t, t});
  EXPECT_EQ(g[0].koff_per_s.value, 0.0);
  EXPECT_STREQ(g[0].koff_per_s.ci_method, "poisson");
  // 95% upper limit for zero events: -ln(0.025)/T = 3.689/T.
  EXPECT_NEAR(g[0].koff_per_s.ci_high, 3.689 / 4.0, 0.01 * 3.689 / 4.0);
}

TEST(KmcEstimates, ReplicasAreGroupedByConditions) {
  std::vector<ReplicaTotals> reps(6);
  for (int r = 0; r < 6; ++r) {
    reps[r].temperature_K = 290 + 10 * (r % 3);
    reps[r].concentration_M = 1e-6;
    reps[r].n_unbind = 30;
    reps[r].bound_time_s = 1.0 + (r % 3);
  }
  const auto g = pk::kmc::estimate(reps);
  ASSERT_EQ(g.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(g[i].temperature_K, 290 + 10 * i);
    EXPECT_EQ(g[i].replicas, 2);
    EXPECT_DOUBLE_EQ(g[i].koff_per_s.value, 30.0 / (1.0 + i));
  }
}
