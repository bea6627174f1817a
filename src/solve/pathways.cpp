// Pathway decomposition of a net-flux graph: repeatedly the widest A -> B
// path (largest bottleneck; fewest edges among equals), its bottleneck flux
// removed along it (Metzner, Schuette & Vanden-Eijnden 2009, section 5).
#include "solve/tpt.hpp"

#include "core/error.hpp"
#include "solve/detail/dense.hpp"

#include <algorithm>
#include <limits>
#include <queue>
#include <string>
#include <tuple>

namespace pk::solve {
namespace {

/// Residual capacities of the net-flux graph, row-compressed by source state.
struct FluxGraph {
  std::vector<std::int64_t> offsets;
  std::vector<std::int32_t> to;
  std::vector<double> capacity;
};

FluxGraph flux_graph(std::int32_t n, const std::vector<NetFluxEdge>& edges) {
  FluxGraph g;
  g.offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (const NetFluxEdge& e : edges) {
    if (e.from < 0 || e.from >= n || e.to < 0 || e.to >= n)
      throw UsageError("net-flux edge " + std::to_string(e.from) + " -> " + std::to_string(e.to) +
                       " names a state outside [0, " + std::to_string(n) + ")");
    g.offsets[e.from + 1]++;
  }
  for (std::int32_t i = 0; i < n; ++i) g.offsets[i + 1] += g.offsets[i];
  std::vector<std::int64_t> next(g.offsets.begin(), g.offsets.end() - 1);
  g.to.resize(edges.size());
  g.capacity.resize(edges.size());
  for (const NetFluxEdge& e : edges) {
    const std::int64_t k = next[e.from]++;
    g.to[k] = e.to;
    g.capacity[k] = e.net_flux_per_s > 0.0 ? e.net_flux_per_s : 0.0;
  }
  return g;
}

/// The state whose row holds edge e.
std::int32_t tail_of(const FluxGraph& g, std::int64_t e) {
  return static_cast<std::int32_t>(std::upper_bound(g.offsets.begin(), g.offsets.end(), e) - g.offsets.begin()) - 1;
}

/// The widest source -> sink path as edge indices (empty when none is left).
std::vector<std::int64_t> widest_path(const FluxGraph& g, const detail::Mask& source, const detail::Mask& sink) {
  const std::size_t n = source.size();
  std::vector<double> width(n, 0.0);
  std::vector<std::int32_t> hops(n, std::numeric_limits<std::int32_t>::max());
  std::vector<std::int64_t> via(n, -1);
  std::vector<char> done(n, 0);
  // Max-heap on (width, -hops, -state): widest first, then shortest, then lowest index.
  using Key = std::tuple<double, std::int32_t, std::int32_t>;
  std::priority_queue<Key> queue;
  for (std::size_t s = 0; s < n; ++s)
    if (source[s]) {
      width[s] = std::numeric_limits<double>::infinity();
      hops[s] = 0;
      queue.emplace(width[s], 0, -static_cast<std::int32_t>(s));
    }
  std::int32_t reached = -1;
  while (!queue.empty()) {
    const auto [w, minus_hops, minus_u] = queue.top();
    queue.pop();
    const std::int32_t u = -minus_u;
    if (done[u] || w != width[u] || -minus_hops != hops[u]) continue;
    done[u] = 1;
    if (sink[u]) {
      reached = u;
      break;
    }
    for (std::int64_t e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
      const std::int32_t v = g.to[e];
      if (!(g.capacity[e] > 0.0) || done[v] || source[v]) continue;
      const double through = std::min(w, g.capacity[e]);
      if (through > width[v] || (through == width[v] && hops[u] + 1 < hops[v])) {
        width[v] = through;
        hops[v] = hops[u] + 1;
        via[v] = e;
        queue.emplace(through, -hops[v], -v);
      }
    }
  }
  std::vector<std::int64_t> path;
  if (reached < 0) return path;
  for (std::int32_t v = reached; via[v] >= 0; v = tail_of(g, via[v])) path.push_back(via[v]);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace

void validate(const PathwayOptions& o) {
  if (o.max_pathways < 1) throw UsageError("pathway decomposition: the maximum number of pathways must be >= 1");
  if (!(o.flux_fraction > 0.0 && o.flux_fraction <= 1.0))
    throw UsageError("pathway decomposition: the flux fraction must lie in (0, 1], got " +
                     std::to_string(o.flux_fraction));
}

std::vector<Pathway> decompose_pathways(std::int32_t n, const std::vector<NetFluxEdge>& net_flux,
                                        const StateSet& source, const StateSet& sink, double total_flux_per_s,
                                        const PathwayOptions& options) {
  validate(options);
  const detail::Mask in_source = detail::mask_of(source, n, "pathway source set");
  const detail::Mask in_sink = detail::mask_of(sink, n, "pathway sink set");
  FluxGraph g = flux_graph(n, net_flux);
  std::vector<Pathway> out;
  double carried = 0.0;
  const double goal = options.flux_fraction * total_flux_per_s;
  while (static_cast<std::int32_t>(out.size()) < options.max_pathways && carried < goal) {
    const std::vector<std::int64_t> edges = widest_path(g, in_source, in_sink);
    if (edges.empty()) break;
    Pathway p;
    p.flux_per_s = std::numeric_limits<double>::infinity();
    for (std::int64_t e : edges) p.flux_per_s = std::min(p.flux_per_s, g.capacity[e]);
    p.states.push_back(tail_of(g, edges.front()));
    for (std::int64_t e : edges) {
      p.states.push_back(g.to[e]);
      // The bottleneck edges reach exactly 0 and drop out of the graph.
      g.capacity[e] = std::max(0.0, g.capacity[e] - p.flux_per_s);
    }
    carried += p.flux_per_s;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace pk::solve
