// The dense matrix exponential behind propagate() and the first-passage
// curves: the host path against closed forms everywhere; the cuBLAS path
// against the host path on CUDA builds with a GPU (skipped otherwise).
#include "core/error.hpp"
#include "solve/detail/dense.hpp"
#include "solve/detail/expm.hpp"
#include "solve/solver.hpp"
#include "solve_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace pk::solve {
namespace {

using test::Link;
using test::make_rates;

const double kPi = std::acos(-1.0);

double max_abs_diff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) { return (a - b).cwiseAbs().maxCoeff(); }

/// Absolute accuracy of exp(A) for a generator-like A (||exp(A)||_inf ~ 1):
/// each of the s ~ log2(||A||_1 / 5.37) squarings can double the rounding.
double squaring_tolerance(double norm1) { return 1e-13 + 4.0 * 2.2e-16 * std::max(1.0, norm1 / 5.37); }

TEST(SolveExpmHost, DiagonalMatrix) {
  const std::vector<double> d = {-30.0, -1.0e-3, 0.0, 0.7, 2.5, 9.0};
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(6, 6);
  for (int i = 0; i < 6; ++i) a(i, i) = d[i];
  const Eigen::MatrixXd e = detail::expm_host(a);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      if (i == j) EXPECT_NEAR(e(i, i), std::exp(d[i]), 1e-13 * std::exp(d[i])) << "d = " << d[i];
      else EXPECT_EQ(e(i, j), 0.0);
    }
  const Eigen::MatrixXd one = Eigen::MatrixXd::Constant(1, 1, -2.5);
  EXPECT_NEAR(detail::expm_host(one)(0, 0), std::exp(-2.5), 1e-15);
}

TEST(SolveExpmHost, SkewMatrixIsARotation) {
  for (const double t : {1e-3, 0.1, 1.0, 3.0, 10.0, 100.0}) {
    Eigen::MatrixXd a(2, 2);
    a << 0.0, t, -t, 0.0;
    Eigen::MatrixXd want(2, 2);
    want << std::cos(t), std::sin(t), -std::sin(t), std::cos(t);
    // Squaring s ~ log2(t / 5.4) times loses about 2^s ulps.
    EXPECT_LT(max_abs_diff(detail::expm_host(a), want), 1e-14 * std::max(1.0, t)) << "t = " << t;
  }
}

TEST(SolveExpmHost, TwoStateGeneratorMatchesTheClosedForm) {
  const double a = 3.0e5, b = 7.0e3;  // 0 -> 1, 1 -> 0
  for (const double t : {0.0, 1e-9, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1.0}) {
    Eigen::MatrixXd q(2, 2);
    q << -a, a, b, -b;
    const double s = a + b, decay = std::exp(-s * t), gone = -std::expm1(-s * t);
    Eigen::MatrixXd want(2, 2);
    want << (b + a * decay) / s, a * gone / s, b * gone / s, (a + b * decay) / s;
    const Eigen::MatrixXd got = detail::expm_host(q * t);
    EXPECT_LT(max_abs_diff(got, want), squaring_tolerance((a + b) * t)) << "t = " << t;
    // The small off-diagonal entries are accurate relative to themselves too.
    if (t > 0.0 && t < 1e-5) EXPECT_NEAR(got(0, 1), want(0, 1), 1e-9 * want(0, 1)) << "t = " << t;
  }
}

TEST(SolveExpm, DispatchAgreesWithThePathItReports) {
  Eigen::MatrixXd q(3, 3);
  q << -2.0, 1.5, 0.5, 0.25, -0.75, 0.5, 1.0, 2.0, -3.0;
  const Eigen::MatrixXd want = detail::expm_uses_gpu() ? detail::expm_cublas(q) : detail::expm_host(q);
  EXPECT_EQ(max_abs_diff(detail::expm(q), want), 0.0);
  if (!detail::expm_uses_gpu()) {
    // Host builds, or CUDA builds on a machine without a GPU: bit for bit Eigen.
    const Eigen::MatrixXd eigen = detail::expm_host(q);
    EXPECT_EQ(max_abs_diff(detail::expm(q), eigen), 0.0);
  }
}

/// p_j(t) from state 0 of the driven cycle 0 -> 1 -> 2 -> 0 (all rates k):
/// 1/3 + 2/3 e^(-3kt/2) cos(sqrt(3) kt/2 - 2 pi j / 3).
double driven_cycle(double k, double t, int j) {
  return 1.0 / 3.0 + 2.0 / 3.0 * std::exp(-1.5 * k * t) * std::cos(std::sqrt(3.0) / 2.0 * k * t - 2.0 * kPi * j / 3.0);
}

const std::vector<double> kCycleTimes = {0.0, 1e-7, 1e-6, 1e-5, 3e-5, 1e-4, 1e-3, 1.0};

/// propagate() and the Erlang first-passage CDF of the driven cycle (the
/// matrix-exponential paths, whichever expm runs) against closed forms.
void check_driven_cycle() {
  const double k = 2.0e4;
  const auto rm = make_rates(3, {{0, 1, k}, {1, 2, k}, {2, 0, k}});
  const auto p = propagate(rm, {1.0, 0.0, 0.0}, kCycleTimes, Propagator::MatrixExponential);
  ASSERT_EQ(p.size(), 3 * kCycleTimes.size());
  const auto cdf = first_passage_cdf(rm, {1.0, 0.0, 0.0}, {2}, kCycleTimes, Propagator::MatrixExponential);
  for (std::size_t i = 0; i < kCycleTimes.size(); ++i) {
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(p[3 * i + j], driven_cycle(k, kCycleTimes[i], j), squaring_tolerance(2.0 * k * kCycleTimes[i]))
          << "t = " << kCycleTimes[i] << " j = " << j;
    const double kt = k * kCycleTimes[i];
    const double erlang = 1.0 - std::exp(-kt) * (1.0 + kt);
    EXPECT_NEAR(cdf[i], erlang, 1e-10 * erlang + 1e-15) << "t = " << kCycleTimes[i];
  }
}

TEST(SolveExpm, DrivenCycleThroughPropagate) { check_driven_cycle(); }

// ---- cuBLAS against the host (CUDA builds with a GPU) ----

/// A random irreducible, non-reversible generator: a ring both ways plus about
/// 3 random links per state, every rate log-uniform in [1e3, 1e12] 1/s.
Eigen::MatrixXd random_generator(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(3.0, 12.0);
  std::uniform_int_distribution<int> state(0, n - 1);
  std::set<std::pair<int, int>> pairs;
  for (int i = 0; i < n; ++i) {
    pairs.insert({i, (i + 1) % n});
    pairs.insert({(i + 1) % n, i});
    for (int e = 0; e < 3; ++e) {
      const int j = state(rng);
      if (j != i) pairs.insert({i, j});
    }
  }
  std::vector<Link> links;
  for (const auto& [i, j] : pairs) links.push_back({i, j, std::pow(10.0, exponent(rng))});
  return detail::dense_matrix(make_rates(n, links));
}

TEST(SolveExpmCublas, MatchesTheHostOnRandomStiffGenerators) {
  if (!detail::expm_uses_gpu()) GTEST_SKIP() << "no GPU";
  for (const int n : {50, 200}) {
    const Eigen::MatrixXd q = random_generator(n, 20240917u + static_cast<std::uint64_t>(n));
    const double norm = q.cwiseAbs().colwise().sum().maxCoeff();
    // ||Q t||_1 from 1e-3 to 1e6: every Pade degree (3, 5, 7, 9, 13) and 0..18 squarings.
    for (const double target : {1e-3, 1e-2, 0.1, 0.5, 1.5, 4.0, 10.0, 1e2, 1e3, 1e4, 1e5, 1e6}) {
      const double t = target / norm;
      const Eigen::MatrixXd host = detail::expm_host(q * t);
      const Eigen::MatrixXd gpu = detail::expm_cublas(q * t);
      const double rel = (gpu - host).norm() / host.norm();
      // Same degrees, coefficients and scaling; only GEMM summation order differs.
      // Each squaring at most doubles that rounding (||P||_inf = 1): ~2^18 u ~ 6e-11.
      EXPECT_LT(rel, 1e-9) << "n = " << n << ", ||Q t||_1 = " << target;
      EXPECT_LT((gpu.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-9) << "n = " << n << ", ||Q t||_1 = " << target;
      EXPECT_GE(gpu.minCoeff(), -1e-9) << "n = " << n << ", ||Q t||_1 = " << target;
    }
  }
}

TEST(SolveExpmCublas, DrivenCycleMatchesTheHostPath) {
  if (!detail::expm_uses_gpu()) GTEST_SKIP() << "no GPU";
  // propagate() now runs expm on the GPU; before, it ran Eigen's exp (expm_host).
  check_driven_cycle();
  const double k = 2.0e4;
  const auto rm = make_rates(3, {{0, 1, k}, {1, 2, k}, {2, 0, k}});
  const Eigen::MatrixXd q = detail::dense_matrix(rm);
  const auto p = propagate(rm, {0.2, 0.5, 0.3}, kCycleTimes, Propagator::MatrixExponential);
  Eigen::RowVectorXd p0(3);
  p0 << 0.2, 0.5, 0.3;
  for (std::size_t i = 0; i < kCycleTimes.size(); ++i) {
    const Eigen::RowVectorXd want = p0 * detail::expm_host(q * kCycleTimes[i]);
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(p[3 * i + j], want(j), squaring_tolerance(2.0 * k * kCycleTimes[i])) << "t = " << kCycleTimes[i];
  }
}

TEST(SolveExpmCublas, RejectsBadInput) {
  if (!detail::expm_uses_gpu()) GTEST_SKIP() << "no GPU";
  EXPECT_THROW(detail::expm_cublas(Eigen::MatrixXd::Zero(2, 3)), UsageError);
  Eigen::MatrixXd bad = Eigen::MatrixXd::Zero(2, 2);
  bad(0, 1) = std::nan("");
  EXPECT_THROW(detail::expm_cublas(bad), UsageError);
  EXPECT_EQ(detail::expm_cublas(Eigen::MatrixXd(0, 0)).size(), 0);
}

}  // namespace
}  // namespace pk::solve
