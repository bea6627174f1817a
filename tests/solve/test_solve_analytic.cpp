// The exact solver against closed forms: two-state exchange, a driven
// three-state cycle (not in detailed balance), birth-death chains, a stiff
// trap whose rates span 1e12 and 1e-1 1/s, and a discrete-time chain.
#include "core/error.hpp"
#include "solve/solver.hpp"
#include "solve_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pk::solve {
namespace {

using test::Link;
using test::make_rates;
using test::relative_error;

constexpr Propagator kBoth[] = {Propagator::Spectral, Propagator::MatrixExponential};

TEST(SolveTwoState, MomentsStationaryRelaxationAndCurves) {
  const double k1 = 3.0e5, k2 = 7.0e3;  // A -> B, B -> A
  const auto rm = make_rates(2, {{0, 1, k1}, {1, 0, k2}});
  const PassageTimes to_b = mfpt_to_set(rm, {1});
  EXPECT_LT(relative_error(to_b.mean_s[0], 1.0 / k1), 1e-14);
  EXPECT_LT(relative_error(to_b.second_moment_s2[0], 2.0 / (k1 * k1)), 1e-14);
  EXPECT_EQ(to_b.mean_s[1], 0.0);
  const auto pi = stationary_distribution(rm);
  EXPECT_LT(relative_error(pi[0], k2 / (k1 + k2)), 1e-14);
  EXPECT_LT(relative_error(pi[1], k1 / (k1 + k2)), 1e-14);
  const auto relax = relaxation_times(rm);
  ASSERT_EQ(relax.size(), 1u);
  EXPECT_LT(relative_error(relax[0], 1.0 / (k1 + k2)), 1e-12);
  EXPECT_TRUE(satisfies_detailed_balance(rm));

  const std::vector<double> times = {0.0, 1e-9, 1e-7, 1e-6, 3e-6, 1e-5, 1e-4, 1e-3};
  for (Propagator method : kBoth) {
    const auto cdf = first_passage_cdf(rm, {1.0, 0.0}, {1}, times, method);
    const auto survival = survival_probability(rm, {1.0, 0.0}, {1}, times, method);
    const auto p = propagate(rm, {1.0, 0.0}, times, method);
    for (std::size_t i = 0; i < times.size(); ++i) {
      const double f = -std::expm1(-k1 * times[i]);
      const double s = std::exp(-k1 * times[i]);
      const double a = k2 / (k1 + k2) + k1 / (k1 + k2) * std::exp(-(k1 + k2) * times[i]);
      EXPECT_NEAR(cdf[i], f, 1e-10 * f + 1e-300) << "t = " << times[i];
      EXPECT_NEAR(survival[i], s, 1e-10 * s) << "t = " << times[i];
      // Occupancies from an eigen-expansion are accurate relative to 1, not to themselves.
      EXPECT_NEAR(p[2 * i], a, 1e-10 * a + 1e-15) << "t = " << times[i];
      EXPECT_NEAR(p[2 * i + 1], 1.0 - a, 1e-10 * (1.0 - a) + 1e-15) << "t = " << times[i];
    }
  }
}

TEST(SolveDrivenCycle, NonReversibleUsesTheGeneralPaths) {
  const double k = 2.0e4;  // 0 -> 1 -> 2 -> 0 only
  const auto rm = make_rates(3, {{0, 1, k}, {1, 2, k}, {2, 0, k}});
  EXPECT_FALSE(satisfies_detailed_balance(rm));
  const auto pi = stationary_distribution(rm);
  for (double x : pi) EXPECT_NEAR(x, 1.0 / 3.0, 1e-15);
  const PassageTimes to_2 = mfpt_to_set(rm, {2});
  EXPECT_LT(relative_error(to_2.mean_s[0], 2.0 / k), 1e-14);
  EXPECT_LT(relative_error(to_2.second_moment_s2[0], 6.0 / (k * k)), 1e-14);  // Erlang(2): 2 * 3 / k^2
  // Eigenvalues k (w - 1), w the cube roots of 1: real parts -3k/2 twice.
  const auto relax = relaxation_times(rm);
  ASSERT_EQ(relax.size(), 2u);
  for (double t : relax) EXPECT_LT(relative_error(t, 2.0 / (3.0 * k)), 1e-10);
  const std::vector<double> times = {0.0, 1e-6, 1e-5, 1e-4, 1e-3};
  const auto cdf = first_passage_cdf(rm, {1.0, 0.0, 0.0}, {2}, times);
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double kt = k * times[i];
    const double erlang = 1.0 - std::exp(-kt) * (1.0 + kt);
    EXPECT_NEAR(cdf[i], erlang, 1e-10 * erlang + 1e-15) << "t = " << times[i];
  }
  EXPECT_THROW(first_passage_cdf(rm, {1.0, 0.0, 0.0}, {2}, times, Propagator::Spectral), UsageError);
}

network::RateMatrix birth_death(const std::vector<double>& forward, const std::vector<double>& backward) {
  const auto n = static_cast<std::int32_t>(forward.size()) + 1;  // state n-1 absorbs
  std::vector<Link> links;
  for (std::int32_t i = 0; i + 1 < n; ++i) {
    links.push_back({i, i + 1, forward[i]});
    if (i > 0) links.push_back({i, i - 1, backward[i]});
  }
  return make_rates(n, links);
}

TEST(SolveLinearChain, UniformRatesMatchTheClosedForm) {
  const int n = 12;
  for (const double b : {5.0e3, 1.0e4, 3.0e4}) {
    const double a = 1.0e4, r = b / a;
    const auto rm = birth_death(std::vector<double>(n, a), std::vector<double>(n, b));
    const double mfpt = mfpt_to_set(rm, {n}).mean_s[0];
    // T_i = (1/a) sum_{j<=i} r^j to step i -> i+1, summed over i < n.
    const double expected = r == 1.0 ? n * (n + 1) / (2.0 * a)
                                     : (n - r * (1.0 - std::pow(r, n)) / (1.0 - r)) / (a * (1.0 - r));
    EXPECT_LT(relative_error(mfpt, expected), 1e-13) << "b/a = " << r;
  }
}

TEST(SolveLinearChain, StiffNonUniformRatesMatchTheRecurrence) {
  const int n = 40;
  std::vector<double> forward(n), backward(n);
  for (int i = 0; i < n; ++i) {  // rates between 1e3 and 1e12 1/s, in no pattern
    forward[i] = std::pow(10.0, 3.0 + std::fmod(7.3 * i, 9.0));
    backward[i] = std::pow(10.0, 3.0 + std::fmod(4.1 * i + 2.0, 9.0));
  }
  const auto rm = birth_death(forward, backward);
  const PassageTimes got = mfpt_to_set(rm, {n});
  // Mean time to step i -> i+1: T_0 = 1/a_0, T_i = 1/a_i + (b_i/a_i) T_{i-1}.
  std::vector<double> step(n);
  for (int i = 0; i < n; ++i) step[i] = 1.0 / forward[i] + (i > 0 ? backward[i] / forward[i] * step[i - 1] : 0.0);
  double from = 0.0;
  for (int k = n - 1; k >= 0; --k) {
    from += step[k];
    EXPECT_LT(relative_error(got.mean_s[k], from), 1e-12) << "state " << k;
  }
}

TEST(SolveStiffTrap, CurvesMatchTheClosedFormAcrossSixteenDecades) {
  // 0 <-> 1 exchange at 1e12 1/s; only 1 leaves, at 0.1 1/s, to 2.
  const double w01 = 1.0e12, w10 = 1.0e12, v = 0.1;
  const auto rm = make_rates(3, {{0, 1, w01}, {1, 0, w10}, {1, 2, v}, {2, 1, 1.0}});
  const double trace = w01 + w10 + v, det = w01 * v;  // det of -Q_AA without cancellation
  const double fast = 0.5 * (trace + std::sqrt(trace * trace - 4.0 * det)), slow = det / fast;
  const double mean = (w01 + w10 + v) / det;
  EXPECT_LT(relative_error(mfpt_to_set(rm, {2}).mean_s[0], mean), 1e-13);
  // From state 0, F'(0) = 0: S = (fast e^-slow t - slow e^-fast t) / (fast - slow).
  const auto times = test::log_grid(1e-14, 1e2, 33);
  for (Propagator method : kBoth) {
    const auto cdf = first_passage_cdf(rm, {1.0, 0.0, 0.0}, {2}, times, method);
    const auto survival = survival_probability(rm, {1.0, 0.0, 0.0}, {2}, times, method);
    for (std::size_t i = 0; i < times.size(); ++i) {
      const double t = times[i];
      const double f = (-fast * std::expm1(-slow * t) + slow * std::expm1(-fast * t)) / (fast - slow);
      const double s = (fast * std::exp(-slow * t) - slow * std::exp(-fast * t)) / (fast - slow);
      // The spectral path keeps full precision; scaling and squaring loses
      // about eps * ||Q|| t (its squarings amplify the slow mode's rounding).
      const double tol = method == Propagator::Spectral ? 1e-12 : 1e-9 + 5e-16 * (w01 + w10) * t;
      EXPECT_LT(relative_error(survival[i], s), tol) << "t = " << t << " method " << int(method);
      EXPECT_LT(relative_error(cdf[i], f), tol) << "t = " << t << " method " << int(method);
    }
  }
}

TEST(SolveDiscreteTime, TwoStateChainAtLagTau) {
  const double tau = 2.0e-9, p = 0.03, q = 0.2;
  const auto rm = make_rates(2, {{0, 0, 1.0 - p}, {0, 1, p}, {1, 0, q}, {1, 1, 1.0 - q}}, tau);
  const PassageTimes to_1 = mfpt_to_set(rm, {1});
  EXPECT_LT(relative_error(to_1.mean_s[0], tau / p), 1e-13);
  EXPECT_LT(relative_error(to_1.second_moment_s2[0], tau * tau * (2.0 - p) / (p * p)), 1e-13);  // geometric
  const auto pi = stationary_distribution(rm);
  EXPECT_LT(relative_error(pi[0], q / (p + q)), 1e-14);
  const auto relax = relaxation_times(rm);
  ASSERT_EQ(relax.size(), 1u);
  EXPECT_LT(relative_error(relax[0], -tau / std::log(1.0 - p - q)), 1e-12);
  // 2.5 lags round down to 2; 3 * tau is exactly 3 lags despite rounding.
  const std::vector<double> times = {0.0, 0.5 * tau, 2.5 * tau, 3.0 * tau, 40.0 * tau, 1000.0 * tau};
  const std::vector<int> lags = {0, 0, 2, 3, 40, 1000};
  const auto cdf = first_passage_cdf(rm, {1.0, 0.0}, {1}, times);
  const auto occupancy = propagate(rm, {1.0, 0.0}, times);
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double f = 1.0 - std::pow(1.0 - p, lags[i]);
    const double a = q / (p + q) + p / (p + q) * std::pow(1.0 - p - q, lags[i]);
    EXPECT_NEAR(cdf[i], f, 1e-13) << "lags " << lags[i];
    EXPECT_NEAR(occupancy[2 * i], a, 1e-13) << "lags " << lags[i];
  }
}

TEST(SolveDiscreteTime, DrivenCycleUsesTheGeneralPaths) {
  const double tau = 1.0e-10, p = 0.1;  // 0 -> 1 -> 2 -> 0, stay with 1 - p
  const auto rm = make_rates(
      3, {{0, 0, 1.0 - p}, {0, 1, p}, {1, 1, 1.0 - p}, {1, 2, p}, {2, 2, 1.0 - p}, {2, 0, p}}, tau);
  EXPECT_FALSE(satisfies_detailed_balance(rm));
  // Two geometric(p) steps: mean 2/p lags, E[N^2] = 2(1-p)/p^2 + 4/p^2.
  const PassageTimes to_2 = mfpt_to_set(rm, {2});
  EXPECT_LT(relative_error(to_2.mean_s[0], 2.0 * tau / p), 1e-13);
  EXPECT_LT(relative_error(to_2.second_moment_s2[0], tau * tau * (6.0 - 2.0 * p) / (p * p)), 1e-13);
  // Eigenvalues 1 - p + p w: modulus^2 = (1 - 3p/2)^2 + 3p^2/4.
  const double modulus = std::sqrt((1.0 - 1.5 * p) * (1.0 - 1.5 * p) + 0.75 * p * p);
  const auto relax = relaxation_times(rm);
  ASSERT_EQ(relax.size(), 2u);
  for (double t : relax) EXPECT_LT(relative_error(t, -tau / std::log(modulus)), 1e-12);
  const std::vector<double> times = {0.0, 1.0 * tau, 7.0 * tau, 50.0 * tau};
  const auto cdf = first_passage_cdf(rm, {1.0, 0.0, 0.0}, {2}, times);
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double k = std::round(times[i] / tau);
    const double f = 1.0 - std::pow(1.0 - p, k) - k * p * std::pow(1.0 - p, k - 1.0);  // negative binomial
    EXPECT_NEAR(cdf[i], f, 1e-14) << "lags " << k;
  }
}

TEST(SolveCommittor, BirthDeathChainMatchesGamblersRuin) {
  const double a = 3.0e6, b = 1.0e6;  // biased walk on 0..6, from 0, to 6
  std::vector<Link> links;
  for (int i = 0; i < 6; ++i) links.push_back({i, i + 1, a});
  for (int i = 1; i <= 6; ++i) links.push_back({i, i - 1, b});
  const auto q = committor(make_rates(7, links), {0}, {6});
  const double r = b / a;
  for (int i = 0; i <= 6; ++i) EXPECT_NEAR(q[i], (1.0 - std::pow(r, i)) / (1.0 - std::pow(r, 6)), 1e-14);
}

TEST(SolveUnreachable, InfiniteMomentsAndUndefinedCommittors) {
  // 1 <- 0 -> 2 where 2 is a dead end: from 0 the target {1} may be missed.
  const auto rm = make_rates(4, {{0, 1, 1.0e3}, {0, 2, 1.0e3}, {3, 1, 5.0e2}});
  const PassageTimes m = mfpt_to_set(rm, {1});
  EXPECT_TRUE(std::isinf(m.mean_s[0]));
  EXPECT_TRUE(std::isinf(m.mean_s[2]));
  EXPECT_LT(relative_error(m.mean_s[3], 1.0 / 5.0e2), 1e-15);
  const auto q = committor(rm, {2}, {1});
  EXPECT_NEAR(q[0], 0.5, 1e-15);
  EXPECT_THROW(stationary_distribution(rm), InputError);
  EXPECT_THROW(mfpt_to_set(rm, {7}), UsageError);
  EXPECT_THROW(committor(rm, {1}, {1}), UsageError);
  EXPECT_THROW(first_passage_cdf(rm, {1.0, 0.0, 0.0, 0.0}, {1}, {-1.0}), UsageError);
}

TEST(SolveValidation, MalformedMatricesAreRejected) {
  auto rm = make_rates(2, {{0, 1, 1.0}, {1, 0, 1.0}});
  rm.values[0] = -1.0;
  EXPECT_THROW(stationary_distribution(rm), InputError);
  const auto bad_rows = make_rates(2, {{0, 1, 0.5}, {1, 0, 1.0}}, 1e-9);  // row 0 sums to 0.5
  EXPECT_THROW(mfpt_to_set(bad_rows, {1}), InputError);
}

}  // namespace
}  // namespace pk::solve
