#include "network/validate.hpp"

#include "core/error.hpp"
#include "core/units.hpp"
#include "network/load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace pk::network {

namespace {

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

bool positive(const Edge& e) { return e.kind == EdgeKind::Eyring || e.value > 0.0; }

/// Row-compressed adjacency along edges with a positive rate or probability
/// (reversed: j -> i for each edge i -> j).
struct Adjacency {
  std::vector<std::size_t> offsets;
  std::vector<std::int32_t> targets;
};

Adjacency adjacency(const Network& net, bool reversed) {
  const std::size_t n = net.states.size();
  Adjacency a;
  a.offsets.assign(n + 1, 0);
  for (const Edge& e : net.edges)
    if (positive(e)) ++a.offsets[static_cast<std::size_t>(reversed ? e.to : e.from) + 1];
  for (std::size_t i = 0; i < n; ++i) a.offsets[i + 1] += a.offsets[i];
  a.targets.resize(a.offsets[n]);
  std::vector<std::size_t> fill(a.offsets.begin(), a.offsets.end() - 1);
  for (const Edge& e : net.edges)
    if (positive(e)) a.targets[fill[static_cast<std::size_t>(reversed ? e.to : e.from)]++] = reversed ? e.from : e.to;
  return a;
}

std::vector<char> reach(const Adjacency& a, const std::vector<std::int32_t>& from) {
  std::vector<char> seen(a.offsets.size() - 1, 0);
  std::vector<std::int32_t> frontier;
  for (std::int32_t s : from)
    if (!seen[s]) seen[s] = 1, frontier.push_back(s);
  while (!frontier.empty()) {
    const std::int32_t i = frontier.back();
    frontier.pop_back();
    for (std::size_t k = a.offsets[i]; k < a.offsets[i + 1]; ++k)
      if (!seen[a.targets[k]]) seen[a.targets[k]] = 1, frontier.push_back(a.targets[k]);
  }
  return seen;
}

/// "N state(s) <what>, ids: a b c ...; " for the states not in `seen`, or "".
std::string missing_states(const Network& net, const std::vector<char>& seen, const std::string& what) {
  std::string ids;
  std::size_t count = 0;
  for (std::size_t i = 0; i < seen.size(); ++i)
    if (!seen[i] && ++count <= 10) ids += " " + std::to_string(net.states[i].id);
  if (count == 0) return "";
  return std::to_string(count) + " state(s) " + what + ", ids:" + ids + (count > 10 ? " ...; " : "; ");
}

}  // namespace

void check_reachable(const Network& net, const std::vector<std::int32_t>& start_states) {
  const std::size_t n = net.states.size();
  if (start_states.empty()) throw InputError(net.source, 0, "no start states: expected at least one");
  for (std::int32_t s : start_states)
    if (s < 0 || static_cast<std::size_t>(s) >= n)
      throw InputError(net.source, 0,
                       "start state index " + std::to_string(s) + ": expected an index in [0, " + std::to_string(n) + ")");
  const std::vector<char> seen = reach(adjacency(net, false), start_states);

  bool bound = false, unbound = false;
  std::vector<std::int64_t> unreachable;
  std::size_t n_unreachable = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (seen[i]) {
      bound |= net.states[i].macrostate == Macrostate::Bound;
      unbound |= net.states[i].macrostate == Macrostate::Unbound;
    } else if (++n_unreachable <= 10) {
      unreachable.push_back(net.states[i].id);
    }
  }
  if (bound && unbound && n_unreachable == 0) return;
  std::string what;
  if (!bound) what += "no bound state is reachable from the start states; ";
  if (!unbound) what += "no unbound state is reachable from the start states; ";
  if (n_unreachable > 0) {
    what += std::to_string(n_unreachable) + " state(s) unreachable from the start states along edges with positive "
            "rate or probability, ids:";
    for (std::int64_t id : unreachable) what += " " + std::to_string(id);
    if (n_unreachable > unreachable.size()) what += " ...";
    what += "; ";
  }
  what += "expected a connected network";
  throw InputError(net.source, 0, what);
}

void check_irreducible(const Network& net) {
  std::vector<std::int32_t> unbound;
  for (std::size_t i = 0; i < net.states.size(); ++i)
    if (net.states[i].macrostate == Macrostate::Unbound) unbound.push_back(static_cast<std::int32_t>(i));
  if (unbound.empty()) throw InputError(net.source, 0, "no unbound state: expected at least one");
  const Adjacency forward = adjacency(net, false), backward = adjacency(net, true);
  const std::string edges = " along edges with a positive rate or probability";
  std::string what = missing_states(net, reach(backward, unbound), "cannot reach any unbound state" + edges);
  if (what.empty()) {  // all reach the unbound set: is every state also reachable from, and back to, one of them?
    const std::string u = "unbound state id " + std::to_string(net.states[unbound[0]].id);
    what = missing_states(net, reach(forward, {unbound[0]}), "cannot be reached from " + u + edges) +
           missing_states(net, reach(backward, {unbound[0]}), "cannot reach " + u + edges);
  }
  if (what.empty()) return;
  throw InputError(net.source, 0,
                   what + "the exact solver needs every state to reach every other (an irreducible network)");
}

void check_conditions(const Conditions& cond) {
  if (!units::temperature_in_range(cond.temperature_K))
    throw UsageError("--temperature " + fmt(cond.temperature_K) + " K: expected a temperature in (0, " +
                     fmt(units::kMaxTemperature_K) + "] K");
  if (!std::isfinite(cond.kappa) || cond.kappa <= 0.0 || cond.kappa > 1.0)
    throw UsageError("--kappa " + fmt(cond.kappa) + ": expected a transmission coefficient in (0, 1]");
  if (!units::concentration_in_range(cond.concentration_M))
    throw UsageError("--concentration " + fmt(cond.concentration_M) + " M: expected a concentration in (0, " +
                     fmt(units::kMaxConcentration_M) + "] M");
}

namespace {

void check_states(const Network& net, const std::string& file, const std::string& group) {
  const std::string states = group + "/states/";
  const auto fail = [&](const std::string& what) { throw InputError(file, 0, what); };
  const std::size_t n = net.states.size();
  if (!std::isfinite(net.lag_time_s) || net.lag_time_s < 0.0)
    fail(group + "@lag_time_s = " + fmt(net.lag_time_s) + ": expected 0 (continuous time) or a finite lag time > 0 s");

  std::unordered_map<std::int64_t, std::size_t> index_of_id;
  index_of_id.reserve(n);
  bool bound = false, unbound = false;
  for (std::size_t i = 0; i < n; ++i) {
    const State& s = net.states[i];
    if (!std::isfinite(s.free_energy_kcal_per_mol))
      fail(states + "free_energy_kcal_per_mol[" + std::to_string(i) + "] = " + fmt(s.free_energy_kcal_per_mol) +
           ": expected a finite number of kcal/mol");
    const auto [it, fresh] = index_of_id.emplace(s.id, i);
    if (!fresh)
      fail(states + "id[" + std::to_string(i) + "] = " + std::to_string(s.id) + " repeats id[" +
           std::to_string(it->second) + "]: expected unique ids");
    bound |= s.macrostate == Macrostate::Bound;
    unbound |= s.macrostate == Macrostate::Unbound;
  }
  if (!bound) fail(states + "macrostate: no bound state (0): expected at least one");
  if (!unbound) fail(states + "macrostate: no unbound state (1): expected at least one");
}

void check_edges(const Network& net, const std::string& file, const std::string& group) {
  const std::string edges = group + "/edges/";
  const auto fail = [&](const std::string& what) { throw InputError(file, 0, what); };
  const std::size_t n = net.states.size();
  const auto key = [](std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
  };
  std::unordered_map<std::uint64_t, std::size_t> edge_of_pair;
  edge_of_pair.reserve(net.edges.size());
  std::vector<double> row_sum(net.discrete_time() ? n : 0, 0.0);
  for (std::size_t k = 0; k < net.edges.size(); ++k) {
    const Edge& e = net.edges[k];
    const std::string at = "[" + std::to_string(k) + "]";
    for (const auto& [name, v] : {std::pair<const char*, std::int32_t>{"from", e.from}, {"to", e.to}})
      if (v < 0 || static_cast<std::size_t>(v) >= n)
        fail(edges + name + at + " = " + std::to_string(v) + ": expected a state index in [0, " + std::to_string(n) +
             ")");
    if (net.discrete_time() != (e.kind == EdgeKind::Probability))
      fail(edges + "kind" + at + " = " + std::to_string(static_cast<int>(e.kind)) +
           (net.discrete_time() ? ": expected 2 (Probability) in a discrete-time network (lag_time_s > 0)"
                                : ": expected 0 (Eyring) or 1 (Rate) in a continuous-time network (lag_time_s = 0)"));
    if (e.from == e.to && e.kind != EdgeKind::Probability)
      fail(edges + "from" + at + " = to" + at + ": self-edge, expected two different states");
    const auto [it, fresh] = edge_of_pair.emplace(key(e.from, e.to), k);
    if (!fresh)
      fail(edges + "from/to" + at + " repeat edge [" + std::to_string(it->second) + "] (" + std::to_string(e.from) +
           " -> " + std::to_string(e.to) + "): expected one edge per directed pair");
    if (!std::isfinite(e.value) || (e.kind != EdgeKind::Eyring && e.value < 0.0))
      fail(edges + "value" + at + " = " + fmt(e.value) +
           (e.kind == EdgeKind::Eyring ? ": expected a finite transition-state free energy (kcal/mol)"
                                       : ": expected a finite value >= 0"));
    if (e.kind == EdgeKind::Eyring) {
      const double g_max = std::max(net.states[e.from].free_energy_kcal_per_mol, net.states[e.to].free_energy_kcal_per_mol);
      if (e.value < g_max)
        fail(edges + "value" + at + " = " + fmt(e.value) + " kcal/mol is below the free energy of an endpoint (" +
             fmt(g_max) + " kcal/mol): expected a transition state at or above both");
    }
    if (e.kind == EdgeKind::Probability) row_sum[e.from] += e.value;
  }
  for (std::size_t k = 0; k < net.edges.size(); ++k) {
    const Edge& e = net.edges[k];
    if (e.kind != EdgeKind::Eyring) continue;
    const auto it = edge_of_pair.find(key(e.to, e.from));
    if (it == edge_of_pair.end() || net.edges[it->second].kind != EdgeKind::Eyring ||
        net.edges[it->second].value != e.value)
      fail(edges + "value[" + std::to_string(k) + "]: Eyring edge " + std::to_string(e.from) + " -> " +
           std::to_string(e.to) + " has no reverse Eyring edge with the same transition-state free energy: expected "
           "Eyring edges in pairs (detailed balance)");
  }
  for (std::size_t i = 0; i < row_sum.size(); ++i)
    if (std::abs(row_sum[i] - 1.0) > kRowSumTolerance)
      fail(edges + "value: probabilities leaving state index " + std::to_string(i) + " (id " +
           std::to_string(net.states[i].id) + ") sum to " + fmt(row_sum[i]) + ": expected 1 within 1e-6");
}

}  // namespace

void check_network(const Network& net, const std::string& file, const std::string& group) {
  check_states(net, file, group);
  check_edges(net, file, group);
}

}  // namespace pk::network
