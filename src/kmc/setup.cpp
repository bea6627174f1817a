#include "kmc/setup.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pk::kmc {

StartSpec parse_start(const std::string& text, const network::Network& net) {
  StartSpec s;
  s.text = text;
  if (text == "bound") return s;
  if (text == "unbound") {
    s.macrostate = network::Macrostate::Unbound;
    return s;
  }
  char* end = nullptr;
  const long long id = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0')
    throw UsageError("--start: expected bound, unbound or a state id, got '" + text + "'");
  for (std::size_t i = 0; i < net.states.size(); ++i)
    if (net.states[i].id == id) {
      s.state = static_cast<std::int32_t>(i);
      s.macrostate = net.states[i].macrostate;
      return s;
    }
  throw UsageError("--start: no state with id " + text + " in " + net.source);
}

std::vector<double> parse_list(const std::string& text, const std::string& option) {
  std::vector<double> out;
  if (text.empty()) return out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !std::isfinite(v) || v <= 0)
      throw UsageError(option + ": expected comma-separated positive numbers, got '" + item + "'");
    out.push_back(v);
    pos = comma + 1;
  }
  return out;
}

std::vector<double> per_replica(const std::vector<double>& list, double fallback, std::int32_t replicas) {
  std::vector<double> out(replicas, fallback);
  if (!list.empty())
    for (std::int32_t r = 0; r < replicas; ++r) out[r] = list[r % list.size()];
  return out;
}

std::pair<std::int32_t, std::int32_t> replica_share(std::int32_t replicas, int rank, int size) {
  const auto first = static_cast<std::int32_t>(static_cast<std::int64_t>(replicas) * rank / size);
  const auto next = static_cast<std::int32_t>(static_cast<std::int64_t>(replicas) * (rank + 1) / size);
  return {first, next - first};
}

std::vector<double> start_probabilities(const network::Network& net, const StartSpec& start, double temperature_K) {
  if (start.state >= 0) {
    std::vector<double> p(net.states.size(), 0.0);
    p[start.state] = 1.0;
    return p;
  }
  return network::start_distribution(net, start.macrostate, temperature_K);
}

KmcTables build_tables(const network::Network& net, const StartSpec& start, std::int32_t first, std::int32_t count,
                       const std::vector<double>& temperature_K, const std::vector<double>& concentration_M,
                       double kappa, const Superbasins* basins) {
  KmcTables t;
  const bool with_basins = basins && basins->count() > 0;
  if (with_basins) {
    t.basin_of = basins->basin_of;
    t.basin_local.assign(3 * net.states.size(), -1);
    t.basin_members = basins->members;
    for (std::int32_t b = 0; b < basins->count(); ++b) {
      const std::int32_t m = basins->size(b);
      t.basin_size.push_back(m);
      t.basin_member_first.push_back(basins->first[b]);
      t.basin_vec_first.push_back(t.basin_vec_total);
      t.basin_vec_total += static_cast<std::int64_t>(m) * m;
      for (std::int32_t a = 0; a < m; ++a)
        t.basin_local[static_cast<std::size_t>(basins->phase[b]) * net.states.size() + basins->members[basins->first[b] + a]] = a;
    }
    t.basin_member_total = static_cast<std::int64_t>(basins->members.size());
  }
  t.n = static_cast<std::int32_t>(net.states.size());
  t.macro.resize(t.n);
  for (std::int32_t i = 0; i < t.n; ++i) t.macro[i] = static_cast<std::int8_t>(net.states[i].macrostate);
  for (std::int32_t r = first; r < first + count; ++r) {
    const network::Conditions cond{temperature_K[r], kappa, concentration_M[r]};
    const network::RateMatrix m = network::build_rates(net, cond);
    if (r == first) {
      t.row_offsets = m.row_offsets;
      t.targets = m.targets;
    }
    for (std::int32_t i = 0; i < t.n; ++i) {
      const double total = m.discrete_time() ? 1.0 : m.total_rate(i);
      t.total_rate.push_back(m.discrete_time() ? 1.0 / m.lag_time_s : total);
      double row_sum = 0.0;  // the total rate; for a transition matrix, the row's sum (1 within tolerance)
      for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e) row_sum += m.values[e];
      for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e)
        t.edge_prob.push_back(row_sum > 0 ? m.values[e] / row_sum : 0.0);
    }
    if (with_basins)
      for (std::int32_t b = 0; b < basins->count(); ++b) {
        const std::vector<std::int32_t> states(basins->members.begin() + basins->first[b],
                                               basins->members.begin() + basins->first[b + 1]);
        const BasinLaw law = basin_law(m, states, net.source);
        t.basin_lambda.insert(t.basin_lambda.end(), law.lambda.begin(), law.lambda.end());
        t.basin_sw.insert(t.basin_sw.end(), law.sw.begin(), law.sw.end());
        t.basin_alpha.insert(t.basin_alpha.end(), law.alpha.begin(), law.alpha.end());
        t.basin_beta.insert(t.basin_beta.end(), law.beta.begin(), law.beta.end());
        t.basin_exit.insert(t.basin_exit.end(), law.exit_rate.begin(), law.exit_rate.end());
        t.basin_vec.insert(t.basin_vec.end(), law.vec.begin(), law.vec.end());
      }
    const std::vector<double> p = start_probabilities(net, start, temperature_K[r]);
    double cum = 0.0;
    for (double x : p) t.start_cdf.push_back(cum += x);
  }
  return t;
}

std::vector<network::RateMatrix> condition_rates(const network::Network& net, const std::vector<double>& temperature_K,
                                                 const std::vector<double>& concentration_M, double kappa) {
  std::vector<std::pair<double, double>> seen;
  std::vector<network::RateMatrix> out;
  for (std::size_t r = 0; r < temperature_K.size(); ++r) {
    const std::pair<double, double> c{temperature_K[r], concentration_M[r]};
    if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
    seen.push_back(c);
    out.push_back(network::build_rates(net, network::Conditions{c.first, kappa, c.second}));
  }
  return out;
}

namespace {
struct Fnv {
  std::uint64_t h = 1469598103934665603ULL;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 1099511628211ULL;
  }
  template <class T>
  void value(const T& v) { bytes(&v, sizeof v); }
};
}  // namespace

std::string fingerprint(const network::Network& net, const std::vector<std::string>& settings) {
  Fnv f;
  for (const auto& s : net.states) {
    f.value(s.id);
    f.value(s.free_energy_kcal_per_mol);
    f.value(s.macrostate);
  }
  for (const auto& e : net.edges) {
    f.value(e.from);
    f.value(e.to);
    f.value(e.kind);
    f.value(e.value);
  }
  f.value(net.lag_time_s);
  for (const auto& s : settings) f.bytes(s.data(), s.size() + 1);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(f.h));
  return hex;
}

}  // namespace pk::kmc
