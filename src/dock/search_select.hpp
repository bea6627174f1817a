// Settings of a docking search and the final selection of poses (host code,
// no Kokkos): Vina's step heuristics, each chain's minima, re-scoring with the
// final softening, ranking by inter + intra, clustering at min_rmsd, Vina's
// score formula, RMSD bounds from the best pose and the mode cut.
#pragma once

#include "core/host_parallel.hpp"
#include "dock/cluster.hpp"
#include "dock/poses_out.hpp"
#include "dock/tree.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace pk::dock {

struct SearchSettings {
  int exhaustiveness = 8;
  int chains = 0;             ///< 0: one chain per exhaustiveness unit, as Vina
  int steps_per_chain = 0;    ///< 0: Vina's 105 (50 + N_movable + 10 DOF) scaled by exhaustiveness / chains
  std::uint64_t seed = 0;
  int num_modes = 9;
  double energy_range_kcal = 3.0;
  double min_rmsd_angstrom = 1.0;
  int site = 0;
  double restart_fraction = 0.5;  ///< share of the step budget spent restarting from the best minima
  std::array<double, 3> box_lo{0, 0, 0}, box_hi{0, 0, 0};
};

/// Vina's step counts for a ligand with `n_movable` atoms and `n_torsions`.
inline int vina_global_steps(int n_movable, int n_torsions) {
  return 70 * 3 * (50 + n_movable + 10 * (6 + n_torsions)) / 2;
}
inline int vina_local_steps(int n_movable) { return (25 + n_movable) / 3; }

/// Radius of gyration of the heavy atoms about the root origin (Å), which
/// scales Vina's orientation mutation.
inline double gyration_radius(const TreeHost& tree, const std::vector<int>& heavy) {
  double s = 0;
  for (int a : heavy)
    for (int d = 0; d < 3; ++d) s += std::pow(tree.atom_ref[a][d] - tree.root_origin[d], 2);
  const double r = heavy.empty() ? 0.0 : std::sqrt(s / heavy.size());
  return r > 1e-6 ? r : 1.0;
}

/// A local minimum found by a chain (conformation and its search energy).
struct Minimum {
  std::vector<double> conformation;
  double energy = 0;
  int chain = 0;
};

/// inter and intra (kcal/mol, final softening) of model-atom coordinates.
struct FinalEnergy {
  double inter = 0, intra = 0;
  std::vector<std::pair<std::string, double>> terms;        ///< inter, unweighted
  std::vector<std::pair<std::string, double>> intra_terms;  ///< intra, unweighted
};
using FinalScorer = std::function<FinalEnergy(const Coords&)>;

/// Final poses from minima: re-score every distinct minimum, rank by
/// inter + intra, cluster at min_rmsd, score = (inter + intra - intra_best) /
/// (1 + w_rot N_rot) with intra_best the intra of the best pose, RMSD bounds
/// from the best pose, at most num_modes within energy_range of the best.
inline std::vector<PoseResult> select_poses(const TreeHost& host, const std::vector<Minimum>& minima,
                                            const std::vector<int>& heavy, const std::vector<int>& heavy_element,
                                            const FinalScorer& scorer, double torsional_normalisation,
                                            const SearchSettings& s) {
  std::vector<PoseResult> cand;
  std::vector<double> total;
  std::vector<Coords> heavy_xyz;
  // Pre-cluster by search energy so that near-identical minima are scored once.
  {
    std::vector<double> e;
    std::vector<Coords> hx;
    std::vector<Coords> all;
    // Thousands of chains keep tens of thousands of minima: cluster the lowest
    // 2000 by search energy (the clustering is quadratic).
    std::vector<int> order(minima.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return minima[a].energy < minima[b].energy; });
    if (order.size() > 2000) order.resize(2000);
    std::vector<Minimum> lowest;
    for (int i : order) lowest.push_back(minima[i]);
    for (const auto& m : lowest) {
      all.push_back(coordinates_of(host, m.conformation));
      Coords h;
      for (int a : heavy) h.push_back(all.back()[a]);
      hx.push_back(std::move(h));
      e.push_back(m.energy);
    }
    // Only the best distinct minima by search energy are re-scored: the grid
    // energy they were refined with differs from the pairwise one by ~0.01
    // kcal/mol, far less than the gap to the 4 * num_modes-th minimum.
    const std::size_t keep = std::max<std::size_t>(50, 4 * static_cast<std::size_t>(s.num_modes));
    const std::vector<int> distinct = cluster_poses(e, hx, s.min_rmsd_angstrom, keep);
    // The re-scoring (pairwise over the receptor) of each candidate on its own
    // thread; the candidates stay in order.
    std::vector<FinalEnergy> scored(distinct.size());
    host_parallel_for(static_cast<int>(distinct.size()), [&](int k) { scored[k] = scorer(all[distinct[k]]); });
    for (std::size_t k = 0; k < distinct.size(); ++k) {
      const int i = distinct[k];
      PoseResult p;
      p.conformation = lowest[i].conformation;
      p.coords = all[i];
      const FinalEnergy& fe = scored[k];
      p.inter = fe.inter;
      p.intra = fe.intra;
      p.inter_terms = fe.terms;
      p.intra_terms = fe.intra_terms;
      p.site = s.site;
      p.torsional_normalisation = torsional_normalisation;
      cand.push_back(std::move(p));
      total.push_back(fe.inter + fe.intra);
      heavy_xyz.push_back(hx[i]);
    }
  }
  const std::vector<int> kept = cluster_poses(total, heavy_xyz, s.min_rmsd_angstrom);
  std::vector<PoseResult> poses;
  if (kept.empty()) return poses;
  const double intra_best = cand[kept[0]].intra;
  std::vector<double> scores;
  for (int i : kept) {
    PoseResult p = cand[i];
    p.intra_best = intra_best;
    p.score = (p.inter + p.intra - intra_best) / torsional_normalisation;
    p.rmsd_ub = rmsd_upper_bound(heavy_xyz[i], heavy_xyz[kept[0]]);
    p.rmsd_lb = rmsd_lower_bound(heavy_xyz[i], heavy_xyz[kept[0]], heavy_element);
    scores.push_back(p.score);
    poses.push_back(std::move(p));
  }
  poses.resize(modes_to_keep(scores, s.num_modes, s.energy_range_kcal));
  return poses;
}

}  // namespace pk::dock
