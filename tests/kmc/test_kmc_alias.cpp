// The alias tables select every edge with exactly its probability: the
// probability implied by a table, (threshold[j] + sum over slots k aliased to
// j of (1 - threshold[k])) / deg, equals p[j] to rounding, also for rows whose
// probabilities span 12 decades; and so do the same tables with thresholds as
// 64-bit fixed point (the "packed-int" kernel), to one unit of 2^-64.
#include "kmc/alias.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace {

std::vector<double> implied(const std::vector<double>& threshold, const std::vector<std::int32_t>& alias) {
  const std::size_t deg = threshold.size();
  std::vector<double> p(deg, 0.0);
  for (std::size_t k = 0; k < deg; ++k) {
    EXPECT_GE(threshold[k], 0.0);
    p[k] += threshold[k] / deg;
    if (threshold[k] < 1.0) p[alias[k]] += (1.0 - threshold[k]) / deg;
  }
  return p;
}

// The same from fixed-point thresholds T (share T / 2^64), in long double.
std::vector<long double> implied_fixed(const std::vector<std::uint64_t>& threshold, const std::vector<std::int32_t>& alias) {
  const std::size_t deg = threshold.size();
  const long double unit = std::ldexp(1.0L, -64);
  std::vector<long double> p(deg, 0.0L);
  for (std::size_t k = 0; k < deg; ++k) {
    p[k] += threshold[k] * unit / deg;
    if (threshold[k] != ~std::uint64_t{0}) p[alias[k]] += (1.0L - threshold[k] * unit) / deg;
  }
  return p;
}

void check_row(const std::vector<double>& p) {
  const auto deg = static_cast<std::int32_t>(p.size());
  std::vector<double> threshold(deg);
  std::vector<std::int32_t> alias(deg);
  pk::kmc::build_alias_row(p.data(), deg, threshold.data(), alias.data());
  for (std::int32_t k = 0; k < deg; ++k) {
    EXPECT_GE(alias[k], 0);
    EXPECT_LT(alias[k], deg);
    EXPECT_LE(threshold[k], 1.0);
  }
  const std::vector<double> q = implied(threshold, alias);
  for (std::int32_t k = 0; k < deg; ++k) EXPECT_NEAR(q[k], p[k], 1e-15 + 1e-12 * p[k]) << "edge " << k;
  // Fixed point: each slot's threshold rounds to 2^-65 (plus the double
  // table's own error above), an always-kept slot loses at most 2^-64.
  std::vector<std::uint64_t> fixed(deg);
  for (std::int32_t k = 0; k < deg; ++k) fixed[k] = pk::kmc::fixed_threshold(threshold[k]);
  const std::vector<long double> f = implied_fixed(fixed, alias);
  for (std::int32_t k = 0; k < deg; ++k)
    EXPECT_NEAR(static_cast<double>(f[k]), p[k], 1e-15 + 1e-12 * p[k] + std::ldexp(1.0, -64)) << "edge " << k;
}

}  // namespace

TEST(KmcAlias, SingleEdgeAndUniformRows) {
  check_row({1.0});
  check_row({0.25, 0.25, 0.25, 0.25});
}

TEST(KmcAlias, RandomStiffRows) {
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> log_rate(3.0, 12.0);
  std::uniform_int_distribution<int> degree(1, 40);
  for (int row = 0; row < 2000; ++row) {
    std::vector<double> p(degree(gen));
    double total = 0;
    for (double& x : p) total += x = std::pow(10.0, log_rate(gen));
    for (double& x : p) x /= total;
    check_row(p);
  }
}

TEST(KmcAlias, TinyEdgeKeepsItsShare) {
  // One edge of probability 1e-12 next to two large ones: its implied share is
  // 1e-12 to 1e-24 absolute, not 0 and not a rounding step of a cumulative sum.
  const std::vector<double> p = {0.5 - 5e-13, 1e-12, 0.5 - 5e-13};
  std::vector<double> threshold(3);
  std::vector<std::int32_t> alias(3);
  pk::kmc::build_alias_row(p.data(), 3, threshold.data(), alias.data());
  const std::vector<double> q = implied(threshold, alias);
  EXPECT_NEAR(q[1], 1e-12, 1e-24);
  // In fixed point: 1e-12 to one unit of 2^-64 (5.4e-20); the double
  // kernel's uniform itself has a resolution of deg * 2^-53 = 3.3e-16.
  std::vector<std::uint64_t> fixed(3);
  for (int k = 0; k < 3; ++k) fixed[k] = pk::kmc::fixed_threshold(threshold[k]);
  EXPECT_NEAR(static_cast<double>(implied_fixed(fixed, alias)[1]), 1e-12, std::ldexp(1.0, -64));
}

TEST(KmcAlias, FixedThresholdEnds) {
  EXPECT_EQ(pk::kmc::fixed_threshold(0.0), 0u);
  EXPECT_EQ(pk::kmc::fixed_threshold(1.0), ~std::uint64_t{0});
  EXPECT_EQ(pk::kmc::fixed_threshold(0.5), std::uint64_t{1} << 63);
  EXPECT_EQ(pk::kmc::fixed_threshold(std::ldexp(1.0, -64)), 1u);
  EXPECT_EQ(pk::kmc::fixed_threshold(1.0 - std::ldexp(1.0, -53)), ~std::uint64_t{0} - ((std::uint64_t{1} << 11) - 1));
}
