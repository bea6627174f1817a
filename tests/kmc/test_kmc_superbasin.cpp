// Superbasin KMC (src/kmc/superbasin.hpp, kernels/kmc_basin.hpp): the exit
// law against closed forms and the fundamental matrix; KMC with basins on a
// stiff network (flicker at 1e12 1/s, residence time of seconds: ~1e12 steps
// per unbinding without basins) against the exact solver for the mean first
// passage, the renewal koff and the occupancy over time; results independent
// of how the run is cut into launches and over how many ranks replicas are
// spread; the basin finder.
#include "kmc_test_support.hpp"
#include "kmc/superbasin.hpp"
#include "solve/exact.hpp"
#include "solve/solver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

using pk::network::Macrostate;
using pk::test::rate_edge;

namespace {

/// A reversible pair a <-> b with relative Boltzmann weights wa, wb and
/// geometric-mean rate c: k_ab = c sqrt(wb / wa), k_ba = c sqrt(wa / wb).
void pair(std::vector<pk::network::Edge>& e, int a, int b, double wa, double wb, double c) {
  e.push_back(rate_edge(a, b, c * std::sqrt(wb / wa)));
  e.push_back(rate_edge(b, a, c * std::sqrt(wa / wb)));
}

/// Two bound clusters flickering at 1e10..1e12 1/s (states 0-3 and 4-6),
/// joined at 20 1/s; each leaks at ~1 1/s into a channel pair (7, 8: other,
/// 1e10 1/s between them) that returns fast or goes on to the bulk (9).
/// Mean residence time of order seconds. absorbing: no rebinding from 9.
pk::network::Network stiff_network(bool absorbing = false) {
  std::vector<Macrostate> macro(10, Macrostate::Bound);
  macro[7] = macro[8] = Macrostate::Other;
  macro[9] = Macrostate::Unbound;
  const std::vector<double> w = {1.0, 0.3, 2.0, 0.7, 1.0, 0.5, 1.5, 1e-6, 1e-6, 1.0};
  std::vector<pk::network::Edge> e;
  pair(e, 0, 1, w[0], w[1], 1e12);
  pair(e, 1, 2, w[1], w[2], 3e11);
  pair(e, 2, 3, w[2], w[3], 1e10);
  pair(e, 0, 3, w[0], w[3], 5e11);
  pair(e, 4, 5, w[4], w[5], 8e11);
  pair(e, 5, 6, w[5], w[6], 2e11);
  pair(e, 3, 4, w[3], w[4], 20.0);
  pair(e, 3, 7, w[3], w[7], 10 * std::sqrt(w[3] / w[7]));  // 3 -> 7 at 10 1/s
  pair(e, 6, 8, w[6], w[8], 5e3);
  pair(e, 7, 8, w[7], w[8], 1e10);
  pair(e, 8, 9, w[8], w[9], 3e2);  // 8 -> 9 at 3e5 1/s, 9 -> 8 at 0.3 1/s
  if (absorbing) e.pop_back();
  return pk::test::rate_network(macro, e);
}

pk::kmc::Superbasins auto_basins(const pk::network::Network& net, double rate = 1e6) {
  pk::kmc::SuperbasinOptions o;
  o.rate_per_s = rate;
  return pk::kmc::find_superbasins(net, {pk::network::build_rates(net, {300.0, 1.0, 1e-6})}, o);
}

/// Renewal rates of a run (events per phase time, the censored tails
/// included): koff and kon (per `conc`), with standard errors from the spread
/// of 32 batches of walkers (binding events cluster, so not from Poisson counts).
struct Renewal {
  double koff, kon, se_koff, se_kon, unbinding_events;
};
Renewal renewal_rates(const pk::kmc::KmcSnapshot& snap, double horizon, double conc) {
  constexpr int kBatches = 32;
  std::vector<double> unbind(kBatches), bind(kBatches), bound_time(kBatches), unbound_time(kBatches);
  const std::size_t per_batch = snap.time.size() / kBatches;
  for (std::size_t i = 0; i < snap.time.size(); ++i) {
    const std::size_t b = i / per_batch;
    const double tail = horizon - snap.phase_start[i];
    unbind[b] += snap.n_unbind[i];
    bind[b] += snap.n_bind[i];
    bound_time[b] += snap.bound_time[i] + (snap.phase[i] == 0 ? tail : 0.0);
    unbound_time[b] += snap.unbound_time[i] + (snap.phase[i] == 1 ? tail : 0.0);
  }
  const auto sum = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); };
  const auto batch_se = [&](const std::vector<double>& events, const std::vector<double>& time, double scale) {
    std::vector<double> est(kBatches);
    for (int b = 0; b < kBatches; ++b) est[b] = events[b] / (time[b] * scale);
    const double mean = sum(est) / kBatches;
    double ss = 0;
    for (double x : est) ss += (x - mean) * (x - mean);
    return std::sqrt(ss / (kBatches - 1) / kBatches);
  };
  return {sum(unbind) / sum(bound_time), sum(bind) / (sum(unbound_time) * conc), batch_se(unbind, bound_time, 1.0),
          batch_se(bind, unbound_time, conc), sum(unbind)};
}

}  // namespace

TEST(Superbasin, TwoStateLawMatchesClosedForm) {
  // 0 <-> 1 at k01 = 3, k10 = 5; exits g0 = 1, g1 = 2 (to state 2).
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Bound, Macrostate::Unbound},
                                          {rate_edge(0, 1, 3), rate_edge(1, 0, 5), rate_edge(0, 2, 1), rate_edge(1, 2, 2),
                                           rate_edge(2, 0, 1), rate_edge(2, 1, 1)});
  const auto rates = pk::network::build_rates(net, {300.0, 1.0, 1e-6});
  const auto law = pk::kmc::basin_law(rates, {0, 1}, "test");
  // -Q = [[4, -3], [-5, 7]]: eigenvalues (11 -+ sqrt(16 + 60)) / 2... of Q: -(11 -+ sqrt(76))/2... see below.
  const double tr = 11, det = 4 * 7 - 3 * 5;
  const double l1 = -(tr - std::sqrt(tr * tr - 4 * det)) / 2, l2 = -(tr + std::sqrt(tr * tr - 4 * det)) / 2;
  std::vector<double> got = law.lambda;
  std::sort(got.begin(), got.end());
  EXPECT_NEAR(got[0], l2, 1e-12 * std::fabs(l2));
  EXPECT_NEAR(got[1], l1, 1e-12 * std::fabs(l1));
  // Survival at 0 is 1; mean exit time from i = sum_b N_ib with N = (-Q)^-1.
  const double N00 = 7 / det, N01 = 3 / det, N10 = 5 / det, N11 = 4 / det;
  const double mean[2] = {N00 + N01, N10 + N11};
  for (int i = 0; i < 2; ++i) {
    double s0 = 0, m = 0, flux = 0;
    for (int k = 0; k < 2; ++k) {
      const double c = law.vec[i * 2 + k] * law.alpha[k] / law.sw[i];
      const double d = law.vec[i * 2 + k] * law.beta[k] / law.sw[i];
      s0 += c;
      m += c / -law.lambda[k];
      flux += d / -law.lambda[k];
    }
    EXPECT_NEAR(s0, 1.0, 1e-13);
    EXPECT_NEAR(m, mean[i], 1e-13);
    EXPECT_NEAR(flux, 1.0, 1e-13) << "the exit density integrates to 1";
  }
}

TEST(Superbasin, StiffEscapeRateToFullPrecision) {
  // Flicker at 1e12 1/s, exit at 1e-3 1/s from one side: the escape rate is
  // pi_1 g_1 (1 - O(1e-15)), far below the dense eigensolver's absolute error.
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Bound, Macrostate::Unbound},
                                          {rate_edge(0, 1, 1e12), rate_edge(1, 0, 3e12), rate_edge(1, 2, 1e-3),
                                           rate_edge(2, 1, 1.0)});
  const auto rates = pk::network::build_rates(net, {300.0, 1.0, 1e-6});
  const auto law = pk::kmc::basin_law(rates, {0, 1}, "test");
  const double pi1 = 1e12 / (1e12 + 3e12);
  EXPECT_NEAR(law.slowest_escape_per_s, pi1 * 1e-3, 1e-9 * pi1 * 1e-3);
  EXPECT_NEAR(law.fastest_total_per_s, 3e12 + 1e-3, 1.0);
}

TEST(Superbasin, FinderGroupsFastClustersWithinMacrostates) {
  const auto net = stiff_network();
  const auto sb = auto_basins(net);
  // Bound-phase walkers: clusters A, B and the channel pair; unbound-phase
  // and not-yet-phased walkers: the channel pair.
  ASSERT_EQ(sb.count(), 5);
  EXPECT_EQ(sb.of(0, 0), sb.of(0, 3));
  EXPECT_EQ(sb.of(0, 4), sb.of(0, 6));
  EXPECT_NE(sb.of(0, 0), sb.of(0, 4));
  EXPECT_EQ(sb.of(0, 7), sb.of(0, 8));
  EXPECT_EQ(sb.of(0, 9), -1);
  EXPECT_GE(sb.of(1, 7), 0);
  EXPECT_EQ(sb.of(1, 7), sb.of(1, 8));
  EXPECT_EQ(sb.of(1, 0), -1);
  EXPECT_GE(sb.of(2, 7), 0);
  EXPECT_EQ(sb.of(2, 0), -1);
  EXPECT_EQ(sb.of(2, 9), -1);
  // The default floor (1 1/s) joins, for bound-phase walkers, the clusters
  // through their 20 1/s link and the channel (10 1/s from state 3): one basin
  // that only an unbinding leaves.
  const auto joined = auto_basins(net, 1.0);
  EXPECT_EQ(joined.of(0, 0), joined.of(0, 8));
  EXPECT_EQ(joined.of(0, 9), -1);
  EXPECT_EQ(joined.size(joined.of(0, 0)), 9);
  // A threshold above every rate: no basin; a separation no group reaches: none.
  EXPECT_EQ(auto_basins(net, 1e13).count(), 0);
  pk::kmc::SuperbasinOptions o;
  o.separation = 1e30;
  EXPECT_EQ(pk::kmc::find_superbasins(net, {pk::network::build_rates(net, {300.0, 1.0, 1e-6})}, o).count(), 0);
  o.mode = "none";
  EXPECT_EQ(pk::kmc::find_superbasins(net, {pk::network::build_rates(net, {300.0, 1.0, 1e-6})}, o).count(), 0);
}

TEST(Superbasin, KmcMatchesExactSolverOnStiffNetwork) {
  const auto net = stiff_network(true);
  const auto sb = auto_basins(net);
  const pk::network::Conditions cond{300.0, 1.0, 1e-6};
  const auto rates = pk::network::build_rates(net, cond);
  const auto unbound = pk::network::states_in(net, Macrostate::Unbound);
  const auto p0 = pk::network::start_distribution(net, Macrostate::Bound, 300.0);
  const auto exact = pk::solve::mfpt_to_set(rates, unbound);
  double mfpt = 0;
  for (std::size_t i = 0; i < p0.size(); ++i) mfpt += p0[i] * (p0[i] > 0 ? exact.mean_s[i] : 0.0);
  ASSERT_GT(mfpt, 0.1);
  ASSERT_LT(mfpt, 100.0);

  // First passage to unbound: every walker gets there within 30 MFPTs.
  const int grid = 10;
  const double horizon = 3 * mfpt;
  const auto run = pk::test::simulate(net, "bound", 0, 4, 1024, 30 * mfpt, 5, 1, 1 << 30, 1e-6, grid, 0, true, "", &sb);
  EXPECT_EQ(run.variant, "baseline");
  std::vector<double> fpt;
  for (double t : run.snap.fpt_unbound)
    if (t >= 0) fpt.push_back(t);
  ASSERT_GE(fpt.size(), run.snap.fpt_unbound.size() - 1);
  const double mean = std::accumulate(fpt.begin(), fpt.end(), 0.0) / fpt.size();
  double var = 0;
  for (double t : fpt) var += (t - mean) * (t - mean);
  const double se = std::sqrt(var / (fpt.size() - 1) / fpt.size());
  EXPECT_NEAR(mean, mfpt, 3 * se) << "KMC " << mean << " s, exact " << mfpt << " s";
  // Steps: a few basin exits per walker, where flickering would take ~1e12.
  double steps = 0;
  for (auto s : run.snap.steps) steps += static_cast<double>(s);
  EXPECT_LT(steps / run.snap.steps.size(), 1e5);

  // The distribution of first-passage times against the exact F(t).
  std::sort(fpt.begin(), fpt.end());
  const double ks = pk::test::ks_statistic(fpt, [&](double t) {
    return pk::solve::first_passage_cdf(rates, p0, unbound, {t})[0];
  });
  EXPECT_LT(ks, 1.63) << "Kolmogorov-Smirnov statistic of the first-passage times";

  // Occupancy on the time grid (inside basins: the bridge) against P(t).
  const auto occ_run = pk::test::simulate(net, "bound", 0, 4, 1024, horizon, 9, 1, 1 << 30, 1e-6, grid, 0, true, "", &sb);
  std::vector<double> times;
  for (int g = 0; g < grid; ++g) times.push_back(g * horizon / grid);
  const auto P = pk::solve::propagate(rates, p0, times);
  const std::size_t n = net.states.size();
  const double walkers = 4 * 1024.0;
  for (int g = 1; g < grid; ++g)
    for (std::size_t s = 0; s < n; ++s) {
      double count = 0;
      for (int r = 0; r < 4; ++r) count += occ_run.snap.occupancy[(static_cast<std::size_t>(r) * grid + g) * n + s];
      const double p = P[g * n + s], f = count / walkers;
      EXPECT_NEAR(f, p, 4 * std::sqrt(std::max(p * (1 - p), 1e-4) / walkers))
          << "grid point " << g << ", state " << s;
    }

  // Renewal koff (unbinding events per bound time) against the exact one,
  // with rebinding.
  const auto net2 = stiff_network();
  const auto sb2 = auto_basins(net2);
  const auto ex = pk::solve::exact_kinetics(net2, cond, {});
  const auto renewal = pk::test::simulate(net2, "bound", 0, 4, 256, 20 * mfpt, 13, 1, 1 << 30, 1e-6, grid, 0, true, "", &sb2);
  const Renewal r = renewal_rates(renewal.snap, 20 * mfpt, 1e-6);
  const double koff = r.koff, se_koff = r.se_koff;
  EXPECT_NEAR(koff, ex.koff_renewal_per_s, 3 * se_koff);
  EXPECT_LT(se_koff / koff, 0.05);
}

TEST(Superbasin, MixedBasinsGiveExactRenewalRates) {
  // The default floor: bound-phase walkers leave the pocket-and-channel basin
  // only by unbinding (one step per unbinding), unbound-phase walkers use the
  // channel basin. koff and kon (events per phase time) against the exact ones.
  const auto net = stiff_network();
  pk::kmc::SuperbasinOptions o;
  const auto sb = pk::kmc::find_superbasins(net, {pk::network::build_rates(net, {300.0, 1.0, 1.0})}, o);
  // At 1 M the bulk (state 9) rebinds at 0.3 1/s (its rate edges are per M).
  const double conc = 1.0;
  const pk::network::Conditions cond{300.0, 1.0, conc};
  const auto ex = pk::solve::exact_kinetics(net, cond, {});
  const double horizon = 20.0 / ex.koff_renewal_per_s;  // some 10 unbindings per walker
  const auto run = pk::test::simulate(net, "bound", 0, 4, 256, horizon, 31, 1, 1 << 30, conc, 10, 0, true, "", &sb);
  const Renewal r = renewal_rates(run.snap, horizon, conc);
  const double koff = r.koff, kon = r.kon, se_koff = r.se_koff, se_kon = r.se_kon;
  EXPECT_NEAR(koff, ex.koff_renewal_per_s, 3 * se_koff);
  EXPECT_NEAR(kon, ex.kon_renewal_per_M_per_s, 3 * se_kon);
  EXPECT_LT(se_koff / koff, 0.05);
  EXPECT_LT(se_kon / kon, 0.05);
  // One step per unbinding and per binding, plus the steps between the
  // channel and the bulk: far below the ~1e12 per unbinding without basins.
  double steps = 0;
  for (auto x : run.snap.steps) steps += static_cast<double>(x);
  EXPECT_LT(steps / std::max(1.0, r.unbinding_events), 1e3);
}

TEST(Superbasin, SameResultsHoweverTheRunIsCutAndSpread) {
  const auto net = stiff_network();
  const auto sb = auto_basins(net);
  const double horizon = 5.0;
  const auto whole = pk::test::simulate(net, "bound", 0, 4, 256, horizon, 21, 1, 1 << 30, 1e-6, 25, 0, true, "", &sb);
  const auto cut = pk::test::simulate(net, "bound", 0, 4, 256, horizon, 21, 9, 3, 1e-6, 25, 0, true, "", &sb);
  EXPECT_EQ(whole.snap.state, cut.snap.state);
  EXPECT_EQ(whole.snap.time, cut.snap.time);
  EXPECT_EQ(whole.snap.steps, cut.snap.steps);
  EXPECT_EQ(whole.snap.occupancy, cut.snap.occupancy);
  EXPECT_EQ(whole.snap.transitions, cut.snap.transitions);
  EXPECT_EQ(whole.snap.fpt_unbound, cut.snap.fpt_unbound);
  EXPECT_EQ(whole.snap.dwell_hist, cut.snap.dwell_hist);
  EXPECT_EQ(whole.snap.traj_state, cut.snap.traj_state);
  // Replicas 2 and 3 on their own (another rank's share): the same numbers.
  const auto part = pk::test::simulate(net, "bound", 2, 2, 256, horizon, 21, 3, 1 << 30, 1e-6, 25, 0, true, "", &sb);
  const std::size_t half = whole.snap.time.size() / 2;
  EXPECT_TRUE(std::equal(part.snap.time.begin(), part.snap.time.end(), whole.snap.time.begin() + half));
  EXPECT_TRUE(std::equal(part.snap.state.begin(), part.snap.state.end(), whole.snap.state.begin() + half));
  const std::size_t occ_half = whole.snap.occupancy.size() / 2;
  EXPECT_TRUE(std::equal(part.snap.occupancy.begin(), part.snap.occupancy.end(), whole.snap.occupancy.begin() + occ_half));
}

TEST(Superbasin, NetworkWithoutBasinsWalksAsBefore) {
  // With an empty basin set the walk is bitwise the one without basins.
  const auto net = stiff_network();
  const auto none = auto_basins(net, 1e13);
  ASSERT_EQ(none.count(), 0);
  const auto a = pk::test::simulate(net, "bound", 0, 2, 64, 1e-9, 3, 1, 1 << 30, 1e-6, 10, 0, true, "baseline", &none);
  const auto b = pk::test::simulate(net, "bound", 0, 2, 64, 1e-9, 3, 1, 1 << 30, 1e-6, 10, 0, true, "baseline");
  EXPECT_EQ(a.snap.time, b.snap.time);
  EXPECT_EQ(a.snap.occupancy, b.snap.occupancy);
}
