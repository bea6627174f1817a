// A stiff network in detailed balance: 200 states with random free energies,
// Eyring edges whose rates span 1e3..1e12 1/s. Checks the solver against
// independent facts: Boltzmann populations, the committor equation, Kemeny's
// constant (sum of relaxation times = sum_j pi_j MFPT(i -> j) for any i), the
// two propagation paths against each other, and the moments of the
// first-passage distribution against the linear-solve MFPTs.
#include "core/units.hpp"
#include "solve/solver.hpp"
#include "solve_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

namespace pk::solve {
namespace {

using test::relative_error;

constexpr int kStates = 200;
constexpr double kTemperature_K = 300.0;

network::Network random_network() {
  std::mt19937_64 rng(20240611);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  network::Network net;
  for (int i = 0; i < kStates; ++i) {
    network::State s;
    s.id = i;
    s.macrostate = i < 10 ? network::Macrostate::Bound
                          : (i >= kStates - 10 ? network::Macrostate::Unbound : network::Macrostate::Other);
    // A deep bound pocket makes unbinding far slower than any single rate.
    s.free_energy_kcal_per_mol = s.macrostate == network::Macrostate::Bound ? 2.0 * unit(rng) : 4.0 + 6.0 * unit(rng);
    net.states.push_back(s);
  }
  std::set<std::pair<int, int>> pairs;
  for (int i = 1; i < kStates; ++i) pairs.insert({static_cast<int>(unit(rng) * i), i});  // a spanning tree
  while (pairs.size() < 3 * kStates) {
    const int a = static_cast<int>(unit(rng) * kStates), b = static_cast<int>(unit(rng) * kStates);
    if (a != b) pairs.insert({std::min(a, b), std::max(a, b)});
  }
  // Barriers from the lower state between 1.1 and 13.3 kcal/mol (rates from
  // 1e3 to 1e12 1/s at 300 K); 12 to 13.3 kcal/mol out of the bound pocket.
  for (const auto& [a, b] : pairs) {
    const double ga = net.states[a].free_energy_kcal_per_mol, gb = net.states[b].free_energy_kcal_per_mol;
    const bool leaves_pocket = (a < 10) != (b < 10);
    const double top = leaves_pocket ? 12.0 - std::abs(ga - gb) + 1.3 * unit(rng)
                                     : 1.1 + (12.2 - std::abs(ga - gb)) * unit(rng);
    const double ts = std::max(ga, gb) + top;
    net.edges.push_back({a, b, network::EdgeKind::Eyring, ts});
    net.edges.push_back({b, a, network::EdgeKind::Eyring, ts});
  }
  return net;
}

class SolveStiffNetwork : public testing::Test {
 protected:
  void SetUp() override {
    net = random_network();
    network::Conditions cond;
    cond.temperature_K = kTemperature_K;
    cond.concentration_M = 1.0;  // association rates unscaled: populations are Boltzmann
    rates = network::build_rates(net, cond);
    bound = network::states_in(net, network::Macrostate::Bound);
    unbound = network::states_in(net, network::Macrostate::Unbound);
    from_bound = network::start_distribution(net, network::Macrostate::Bound, kTemperature_K);
  }
  network::Network net;
  network::RateMatrix rates;
  StateSet bound, unbound;
  std::vector<double> from_bound;
};

TEST_F(SolveStiffNetwork, RatesSpanNineDecadesInDetailedBalance) {
  const auto [lo, hi] = std::minmax_element(rates.values.begin(), rates.values.end());
  EXPECT_LT(*lo, 1e4);
  EXPECT_GT(*hi, 1e11);
  EXPECT_TRUE(satisfies_detailed_balance(rates));
}

TEST_F(SolveStiffNetwork, StationaryIsBoltzmann) {
  const auto pi = stationary_distribution(rates);
  const double rt = units::rt_kcal_per_mol(kTemperature_K);
  double z = 0.0;
  for (const auto& s : net.states) z += std::exp(-s.free_energy_kcal_per_mol / rt);
  for (int i = 0; i < kStates; ++i)
    EXPECT_LT(relative_error(pi[i], std::exp(-net.states[i].free_energy_kcal_per_mol / rt) / z), 1e-9) << i;
}

TEST_F(SolveStiffNetwork, CommittorSatisfiesItsEquation) {
  const auto q = committor(rates, unbound, bound);
  for (int i = 0; i < kStates; ++i) {
    ASSERT_GE(q[i], 0.0);
    ASSERT_LE(q[i], 1.0);
    if (net.states[i].macrostate != network::Macrostate::Other) continue;
    double residual = 0.0, scale = 0.0;  // sum_j k_ij (q_j - q_i) = 0
    for (std::int64_t e = rates.row_offsets[i]; e < rates.row_offsets[i + 1]; ++e) {
      residual += rates.values[e] * (q[rates.targets[e]] - q[i]);
      scale += rates.values[e] * (q[rates.targets[e]] + q[i]);
    }
    EXPECT_LT(std::abs(residual), 1e-12 * scale) << "state " << i;
  }
}

TEST_F(SolveStiffNetwork, RelaxationTimesSumToKemenysConstant) {
  const auto relax = relaxation_times(rates);
  ASSERT_EQ(relax.size(), static_cast<std::size_t>(kStates - 1));
  EXPECT_TRUE(std::is_sorted(relax.rbegin(), relax.rend()));
  const auto pi = stationary_distribution(rates);
  for (int start : {0, 57, kStates - 1}) {
    double kemeny = 0.0;
    for (int j = 0; j < kStates; ++j) kemeny += pi[j] * mfpt_to_set(rates, {j}).mean_s[start];
    double sum = 0.0;
    for (double t : relax) sum += t;
    EXPECT_LT(relative_error(sum, kemeny), 1e-9) << "from state " << start;
  }
  // Stiff: the slowest process is over 1e7 times slower than the fastest.
  EXPECT_GT(relax.front(), 1e7 * relax.back());
}

TEST_F(SolveStiffNetwork, SpectralAndMatrixExponentialAgree) {
  const auto times = test::log_grid(1e-12, 1e-2, 21);
  const auto cdf_spectral = first_passage_cdf(rates, from_bound, unbound, times, Propagator::Spectral);
  const auto cdf_expm = first_passage_cdf(rates, from_bound, unbound, times, Propagator::MatrixExponential);
  const auto p_spectral = propagate(rates, from_bound, times, Propagator::Spectral);
  const auto p_expm = propagate(rates, from_bound, times, Propagator::MatrixExponential);
  double fastest = 0.0;
  for (std::int32_t i = 0; i < rates.n; ++i) fastest = std::max(fastest, rates.total_rate(i));
  for (std::size_t i = 0; i < times.size(); ++i) {
    // Scaling and squaring loses about eps * ||Q|| t; the spectral path does not.
    const double drift = 1e-15 * fastest * times[i];
    EXPECT_NEAR(cdf_expm[i], cdf_spectral[i], (1e-8 + drift) * cdf_spectral[i] + 1e-17) << "t = " << times[i];
    double total = 0.0;
    for (int j = 0; j < kStates; ++j) {
      total += p_spectral[i * kStates + j];
      EXPECT_NEAR(p_expm[i * kStates + j], p_spectral[i * kStates + j], 1e-14 + drift) << "t = " << times[i];
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
  }
}

TEST_F(SolveStiffNetwork, FirstPassageDistributionIntegratesToTheMoments) {
  const PassageTimes m = mfpt_to_set(rates, unbound);
  double mean = 0.0, second = 0.0, longest = 0.0;
  for (int i : bound) {
    mean += from_bound[i] * m.mean_s[i];
    second += from_bound[i] * m.second_moment_s2[i];
    longest = std::max(longest, m.mean_s[i]);
  }
  const double t0 = 1e-16;
  const auto times = test::log_grid(t0, 60.0 * longest, 6001);
  const auto cdf = first_passage_cdf(rates, from_bound, unbound, times);
  const auto survival = survival_probability(rates, from_bound, unbound, times);
  EXPECT_EQ(first_passage_cdf(rates, from_bound, unbound, {0.0})[0], 0.0);
  EXPECT_LT(1.0 - cdf.back(), 1e-12);
  double integral = t0, integral2 = t0 * t0;  // S ~ 1 below t0
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_NEAR(cdf[i] + survival[i], 1.0, 1e-13);
    if (i == 0) continue;
    EXPECT_GE(cdf[i], cdf[i - 1] - 1e-15) << "F decreases at t = " << times[i];
    // Trapezoids in ln t: dt = t d(ln t).
    const double du = std::log(times[i] / times[i - 1]);
    integral += 0.5 * du * (survival[i] * times[i] + survival[i - 1] * times[i - 1]);
    integral2 += du * (survival[i] * times[i] * times[i] + survival[i - 1] * times[i - 1] * times[i - 1]);
  }
  EXPECT_LT(relative_error(integral, mean), 1e-4);
  EXPECT_LT(relative_error(integral2, second), 1e-4);
}

TEST_F(SolveStiffNetwork, OccupancyRelaxesToTheStationaryDistribution) {
  const double slowest = relaxation_times(rates).front();
  const auto pi = stationary_distribution(rates);
  const auto p = propagate(rates, from_bound, {0.0, 80.0 * slowest});
  for (int j = 0; j < kStates; ++j) {
    EXPECT_NEAR(p[j], from_bound[j], 1e-14);
    EXPECT_LT(relative_error(p[kStates + j], pi[j]), 1e-9) << j;
  }
}

}  // namespace
}  // namespace pk::solve
