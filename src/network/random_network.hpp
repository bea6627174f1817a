// The random binding network of `pandakinetics bench kmc`, also the
// non-reversible test network of the sparse solver (tests/solve/): `degree`
// distinct random out-edges per state, rates log-uniform in 1e3..1e12 1/s, no
// reverse edges required, the first tenth of the states bound and the last
// tenth unbound. The same n, degree and seed give the same network.
#pragma once

#include "network/network.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace pk::network {

inline Network random_bench_network(int n, int degree, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> log_rate(3.0, 12.0);
  Network net;
  net.source = "random bench network";
  for (int i = 0; i < n; ++i)
    net.states.push_back({i, 0.0, i < n / 10 ? Macrostate::Bound : (i >= n - n / 10 ? Macrostate::Unbound : Macrostate::Other), ""});
  for (int i = 0; i < n; ++i) {
    std::vector<int> to;
    while (static_cast<int>(to.size()) < std::min(degree, n - 1)) {
      const int j = std::uniform_int_distribution<int>(0, n - 1)(gen);
      if (j != i && std::find(to.begin(), to.end(), j) == to.end()) to.push_back(j);
    }
    for (int j : to) net.edges.push_back({i, j, EdgeKind::Rate, std::pow(10.0, log_rate(gen))});
  }
  return net;
}

}  // namespace pk::network
