#include "landscape/network_lump.hpp"

#include "core/units.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace pk::pipeline {

namespace {

int find(std::vector<int>& parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

/// -RT ln sum exp(-x/RT), computed stably.
double soft_min(const std::vector<double>& xs, double rt) {
  const double lo = *std::min_element(xs.begin(), xs.end());
  double s = 0;
  for (double x : xs) s += std::exp(-(x - lo) / rt);
  return lo - rt * std::log(s);
}

}  // namespace

LumpResult lump_fast_states(const BuiltNetwork& full, double barrier, double temperature_K) {
  LumpResult out;
  const int n = static_cast<int>(full.states.size());
  const double rt = units::rt_kcal_per_mol(temperature_K);
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  if (barrier > 0)
    for (const auto& e : full.edges) {
      if (e.b < 0 || full.states[e.a].layer != full.states[e.b].layer) continue;  // a layer stays itself
      const double low = std::min(full.states[e.a].free_energy_kcal_per_mol, full.states[e.b].free_energy_kcal_per_mol);
      if (e.ts_free_energy_kcal_per_mol - low < barrier) parent[find(parent, e.a)] = find(parent, e.b);
    }
  // Groups in the order of their lowest member (the states are sorted by G already).
  std::map<int, std::vector<int>> groups;
  for (int i = 0; i < n; ++i) groups[find(parent, i)].push_back(i);
  std::vector<std::vector<int>> ordered;
  for (auto& [root, members] : groups) ordered.push_back(members);
  auto lowest = [&](const std::vector<int>& g) {
    return *std::min_element(g.begin(), g.end(), [&](int x, int y) {
      return full.states[x].free_energy_kcal_per_mol < full.states[y].free_energy_kcal_per_mol;
    });
  };
  std::sort(ordered.begin(), ordered.end(), [&](const auto& x, const auto& y) {
    const double gx = full.states[lowest(x)].free_energy_kcal_per_mol, gy = full.states[lowest(y)].free_energy_kcal_per_mol;
    return gx != gy ? gx < gy : lowest(x) < lowest(y);
  });
  std::vector<int> group_of(n);
  BuiltNetwork& L = out.lumped;
  L.k_diffusion_per_M_per_s = full.k_diffusion_per_M_per_s;
  L.dropped = full.dropped;
  L.edges_over_max_barrier = full.edges_over_max_barrier;
  L.landscape = full.landscape;
  L.heavy_atoms = full.heavy_atoms;
  L.encounter_radius_angstrom = full.encounter_radius_angstrom;
  L.ligand_orientation_factor = full.ligand_orientation_factor;
  for (std::size_t gi = 0; gi < ordered.size(); ++gi) {
    const auto& g = ordered[gi];
    BuiltState s = full.states[lowest(g)];
    std::vector<double> gs;
    s.members.clear();
    s.exposed = false;
    for (int i : g) {
      group_of[i] = static_cast<int>(gi);
      gs.push_back(full.states[i].free_energy_kcal_per_mol);
      s.members.insert(s.members.end(), full.states[i].members.begin(), full.states[i].members.end());
      s.exposed = s.exposed || full.states[i].exposed;
    }
    std::sort(s.members.begin(), s.members.end());
    s.free_energy_kcal_per_mol = soft_min(gs, rt);
    out.merged_states += static_cast<int>(g.size()) - 1;
    L.states.push_back(s);
  }
  // Parallel edges between groups (b = -1: unbound) combine.
  std::map<std::pair<int, int>, std::vector<const BuiltEdge*>> between;
  for (const auto& e : full.edges) {
    const int a = group_of[e.a], b = e.b < 0 ? -1 : group_of[e.b];
    if (a == b) continue;
    between[b < 0 ? std::make_pair(a, -1) : std::make_pair(std::min(a, b), std::max(a, b))].push_back(&e);
  }
  for (const auto& [key, list] : between) {
    BuiltEdge e;
    e.a = key.first;
    e.b = key.second;
    std::vector<double> ts;
    e.rmsd_angstrom = e.centroid_distance_angstrom = INFINITY;
    e.path_max_score_kcal_per_mol = -INFINITY;
    for (const auto* x : list) {
      ts.push_back(x->ts_free_energy_kcal_per_mol);
      e.rmsd_angstrom = std::min(e.rmsd_angstrom, x->rmsd_angstrom);
      e.centroid_distance_angstrom = std::min(e.centroid_distance_angstrom, x->centroid_distance_angstrom);
      e.path_max_score_kcal_per_mol = std::max(e.path_max_score_kcal_per_mol, x->path_max_score_kcal_per_mol);
      e.clamped = e.clamped || x->clamped;
      e.association_per_M_per_s += x->association_per_M_per_s;
    }
    const double combined = soft_min(ts, rt);
    const double floor =
        std::max(L.states[e.a].free_energy_kcal_per_mol, e.b < 0 ? kUnboundFreeEnergy : L.states[e.b].free_energy_kcal_per_mol);
    e.ts_free_energy_kcal_per_mol = std::max(combined, floor);
    if (combined < floor) ++out.clamped_edges;
    L.edges.push_back(e);
  }
  lay_out_network(L, full.net.source);
  return out;
}

}  // namespace pk::pipeline
