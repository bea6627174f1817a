// The Monte Carlo launch around kernels/dock_search.hpp: uploads the tree,
// sets the chain and step counts from Vina's heuristics (search_select.hpp)
// and gathers every chain's kept minima. Templated on the device energy.
#pragma once

#include "dock/kinematics.hpp"
#include "dock/search_select.hpp"
#include "dock_search.hpp"

#include <Kokkos_Core.hpp>

namespace pk::dock {

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

}  // namespace pk::dock
