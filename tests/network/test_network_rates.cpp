// Rates from loaded networks against formulas evaluated here from the CODATA
// 2018 constants: Eyring rates, detailed balance through shared transition
// states, and the concentration rule of network.hpp.
#include "network/load.hpp"
#include "network_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pk::network {
namespace {

using test::input_path;

// CODATA 2018 exact values, written out here independently of core/units.hpp.
constexpr double kB = 1.380649e-23;     // J/K
constexpr double kH = 6.62607015e-34;   // J s
constexpr double kNA = 6.02214076e23;   // 1/mol
constexpr double kJPerKcal = 4184.0;    // thermochemical calorie

double rt_kcal(double t) { return kB * t * kNA / kJPerKcal; }

/// The (i, j) entry of the matrix; NaN where there is none.
double entry(const RateMatrix& m, std::int32_t i, std::int32_t j) {
  for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e)
    if (m.targets[e] == j) return m.values[e];
  return std::nan("");
}

void expect_relative(double actual, double expected, double tol, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), tol * std::abs(expected))
      << what << ": " << actual << " vs " << expected << " (relative " << (actual - expected) / expected << ")";
}

Network six_state() { return load_csv(input_path("six_state/states.csv"), input_path("six_state/edges.csv")); }

TEST(NetworkRates, EyringRatesMatchTheFormula) {
  const Network net = six_state();
  for (const Conditions c : {Conditions{300.0, 1.0, 1.0}, Conditions{310.0, 0.37, 1.0}, Conditions{273.15, 1.0, 1.0}}) {
    const RateMatrix m = build_rates(net, c);
    ASSERT_EQ(m.n, 6);
    ASSERT_EQ(m.values.size(), net.edges.size());
    for (const Edge& e : net.edges) {
      const double g_from = net.states[e.from].free_energy_kcal_per_mol;
      const double k = c.kappa * kB * c.temperature_K / kH * std::exp(-(e.value - g_from) / rt_kcal(c.temperature_K));
      expect_relative(entry(m, e.from, e.to), k, 1e-12,
                      "k(" + std::to_string(e.from) + "->" + std::to_string(e.to) + ") at " +
                          std::to_string(c.temperature_K) + " K");
    }
  }
}

TEST(NetworkRates, DetailedBalanceHoldsThroughSharedTransitionStates) {
  const Network net = six_state();
  for (const double t : {250.0, 300.0, 350.0}) {
    const RateMatrix m = build_rates(net, Conditions{t, 0.5, 1.0});  // 1 M: the standard state of G
    int pairs = 0;
    for (std::int32_t i = 0; i < m.n; ++i)
      for (std::int32_t j = i + 1; j < m.n; ++j) {
        const double kij = entry(m, i, j), kji = entry(m, j, i);
        if (std::isnan(kij) && std::isnan(kji)) continue;
        ++pairs;
        const double gi = net.states[i].free_energy_kcal_per_mol, gj = net.states[j].free_energy_kcal_per_mol;
        expect_relative(kij / kji, std::exp(-(gj - gi) / rt_kcal(t)), 1e-12,
                        "k_ij/k_ji for " + std::to_string(i) + "," + std::to_string(j));
      }
    EXPECT_EQ(pairs, 7);
  }
}

TEST(NetworkRates, TwoStateExampleGivesTheMeasuredTrypsinBenzamidineKinetics) {
  // REFERENCE.md: k_B T / h = 6.25e12 1/s at 300 K; koff ~ 600 1/s, kon ~ 2.9e7 1/(M s).
  EXPECT_NEAR(kB * 300.0 / kH, 6.25e12, 0.01e12);
  const Network net = load_csv(input_path("two_state/states.csv"), input_path("two_state/edges.csv"));
  const double c_M = 1e-6;
  const RateMatrix m = build_rates(net, Conditions{300.0, 1.0, c_M});
  expect_relative(entry(m, 0, 1), 600.0, 1e-3, "koff");
  expect_relative(entry(m, 1, 0) / c_M, 2.9e7, 1e-3, "kon");
}

/// Edges leaving an unbound state for a non-unbound one scale with [L]; the rest do not.
void expect_concentration_rule(const Network& net, int expected_association_edges) {
  const double c1 = 1e-6, c2 = 2.5e-3;
  const RateMatrix a = build_rates(net, Conditions{300.0, 1.0, c1});
  const RateMatrix b = build_rates(net, Conditions{300.0, 1.0, c2});
  const RateMatrix standard = build_rates(net, Conditions{300.0, 1.0, 1.0});
  int association = 0;
  for (const Edge& e : net.edges) {
    const bool scaled = net.states[e.from].macrostate == Macrostate::Unbound &&
                        net.states[e.to].macrostate != Macrostate::Unbound;
    const double ka = entry(a, e.from, e.to), kb = entry(b, e.from, e.to), k1 = entry(standard, e.from, e.to);
    const std::string what = "edge " + std::to_string(e.from) + "->" + std::to_string(e.to);
    if (scaled) {
      ++association;
      expect_relative(kb / ka, c2 / c1, 1e-12, what);
      expect_relative(ka, k1 * c1, 1e-12, what);
    } else {
      EXPECT_EQ(ka, kb) << what;
      EXPECT_EQ(ka, k1) << what;
    }
  }
  EXPECT_EQ(association, expected_association_edges);
}

TEST(NetworkRates, AssociationRatesScaleLinearlyWithConcentration) {
  expect_concentration_rule(six_state(), 2);  // near_protein -> surface, near_protein -> pocket_entrance
  const Network rates = load_csv(input_path("explicit_rates/states.csv"), input_path("explicit_rates/edges.csv"));
  expect_concentration_rule(rates, 1);  // 4 -> 3
  const RateMatrix m = build_rates(rates, Conditions{300.0, 1.0, 2e-6});
  expect_relative(entry(m, 3, 2), 5e8 * 2e-6, 1e-12, "explicit association rate");
  EXPECT_EQ(entry(m, 2, 3), 2e4);  // dissociation does not depend on [L]
}

TEST(NetworkRates, TransitionProbabilitiesIgnoreConcentration) {
  const Network net = load_transition_matrix(input_path("msm_four_state/states.csv"),
                                             input_path("msm_four_state/transition.csv"), 1e-9);
  const RateMatrix a = build_rates(net, Conditions{300.0, 1.0, 1e-6});
  const RateMatrix b = build_rates(net, Conditions{300.0, 1.0, 1e-2});
  EXPECT_TRUE(a.discrete_time());
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(entry(a, 3, 2), 0.01);  // unbound -> other, not scaled
  EXPECT_EQ(entry(a, 3, 3), 0.99);  // self-loop kept
}

}  // namespace
}  // namespace pk::network
