// Bootstrap estimates, censoring, exact comparison and the Eyring fit
// against independent values: known Poisson rates (interval coverage), hand
// sums, analytic identities (Kd = koff/kon = exp(dG/RT)) and the Eyring law.
#include "core/units.hpp"
#include "analysis/analyze.hpp"
#include "analysis/bootstrap.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace pk::pipeline;

namespace {

ReplicaSums replica(double events, double bound_s, double bindings, double unbound_s, double T = 300, double c = 1e-6) {
  ReplicaSums r;
  r.temperature_K = T;
  r.concentration_M = c;
  r.walkers = 1;
  r.unbinding_events = events;
  r.bound_time_s = bound_s;
  r.binding_events = bindings;
  r.unbound_time_s = unbound_s;
  return r;
}

}  // namespace

TEST(PipelineBootstrap, PercentilesInterpolateOrderStatistics) {
  std::vector<double> x;
  for (int i = 100; i >= 0; --i) x.push_back(i);  // 0..100, any order
  const auto [lo, hi] = percentile_interval(x);
  EXPECT_NEAR(lo, 2.5, 1e-12);
  EXPECT_NEAR(hi, 97.5, 1e-12);
  x.push_back(NAN);  // dropped
  EXPECT_NEAR(percentile_interval(x).first, 2.5, 1e-12);
  EXPECT_TRUE(std::isnan(percentile_interval({1.0}).first));
}

TEST(PipelineBootstrap, ResamplingIsDeterministicAndUniform) {
  EXPECT_EQ(resample_indices(7, 1, 3, 50), resample_indices(7, 1, 3, 50));
  EXPECT_NE(resample_indices(7, 1, 3, 50), resample_indices(7, 1, 4, 50));
  EXPECT_NE(resample_indices(7, 1, 3, 50), resample_indices(7, 2, 3, 50));
  std::vector<int> count(10, 0);
  for (int b = 0; b < 2000; ++b)
    for (std::size_t i : resample_indices(1, 0, b, 10)) count[i]++;
  for (int c : count) EXPECT_NEAR(c, 2000, 5 * std::sqrt(2000.0));  // 20000 draws over 10 bins
}

TEST(PipelineBootstrap, CensoredTailsCountAsBoundTime) {
  // Walker 0: 0.2 s of completed bound phases, still bound since t = 0.3 s, horizon 1 s.
  // Walker 1: unbound since 0.6 s after 0.4 s bound and one unbinding.
  // Walker 2: started unbound (first passage to unbound 0), bound at 0.1 s, not yet unbound (-1).
  const ReplicaSums r = sum_walkers({0.2, 0.4, 0.0}, {0.0, 0.0, 0.1}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}, {0.3, 0.6, 0.1},
                                    {1.0, 1.0, 1.0}, {-1.0, 0.4, 0.0}, {0.0, 0.0, 0.1}, 0, 3);
  EXPECT_DOUBLE_EQ(r.bound_time_s, 0.2 + 0.7 + 0.4 + 0.9);
  EXPECT_DOUBLE_EQ(r.censored_bound_time_s, 0.7 + 0.9);
  EXPECT_DOUBLE_EQ(r.unbound_time_s, 0.4 + 0.1);
  EXPECT_DOUBLE_EQ(r.walkers_still_bound, 2);
  EXPECT_DOUBLE_EQ(r.unbinding_events, 1);
  EXPECT_DOUBLE_EQ(r.passages_to_unbound, 1);           // walker 1; walker 0 censored; walker 2 started there
  EXPECT_DOUBLE_EQ(r.exposure_to_unbound_s, 1.0 + 0.4);  // censored walker's whole observation counts
  EXPECT_DOUBLE_EQ(r.passages_to_bound, 1);
  EXPECT_DOUBLE_EQ(r.exposure_to_bound_s, 0.1);
}

TEST(PipelineBootstrap, IntervalsCoverAKnownRate) {
  // 300 experiments of 16 replicas, events ~ Poisson(k T): the 95% interval
  // must cover the true rate in about 95% of them.
  const double koff = 250.0, kon = 3e7, T = 0.4, Tu = 0.02, c = 1e-6;
  std::mt19937_64 gen(12345);
  int covered_off = 0, covered_on = 0, covered_kd = 0;
  const int trials = 300;
  for (int t = 0; t < trials; ++t) {
    std::vector<ReplicaSums> reps;
    for (int r = 0; r < 16; ++r) {
      std::poisson_distribution<int> off(koff * T), on(kon * c * Tu);
      reps.push_back(replica(off(gen), T, on(gen), Tu));
    }
    const auto g = estimate_groups(reps, {400, static_cast<std::uint64_t>(t)});
    ASSERT_EQ(g.size(), 1u);
    covered_off += g[0].koff_per_s.ci_low <= koff && koff <= g[0].koff_per_s.ci_high;
    covered_on += g[0].kon_per_M_per_s.ci_low <= kon && kon <= g[0].kon_per_M_per_s.ci_high;
    covered_kd += g[0].kd_M.ci_low <= koff / kon && koff / kon <= g[0].kd_M.ci_high;
    EXPECT_EQ(g[0].koff_per_s.method, "bootstrap-percentile");
  }
  for (int covered : {covered_off, covered_on, covered_kd}) {
    EXPECT_GE(covered, 0.89 * trials);
    EXPECT_LE(covered, 0.99 * trials);
  }
}

TEST(PipelineBootstrap, KdFreeEnergyAndResidenceTimeAreConsistent) {
  std::vector<ReplicaSums> reps;
  for (int r = 0; r < 8; ++r) reps.push_back(replica(100 + 3 * r, 0.2, 50 + r, 2.0));
  const auto g = estimate_groups(reps, {1000, 3});
  const double koff = 884.0 / 1.6, kon = 428.0 / (16.0 * 1e-6);
  const double rt = pk::units::rt_kcal_per_mol(300);
  EXPECT_DOUBLE_EQ(g[0].koff_per_s.value, koff);
  EXPECT_DOUBLE_EQ(g[0].kon_per_M_per_s.value, kon);
  EXPECT_DOUBLE_EQ(g[0].residence_time_s.value, 1 / koff);
  EXPECT_DOUBLE_EQ(g[0].residence_time_s.ci_low, 1 / g[0].koff_per_s.ci_high);
  EXPECT_NEAR(g[0].kd_M.value, koff / kon, 1e-14 * koff / kon);
  // Kd = exp(dG/RT) at the 1 M standard state, for the value and both interval ends.
  EXPECT_NEAR(std::exp(g[0].dG_kcal_per_mol.value / rt), g[0].kd_M.value, 1e-12 * g[0].kd_M.value);
  EXPECT_NEAR(std::exp(g[0].dG_kcal_per_mol.ci_low / rt), g[0].kd_M.ci_low, 1e-12 * g[0].kd_M.value);
  EXPECT_NEAR(std::exp(g[0].dG_kcal_per_mol.ci_high / rt), g[0].kd_M.ci_high, 1e-12 * g[0].kd_M.value);
}

TEST(PipelineBootstrap, FewEventsFallBackToPoisson) {
  const auto g = estimate_groups({replica(0, 2.0, 5, 1.0), replica(0, 2.0, 4, 1.0)}, {200, 1});
  EXPECT_EQ(g[0].koff_per_s.value, 0.0);
  EXPECT_EQ(g[0].koff_per_s.method, "poisson");
  EXPECT_EQ(g[0].koff_per_s.ci_low, 0.0);
  // Garwood upper limit for 0 events: chi2(0.975, 2)/2 = -ln(0.025) = 3.689 over 4 s (Wilson-Hilferty, 1%).
  EXPECT_NEAR(g[0].koff_per_s.ci_high, 3.6889 / 4.0, 0.01 * 3.6889 / 4.0);
  EXPECT_TRUE(std::isinf(g[0].residence_time_s.value));
}

TEST(PipelineBootstrap, GroupsSplitByTemperatureAndConcentration) {
  std::vector<ReplicaSums> reps;
  for (int r = 0; r < 4; ++r) {
    reps.push_back(replica(100, 1, 100, 1, 310));
    reps.push_back(replica(100, 1, 100, 1, 290));
    reps.push_back(replica(100, 1, 100, 1, 290, 2e-6));
  }
  const auto g = estimate_groups(reps, {200, 1});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].temperature_K, 290);
  EXPECT_EQ(g[0].concentration_M, 1e-6);
  EXPECT_EQ(g[1].concentration_M, 2e-6);
  EXPECT_EQ(g[2].temperature_K, 310);
  EXPECT_DOUBLE_EQ(g[1].kon_per_M_per_s.value, 100 / 2e-6);
}

TEST(PipelineAnalyze, EyringFitRecoversEnthalpyAndEntropy) {
  const double dH = 14.5, dS = -3.2, kappa = 0.5;  // kcal/mol, cal/(mol K)
  const double R = pk::units::kGas_kcal_per_mol_K;
  std::vector<double> T = {280, 295, 310, 325}, k;
  for (double t : T)
    k.push_back(kappa * pk::units::eyring_prefactor_per_s(t) * std::exp(dS / 1000 / R) * std::exp(-dH / (R * t)));
  const auto [h, s] = eyring_fit(T, k, kappa);
  EXPECT_NEAR(h, dH, 1e-9);
  EXPECT_NEAR(s, dS, 1e-7);
}

TEST(PipelineAnalyze, ComparisonUsesTheRenewalRates) {
  GroupEstimates g;
  g.koff_per_s = {110, 100, 120, "bootstrap-percentile"};
  g.kon_per_M_per_s = {1e7, 0.9e7, 1.1e7, "bootstrap-percentile"};
  pk::solve::ExactKinetics x;
  x.temperature_K = 300;
  x.koff_renewal_per_s = 100;
  x.kon_renewal_per_M_per_s = 1e7;
  const auto cs = compare(g, x);
  ASSERT_EQ(cs[0].quantity, "koff_per_s");
  EXPECT_DOUBLE_EQ(cs[0].relative_difference, 0.1);
  EXPECT_TRUE(cs[0].exact_within_ci);
  EXPECT_DOUBLE_EQ(cs[2].exact, 0.01);  // residence time = 1 / koff
  EXPECT_DOUBLE_EQ(cs[3].exact, 1e-5);  // Kd
  EXPECT_NEAR(cs[4].exact, pk::units::rt_kcal_per_mol(300) * std::log(1e-5), 1e-12);
}
