// KMC against the exact master-equation solver on random 500-state networks
// whose rates span 1e3..1e12 1/s: mean first-passage times within 3 standard
// errors, and the first-passage distribution against the exact F(t)
// (Kolmogorov-Smirnov on a grid of 200 times), with the default kernel and
// with the variants of KmcParams::variant.
#include "kmc_test_support.hpp"
#include "solve/exact.hpp"
#include "solve/solver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using pk::network::Macrostate;

namespace {

// Reversible random network: free energies in [0, 3] kcal/mol, transition
// states 1.1..12.5 kcal/mol above the higher endpoint, so that the Eyring
// rates at 300 K span ~1e3..1e12 1/s. A random spanning tree keeps it connected.
pk::network::Network random_network(int n, int extra_edges, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> g(0.0, 3.0), barrier(1.1, 12.5);
  pk::network::Network net;
  net.source = "random network " + std::to_string(seed);
  for (int i = 0; i < n; ++i) net.states.push_back({i, g(gen), Macrostate::Other, ""});
  for (int i = 0; i < 5; ++i) net.states[i].macrostate = Macrostate::Bound;
  for (int i = n - 5; i < n; ++i) net.states[i].macrostate = Macrostate::Unbound;
  std::vector<std::pair<int, int>> pairs;
  for (int i = 1; i < n; ++i) pairs.emplace_back(std::uniform_int_distribution<int>(0, i - 1)(gen), i);
  for (int k = 0; k < extra_edges; ++k) {
    const int a = std::uniform_int_distribution<int>(0, n - 1)(gen);
    const int b = std::uniform_int_distribution<int>(0, n - 1)(gen);
    if (a != b) pairs.emplace_back(std::min(a, b), std::max(a, b));
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (const auto& [a, b] : pairs) {
    const double ts = std::max(net.states[a].free_energy_kcal_per_mol, net.states[b].free_energy_kcal_per_mol) + barrier(gen);
    net.edges.push_back({a, b, pk::network::EdgeKind::Eyring, ts});
    net.edges.push_back({b, a, pk::network::EdgeKind::Eyring, ts});
  }
  return net;
}

void check_against_exact(unsigned seed, const std::string& variant = "") {
  const auto net = random_network(500, 700, seed);
  const pk::network::Conditions cond{300.0, 1.0, 1e-6};
  const auto rates = pk::network::build_rates(net, cond);
  double lo = 1e300, hi = 0;
  for (double k : rates.values) lo = std::min(lo, k), hi = std::max(hi, k);
  ASSERT_LT(lo, 1e4);
  ASSERT_GT(hi, 1e11);
  const auto unbound = pk::network::states_in(net, Macrostate::Unbound);
  const auto p0 = pk::network::start_distribution(net, Macrostate::Bound, 300.0);
  const auto exact = pk::solve::mfpt_to_set(rates, unbound);
  double mfpt = 0;
  for (std::size_t i = 0; i < p0.size(); ++i) mfpt += p0[i] * (p0[i] > 0 ? exact.mean_s[i] : 0.0);

  const auto run = pk::test::simulate(net, "bound", 0, 4, 2048, 60 * mfpt, seed, 1, 1 << 30, 1e-6, 10, 0, true, variant);
  if (!variant.empty()) ASSERT_EQ(run.variant, variant);
  std::vector<double> fpt;
  for (double t : run.snap.fpt_unbound) fpt.push_back(t);
  const double censored = std::count(fpt.begin(), fpt.end(), -1.0);
  ASSERT_LT(censored, 2) << "walkers that did not reach unbound within 60 MFPTs";
  fpt.erase(std::remove(fpt.begin(), fpt.end(), -1.0), fpt.end());
  const double mean = std::accumulate(fpt.begin(), fpt.end(), 0.0) / fpt.size();
  double var = 0;
  for (double t : fpt) var += (t - mean) * (t - mean);
  const double se = std::sqrt(var / (fpt.size() - 1) / fpt.size());
  EXPECT_NEAR(mean, mfpt, 3 * se) << "seed " << seed << ": KMC " << mean << " s, exact " << mfpt << " s";

  // KS against the exact first-passage distribution on a log grid.
  std::sort(fpt.begin(), fpt.end());
  std::vector<double> grid;
  for (int k = 0; k < 200; ++k) grid.push_back(fpt.front() * std::pow(fpt.back() / fpt.front(), k / 199.0));
  const auto cdf = pk::solve::first_passage_cdf(rates, p0, unbound, grid);
  double d = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const double empirical =
        static_cast<double>(std::upper_bound(fpt.begin(), fpt.end(), grid[k]) - fpt.begin()) / fpt.size();
    d = std::max(d, std::fabs(empirical - cdf[k]));
  }
  EXPECT_LT(std::sqrt(static_cast<double>(fpt.size())) * d, 1.628) << "KS statistic over the grid, seed " << seed;
}

}  // namespace

TEST(KmcVsExact, RandomStiffNetworkA) { check_against_exact(2026); }
TEST(KmcVsExact, RandomStiffNetworkB) { check_against_exact(11); }
// The kernel variants (test_kmc_variants): the same comparison.
TEST(KmcVsExact, RandomStiffNetworkAPacked) { check_against_exact(2026, "packed"); }
TEST(KmcVsExact, RandomStiffNetworkAPackedInt) { check_against_exact(2026, "packed-int"); }
TEST(KmcVsExact, RandomStiffNetworkBPackedInt) { check_against_exact(11, "packed-int"); }
TEST(KmcVsExact, RandomStiffNetworkBPacked2) { check_against_exact(11, "packed2"); }
TEST(KmcVsExact, RandomStiffNetworkBPacked2Int) { check_against_exact(11, "packed2-int"); }

// The renewal estimators (events / phase time, what `kmc` reports as koff and
// kon) against the exact steady-state rates, on a 4-state network whose
// bound states differ (so the Boltzmann-start MFPT and the renewal rate differ).
TEST(KmcVsExact, RenewalEstimatorsMatchSteadyStateRates) {
  using pk::test::rate_edge;
  const auto net = pk::test::rate_network(
      {Macrostate::Bound, Macrostate::Bound, Macrostate::Other, Macrostate::Unbound},
      {rate_edge(0, 1, 50), rate_edge(1, 0, 200), rate_edge(0, 2, 600), rate_edge(2, 0, 1e5), rate_edge(1, 2, 1200),
       rate_edge(2, 1, 3e4), rate_edge(2, 3, 2e4), rate_edge(3, 2, 5e8)});
  const double conc = 1e-6, horizon = 2.0;
  const auto exact = pk::solve::exact_kinetics(net, {300.0, 1.0, conc}, {});
  const auto run = pk::test::simulate(net, "bound", 0, 4, 1024, horizon, 77, 1, 1 << 30, conc);
  // Totals, and the same per batch of 128 walkers: binding events cluster
  // (a ligand that has just left often rebinds), so the standard error comes
  // from the spread of the 32 batch estimates, not from Poisson counting.
  constexpr int kBatches = 32;
  std::vector<double> unbind(kBatches), bind(kBatches), bound_time(kBatches), unbound_time(kBatches);
  const std::size_t per_batch = run.snap.time.size() / kBatches;
  for (std::size_t i = 0; i < run.snap.time.size(); ++i) {
    const std::size_t b = i / per_batch;
    unbind[b] += run.snap.n_unbind[i];
    bind[b] += run.snap.n_bind[i];
    const double tail = horizon - run.snap.phase_start[i];
    bound_time[b] += run.snap.bound_time[i] + (run.snap.phase[i] == 0 ? tail : 0.0);
    unbound_time[b] += run.snap.unbound_time[i] + (run.snap.phase[i] == 1 ? tail : 0.0);
  }
  const auto sum = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); };
  const double koff = sum(unbind) / sum(bound_time), kon = sum(bind) / (sum(unbound_time) * conc);
  const auto batch_se = [&](const std::vector<double>& events, const std::vector<double>& time, double scale) {
    std::vector<double> est(kBatches);
    for (int b = 0; b < kBatches; ++b) est[b] = events[b] / (time[b] * scale);
    const double mean = sum(est) / kBatches;
    double ss = 0;
    for (double x : est) ss += (x - mean) * (x - mean);
    return std::sqrt(ss / (kBatches - 1) / kBatches);
  };
  const double se_koff = batch_se(unbind, bound_time, 1.0), se_kon = batch_se(bind, unbound_time, conc);
  EXPECT_NEAR(koff, exact.koff_renewal_per_s, 3 * se_koff);
  EXPECT_NEAR(kon, exact.kon_renewal_per_M_per_s, 3 * se_kon);
  // The errors are small: a few percent at most.
  EXPECT_LT(se_koff / koff, 0.03);
  EXPECT_LT(se_kon / kon, 0.03);
  // The two koff definitions really differ here (by more than the KMC error).
  EXPECT_GT(std::fabs(exact.koff_per_s - exact.koff_renewal_per_s), 6 * se_koff);
}
