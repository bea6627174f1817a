// The KMC engine against analytic answers: two-state dwell times and
// occupancy, birth-death chain MFPTs, a discrete-time chain, conservation
// laws, and independence from how the run is cut into launches and ranks.
#include "kmc_codes.hpp"
#include "kmc_test_support.hpp"

#include <gtest/gtest.h>

#include <numeric>

using pk::network::Macrostate;
using pk::test::rate_edge;

namespace {
constexpr double kKs99 = 1.628;  // Kolmogorov distribution, 1% upper quantile

double mean(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0) / x.size(); }
double std_error(const std::vector<double>& x) {
  const double m = mean(x);
  double v = 0;
  for (double y : x) v += (y - m) * (y - m);
  return std::sqrt(v / (x.size() - 1) / x.size());
}
}  // namespace

TEST(KmcEngine, TwoStateDwellTimesAreExponentialWithTheExactRate) {
  const double koff = 1e6, kon_1M = 1e9, conc = 1e-6;  // pseudo-first-order association 1e3 1/s
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound},
                                          {rate_edge(0, 1, koff), rate_edge(1, 0, kon_1M)});
  const auto run = pk::test::simulate(net, "bound", 0, 4, 4096, 2e-5, 7, 1, 1 << 30, conc, 20);
  const auto& s = run.snap;
  std::vector<double> dwell;
  double events = 0, bound_time = 0;
  for (std::size_t i = 0; i < s.first_dwell.size(); ++i) {
    if (s.first_dwell[i] > 0) dwell.push_back(s.first_dwell[i]);
    events += s.n_unbind[i];
    bound_time += s.bound_time[i] + (s.phase[i] == pk::kmc::kPhaseBound ? 2e-5 - s.phase_start[i] : 0.0);
  }
  ASSERT_GT(dwell.size(), 16000u);  // P(no unbinding in 20 mean lifetimes) = e^-20
  EXPECT_LT(pk::test::ks_statistic(dwell, [&](double t) { return 1 - std::exp(-koff * t); }), kKs99);
  const double estimate = events / bound_time;
  EXPECT_NEAR(estimate, koff, 3 * koff / std::sqrt(events));
  EXPECT_NEAR(mean(dwell), 1 / koff, 3 * std_error(dwell));
}

TEST(KmcEngine, TwoStateOccupancyFollowsTheMasterEquationAndIsConserved) {
  const double ku = 2e5, kb_1M = 3e11, conc = 1e-6;  // kb = 3e5 1/s
  const double kb = kb_1M * conc;
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound},
                                          {rate_edge(0, 1, ku), rate_edge(1, 0, kb_1M)});
  const int walkers = 8192, grid = 20;
  const double horizon = 2e-5;
  const auto run = pk::test::simulate(net, "bound", 0, 2, walkers, horizon, 11, 3, 1000, conc, grid);
  for (int r = 0; r < 2; ++r)
    for (int g = 0; g < grid; ++g) {
      const int bound = run.snap.occupancy[(r * grid + g) * 2 + 0];
      const int unbound = run.snap.occupancy[(r * grid + g) * 2 + 1];
      ASSERT_EQ(bound + unbound, walkers) << "walkers are conserved at grid point " << g;
      const double t = g * horizon / grid;
      const double p = kb / (kb + ku) + ku / (kb + ku) * std::exp(-(kb + ku) * t);
      const double sigma = std::sqrt(p * (1 - p) / walkers) + 1e-12;
      EXPECT_NEAR(static_cast<double>(bound) / walkers, p, 4.5 * sigma) << "t = " << t;
    }
  // Every step is one counted transition.
  const double steps = std::accumulate(run.snap.steps.begin(), run.snap.steps.end(), 0.0);
  const double counted = std::accumulate(run.snap.transitions.begin(), run.snap.transitions.end(), 0.0);
  EXPECT_EQ(steps, counted);
}

TEST(KmcEngine, BirthDeathChainMfptMatchesTheRecurrence) {
  const int n = 12;
  std::vector<Macrostate> macro(n, Macrostate::Other);
  macro.front() = Macrostate::Bound;
  macro.back() = Macrostate::Unbound;
  std::vector<pk::network::Edge> edges;
  std::vector<double> fwd(n - 1), back(n - 1, 0.0);
  for (int i = 0; i + 1 < n; ++i) {
    fwd[i] = 1e9 * (1.0 + 0.3 * (i % 3));
    edges.push_back(rate_edge(i, i + 1, fwd[i]));
    if (i > 0) {
      back[i] = 6e8 * (1.0 + 0.5 * (i % 2));
      edges.push_back(rate_edge(i, i - 1, back[i]));
    }
  }
  // Expected time to step i -> i+1: tau_i = 1/f_i + (b_i/f_i) tau_{i-1}; MFPT = sum.
  double tau = 0, mfpt = 0;
  for (int i = 0; i + 1 < n; ++i) {
    tau = 1 / fwd[i] + (i > 0 ? back[i] / fwd[i] * tau : 0.0);
    mfpt += tau;
  }
  const auto run = pk::test::simulate(pk::test::rate_network(macro, edges), "bound", 0, 4, 2048, 40 * mfpt, 3);
  std::vector<double> fpt;
  for (double t : run.snap.fpt_unbound) {
    ASSERT_GT(t, 0.0) << "every walker reaches the unbound state within 40 MFPTs";
    fpt.push_back(t);
  }
  EXPECT_NEAR(mean(fpt), mfpt, 3 * std_error(fpt));
}

TEST(KmcEngine, DiscreteTimeChainFirstPassageIsGeometric) {
  auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound}, {});
  const double p = 0.02, lag = 1e-9;
  net.edges = {{0, 0, pk::network::EdgeKind::Probability, 1 - p}, {0, 1, pk::network::EdgeKind::Probability, p},
               {1, 1, pk::network::EdgeKind::Probability, 1.0}};
  net.lag_time_s = lag;
  const auto run = pk::test::simulate(net, "bound", 0, 2, 4096, 2000 * lag, 5);
  std::vector<double> fpt;
  for (double t : run.snap.fpt_unbound) {
    ASSERT_GT(t, 0.0);
    const double k = t / lag;
    ASSERT_NEAR(k, std::round(k), 1e-6) << "first passages happen at whole lags";
    fpt.push_back(t);
  }
  EXPECT_NEAR(mean(fpt), lag / p, 3 * std_error(fpt));
}

TEST(KmcEngine, ResultsDoNotDependOnLaunchesSegmentsOrReplicaSplit) {
  std::vector<pk::network::Edge> edges = {rate_edge(0, 1, 5e8), rate_edge(1, 0, 2e8), rate_edge(1, 2, 1e8),
                                          rate_edge(2, 1, 3e14), rate_edge(1, 3, 4e7), rate_edge(3, 1, 9e13)};
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Other, Macrostate::Unbound, Macrostate::Bound},
                                          edges);
  const double horizon = 5e-8;
  const auto whole = pk::test::simulate(net, "bound", 0, 4, 512, horizon, 99);
  const auto cut = pk::test::simulate(net, "bound", 0, 4, 512, horizon, 99, 7, 3);
  const auto low = pk::test::simulate(net, "bound", 0, 2, 512, horizon, 99, 2, 5);
  const auto high = pk::test::simulate(net, "bound", 2, 2, 512, horizon, 99, 5, 11);
  EXPECT_EQ(whole.snap.time, cut.snap.time);
  EXPECT_EQ(whole.snap.state, cut.snap.state);
  EXPECT_EQ(whole.snap.fpt_unbound, cut.snap.fpt_unbound);
  EXPECT_EQ(whole.snap.occupancy, cut.snap.occupancy);
  EXPECT_EQ(whole.snap.transitions, cut.snap.transitions);
  EXPECT_EQ(whole.snap.traj_time, cut.snap.traj_time);
  std::vector<double> joined = low.snap.time;
  joined.insert(joined.end(), high.snap.time.begin(), high.snap.time.end());
  EXPECT_EQ(whole.snap.time, joined);
  std::vector<std::int32_t> occ = low.snap.occupancy;
  occ.insert(occ.end(), high.snap.occupancy.begin(), high.snap.occupancy.end());
  EXPECT_EQ(whole.snap.occupancy, occ);
  const auto other_seed = pk::test::simulate(net, "bound", 0, 4, 512, horizon, 100);
  EXPECT_NE(whole.snap.time, other_seed.snap.time);
}

// Counting transitions (team kernel with scratch counters) or not (the
// uncounted launch) does not change a single walker; the counts add up to the
// steps taken, replica by replica.
TEST(KmcEngine, TransitionCountsChangeNothingAndAddUpToTheSteps) {
  std::vector<pk::network::Edge> edges = {rate_edge(0, 1, 5e8), rate_edge(1, 0, 2e8), rate_edge(1, 2, 1e8),
                                          rate_edge(2, 1, 3e14), rate_edge(1, 3, 4e7), rate_edge(3, 1, 9e13)};
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Other, Macrostate::Unbound, Macrostate::Bound},
                                          edges);
  const double horizon = 5e-8;
  const auto counted = pk::test::simulate(net, "bound", 0, 3, 1500, horizon, 5, 3, 7, 1e-6, 10, 0, true);
  const auto plain = pk::test::simulate(net, "bound", 0, 3, 1500, horizon, 5, 3, 7, 1e-6, 10, 0, false);
  EXPECT_EQ(counted.snap.time, plain.snap.time);
  EXPECT_EQ(counted.snap.state, plain.snap.state);
  EXPECT_EQ(counted.snap.steps, plain.snap.steps);
  EXPECT_EQ(counted.snap.n_bind, plain.snap.n_bind);
  EXPECT_EQ(counted.snap.occupancy, plain.snap.occupancy);
  EXPECT_TRUE(plain.snap.transitions.empty());
  const std::size_t nnz = edges.size();
  ASSERT_EQ(counted.snap.transitions.size(), 3 * nnz);
  for (int r = 0; r < 3; ++r) {
    std::int64_t counts = 0, steps = 0;
    for (std::size_t e = 0; e < nnz; ++e) counts += counted.snap.transitions[r * nnz + e];
    for (int w = 0; w < 1500; ++w) steps += counted.snap.steps[r * 1500 + w];
    EXPECT_EQ(counts, steps) << "replica " << r;
    EXPECT_GT(steps, 0);
  }
}

TEST(KmcEngine, StepBudgetStopsWalkers) {
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound},
                                          {rate_edge(0, 1, 1e9), rate_edge(1, 0, 1e15)});
  const auto run = pk::test::simulate(net, "bound", 0, 1, 256, 1.0, 1, 1, 1 << 30, 1e-6, 10, 25);
  for (std::size_t i = 0; i < run.snap.steps.size(); ++i) {
    EXPECT_EQ(run.snap.steps[i], 25);
    EXPECT_EQ(run.snap.done[i], pk::kmc::kDoneSteps);
  }
}

TEST(KmcEngine, DwellHistogramBinsEveryDwellByTheWrittenEdges) {
  // Unbound absorbs: every walker unbinds exactly once, so each replica's
  // histogram must be its walkers' first dwells binned on the host against
  // the edges the output file holds (binary search, bin 0 and the last bin
  // open-ended).
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound}, {rate_edge(0, 1, 1e6)});
  const int walkers = 2048, replicas = 2;
  const auto run = pk::test::simulate(net, "bound", 0, replicas, walkers, 1e-3, 11);
  const auto& p = run.params;
  const std::vector<double> edges = pk::kmc::dwell_bin_edges(p.dwell_log10_min, p.dwell_bins_per_decade, p.dwell_bins);
  ASSERT_EQ(run.snap.dwell_hist.size(), static_cast<std::size_t>(replicas * p.dwell_bins));
  for (int r = 0; r < replicas; ++r) {
    std::vector<std::int32_t> expected(p.dwell_bins, 0);
    for (int w = 0; w < walkers; ++w) {
      const std::size_t i = static_cast<std::size_t>(r) * walkers + w;
      ASSERT_EQ(run.snap.n_unbind[i], 1);
      const double dwell = run.snap.first_dwell[i];
      const long above = std::upper_bound(edges.begin(), edges.end(), dwell) - edges.begin();  // edges <= dwell
      ++expected[std::clamp<long>(above - 1, 0, p.dwell_bins - 1)];
    }
    const std::vector<std::int32_t> got(run.snap.dwell_hist.begin() + r * p.dwell_bins,
                                        run.snap.dwell_hist.begin() + (r + 1) * p.dwell_bins);
    EXPECT_EQ(got, expected) << "replica " << r;
    EXPECT_GT(std::count_if(expected.begin(), expected.end(), [](std::int32_t c) { return c > 0; }), 20);
  }
}
