// The search around the kernels: chain counts and step counts from Vina's
// heuristics, the Monte Carlo launch, gathering each chain's minima, and the
// final selection (re-score with the final softening, rank by inter + intra,
// cluster at 1 Å, Vina's score formula, RMSD bounds from the best pose, the
// mode cut). Templated on the device energy; the final re-scoring is a host
// callback so the exact pairwise form can be used.
#pragma once

#include "dock/cluster.hpp"
#include "dock/kinematics.hpp"
#include "dock/poses_out.hpp"
#include "dock_search.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
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

/// Runs the Monte Carlo chains and returns every chain's kept minima.
template <class Exec, class Energy>
std::vector<Minimum> monte_carlo_minima(const TreeHost& host, const Energy& energy, const std::vector<int>& heavy,
                                        int n_movable, const SearchSettings& s, int* chains_used = nullptr,
                                        int* steps_used = nullptr) {
  using Mem = typename Exec::memory_space;
  const auto tree = upload_tree<Mem>(host);
  Kokkos::View<int*, Mem> heavy_dev("pk::dock::heavy", heavy.size());
  auto hh = Kokkos::create_mirror_view(heavy_dev);
  for (std::size_t i = 0; i < heavy.size(); ++i) hh(i) = heavy[i];
  Kokkos::deep_copy(heavy_dev, hh);
  kernels::dock::SearchParams p;
  const int chains = s.chains > 0 ? s.chains : s.exhaustiveness;
  const long long total_steps = static_cast<long long>(vina_global_steps(n_movable, host.n_torsions())) * s.exhaustiveness;
  p.steps_per_chain = s.steps_per_chain > 0 ? s.steps_per_chain
                                            : static_cast<int>(std::max<long long>(1, total_steps / chains));
  p.local_steps = vina_local_steps(n_movable);
  p.saved_per_chain = std::max(s.num_modes, 1);
  p.min_rmsd_angstrom = s.min_rmsd_angstrom;
  for (int d = 0; d < 3; ++d) p.box_lo[d] = s.box_lo[d], p.box_hi[d] = s.box_hi[d];
  p.gyration_radius_angstrom = gyration_radius(host, heavy);
  p.seed = s.seed;
  if (chains_used) *chains_used = chains;
  if (steps_used) *steps_used = p.steps_per_chain;
  const auto st = kernels::dock::run_mc_chains<Exec>(tree, energy, heavy_dev, p, chains);
  auto conf = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_conf);
  auto e = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_energy);
  auto count = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_count);
  const int C = 7 + host.n_torsions();
  std::vector<Minimum> out;
  for (int c = 0; c < chains; ++c)
    for (int k = 0; k < count(c); ++k) {
      Minimum m;
      m.conformation.resize(C);
      for (int i = 0; i < C; ++i) m.conformation[i] = conf(c, k * C + i);
      m.energy = e(c, k);
      m.chain = c;
      out.push_back(std::move(m));
    }
  return out;
}

/// inter and intra (kcal/mol, final softening) of model-atom coordinates.
struct FinalEnergy {
  double inter = 0, intra = 0;
  std::vector<std::pair<std::string, double>> terms;
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
    for (const auto& m : minima) {
      all.push_back(coordinates_of(host, m.conformation));
      Coords h;
      for (int a : heavy) h.push_back(all.back()[a]);
      hx.push_back(std::move(h));
      e.push_back(m.energy);
    }
    for (int i : cluster_poses(e, hx, s.min_rmsd_angstrom)) {
      PoseResult p;
      p.conformation = minima[i].conformation;
      p.coords = all[i];
      const FinalEnergy fe = scorer(p.coords);
      p.inter = fe.inter;
      p.intra = fe.intra;
      p.inter_terms = fe.terms;
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
