// Vina-style global search on the device: independent Monte Carlo chains
// (one per thread), each mutating one of position / orientation / one torsion,
// minimising with BFGS (Armijo backtracking line search, as Vina's
// quasi_newton), accepting by Metropolis at temperature T, and keeping its
// own list of distinct low-energy minima. Every chain draws from its own
// Philox stream (seed, chain), so results do not depend on the launch shape.
//
// The energy is a template parameter: any type with
//   KOKKOS_INLINE_FUNCTION double operator()(const Span& coords, const Span& grad, double cap) const
// returning the energy (kcal/mol) of the atoms at `coords` (3 per atom, Å)
// and writing dE/dx into `grad`; `cap` is the softening v of positive energies.
#pragma once

#include "dock_kinematics.hpp"
#include "philox.hpp"

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <type_traits>

namespace pk::kernels::dock {

struct SearchParams {
  int steps_per_chain = 0;   ///< Monte Carlo steps
  int local_steps = 0;       ///< BFGS iterations per local optimisation
  double temperature = 1.2;  ///< Metropolis temperature, kcal/mol
  double amplitude_angstrom = 2.0;
  double cap_search = 10.0;  ///< softening v while searching
  double cap_refine = 1000.0;
  int saved_per_chain = 20;
  double min_rmsd_angstrom = 0.5;  ///< distinct minima kept by a chain
  double box_lo[3] = {0, 0, 0};
  double box_hi[3] = {0, 0, 0};
  double gyration_radius_angstrom = 1.0;
  int chains_per_block = 0;  ///< device launch shape (for_each_chain); 0: RangePolicy
  int team_size = 0;         ///< > 0: a team of this many threads per chain (dock_search_team.hpp)
  bool launch_bounds = true; ///< team kernel: registers capped for kDockTeamsPerSM teams per SM
  std::uint64_t seed = 0;
  std::uint32_t chain_offset = 0;  ///< stream index of chain 0 (a second stage draws fresh streams)
};

/// A chain's stream: uniform numbers from Philox blocks (counter, chain, tag).
struct ChainRng {
  std::uint64_t seed;
  std::uint32_t chain;
  std::uint64_t counter = 0;
  int left = 0;
  double buf[2] = {0, 0};
  KOKKOS_INLINE_FUNCTION double uniform() {
    if (left == 0) {
      const Philox4x32 r = philox4x32_10(
          Philox4x32{{static_cast<std::uint32_t>(counter), static_cast<std::uint32_t>(counter >> 32), chain,
                      0xD0C5EA2Cu}},
          static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
      ++counter;
      buf[0] = uniform53(r.v[0], r.v[1]);
      buf[1] = uniform53(r.v[2], r.v[3]);
      left = 2;
    }
    return buf[--left];
  }
  KOKKOS_INLINE_FUNCTION double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Standard normal (Box-Muller).
  KOKKOS_INLINE_FUNCTION double normal() {
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return compat::sqrt(-2.0 * compat::log(u1)) * dock::cos(6.283185307179586 * u2);
  }
  KOKKOS_INLINE_FUNCTION void inside_unit_sphere(double v[3]) {
    for (;;) {
      for (int d = 0; d < 3; ++d) v[d] = uniform(-1, 1);
      if (v[0] * v[0] + v[1] * v[1] + v[2] * v[2] < 1) return;
    }
  }
};

/// Per-chain scratch layout (offsets into one row of the scratch view).
struct SearchLayout {
  int C, G, cur, cand, x_new, x_orig, g, g_new, g_orig, p, y, mhy, h, frames, coords, grad, total;
  template <class Tree>
  KOKKOS_INLINE_FUNCTION static SearchLayout of(const Tree& tree) {
    SearchLayout l{};
    l.C = tree.conf_size();
    l.G = tree.change_size();
    int o = 0;
    l.cur = o, o += l.C;
    l.cand = o, o += l.C;
    l.x_new = o, o += l.C;
    l.x_orig = o, o += l.C;
    l.g = o, o += l.G;
    l.g_new = o, o += l.G;
    l.g_orig = o, o += l.G;
    l.p = o, o += l.G;
    l.y = o, o += l.G;
    l.mhy = o, o += l.G;
    l.h = o, o += l.G * l.G;
    l.frames = o, o += tree.frame_size();
    l.coords = o, o += 3 * tree.n_atoms;
    l.grad = o, o += 3 * tree.n_atoms;
    l.total = o;
    return l;
  }
};

/// Energy and conformation gradient of `conf`.
template <class Tree, class Energy, class Span>
KOKKOS_INLINE_FUNCTION double evaluate_conf(const Tree& tree, const Energy& energy, const SearchLayout& l,
                                            const Span& row, const Span& conf, const Span& change, double cap) {
  const Span frames = row.shifted(l.frames), coords = row.shifted(l.coords), grad = row.shifted(l.grad);
  conformation_to_coords(tree, conf, frames, coords);
  const double e = energy(coords, grad, cap);
  coords_gradient_to_change(tree, frames, coords, grad, change);
  return e;
}

/// Vina's BFGS: identity start, first-step Hessian scaling, Armijo line search
/// (c = 1e-4, halving, 10 trials), stop when |g| < 1e-5 or after max_steps.
/// `conf` is updated in place; returns its energy.
template <class Tree, class Energy, class Span>
KOKKOS_INLINE_FUNCTION double bfgs_minimize(const Tree& tree, const Energy& energy, const SearchLayout& l,
                                            const Span& row, const Span& x, int max_steps, double cap) {
  const int n = l.G, C = l.C;
  const Span x_new = row.shifted(l.x_new), x_orig = row.shifted(l.x_orig), g = row.shifted(l.g),
             g_new = row.shifted(l.g_new), g_orig = row.shifted(l.g_orig), p = row.shifted(l.p),
             y = row.shifted(l.y), mhy = row.shifted(l.mhy), h = row.shifted(l.h);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) h[i * n + j] = (i == j) ? 1.0 : 0.0;
  double f0 = evaluate_conf(tree, energy, l, row, x, g, cap);
  const double f_orig = f0;
  for (int i = 0; i < C; ++i) x_orig[i] = x[i];
  for (int i = 0; i < n; ++i) g_orig[i] = g[i];
  for (int step = 0; step < max_steps; ++step) {
    double pg = 0;
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < n; ++j) s += h[i * n + j] * g[j];
      p[i] = -s;
      pg += p[i] * g[i];
    }
    // Armijo backtracking.
    double alpha = 1.0, f1 = 0;
    for (int trial = 0; trial < 10; ++trial) {
      apply_change(tree, x, p, alpha, x_new);
      f1 = evaluate_conf(tree, energy, l, row, x_new, g_new, cap);
      if (f1 - f0 < 1e-4 * alpha * pg) break;
      alpha *= 0.5;
    }
    double gg = 0;
    for (int i = 0; i < n; ++i) {
      y[i] = g_new[i] - g[i];
      g[i] = g_new[i];
      gg += g[i] * g[i];
    }
    for (int i = 0; i < C; ++i) x[i] = x_new[i];
    f0 = f1;
    if (!(compat::sqrt(gg) >= 1e-5)) break;  // also stops on NaN
    double yp = 0, yy = 0;
    for (int i = 0; i < n; ++i) {
      yp += y[i] * p[i];
      yy += y[i] * y[i];
    }
    if (step == 0 && yy > 1e-300) {
      const double s = alpha * yp / yy;
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) h[i * n + j] = (i == j) ? s : 0.0;
    }
    if (alpha * yp < 2.220446049250313e-16) continue;  // curvature condition fails: keep H
    double yhy = 0;
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < n; ++j) s += h[i * n + j] * y[j];
      mhy[i] = -s;
      yhy += y[i] * s;
    }
    const double r = 1.0 / (alpha * yp);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        h[i * n + j] += alpha * r * (mhy[i] * p[j] + mhy[j] * p[i]) + alpha * alpha * (r * r * yhy + r) * p[i] * p[j];
  }
  if (!(f0 <= f_orig)) {
    f0 = f_orig;
    for (int i = 0; i < C; ++i) x[i] = x_orig[i];
    for (int i = 0; i < n; ++i) g[i] = g_orig[i];
  }
  return f0;
}

/// Launches f(c) for every chain c < n. Default: a RangePolicy (what was
/// measured on the H100). chains_per_block > 0 (device backends only) launches
/// a TeamPolicy of teams that many threads wide, one chain per thread, so a
/// few thousand chains spread over every SM instead of filling a handful of
/// large blocks; the arithmetic of a chain is the same either way.
template <class ExecSpace, class F>
void for_each_chain(const char* label, int n, int chains_per_block, const F& f) {
  constexpr bool host = std::is_same<typename ExecSpace::memory_space, Kokkos::HostSpace>::value;
  if (host || chains_per_block <= 0) {
    Kokkos::parallel_for(label, Kokkos::RangePolicy<ExecSpace>(0, n), f);
    return;
  }
  using Team = Kokkos::TeamPolicy<ExecSpace>;
  const int t = chains_per_block;
  Kokkos::parallel_for(
      label, Team((n + t - 1) / t, t), KOKKOS_LAMBDA(const typename Team::member_type& m) {
        const int c = m.league_rank() * t + m.team_rank();
        if (c < n) f(c);
      });
}

/// Root-mean-square distance between heavy-atom coordinate lists a and b.
template <class SpanA, class SpanB>
KOKKOS_INLINE_FUNCTION double heavy_rmsd(const SpanA& a, const SpanB& b, int n_heavy) {
  double s = 0;
  for (int i = 0; i < 3 * n_heavy; ++i) {
    const double d = a[i] - b[i];
    s += d * d;
  }
  return compat::sqrt(s / (n_heavy > 0 ? n_heavy : 1));
}

/// The device state of a search: scratch and each chain's kept minima.
template <class ExecSpace>
struct SearchState {
  using Mem = typename ExecSpace::memory_space;
  Kokkos::View<double**, Mem> scratch;       ///< (chain, slot)
  Kokkos::View<double**, Mem> saved_conf;    ///< (chain, k * conf_size + i)
  Kokkos::View<double**, Mem> saved_heavy;   ///< (chain, k * 3 n_heavy + i), coordinates Å
  Kokkos::View<double**, Mem> saved_energy;  ///< (chain, k), refined energy kcal/mol
  Kokkos::View<int*, Mem> saved_count;       ///< (chain)

  /// Zeroed lists for n_chains chains of `saved` minima of `conf_size`
  /// doubles and 3 n_heavy heavy-atom coordinates, plus `heavy_extra`
  /// doubles of per-chain room after the heavy-atom lists.
  static SearchState with_saved(int n_chains, int saved, int conf_size, int n_heavy, int heavy_extra) {
    SearchState st;
    st.saved_conf = Kokkos::View<double**, Mem>("pk::dock::saved_conf", n_chains, saved * conf_size);
    st.saved_heavy = Kokkos::View<double**, Mem>("pk::dock::saved_heavy", n_chains, saved * 3 * n_heavy + heavy_extra);
    st.saved_energy = Kokkos::View<double**, Mem>("pk::dock::saved_energy", n_chains, saved);
    st.saved_count = Kokkos::View<int*, Mem>("pk::dock::saved_count", n_chains);
    return st;
  }
};

/// Runs `n_chains` Monte Carlo chains. `heavy_index` lists the atoms used for
/// RMSD (heavy atoms, input order).
/// `starts` (n_starts, conf_size): chain c starts from row c % n_starts; with
/// no rows every chain starts at random in the box.
template <class ExecSpace, class Tree, class Energy>
SearchState<ExecSpace> run_mc_chains(const Tree& tree, const Energy& energy,
                                     const Kokkos::View<const int*, typename ExecSpace::memory_space>& heavy_index,
                                     const SearchParams& params, int n_chains,
                                     const Kokkos::View<const double**, typename ExecSpace::memory_space>& starts =
                                         Kokkos::View<const double**, typename ExecSpace::memory_space>()) {
  using Mem = typename ExecSpace::memory_space;
  const SearchLayout l = SearchLayout::of(tree);
  const int S = params.saved_per_chain, n_heavy = static_cast<int>(heavy_index.extent(0));
  // The heavy-atom lists carry one more slot: the candidate being compared.
  SearchState<ExecSpace> st = SearchState<ExecSpace>::with_saved(n_chains, S, l.C, n_heavy, 3 * n_heavy);
  st.scratch = Kokkos::View<double**, Mem>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::dock::scratch"),
                                           n_chains, l.total);
  const auto scratch = st.scratch;
  const auto saved_conf = st.saved_conf;
  const auto saved_heavy = st.saved_heavy;
  const auto saved_energy = st.saved_energy;
  const auto saved_count = st.saved_count;
  const SearchParams P = params;
  using Span = ChainSpan<Kokkos::View<double**, Mem>>;
  for_each_chain<ExecSpace>(
      "pk::dock::mc_chains", n_chains, params.chains_per_block, KOKKOS_LAMBDA(const int c) {
        ChainRng rng{P.seed, static_cast<std::uint32_t>(c) + P.chain_offset};
        const Span row{scratch, c, 0};
        const Span cur = row.shifted(l.cur), cand = row.shifted(l.cand), coords = row.shifted(l.coords);
        const Span conf_store{saved_conf, c, 0}, heavy_store{saved_heavy, c, 0}, e_store{saved_energy, c, 0};
        const int C = l.C, T = tree.n_torsions();
        const int n_starts = static_cast<int>(starts.extent(0));
        if (n_starts > 0) {
          for (int i = 0; i < C; ++i) cur[i] = starts(c % n_starts, i);
        } else {
          // Random start: position in the box, uniform orientation, torsions in [-pi, pi).
          for (int d = 0; d < 3; ++d) cur[d] = rng.uniform(P.box_lo[d], P.box_hi[d]);
          double q[4], n2 = 0;
          for (int i = 0; i < 4; ++i) q[i] = rng.normal(), n2 += q[i] * q[i];
          const double n = compat::sqrt(n2);
          for (int i = 0; i < 4; ++i) cur[3 + i] = q[i] / n;
          for (int k = 0; k < T; ++k) cur[7 + k] = rng.uniform(-3.14159265358979323846, 3.14159265358979323846);
        }
        double e_cur = 0, best_e = 1e300;
        int count = 0;
        const Span tmp_heavy = heavy_store.shifted(S * 3 * n_heavy);
        for (int step = 0; step < P.steps_per_chain; ++step) {
          for (int i = 0; i < C; ++i) cand[i] = cur[i];
          // Mutate one entity: position, orientation or one torsion.
          const int which = static_cast<int>(rng.uniform() * (2 + T));
          if (which == 0) {
            double v[3];
            rng.inside_unit_sphere(v);
            for (int d = 0; d < 3; ++d) cand[d] += P.amplitude_angstrom * v[d];
          } else if (which == 1) {
            double v[3], q[4] = {cand[3], cand[4], cand[5], cand[6]}, out[4];
            rng.inside_unit_sphere(v);
            for (int d = 0; d < 3; ++d) v[d] *= P.amplitude_angstrom / P.gyration_radius_angstrom;
            turn_quaternion(q, v, out);
            for (int i = 0; i < 4; ++i) cand[3 + i] = out[i];
          } else {
            cand[7 + (which - 2 < T ? which - 2 : T - 1)] =
                rng.uniform(-3.14159265358979323846, 3.14159265358979323846);
          }
          const double e_cand = bfgs_minimize(tree, energy, l, row, cand, P.local_steps, P.cap_search);
          bool accept = step == 0 || e_cand < e_cur;
          if (!accept) accept = rng.uniform() < compat::exp((e_cur - e_cand) / P.temperature);
          if (!accept) continue;
          for (int i = 0; i < C; ++i) cur[i] = cand[i];
          e_cur = e_cand;
          if (!(e_cur < best_e || count < S)) continue;
          // Refine with the final softening and keep it if it is a new minimum.
          const double e_ref = bfgs_minimize(tree, energy, l, row, cur, P.local_steps, P.cap_refine);
          e_cur = e_ref;  // as Vina: the chain continues from the refined minimum
          conformation_to_coords(tree, cur, row.shifted(l.frames), coords);
          for (int h = 0; h < n_heavy; ++h)
            for (int d = 0; d < 3; ++d) tmp_heavy[3 * h + d] = coords(heavy_index(h), d);
          int closest = -1;
          double closest_rmsd = 1e300;
          for (int k = 0; k < count; ++k) {
            const double r = heavy_rmsd(tmp_heavy, heavy_store.shifted(k * 3 * n_heavy), n_heavy);
            if (r < closest_rmsd) closest_rmsd = r, closest = k;
          }
          int slot = -1;
          if (closest >= 0 && closest_rmsd < P.min_rmsd_angstrom) {
            if (e_ref < e_store[closest]) slot = closest;
          } else if (count < S) {
            slot = count++;
          } else if (e_ref < e_store[count - 1]) {
            slot = count - 1;
          }
          if (slot >= 0) {
            e_store[slot] = e_ref;
            for (int i = 0; i < C; ++i) conf_store[slot * C + i] = cur[i];
            for (int i = 0; i < 3 * n_heavy; ++i) heavy_store[slot * 3 * n_heavy + i] = tmp_heavy[i];
            // Keep the list sorted by energy (insertion step).
            while (slot > 0 && e_store[slot] < e_store[slot - 1]) {
              const double te = e_store[slot];
              e_store[slot] = e_store[slot - 1], e_store[slot - 1] = te;
              for (int i = 0; i < C; ++i) {
                const double t = conf_store[slot * C + i];
                conf_store[slot * C + i] = conf_store[(slot - 1) * C + i], conf_store[(slot - 1) * C + i] = t;
              }
              for (int i = 0; i < 3 * n_heavy; ++i) {
                const double t = heavy_store[slot * 3 * n_heavy + i];
                heavy_store[slot * 3 * n_heavy + i] = heavy_store[(slot - 1) * 3 * n_heavy + i];
                heavy_store[(slot - 1) * 3 * n_heavy + i] = t;
              }
              --slot;
            }
          }
          if (e_ref < best_e) best_e = e_ref;
        }
        saved_count(c) = count;
      });
  Kokkos::fence();
  return st;
}

/// Local optimisation of `confs` (n, conf_size) in place, `rounds` BFGS runs
/// of `max_steps` each with softening `cap` (Vina's --local_only: 5 rounds,
/// v = 1000). Returns the final energies.
template <class ExecSpace, class Tree, class Energy>
Kokkos::View<double*, typename ExecSpace::memory_space> run_local_optimization(
    const Tree& tree, const Energy& energy, const Kokkos::View<double**, typename ExecSpace::memory_space>& confs,
    int rounds, int max_steps, double cap) {
  using Mem = typename ExecSpace::memory_space;
  const SearchLayout l = SearchLayout::of(tree);
  const int n = static_cast<int>(confs.extent(0));
  Kokkos::View<double**, Mem> scratch(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::dock::local_scratch"), n,
                                      l.total);
  Kokkos::View<double*, Mem> energies("pk::dock::local_energy", n);
  using Span = ChainSpan<Kokkos::View<double**, Mem>>;
  Kokkos::parallel_for(
      "pk::dock::local_opt", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int c) {
        const Span row{scratch, c, 0};
        const Span x = row.shifted(l.cur);
        for (int i = 0; i < l.C; ++i) x[i] = confs(c, i);
        double e = 0;
        for (int r = 0; r < rounds; ++r) e = bfgs_minimize(tree, energy, l, row, x, max_steps, cap);
        for (int i = 0; i < l.C; ++i) confs(c, i) = x[i];
        energies(c) = e;
      });
  Kokkos::fence();
  return energies;
}

}  // namespace pk::kernels::dock
