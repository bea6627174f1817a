// Small builders shared by the exact-solver tests.
#pragma once

#include "network/network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

namespace pk::solve::test {

struct Link {
  std::int32_t from;
  std::int32_t to;
  double value;  ///< rate (1/s) or probability
};

/// A RateMatrix from a list of directed links (any order).
inline network::RateMatrix make_rates(std::int32_t n, std::vector<Link> links, double lag_time_s = 0.0) {
  std::sort(links.begin(), links.end(),
            [](const Link& a, const Link& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
  network::RateMatrix m;
  m.n = n;
  m.lag_time_s = lag_time_s;
  m.row_offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (const Link& l : links) {
    m.row_offsets[l.from + 1]++;
    m.targets.push_back(l.to);
    m.values.push_back(l.value);
  }
  for (std::int32_t i = 0; i < n; ++i) m.row_offsets[i + 1] += m.row_offsets[i];
  return m;
}

/// Log-spaced times from t0 to t1 (count points).
inline std::vector<double> log_grid(double t0, double t1, int count) {
  std::vector<double> t;
  for (int i = 0; i < count; ++i) t.push_back(t0 * std::pow(t1 / t0, static_cast<double>(i) / (count - 1)));
  return t;
}

inline double relative_error(double got, double want) { return std::abs(got - want) / std::abs(want); }

/// Rates of the bound (0) - other (1) - unbound (2) chain of three_state_network().
struct ThreeStateRates {
  double bound_to_other = 4.0e2;          ///< 1/s
  double other_to_bound = 3.0e5;          ///< 1/s
  double other_to_unbound = 2.0e6;        ///< 1/s
  double unbound_to_other_per_M = 5.0e9;  ///< 1/(M s), association
};

/// bound <-> other <-> unbound with explicit rates; free energies 0 (the
/// start distributions are then point masses on states 0 and 2).
inline network::Network three_state_network(const ThreeStateRates& k = {}) {
  using network::EdgeKind;
  using network::Macrostate;
  network::Network net;
  net.source = "three-state test network";
  net.states = {{0, 0.0, Macrostate::Bound, "B"}, {1, 0.0, Macrostate::Other, "O"}, {2, 0.0, Macrostate::Unbound, "U"}};
  net.edges = {{0, 1, EdgeKind::Rate, k.bound_to_other},
               {1, 0, EdgeKind::Rate, k.other_to_bound},
               {1, 2, EdgeKind::Rate, k.other_to_unbound},
               {2, 1, EdgeKind::Rate, k.unbound_to_other_per_M}};
  return net;
}

}  // namespace pk::solve::test
