#include "core/units.hpp"
#include "network/network.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace pk::network {

const char* to_string(Macrostate m) {
  switch (m) {
    case Macrostate::Bound: return "bound";
    case Macrostate::Unbound: return "unbound";
    default: return "other";
  }
}

double RateMatrix::total_rate(std::int32_t i) const {
  double sum = 0.0;
  for (std::int64_t e = row_offsets[i]; e < row_offsets[i + 1]; ++e) sum += values[e];
  return sum;
}

std::vector<std::int32_t> states_in(const Network& net, Macrostate m) {
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < net.states.size(); ++i)
    if (net.states[i].macrostate == m) out.push_back(static_cast<std::int32_t>(i));
  return out;
}

std::vector<double> start_distribution(const Network& net, Macrostate m, double temperature_K) {
  const double rt = units::rt_kcal_per_mol(temperature_K);
  std::vector<double> p(net.states.size(), 0.0);
  double g_min = INFINITY;
  for (const auto& s : net.states)
    if (s.macrostate == m) g_min = std::min(g_min, s.free_energy_kcal_per_mol);
  double total = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (net.states[i].macrostate == m) total += p[i] = std::exp(-(net.states[i].free_energy_kcal_per_mol - g_min) / rt);
  if (total > 0.0)
    for (double& x : p) x /= total;
  return p;
}

RateMatrix build_rates(const Network& net, const Conditions& cond) {
  const double rt = units::rt_kcal_per_mol(cond.temperature_K);
  const double prefactor = cond.kappa * units::eyring_prefactor_per_s(cond.temperature_K);
  const double association_scale = cond.concentration_M / units::kStandardConcentration_M;
  RateMatrix m;
  m.n = static_cast<std::int32_t>(net.states.size());
  m.lag_time_s = net.lag_time_s;
  // Sort edges by (from, to) so rows are contiguous and targets ordered.
  std::vector<std::size_t> order(net.edges.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Edge &x = net.edges[a], &y = net.edges[b];
    return x.from != y.from ? x.from < y.from : x.to < y.to;
  });
  m.row_offsets.assign(m.n + 1, 0);
  m.targets.reserve(order.size());
  m.values.reserve(order.size());
  for (std::size_t k : order) {
    const Edge& e = net.edges[k];
    double v = e.value;
    if (e.kind == EdgeKind::Eyring)
      v = prefactor * std::exp(-(e.value - net.states[e.from].free_energy_kcal_per_mol) / rt);
    if (e.kind != EdgeKind::Probability && net.states[e.from].macrostate == Macrostate::Unbound &&
        net.states[e.to].macrostate != Macrostate::Unbound)
      v *= association_scale;
    if (e.kind != EdgeKind::Probability && e.from == e.to) continue;  // no self-rates in continuous time
    m.row_offsets[e.from + 1]++;
    m.targets.push_back(e.to);
    m.values.push_back(v);
  }
  for (std::int32_t i = 0; i < m.n; ++i) m.row_offsets[i + 1] += m.row_offsets[i];
  return m;
}

}  // namespace pk::network
