// The Monte Carlo launch around kernels/dock_search.hpp: uploads the tree,
// sets the chain and step counts from Vina's heuristics (search_select.hpp)
// and gathers every chain's kept minima. Templated on the device energy.
#pragma once

#include "core/env.hpp"
#include "core/error.hpp"
#include "dock/kinematics.hpp"
#include "dock/search_select.hpp"
#include "dock_search_team.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <string>
#include <utility>
#include <type_traits>

namespace pk::dock {

/// One launch of `chains` chains of `steps` steps (optionally from `starts`)
/// and every chain's kept minima.
template <class Exec, class Tree, class Energy>
std::vector<Minimum> launch_chains(const Tree& tree, const Energy& energy,
                                   const Kokkos::View<const int*, typename Exec::memory_space>& heavy_dev,
                                   kernels::dock::SearchParams p, int chains, int steps, std::uint32_t chain_offset,
                                   const std::vector<std::vector<double>>& starts, int C) {
  using Mem = typename Exec::memory_space;
  p.steps_per_chain = steps;
  p.chain_offset = chain_offset;
  Kokkos::View<double**, Mem> start_dev("pk::dock::starts", starts.size(), C);
  auto hs = Kokkos::create_mirror_view(start_dev);
  for (std::size_t k = 0; k < starts.size(); ++k)
    for (int i = 0; i < C; ++i) hs(k, i) = starts[k][i];
  Kokkos::deep_copy(start_dev, hs);
  const auto st = p.team_size > 0
                      ? kernels::dock::run_mc_chains_team<Exec>(tree, energy, heavy_dev, p, chains, p.team_size, start_dev)
                      : kernels::dock::run_mc_chains<Exec>(tree, energy, heavy_dev, p, chains, start_dev);
  auto conf = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_conf);
  auto e = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_energy);
  auto count = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_count);
  std::vector<Minimum> out;
  for (int c = 0; c < chains; ++c)
    for (int k = 0; k < count(c); ++k) {
      Minimum m;
      m.conformation.resize(C);
      for (int i = 0; i < C; ++i) m.conformation[i] = conf(c, k * C + i);
      m.energy = e(c, k);
      m.chain = c + static_cast<int>(chain_offset);
      out.push_back(std::move(m));
    }
  return out;
}

/// Threads per chain: on a GPU a warp shares each chain's evaluations
/// (dock_search_team.hpp; a thread per chain left most of the GPU idle and
/// took ~2 ms per evaluation), on CPUs one thread runs a chain (0: the thread
/// kernel). PK_DOCK_TEAM_SIZE overrides it (0 selects the thread kernel; at most 32).
template <class Exec>
int dock_team_size() {
  // At most a warp: the Monte Carlo kernel's launch bounds are one-warp teams.
  // On a CPU backend a team has at most as many threads as the backend has.
  constexpr bool host = std::is_same<typename Exec::memory_space, Kokkos::HostSpace>::value;
  const int most = host ? std::min<int>(kernels::dock::kDockTeamMaxThreads, Exec().concurrency())
                        : static_cast<int>(kernels::dock::kDockTeamMaxThreads);
  return env_setting("PK_DOCK_TEAM_SIZE", 0, most, host ? 0 : 32);
}

/// Runs the Monte Carlo chains and returns every chain's kept minima. With
/// Vina's step budget (steps_per_chain 0) and restart_fraction f > 0, the
/// chains first spend (1 - f) of it from random starts, then f continuing
/// from the best distinct minima found (chains / 8 of them, each taken up by
/// 8 chains with fresh random streams): many short chains find the basins,
/// the restarted ones search deeper inside the best.
template <class Exec, class Energy>
std::vector<Minimum> monte_carlo_minima(const TreeHost& host, const Energy& energy, const std::vector<int>& heavy,
                                        int n_movable, const SearchSettings& s, int* chains_used = nullptr,
                                        int* steps_used = nullptr,
                                        std::vector<std::pair<std::string, double>>* stages = nullptr) {
  auto t = std::chrono::steady_clock::now();
  const auto lap = [&](const char* stage) {
    const auto now = std::chrono::steady_clock::now();
    if (stages) stages->emplace_back(stage, std::chrono::duration<double>(now - t).count());
    t = now;
  };
  using Mem = typename Exec::memory_space;
  const auto tree = upload_tree<Mem>(host);
  Kokkos::View<int*, Mem> heavy_dev("pk::dock::heavy", heavy.size());
  auto hh = Kokkos::create_mirror_view(heavy_dev);
  for (std::size_t i = 0; i < heavy.size(); ++i) hh(i) = heavy[i];
  Kokkos::deep_copy(heavy_dev, hh);
  kernels::dock::SearchParams p;
  const int chains = s.chains > 0 ? s.chains : s.exhaustiveness;
  const long long total_steps = static_cast<long long>(vina_global_steps(n_movable, host.n_torsions())) * s.exhaustiveness;
  const int budget_steps = static_cast<int>(std::max<long long>(1, total_steps / chains));
  const bool two_stage = s.steps_per_chain <= 0 && s.restart_fraction > 0 && chains >= 8;
  const int steps2 = two_stage ? static_cast<int>(budget_steps * s.restart_fraction) : 0;
  const int steps1 = s.steps_per_chain > 0 ? s.steps_per_chain : std::max(1, budget_steps - steps2);
  p.local_steps = vina_local_steps(n_movable);
  p.saved_per_chain = std::max(s.num_modes, 1);
  p.min_rmsd_angstrom = s.min_rmsd_angstrom;
  for (int d = 0; d < 3; ++d) p.box_lo[d] = s.box_lo[d], p.box_hi[d] = s.box_hi[d];
  p.gyration_radius_angstrom = gyration_radius(host, heavy);
  p.seed = s.seed;
  // Opt-in device launch shape (not measured on a GPU yet, see RESULTS.md).
  p.chains_per_block = env_setting("PK_DOCK_CHAINS_PER_BLOCK", 0, 1024, p.chains_per_block);
  p.team_size = dock_team_size<Exec>();
  p.launch_bounds = env_setting("PK_DOCK_LAUNCH_BOUNDS", 0, 1, p.launch_bounds ? 1 : 0) != 0;
  if (chains_used) *chains_used = chains;
  if (steps_used) *steps_used = steps1 + steps2;
  const int C = 7 + host.n_torsions();
  std::vector<Minimum> out = launch_chains<Exec>(tree, energy, heavy_dev, p, chains, steps1, 0, {}, C);
  lap("search_chains");
  if (steps2 < 1) return out;
  // The best distinct minima of the first stage (1 Å apart) as starts.
  std::vector<Minimum> lowest = out;
  std::stable_sort(lowest.begin(), lowest.end(), [](const Minimum& a, const Minimum& b) { return a.energy < b.energy; });
  if (lowest.size() > 2000) lowest.resize(2000);
  std::vector<double> e;
  std::vector<Coords> hx;
  for (const auto& m : lowest) {
    const auto xyz = coordinates_of(host, m.conformation);
    Coords h;
    for (int a : heavy) h.push_back(xyz[a]);
    hx.push_back(std::move(h));
    e.push_back(m.energy);
  }
  std::vector<std::vector<double>> starts;
  const std::size_t n_starts = static_cast<std::size_t>(std::max(1, chains / 8));
  for (int i : cluster_poses(e, hx, s.min_rmsd_angstrom, n_starts)) starts.push_back(lowest[i].conformation);
  lap("search_restart_points");
  auto more = launch_chains<Exec>(tree, energy, heavy_dev, p, chains, steps2, static_cast<std::uint32_t>(chains), starts, C);
  lap("search_restarted_chains");
  out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  return out;
}

}  // namespace pk::dock
