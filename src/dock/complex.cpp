// Several ligands moved together (see complex.hpp): the complex's torsion
// trees side by side behind the tree interface the search's BFGS takes
// (conformation_to_coords, coords_gradient_to_change, apply_change and the
// sizes), and the complex's energy on host copies of the grid maps.
#include "dock/complex.hpp"

#include "core/error.hpp"
#include "dock/grid.hpp"
#include "dock/kinematics.hpp"
#include "dock/search_select.hpp"
#include "dock_search.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace pk::dock {

namespace {

using HostTree = kernels::dock::TorsionTree<Kokkos::HostSpace>;
constexpr int kSamples = static_cast<int>(kTableSamplesPerA2 * kCutoffAngstrom * kCutoffAngstrom) + 3;

/// The ligands' trees one after the other: conformation, change, frames and
/// atoms of ligand l start at conf_at[l], change_at[l], frame_at[l], atom_at[l].
/// Fixed arrays and inline members, callable where the kernels' templates
/// expect a tree (host and device annotations alike).
struct ComplexTree {
  HostTree trees[kMaxLigandsTogether];
  int conf_at[kMaxLigandsTogether] = {}, change_at[kMaxLigandsTogether] = {}, frame_at[kMaxLigandsTogether] = {},
      atom_at[kMaxLigandsTogether] = {};
  int n_trees = 0, n_atoms = 0, C = 0, G = 0, F = 0;
  KOKKOS_INLINE_FUNCTION int conf_size() const { return C; }
  KOKKOS_INLINE_FUNCTION int change_size() const { return G; }
  KOKKOS_INLINE_FUNCTION int frame_size() const { return F; }
};

ComplexTree complex_tree(const std::vector<TreeHost>& hosts) {
  if (hosts.size() > static_cast<std::size_t>(kMaxLigandsTogether))
    throw UsageError("pandakinetics dock: at most " + std::to_string(kMaxLigandsTogether) +
                     " --ligand files can be optimised or docked together, got " + std::to_string(hosts.size()));
  ComplexTree t;
  for (const auto& h : hosts) {
    HostTree& k = t.trees[t.n_trees];
    k = upload_tree<Kokkos::HostSpace>(h);
    t.conf_at[t.n_trees] = t.C, t.change_at[t.n_trees] = t.G, t.frame_at[t.n_trees] = t.F;
    t.atom_at[t.n_trees] = t.n_atoms;
    t.C += k.conf_size(), t.G += k.change_size(), t.F += k.frame_size(), t.n_atoms += k.n_atoms;
    ++t.n_trees;
  }
  return t;
}

// The tree interface of kernels/dock_search.hpp for a complex, found by
// argument-dependent lookup from bfgs_minimize (more specialised than the
// kernels' templates): each ligand's part on its own tree.
template <class Span>
KOKKOS_INLINE_FUNCTION void conformation_to_coords(const ComplexTree& t, const Span& conf, const Span& frames,
                                                   const Span& coords) {
  for (int l = 0; l < t.n_trees; ++l)
    kernels::dock::conformation_to_coords(t.trees[l], conf.shifted(t.conf_at[l]), frames.shifted(t.frame_at[l]),
                                          coords.shifted(3 * t.atom_at[l]));
}

template <class Span>
KOKKOS_INLINE_FUNCTION void coords_gradient_to_change(const ComplexTree& t, const Span& frames, const Span& coords,
                                                      const Span& grad, const Span& change) {
  for (int l = 0; l < t.n_trees; ++l)
    kernels::dock::coords_gradient_to_change(t.trees[l], frames.shifted(t.frame_at[l]),
                                             coords.shifted(3 * t.atom_at[l]), grad.shifted(3 * t.atom_at[l]),
                                             change.shifted(t.change_at[l]));
}

template <class Span>
KOKKOS_INLINE_FUNCTION void apply_change(const ComplexTree& t, const Span& conf_in, const Span& change, double alpha,
                                         const Span& conf_out) {
  for (int l = 0; l < t.n_trees; ++l)
    kernels::dock::apply_change(t.trees[l], conf_in.shifted(t.conf_at[l]), change.shifted(t.change_at[l]), alpha,
                                conf_out.shifted(t.conf_at[l]));
}

/// The complex's energy: every scored atom on the grid maps (softened per
/// atom, Vina's out-of-box slope), and the pairs (each ligand's
/// intramolecular ones, every heavy-atom pair of two ligands) on Vina's
/// samples at r^2 = i/32 Å^2 interpolated linearly, softened per pair.
struct ComplexEnergy {
  kernels::dock::GridMaps<Kokkos::HostSpace> grid;
  std::vector<int> slot;                  ///< map slot per atom, -1: not scored
  std::vector<std::array<int, 3>> pairs;  ///< atom i, atom j, table row
  std::vector<double> table;              ///< row * kSamples + k, kcal/mol

  template <class Span>
  double operator()(const Span& coords, const Span& grad, double cap) const {
    double e = 0;
    for (std::size_t a = 0; a < slot.size(); ++a) {
      const int i = static_cast<int>(a);
      for (int d = 0; d < 3; ++d) grad(i, d) = 0;
      if (slot[a] < 0) continue;
      const double x[3] = {coords(i, 0), coords(i, 1), coords(i, 2)};
      double g[3];
      e += grid.atom_energy(slot[a], x, cap, g);
      for (int d = 0; d < 3; ++d) grad(i, d) = g[d];
    }
    for (const auto& p : pairs) {
      double r[3], r2 = 0;
      for (int d = 0; d < 3; ++d) r[d] = coords(p[0], d) - coords(p[1], d), r2 += r[d] * r[d];
      if (!(r2 < kCutoffAngstrom * kCutoffAngstrom)) continue;
      const double x = kTableSamplesPerA2 * r2;
      const int k = static_cast<int>(x);
      const double e1 = table[p[2] * kSamples + k], e2 = table[p[2] * kSamples + k + 1];
      double pe = e1 + (x - k) * (e2 - e1), de = kTableSamplesPerA2 * (e2 - e1);
      if (pe > 0) {
        const double s = cap / (cap + pe);
        pe *= s;
        de *= s * s;
      }
      e += pe;
      for (int d = 0; d < 3; ++d) grad(p[0], d) += 2 * de * r[d], grad(p[1], d) -= 2 * de * r[d];
    }
    return e;
  }
};

ComplexEnergy complex_energy(const Receptor& receptor, const ScoringWeights& w, const std::vector<Ligand>& ligands,
                             const GridBox& box) {
  ComplexEnergy f;
  const DeviceGrid dev = build_grid_maps(receptor, box, xs_types_of(ligands), w);
  Kokkos::View<float*, Kokkos::HostSpace> values("pk::dock::complex_maps", dev.values.extent(0));
  Kokkos::View<int*, Kokkos::HostSpace> type_slot("pk::dock::complex_type_slot", dev.type_slot.extent(0));
  Kokkos::deep_copy(values, dev.values);
  Kokkos::deep_copy(type_slot, dev.type_slot);
  f.grid.values = values;
  f.grid.type_slot = type_slot;
  f.grid.nx = dev.nx, f.grid.ny = dev.ny, f.grid.nz = dev.nz;
  for (int d = 0; d < 3; ++d)
    f.grid.begin[d] = dev.begin[d], f.grid.factor[d] = dev.factor[d], f.grid.factor_inv[d] = dev.factor_inv[d];
  f.grid.slope = dev.slope;
  f.grid.cache_hint = 0;
  std::vector<int> row_of(kXsCount * kXsCount, -1), keys;
  const auto row = [&](int t1, int t2) {
    const int key = PairTable::pair_index(t1, t2);
    if (row_of[key] < 0) row_of[key] = static_cast<int>(keys.size()), keys.push_back(key);
    return row_of[key];
  };
  int offset = 0;
  for (std::size_t l = 0; l < ligands.size(); ++l) {
    const Ligand& lig = ligands[l];
    for (const auto& a : lig.atoms) f.slot.push_back(a.xs == kXsNone ? -1 : type_slot(a.xs));
    for (const auto& p : lig.intra_pairs)
      f.pairs.push_back({offset + p[0], offset + p[1], row(lig.atoms[p[0]].xs, lig.atoms[p[1]].xs)});
    // No bond joins two ligands: every heavy-atom pair of two ligands interacts.
    int other = offset + lig.n_atoms();
    for (std::size_t m = l + 1; m < ligands.size(); ++m) {
      for (int a = 0; a < lig.n_atoms(); ++a)
        for (int b = 0; b < ligands[m].n_atoms(); ++b)
          if (lig.atoms[a].xs != kXsNone && ligands[m].atoms[b].xs != kXsNone)
            f.pairs.push_back({offset + a, other + b, row(lig.atoms[a].xs, ligands[m].atoms[b].xs)});
      other += ligands[m].n_atoms();
    }
    offset += lig.n_atoms();
  }
  f.table.resize(keys.size() * kSamples);
  for (std::size_t r = 0; r < keys.size(); ++r)
    for (int k = 0; k < kSamples; ++k)
      f.table[r * kSamples + k] =
          pair_energy(w, keys[r] / kXsCount, keys[r] % kXsCount, std::sqrt(k / kTableSamplesPerA2));
  return f;
}

/// Per-ligand coordinates of a complex conformation.
ComplexCoords coords_of(const std::vector<TreeHost>& trees, const ComplexTree& t, const double* conf) {
  ComplexCoords out;
  for (std::size_t l = 0; l < trees.size(); ++l) {
    const int n = t.trees[l].conf_size();
    out.push_back(coordinates_of(trees[l], std::vector<double>(conf + t.conf_at[l], conf + t.conf_at[l] + n)));
  }
  return out;
}

bool heavy_inside(const std::vector<Ligand>& ligands, const ComplexCoords& xyz, const GridBox& box) {
  for (std::size_t l = 0; l < ligands.size(); ++l)
    for (int a = 0; a < ligands[l].n_atoms(); ++a)
      if (ligands[l].atoms[a].xs != kXsNone && !box.contains(xyz[l][a])) return false;
  return true;
}

int total_atoms(const std::vector<Ligand>& ligands) {
  int n = 0;
  for (const auto& l : ligands) n += l.n_atoms();
  return n;
}

}  // namespace

ComplexCoords local_optimize_together(const Receptor& receptor, const ScoringWeights& w,
                                      const std::vector<Ligand>& ligands, const GridBox& box, bool thorough) {
  std::vector<TreeHost> hosts;
  for (const auto& l : ligands) hosts.push_back(tree_of(l));
  const ComplexTree tree = complex_tree(hosts);
  const ComplexEnergy energy = complex_energy(receptor, w, ligands, box);
  const auto l = kernels::dock::SearchLayout::of(tree);
  std::vector<double> scratch(l.total, 0.0);
  const kernels::dock::PtrSpan row{scratch.data()}, x = row.shifted(l.cur);
  for (std::size_t k = 0; k < hosts.size(); ++k) {
    const std::vector<double> c = hosts[k].input_conformation();
    for (std::size_t i = 0; i < c.size(); ++i) x[tree.conf_at[k] + static_cast<int>(i)] = c[i];
  }
  const int steps = vina_local_steps(total_atoms(ligands));
  ComplexCoords xyz;
  for (int run = 0; run < 5; ++run) {
    kernels::dock::bfgs_minimize(tree, energy, l, row, x, steps, kCapFinal);
    xyz = coords_of(hosts, tree, &x[0]);
    if (!thorough && heavy_inside(ligands, xyz, box)) break;
  }
  return xyz;
}

std::vector<ComplexMinimum> search_together(const Receptor& receptor, const ScoringWeights& w,
                                            const std::vector<Ligand>& ligands, const GridBox& box,
                                            const ComplexSearchSettings& s) {
  constexpr double kPi = 3.14159265358979323846;
  std::vector<TreeHost> hosts;
  std::vector<double> gyration;
  for (const auto& lig : ligands) {
    hosts.push_back(tree_of(lig));
    gyration.push_back(gyration_radius(hosts.back(), lig.heavy_atoms()));
  }
  const ComplexTree tree = complex_tree(hosts);
  const ComplexEnergy energy = complex_energy(receptor, w, ligands, box);
  const auto l = kernels::dock::SearchLayout::of(tree);
  const int steps = vina_local_steps(total_atoms(ligands));
  // Vina's entities: each ligand's position, orientation and torsions.
  std::vector<int> entity_ligand, entity_kind;  // kind 0 position, 1 orientation, 2 + k torsion k
  for (std::size_t k = 0; k < ligands.size(); ++k)
    for (int e = 0; e < 2 + ligands[k].n_torsions(); ++e)
      entity_ligand.push_back(static_cast<int>(k)), entity_kind.push_back(e);
  std::vector<std::vector<ComplexMinimum>> per_chain(s.chains);
  host_parallel_for(
      s.chains,
      [&](int c) {
        kernels::dock::ChainRng rng{s.seed, static_cast<std::uint32_t>(c)};
        std::vector<double> scratch(l.total, 0.0);
        const kernels::dock::PtrSpan row{scratch.data()}, cur = row.shifted(l.cur), cand = row.shifted(l.cand);
        for (std::size_t k = 0; k < hosts.size(); ++k) {  // random start: each ligand anywhere in the box
          const int o = tree.conf_at[k];
          for (int d = 0; d < 3; ++d) cur[o + d] = rng.uniform(box.begin[d], box.end[d]);
          double q[4], n2 = 0;
          for (double& qi : q) qi = rng.normal(), n2 += qi * qi;
          for (int i = 0; i < 4; ++i) cur[o + 3 + i] = q[i] / std::sqrt(n2);
          for (int t = 0; t < hosts[k].n_torsions(); ++t) cur[o + 7 + t] = rng.uniform(-kPi, kPi);
        }
        double e_cur = 0, best = 1e300;
        for (int step = 0; step < s.steps_per_chain; ++step) {
          for (int i = 0; i < l.C; ++i) cand[i] = cur[i];
          const int which = std::min(static_cast<int>(rng.uniform() * entity_ligand.size()),
                                     static_cast<int>(entity_ligand.size()) - 1);
          const int k = entity_ligand[which], kind = entity_kind[which], o = tree.conf_at[k];
          if (kind == 0) {
            double v[3];
            rng.inside_unit_sphere(v);
            for (int d = 0; d < 3; ++d) cand[o + d] += 2.0 * v[d];
          } else if (kind == 1) {
            double v[3], q[4] = {cand[o + 3], cand[o + 4], cand[o + 5], cand[o + 6]}, out[4];
            rng.inside_unit_sphere(v);
            for (double& vd : v) vd *= 2.0 / gyration[k];
            kernels::dock::turn_quaternion(q, v, out);
            for (int i = 0; i < 4; ++i) cand[o + 3 + i] = out[i];
          } else {
            cand[o + 7 + kind - 2] = rng.uniform(-kPi, kPi);
          }
          const double e_cand = kernels::dock::bfgs_minimize(tree, energy, l, row, cand, steps, kCapSearch);
          bool accept = step == 0 || e_cand < e_cur;
          if (!accept) accept = rng.uniform() < std::exp((e_cur - e_cand) / 1.2);
          if (!accept) continue;
          for (int i = 0; i < l.C; ++i) cur[i] = cand[i];
          e_cur = e_cand;
          if (!(e_cur < best || per_chain[c].size() < 20)) continue;
          e_cur = kernels::dock::bfgs_minimize(tree, energy, l, row, cur, steps, kCapFinal);
          best = std::min(best, e_cur);
          per_chain[c].push_back(ComplexMinimum{coords_of(hosts, tree, &cur[0]), e_cur});
        }
      },
      s.threads);
  std::vector<ComplexMinimum> all;
  for (auto& chain : per_chain)
    for (auto& m : chain) all.push_back(std::move(m));
  return all;
}

}  // namespace pk::dock
