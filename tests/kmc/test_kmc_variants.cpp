// The KMC kernel variants (KmcParams::variant, PK_KMC_VARIANT) against the
// baseline kernel and against exact answers. "packed" changes no arithmetic,
// only the table layout, so its walkers and observables equal the baseline's
// bit for bit: on the scratch-counted, uncounted and global-counted launches,
// a discrete-time chain, an absorbing state and a step budget. "packed-int"
// decides the next edge from the same random bits in exact integer arithmetic
// (not bitwise the baseline: the baseline's double rounding can flip a
// decision, ~1e-15 per step), so it is held to the network's exit
// probabilities, to exact dwell-time laws and MFPTs, to its own independence
// from launch cuts and replica splits, and to near-identity with the baseline.
// "packed2" and "packed2-int" walk two walkers per GPU thread, interleaved
// step by step; every walker's steps are those of "packed" / "packed-int",
// so their results equal those variants' bit for bit (odd walker counts,
// team remainders, step caps and budgets, absorbing states, trajectories,
// discrete time).
// test_kmc_vs_exact runs the stiff 500-state comparison with every variant.
#include "kmc_codes.hpp"
#include "kmc_test_support.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using pk::network::Macrostate;
using pk::test::rate_edge;

namespace {

constexpr double kKs99 = 1.628;  // Kolmogorov distribution, 1% upper quantile

void expect_same(const pk::kmc::KmcSnapshot& a, const pk::kmc::KmcSnapshot& b) {
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.phase, b.phase);
  EXPECT_EQ(a.done, b.done);
  EXPECT_EQ(a.phase_start, b.phase_start);
  EXPECT_EQ(a.next_grid, b.next_grid);
  EXPECT_EQ(a.fpt_bound, b.fpt_bound);
  EXPECT_EQ(a.fpt_unbound, b.fpt_unbound);
  EXPECT_EQ(a.first_dwell, b.first_dwell);
  EXPECT_EQ(a.bound_time, b.bound_time);
  EXPECT_EQ(a.unbound_time, b.unbound_time);
  EXPECT_EQ(a.n_bind, b.n_bind);
  EXPECT_EQ(a.n_unbind, b.n_unbind);
  EXPECT_EQ(a.occupancy, b.occupancy);
  EXPECT_EQ(a.transitions, b.transitions);
  EXPECT_EQ(a.dwell_hist, b.dwell_hist);
  EXPECT_EQ(a.traj_time, b.traj_time);
  EXPECT_EQ(a.traj_state, b.traj_state);
  EXPECT_EQ(a.traj_count, b.traj_count);
}

pk::network::Network four_states() {
  return pk::test::rate_network({Macrostate::Bound, Macrostate::Other, Macrostate::Unbound, Macrostate::Bound},
                                {rate_edge(0, 1, 5e8), rate_edge(1, 0, 2e8), rate_edge(1, 2, 1e8), rate_edge(2, 1, 3e14),
                                 rate_edge(1, 3, 4e7), rate_edge(3, 1, 9e13)});
}

// 1100 states x 10 exits, rates log-uniform in 1e3..1e12 1/s: 11,000 edges,
// whose counters (44 KB) do not fit team scratch, so counts go to global memory.
pk::network::Network large_random(unsigned seed) {
  const int n = 1100, degree = 10;
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> log_rate(3.0, 12.0);
  std::vector<Macrostate> macro(n, Macrostate::Other);
  for (int i = 0; i < 110; ++i) macro[i] = Macrostate::Bound, macro[n - 1 - i] = Macrostate::Unbound;
  std::vector<pk::network::Edge> edges;
  for (int i = 0; i < n; ++i)
    for (int k = 1; k <= degree; ++k) edges.push_back(rate_edge(i, (i + k * 97) % n, std::pow(10.0, log_rate(gen))));
  return pk::test::rate_network(macro, edges);
}

// State 0 (bound) leaves to nine states with rates 1e3..1e12 1/s (exit
// probabilities 1e-9..0.9); each of those returns at 1e12 1/s.
pk::network::Network stiff_star() {
  std::vector<Macrostate> macro(10, Macrostate::Other);
  macro[0] = Macrostate::Bound;
  macro[9] = Macrostate::Unbound;
  std::vector<pk::network::Edge> edges;
  for (int j = 1; j <= 9; ++j) {
    edges.push_back(rate_edge(0, j, std::pow(10.0, 3.0 + (j - 1) * 9.0 / 8.0)));
    edges.push_back(rate_edge(j, 0, 1e12));
  }
  return pk::test::rate_network(macro, edges);
}

}  // namespace

TEST(KmcVariants, NamesAndUnknownName) {
  const std::vector<std::string> expected = {"baseline", "packed", "packed-int", "packed2", "packed2-int"};
  EXPECT_EQ(pk::kmc::kmc_variants(), expected);
  EXPECT_THROW(pk::test::simulate(four_states(), "bound", 0, 1, 8, 1e-9, 1, 1, 1 << 30, 1e-6, 10, 0, true, "fast"),
               pk::UsageError);
  for (const auto& v : expected)
    EXPECT_EQ(pk::test::simulate(four_states(), "bound", 0, 1, 8, 1e-9, 1, 1, 1 << 30, 1e-6, 10, 0, true, v).variant, v);
}

// "packed" = baseline, bit for bit, on the team (scratch-counted) launch and
// the uncounted launch, with launches cut at 7 steps and 3 horizon segments.
TEST(KmcVariants, PackedEqualsBaselineOnEveryLaunchPath) {
  for (const bool counted : {true, false}) {
    const auto base =
        pk::test::simulate(four_states(), "bound", 0, 3, 1500, 5e-8, 5, 3, 7, 1e-6, 10, 0, counted, "baseline");
    const auto packed =
        pk::test::simulate(four_states(), "bound", 0, 3, 1500, 5e-8, 5, 3, 7, 1e-6, 10, 0, counted, "packed");
    ASSERT_EQ(packed.variant, "packed");
    expect_same(base.snap, packed.snap);
    EXPECT_GT(std::accumulate(base.snap.n_unbind.begin(), base.snap.n_unbind.end(), 0), 100);
  }
}

// Counts in global memory (11,000 edges), a step budget, 3 segments.
TEST(KmcVariants, PackedEqualsBaselineWithGlobalCountsAndStepBudget) {
  const auto net = large_random(3);
  const auto base = pk::test::simulate(net, "bound", 1, 2, 256, 1e-3, 9, 3, 1 << 30, 1e-6, 10, 300, true, "baseline");
  const auto packed = pk::test::simulate(net, "bound", 1, 2, 256, 1e-3, 9, 3, 1 << 30, 1e-6, 10, 300, true, "packed");
  expect_same(base.snap, packed.snap);
  // Both ways of stopping happen: the step budget and the horizon.
  EXPECT_GT(std::count(base.snap.done.begin(), base.snap.done.end(), pk::kmc::kDoneSteps), 10);
  EXPECT_GT(std::count(base.snap.done.begin(), base.snap.done.end(), pk::kmc::kDoneHorizon), 10);
}

TEST(KmcVariants, PackedEqualsBaselineOnDiscreteTimeAndAbsorbingStates) {
  auto chain = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound}, {});
  chain.edges = {{0, 0, pk::network::EdgeKind::Probability, 0.98}, {0, 1, pk::network::EdgeKind::Probability, 0.02},
                 {1, 1, pk::network::EdgeKind::Probability, 1.0}};
  chain.lag_time_s = 1e-9;
  // State 2 has no exit: walkers that reach it stay (and are counted there on the grid).
  const auto absorbing = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound, Macrostate::Other},
                                                {rate_edge(0, 1, 1e6), rate_edge(1, 0, 1e6), rate_edge(1, 2, 3e5)});
  for (const auto& [net, horizon] : {std::make_pair(chain, 500e-9), std::make_pair(absorbing, 2e-5)}) {
    const auto base = pk::test::simulate(net, "bound", 0, 2, 1024, horizon, 21, 2, 50, 1e-6, 10, 0, true, "baseline");
    for (const std::string v : {"packed", "packed-int", "packed2", "packed2-int"}) {
      const auto run = pk::test::simulate(net, "bound", 0, 2, 1024, horizon, 21, 2, 50, 1e-6, 10, 0, true, v);
      if (v == "packed" || v == "packed2") expect_same(base.snap, run.snap);
      // Every variant conserves walkers on the occupancy grid.
      for (int r = 0; r < 2; ++r)
        for (int g = 0; g < 10; ++g) {
          int sum = 0;
          for (std::int32_t s = 0; s < static_cast<std::int32_t>(net.states.size()); ++s)
            sum += run.snap.occupancy[(r * 10 + g) * net.states.size() + s];
          EXPECT_EQ(sum, 1024) << v << ", grid point " << g;
        }
    }
  }
}

// Tables whose slot words cannot hold (target, row-relative edge): 16385
// states, state 0 with 65,536 exits (16 + 15 bits > 30). Packed variants fall
// back to the baseline kernel and say so.
TEST(KmcVariants, TooLargeForSlotWordsFallsBackToBaseline) {
  const std::int32_t n = 16385, exits = 65536;
  pk::kmc::KmcTables t;
  t.n = n;
  t.row_offsets.push_back(0);
  for (std::int32_t k = 0; k < exits; ++k) t.targets.push_back(1 + k % (n - 1)), t.edge_prob.push_back(1.0 / exits);
  t.row_offsets.push_back(exits);
  for (std::int32_t i = 1; i < n; ++i) t.targets.push_back(0), t.edge_prob.push_back(1.0), t.row_offsets.push_back(exits + i);
  t.macro.assign(n, pk::kmc::kMacroOther);
  t.macro[0] = pk::kmc::kMacroBound;
  t.macro[n - 1] = pk::kmc::kMacroUnbound;
  t.total_rate.assign(n, 1e9);
  t.start_cdf.assign(n, 1.0);
  pk::kmc::KmcParams p;
  p.seed = 4;
  p.replicas = 1;
  p.walkers = 64;
  p.horizon_s = 1.0;
  p.max_steps = 20;
  p.grid_points = 4;
  const auto run = [&](const std::string& v, std::string& ran) {
    p.variant = v;
    pk::kmc::KmcEngine engine(t, p);
    ran = engine.variant();
    engine.initialize();
    while (engine.advance(1.0, 1 << 30) > 0) {
    }
    return engine.snapshot();
  };
  std::string ran;
  const auto base = run("baseline", ran);
  for (const char* v : {"packed", "packed-int", "packed2", "packed2-int"}) {
    const auto snap = run(v, ran);
    EXPECT_EQ(ran, "baseline") << v;
    expect_same(base, snap);
  }
  EXPECT_EQ(std::accumulate(base.steps.begin(), base.steps.end(), std::int64_t{0}), 64 * 20);
}

// Every variant leaves state 0 of the stiff star by each exit with its
// probability (binomial, 5 sigma), an exit of probability 1e-9 at most twice
// in ~1.6e6 exits; counts add up to the steps; counted = uncounted walkers.
TEST(KmcVariants, EveryVariantSelectsExitsWithTheirProbabilities) {
  const auto net = stiff_star();
  const auto spec = pk::kmc::parse_start("bound", net);
  const auto tables = pk::kmc::build_tables(net, spec, 0, 1, pk::kmc::per_replica({}, 300.0, 1),
                                            pk::kmc::per_replica({}, 1e-6, 1), 1.0);
  for (const auto& v : pk::kmc::kmc_variants()) {
    const auto run = pk::test::simulate(net, "bound", 0, 4, 4096, 1.0, 13, 1, 1 << 30, 1e-6, 10, 200, true, v);
    const auto plain = pk::test::simulate(net, "bound", 0, 4, 4096, 1.0, 13, 1, 1 << 30, 1e-6, 10, 200, false, v);
    EXPECT_EQ(run.snap.time, plain.snap.time) << v;
    EXPECT_EQ(run.snap.state, plain.snap.state) << v;
    const std::size_t nnz = tables.targets.size();
    const std::int64_t first = tables.row_offsets[0], end = tables.row_offsets[1];
    std::vector<double> counts(static_cast<std::size_t>(end - first), 0.0);
    double total = 0, exits = 0;
    for (int r = 0; r < 4; ++r)
      for (std::size_t e = 0; e < nnz; ++e) {
        total += run.snap.transitions[r * nnz + e];
        if (static_cast<std::int64_t>(e) >= first && static_cast<std::int64_t>(e) < end)
          counts[e - first] += run.snap.transitions[r * nnz + e], exits += run.snap.transitions[r * nnz + e];
      }
    EXPECT_EQ(total, 4.0 * 4096 * 200) << v;
    ASSERT_GT(exits, 1.5e6) << v;
    for (std::int64_t e = first; e < end; ++e) {
      const double p = tables.edge_prob[e], c = counts[e - first];
      if (exits * p < 1e-3) {
        EXPECT_LE(c, 2) << v << ": edge to " << tables.targets[e] << ", p = " << p;
      } else {
        EXPECT_NEAR(c, exits * p, 5 * std::sqrt(exits * p * (1 - p)) + 2) << v << ": edge to " << tables.targets[e];
      }
    }
  }
}

// packed-int: the same invariances the baseline has (engine test), and the
// exact two-state dwell law.
TEST(KmcVariants, PackedIntDoesNotDependOnLaunchesSegmentsOrReplicaSplit) {
  const auto net = four_states();
  const std::string v = "packed-int";
  const auto whole = pk::test::simulate(net, "bound", 0, 4, 512, 5e-8, 99, 1, 1 << 30, 1e-6, 10, 0, true, v);
  const auto cut = pk::test::simulate(net, "bound", 0, 4, 512, 5e-8, 99, 7, 3, 1e-6, 10, 0, true, v);
  const auto low = pk::test::simulate(net, "bound", 0, 2, 512, 5e-8, 99, 2, 5, 1e-6, 10, 0, true, v);
  const auto high = pk::test::simulate(net, "bound", 2, 2, 512, 5e-8, 99, 5, 11, 1e-6, 10, 0, true, v);
  expect_same(whole.snap, cut.snap);
  std::vector<double> joined = low.snap.time;
  joined.insert(joined.end(), high.snap.time.begin(), high.snap.time.end());
  EXPECT_EQ(whole.snap.time, joined);
  std::vector<std::int64_t> counts = low.snap.transitions;
  counts.insert(counts.end(), high.snap.transitions.begin(), high.snap.transitions.end());
  EXPECT_EQ(whole.snap.transitions, counts);
  ASSERT_EQ(whole.variant, v);
  // The same 64 random bits decide as in the baseline, in exact integer
  // arithmetic instead of double: walks differ only where the baseline's
  // rounding flips a decision (~1e-15 per step), so practically never.
  const auto base = pk::test::simulate(net, "bound", 0, 4, 512, 5e-8, 99, 1, 1 << 30, 1e-6, 10, 0, true, "baseline");
  std::size_t same = 0;
  for (std::size_t i = 0; i < base.snap.time.size(); ++i)
    same += base.snap.time[i] == whole.snap.time[i] && base.snap.state[i] == whole.snap.state[i];
  EXPECT_GE(same, base.snap.time.size() - 2);
}

TEST(KmcVariants, PackedIntTwoStateDwellTimesAreExponentialWithTheExactRate) {
  const double koff = 1e6, kon_1M = 1e9, conc = 1e-6;
  const auto net = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound},
                                          {rate_edge(0, 1, koff), rate_edge(1, 0, kon_1M)});
  const auto run = pk::test::simulate(net, "bound", 0, 4, 4096, 2e-5, 7, 1, 1 << 30, conc, 20, 0, true, "packed-int");
  const auto& s = run.snap;
  std::vector<double> dwell;
  double events = 0, bound_time = 0;
  for (std::size_t i = 0; i < s.first_dwell.size(); ++i) {
    if (s.first_dwell[i] > 0) dwell.push_back(s.first_dwell[i]);
    events += s.n_unbind[i];
    bound_time += s.bound_time[i] + (s.phase[i] == pk::kmc::kPhaseBound ? 2e-5 - s.phase_start[i] : 0.0);
  }
  ASSERT_GT(dwell.size(), 16000u);
  EXPECT_LT(pk::test::ks_statistic(dwell, [&](double t) { return 1 - std::exp(-koff * t); }), kKs99);
  EXPECT_NEAR(events / bound_time, koff, 3 * koff / std::sqrt(events));
}

// packed-int with counts in global memory: counts add up to the steps,
// replica by replica, and walkers are the same counted or not.
TEST(KmcVariants, PackedIntGlobalCountsAddUpToTheSteps) {
  const auto net = large_random(8);
  const auto run = pk::test::simulate(net, "bound", 0, 2, 256, 1e-3, 17, 2, 1 << 30, 1e-6, 10, 400, true, "packed-int");
  const auto plain = pk::test::simulate(net, "bound", 0, 2, 256, 1e-3, 17, 2, 1 << 30, 1e-6, 10, 400, false, "packed-int");
  ASSERT_EQ(run.variant, "packed-int");
  EXPECT_EQ(run.snap.time, plain.snap.time);
  EXPECT_EQ(run.snap.occupancy, plain.snap.occupancy);
  const std::size_t nnz = net.edges.size();
  for (int r = 0; r < 2; ++r) {
    const double counted = std::accumulate(run.snap.transitions.begin() + r * nnz,
                                           run.snap.transitions.begin() + (r + 1) * nnz, 0.0);
    const double steps = std::accumulate(run.snap.steps.begin() + r * 256, run.snap.steps.begin() + (r + 1) * 256, 0.0);
    EXPECT_EQ(counted, steps) << "replica " << r;
    EXPECT_GT(steps, 256.0 * 100);
  }
}

// packed2 = packed and packed2-int = packed-int, bit for bit: walker counts
// that leave a lone walker in the last pair of a team (team remainders) or
// of the flat launch, launches cut by the step cap in mid-walk, a step
// budget, counts in team scratch, in global memory and none, an absorbing
// state, a discrete-time chain, a single walker.
TEST(KmcVariants, Packed2EqualsPackedBitForBit) {
  auto chain = pk::test::rate_network({Macrostate::Bound, Macrostate::Unbound}, {});
  chain.edges = {{0, 0, pk::network::EdgeKind::Probability, 0.98}, {0, 1, pk::network::EdgeKind::Probability, 0.02},
                 {1, 1, pk::network::EdgeKind::Probability, 0.999}, {1, 0, pk::network::EdgeKind::Probability, 0.001}};
  chain.lag_time_s = 1e-9;
  // Bound 0 <-> 1 <-> unbound 2 (binding at 1e12/M/s x 1 uM), and 1 -> 3, a
  // state without exits, after ~40 steps on average.
  const auto absorbing = pk::test::rate_network(
      {Macrostate::Bound, Macrostate::Other, Macrostate::Unbound, Macrostate::Other},
      {rate_edge(0, 1, 1e6), rate_edge(1, 0, 1e6), rate_edge(1, 2, 1e6), rate_edge(2, 1, 1e12), rate_edge(1, 3, 1e5)});
  const auto small = four_states();
  const auto large = large_random(5);
  struct Case {
    const pk::network::Network* net;
    std::int32_t first, replicas, walkers;
    double horizon_s;
    int segments;
    std::int64_t cap, max_steps;
    bool counted;
    const char* what;
  };
  const std::vector<Case> cases = {
      {&small, 0, 3, 1501, 5e-8, 3, 7, 0, true, "team scratch, 1024 + 477 walkers per replica, cap 7"},
      {&small, 1, 2, 1501, 5e-8, 2, 13, 0, false, "uncounted flat launch, odd total, cap 13"},
      {&small, 0, 1, 1, 5e-8, 1, 5, 0, true, "one walker"},
      {&large, 0, 2, 255, 1e-3, 3, 70, 300, true, "global counts, step budget 300 in launches of 70"},
      {&large, 0, 3, 85, 1e-3, 2, 45, 200, false, "uncounted, step budget 200 in launches of 45"},
      {&absorbing, 0, 2, 1023, 2e-4, 2, 50, 0, true, "absorbing state"},
      {&chain, 0, 2, 1023, 500e-9, 2, 50, 0, true, "discrete time"},
  };
  for (const auto& [one, two] : {std::make_pair("packed", "packed2"), std::make_pair("packed-int", "packed2-int")})
    for (const Case& c : cases) {
      SCOPED_TRACE(std::string(two) + " vs " + one + ": " + c.what);
      const auto single = pk::test::simulate(*c.net, "bound", c.first, c.replicas, c.walkers, c.horizon_s, 31,
                                             c.segments, c.cap, 1e-6, 10, c.max_steps, c.counted, one);
      const auto paired = pk::test::simulate(*c.net, "bound", c.first, c.replicas, c.walkers, c.horizon_s, 31,
                                             c.segments, c.cap, 1e-6, 10, c.max_steps, c.counted, two);
      ASSERT_EQ(single.variant, one);
      ASSERT_EQ(paired.variant, two);
      expect_same(single.snap, paired.snap);
      // The walks are long enough to span several launches and to record
      // trajectories, and the step budget stops walkers where there is one.
      EXPECT_GT(*std::max_element(single.snap.steps.begin(), single.snap.steps.end()), 2 * c.cap);
      EXPECT_GT(*std::max_element(single.snap.traj_count.begin(), single.snap.traj_count.end()), 1);
      if (c.max_steps > 0)
        EXPECT_GT(std::count(single.snap.done.begin(), single.snap.done.end(), pk::kmc::kDoneSteps), 0);
      if (c.net == &absorbing) EXPECT_GT(std::count(single.snap.state.begin(), single.snap.state.end(), 3), 1000);
      if (c.net != &chain || c.walkers > 1)
        EXPECT_GT(std::accumulate(single.snap.n_unbind.begin(), single.snap.n_unbind.end(), 0), 0);
    }
}
