// The alias tables select every edge with exactly its probability: the
// probability implied by a table, (threshold[j] + sum over slots k aliased to
// j of (1 - threshold[k])) / deg, equals p[j] to rounding, also for rows whose
// probabilities span 12 decades.
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
}
