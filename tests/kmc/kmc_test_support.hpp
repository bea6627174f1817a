// Runs the KMC engine in-process on small networks built in code.
#pragma once

#include "kmc/engine.hpp"
#include "kmc/setup.hpp"
#include "network/network.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace pk::test {

struct KmcRun {
  kmc::KmcParams params;
  kmc::KmcSnapshot snap;
  std::string variant;  ///< the kernel variant that ran
};

inline network::Network rate_network(const std::vector<network::Macrostate>& macro,
                                     const std::vector<network::Edge>& edges) {
  network::Network net;
  for (std::size_t i = 0; i < macro.size(); ++i)
    net.states.push_back(network::State{static_cast<std::int64_t>(i), 0.0, macro[i], ""});
  net.edges = edges;
  net.source = "test network";
  return net;
}

inline network::Edge rate_edge(int from, int to, double rate_per_s) {
  return network::Edge{from, to, network::EdgeKind::Rate, rate_per_s};
}

/// Simulates replicas [first, first + count) of a run with `replicas_total`
/// replicas, cutting the horizon into `segments` and launches into `cap` steps,
/// with kernel variant `variant` ("": $PK_KMC_VARIANT, else baseline).
inline KmcRun simulate(const network::Network& net, const std::string& start, std::int32_t first, std::int32_t count,
                       std::int32_t walkers, double horizon_s, std::uint64_t seed, int segments = 1,
                       std::int64_t cap = 1 << 30, double concentration_M = 1e-6, int grid_points = 10,
                       std::int64_t max_steps = 0, bool count_transitions = true,
                       const std::string& variant = "", const kmc::Superbasins* basins = nullptr) {
  const std::int32_t total = first + count;
  const auto temps = kmc::per_replica({}, 300.0, total);
  const auto concs = kmc::per_replica({}, concentration_M, total);
  const kmc::StartSpec spec = kmc::parse_start(start, net);
  const kmc::KmcTables tables = kmc::build_tables(net, spec, first, count, temps, concs, 1.0, basins);
  KmcRun run;
  kmc::KmcParams& p = run.params;
  p.seed = seed;
  p.first_replica = first;
  p.replicas = count;
  p.walkers = walkers;
  p.horizon_s = horizon_s;
  p.lag_s = net.lag_time_s;
  p.max_steps = max_steps;
  p.grid_points = grid_points;
  p.traj_walkers = 2;
  p.traj_length = 50;
  p.count_transitions = count_transitions;
  p.variant = variant;
  kmc::KmcEngine engine(tables, p);
  run.variant = engine.variant();
  engine.initialize();
  for (int k = 1; k <= segments; ++k) {
    const double t_stop = k == segments ? horizon_s : horizon_s * k / segments;
    while (engine.advance(t_stop, cap) > 0) {
    }
  }
  run.snap = engine.snapshot();
  return run;
}

/// Kolmogorov-Smirnov statistic sqrt(n) * sup |F_n - F| of samples against a CDF.
template <class Cdf>
double ks_statistic(std::vector<double> x, Cdf cdf) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, std::fabs((i + 1) / n - f), std::fabs(f - i / n)});
  }
  return std::sqrt(n) * d;
}

}  // namespace pk::test
