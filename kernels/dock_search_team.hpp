// The Monte Carlo search and the local optimisation of dock_search.hpp with a
// team per chain (a warp on CUDA) instead of a thread per chain: the chain's
// state (conformations, BFGS vectors and matrix, frames, coordinates,
// gradients) lives in team scratch (shared memory on GPUs), and the lanes
// share every evaluation: nodes over lanes for their frames (each composed
// along its path from the root), atoms over lanes to place them, the
// energy's terms over lanes (VinaEnergy::team_energy, or the atoms form of
// VinaAtomsEnergy), nodes over lanes for their force and torque and their
// subtree's derivative, BFGS rows over lanes. A conformation update runs on
// lane 0 between barriers. The control flow is the same on every lane:
// each lane keeps an identical copy of the chain's random stream and every
// decision is taken from team-reduced values every lane holds.
//
// The arithmetic is the thread kernel's, operation for operation; with a
// one-thread team (host backends) the results are bitwise those of
// run_mc_chains / run_local_optimization (tested), and with wider teams only
// the order of the sums differs. The same chain streams are used, so a seed
// fixes the result on a given backend and team size.
//
// An energy works here if it has team_energy(member, coords, grad, work, cap)
// and team_work_size() (VinaEnergy, VinaAtomsEnergy); any other energy with the thread
// interface runs on lane 0 (SerialTeamEnergy).
#pragma once

#include "dock_search.hpp"
#include "team_lanes.hpp"

#include <Kokkos_Core.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace pk::kernels::dock {

/// Team scratch layout: the thread kernel's row, then the energy's work
/// space and the heavy-atom coordinates of a candidate minimum.
struct TeamLayout {
  SearchLayout row;
  int work = 0, heavy = 0, total = 0;
  template <class Tree>
  static TeamLayout of(const Tree& tree, int work_size, int n_heavy) {
    TeamLayout l;
    l.row = SearchLayout::of(tree);
    int o = l.row.total;
    l.work = o, o += work_size;
    l.heavy = o, o += 3 * n_heavy;
    l.total = o;
    return l;
  }
  /// Only what one evaluation (team_evaluate_conf) needs: the conformation
  /// (row.cur), its gradient (row.g), frames, coordinates, gradients and the
  /// energy's work space.
  template <class Tree>
  static TeamLayout evaluation(const Tree& tree, int work_size) {
    TeamLayout l;
    l.row = SearchLayout{};
    SearchLayout& r = l.row;
    r.C = tree.conf_size();
    r.G = tree.change_size();
    int o = 0;
    r.cur = o, o += r.C;
    r.g = o, o += r.G;
    r.frames = o, o += tree.frame_size();
    r.coords = o, o += 3 * tree.n_atoms;
    r.grad = o, o += 3 * tree.n_atoms;
    r.total = o;
    l.work = o, o += work_size;
    l.heavy = o;
    l.total = o;
    return l;
  }
};

/// Adapter for an energy with only the thread interface: lane 0 evaluates,
/// the value reaches every lane through scratch.
template <class Energy>
struct SerialTeamEnergy {
  Energy e;
  KOKKOS_INLINE_FUNCTION int team_work_size() const { return 1; }
  template <class Member, class Span>
  KOKKOS_INLINE_FUNCTION double team_energy(const Member& m, const Span& coords, const Span& grad, const Span& work,
                                            double cap) const {
    if (m.team_rank() == 0) work[0] = e(coords, grad, cap);
    m.team_barrier();
    const double v = work[0];
    m.team_barrier();
    return v;
  }
};

template <class E, class = void>
struct HasTeamEnergy : std::false_type {};
template <class E>
struct HasTeamEnergy<E, decltype(std::declval<const E&>().team_work_size(), void())> : std::true_type {};

/// The energy as the team kernels call it.
template <class Energy>
auto team_energy_of(const Energy& e) {
  if constexpr (HasTeamEnergy<Energy>::value)
    return e;
  else
    return SerialTeamEnergy<Energy>{e};
}

/// apply_change by a team: lane 0 moves the position and turns the
/// orientation, the torsions move on their own lanes. Ends with a barrier.
template <class Member, class Tree>
KOKKOS_INLINE_FUNCTION void team_apply_change(const Member& m, const Tree& tree, const PtrSpan& conf_in,
                                              const PtrSpan& change, double alpha, const PtrSpan& conf_out) {
  Kokkos::parallel_for(Kokkos::TeamThreadRange(m, 1 + tree.n_torsions()), [&](const int i) {
    if (i > 0) {
      conf_out[6 + i] = normalize_angle(conf_in[6 + i] + alpha * change[5 + i]);
      return;
    }
    for (int d = 0; d < 3; ++d) conf_out[d] = conf_in[d] + alpha * change[d];
    const double rv[3] = {alpha * change[3], alpha * change[4], alpha * change[5]};
    const double q[4] = {conf_in[3], conf_in[4], conf_in[5], conf_in[6]};
    double out[4];
    turn_quaternion(q, rv, out);
    for (int j = 0; j < 4; ++j) conf_out[3 + j] = out[j];
  });
  m.team_barrier();
}

/// compute_frames by a team: every node's local rotation (the sines and
/// cosines) on its own lane, parked in the node's slots from kLocalSlot; then
/// every node's frame on its own lane, composed along its path from the root
/// (path_frame: bitwise compute_frames' result). Ends with a barrier.
template <class Member, class Tree, class Span>
KOKKOS_INLINE_FUNCTION void team_compute_frames(const Member& m, const Tree& tree, const Span& conf,
                                                const Span& frames) {
  constexpr int F = Tree::kFrameSlots, L = Tree::kLocalSlot;
  lanes_for(m, tree.n_nodes, [&](const int k) {
    double mt[9];
    node_local_rotation(tree, conf, k, mt);
    for (int i = 0; i < 9; ++i) frames[F * k + L + i] = mt[i];
  });
  m.team_barrier();
  const auto local = [&](int i) { return &frames[F * i + L]; };
  lanes_for(m, tree.n_nodes, [&](const int k) { path_frame(tree, conf, k, local, frames); });
  m.team_barrier();
}

/// Energy and conformation gradient of `conf` by the whole team (every lane
/// returns the energy; `change` is complete when it returns).
template <class Member, class Tree, class Energy, class Span>
KOKKOS_INLINE_FUNCTION double team_evaluate_conf(const Member& m, const Tree& tree, const Energy& energy,
                                                 const TeamLayout& l, const Span& row, const Span& conf,
                                                 const Span& change, double cap) {
  const Span frames = row.shifted(l.row.frames), coords = row.shifted(l.row.coords), grad = row.shifted(l.row.grad),
                work = row.shifted(l.work);
  team_compute_frames(m, tree, conf, frames);
  lanes_for(m, tree.n_atoms, [&](const int a) { place_atom(tree, frames, a, coords); });
  m.team_barrier();
  const double e = energy.team_energy(m, coords, grad, work, cap);
  lanes_for(m, tree.n_nodes, [&](const int k) { node_force_torque(tree, frames, coords, grad, k); });
  m.team_barrier();
  // One lane: the thread kernel's leaf-to-root pass (bitwise its result);
  // wider teams: every node's derivative on its own lane.
  if (m.team_size() == 1)
    tree_gradient_pass(tree, frames, change);
  else
    lanes_for(m, tree.n_nodes, [&](const int k) { subtree_change(tree, frames, k, change); });
  m.team_barrier();
  return e;
}

/// Coordinates of `conf` into the row's coordinate slots, by the team.
template <class Member, class Tree>
KOKKOS_INLINE_FUNCTION void team_conf_to_coords(const Member& m, const Tree& tree, const TeamLayout& l,
                                                const PtrSpan& row, const PtrSpan& conf) {
  const PtrSpan frames = row.shifted(l.row.frames), coords = row.shifted(l.row.coords);
  team_compute_frames(m, tree, conf, frames);
  Kokkos::parallel_for(Kokkos::TeamThreadRange(m, tree.n_atoms), [&](const int a) { place_atom(tree, frames, a, coords); });
  m.team_barrier();
}

/// bfgs_minimize by a team: `x` (scratch) is updated in place; every lane
/// returns its energy.
template <class Member, class Tree, class Energy>
KOKKOS_INLINE_FUNCTION double team_bfgs_minimize(const Member& m, const Tree& tree, const Energy& energy,
                                                 const TeamLayout& tl, const PtrSpan& row, const PtrSpan& x,
                                                 int max_steps, double cap) {
  const SearchLayout& l = tl.row;
  const int n = l.G, C = l.C;
  const PtrSpan x_new = row.shifted(l.x_new), x_orig = row.shifted(l.x_orig), g = row.shifted(l.g),
                g_new = row.shifted(l.g_new), g_orig = row.shifted(l.g_orig), p = row.shifted(l.p),
                y = row.shifted(l.y), mhy = row.shifted(l.mhy), h = row.shifted(l.h);
  Kokkos::parallel_for(Kokkos::TeamThreadRange(m, n * n), [&](const int k) { h[k] = (k / n == k % n) ? 1.0 : 0.0; });
  double f0 = team_evaluate_conf(m, tree, energy, tl, row, x, g, cap);
  const double f_orig = f0;
  Kokkos::parallel_for(Kokkos::TeamThreadRange(m, C), [&](const int i) { x_orig[i] = x[i]; });
  Kokkos::parallel_for(Kokkos::TeamThreadRange(m, n), [&](const int i) { g_orig[i] = g[i]; });
  m.team_barrier();
  for (int step = 0; step < max_steps; ++step) {
    double pg = 0;
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(m, n),
        [&](const int i, double& acc) {
          double s = 0;
          for (int j = 0; j < n; ++j) s += h[i * n + j] * g[j];
          p[i] = -s;
          acc += p[i] * g[i];
        },
        pg);
    m.team_barrier();
    // Armijo backtracking.
    double alpha = 1.0, f1 = 0;
    for (int trial = 0; trial < 10; ++trial) {
      team_apply_change(m, tree, x, p, alpha, x_new);
      f1 = team_evaluate_conf(m, tree, energy, tl, row, x_new, g_new, cap);
      if (f1 - f0 < 1e-4 * alpha * pg) break;
      alpha *= 0.5;
    }
    double gg = 0;
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(m, n),
        [&](const int i, double& acc) {
          y[i] = g_new[i] - g[i];
          g[i] = g_new[i];
          acc += g[i] * g[i];
        },
        gg);
    Kokkos::parallel_for(Kokkos::TeamThreadRange(m, C), [&](const int i) { x[i] = x_new[i]; });
    m.team_barrier();
    f0 = f1;
    if (!(compat::sqrt(gg) >= 1e-5)) break;  // also stops on NaN
    double yp = 0, yy = 0;
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(m, n), [&](const int i, double& acc) { acc += y[i] * p[i]; }, yp);
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(m, n), [&](const int i, double& acc) { acc += y[i] * y[i]; }, yy);
    if (step == 0 && yy > 1e-300) {
      const double s = alpha * yp / yy;
      Kokkos::parallel_for(Kokkos::TeamThreadRange(m, n * n), [&](const int k) { h[k] = (k / n == k % n) ? s : 0.0; });
      m.team_barrier();
    }
    if (alpha * yp < 2.220446049250313e-16) continue;  // curvature condition fails: keep H
    double yhy = 0;
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(m, n),
        [&](const int i, double& acc) {
          double s = 0;
          for (int j = 0; j < n; ++j) s += h[i * n + j] * y[j];
          mhy[i] = -s;
          acc += y[i] * s;
        },
        yhy);
    m.team_barrier();
    const double r = 1.0 / (alpha * yp);
    Kokkos::parallel_for(Kokkos::TeamThreadRange(m, n * n), [&](const int k) {
      const int i = k / n, j = k % n;
      h[i * n + j] += alpha * r * (mhy[i] * p[j] + mhy[j] * p[i]) + alpha * alpha * (r * r * yhy + r) * p[i] * p[j];
    });
    m.team_barrier();
  }
  if (!(f0 <= f_orig)) {
    f0 = f_orig;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(m, C), [&](const int i) { x[i] = x_orig[i]; });
    Kokkos::parallel_for(Kokkos::TeamThreadRange(m, n), [&](const int i) { g[i] = g_orig[i]; });
    m.team_barrier();
  }
  return f0;
}

/// Launch bounds of the Monte Carlo kernel on GPUs: one-warp teams, and
/// registers capped so that 11 teams fit an SM (the shared memory of an
/// H100 SM holds 11 teams of the ~19 KB a drug-like ligand needs; without
/// the cap the compiler took 207 registers and 8 teams fitted). Host
/// backends ignore them. PK_DOCK_TEAMS_PER_SM at compile time changes it.
#ifndef PK_DOCK_TEAMS_PER_SM
#define PK_DOCK_TEAMS_PER_SM 11
#endif
constexpr unsigned kDockTeamMaxThreads = 32;
constexpr unsigned kDockTeamsPerSM = PK_DOCK_TEAMS_PER_SM;

/// Team scratch of `bytes` per team: level 0 (shared memory) when it fits
/// the backend's limit, else level 1 (global memory, still cached).
template <class Policy>
int team_scratch_level(std::size_t bytes) {
  return bytes <= static_cast<std::size_t>(Policy::scratch_size_max(0)) ? 0 : 1;
}

/// run_mc_chains with a team of `team_size` threads per chain.
template <class ExecSpace, class Tree, class EnergyIn>
SearchState<ExecSpace> run_mc_chains_team(const Tree& tree, const EnergyIn& energy_in,
                                          const Kokkos::View<const int*, typename ExecSpace::memory_space>& heavy_index,
                                          const SearchParams& params, int n_chains, int team_size,
                                          const Kokkos::View<const double**, typename ExecSpace::memory_space>& starts =
                                              Kokkos::View<const double**, typename ExecSpace::memory_space>()) {
  using Policy = Kokkos::TeamPolicy<ExecSpace, Kokkos::LaunchBounds<kDockTeamMaxThreads, kDockTeamsPerSM>>;
  using FreePolicy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = typename Policy::member_type;
  static_assert(std::is_same<Member, typename FreePolicy::member_type>::value, "one body for both launches");
  using ScratchView = Kokkos::View<double*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryUnmanaged>;
  const auto energy = team_energy_of(energy_in);
  const int S = params.saved_per_chain, n_heavy = static_cast<int>(heavy_index.extent(0));
  const TeamLayout tl = TeamLayout::of(tree, energy.team_work_size(), n_heavy);
  // The candidate's heavy atoms live in team scratch here.
  const SearchState<ExecSpace> st = SearchState<ExecSpace>::with_saved(n_chains, S, tl.row.C, n_heavy, 0);
  const auto saved_conf = st.saved_conf;
  const auto saved_heavy = st.saved_heavy;
  const auto saved_energy = st.saved_energy;
  const auto saved_count = st.saved_count;
  const SearchParams P = params;
  const std::size_t bytes = ScratchView::shmem_size(tl.total);
  const int level = team_scratch_level<Policy>(bytes);
  const auto body = KOKKOS_LAMBDA(const Member& m) {
        const int c = m.league_rank();
        const bool lead = m.team_rank() == 0;
        ScratchView mem(m.team_scratch(level), tl.total);
        const PtrSpan row{mem.data()};
        const SearchLayout& l = tl.row;
        ChainRng rng{P.seed, static_cast<std::uint32_t>(c) + P.chain_offset};
        const PtrSpan cur = row.shifted(l.cur), cand = row.shifted(l.cand), coords = row.shifted(l.coords),
                      tmp_heavy = row.shifted(tl.heavy);
        const int C = l.C, T = tree.n_torsions(), H3 = 3 * n_heavy;
        const int n_starts = static_cast<int>(starts.extent(0));
        if (n_starts > 0) {
          Kokkos::parallel_for(Kokkos::TeamThreadRange(m, C), [&](const int i) { cur[i] = starts(c % n_starts, i); });
        } else {
          // Every lane draws the same numbers; lane 0 writes them.
          double v[7];
          for (int d = 0; d < 3; ++d) v[d] = rng.uniform(P.box_lo[d], P.box_hi[d]);
          double q[4], n2 = 0;
          for (int i = 0; i < 4; ++i) q[i] = rng.normal(), n2 += q[i] * q[i];
          const double nq = compat::sqrt(n2);
          for (int i = 0; i < 4; ++i) v[3 + i] = q[i] / nq;
          if (lead)
            for (int i = 0; i < 7; ++i) cur[i] = v[i];
          for (int k = 0; k < T; ++k) {
            const double t = rng.uniform(-3.14159265358979323846, 3.14159265358979323846);
            if (lead) cur[7 + k] = t;
          }
        }
        m.team_barrier();
        double e_cur = 0, best_e = 1e300;
        int count = 0;
        for (int step = 0; step < P.steps_per_chain; ++step) {
          Kokkos::parallel_for(Kokkos::TeamThreadRange(m, C), [&](const int i) { cand[i] = cur[i]; });
          m.team_barrier();
          // Mutate one entity: position, orientation or one torsion.
          const int which = static_cast<int>(rng.uniform() * (2 + T));
          if (which == 0) {
            double v[3];
            rng.inside_unit_sphere(v);
            if (lead)
              for (int d = 0; d < 3; ++d) cand[d] += P.amplitude_angstrom * v[d];
          } else if (which == 1) {
            double v[3], q[4] = {cand[3], cand[4], cand[5], cand[6]}, out[4];
            rng.inside_unit_sphere(v);
            for (int d = 0; d < 3; ++d) v[d] *= P.amplitude_angstrom / P.gyration_radius_angstrom;
            turn_quaternion(q, v, out);
            m.team_barrier();  // every lane has read cand before lane 0 writes it
            if (lead)
              for (int i = 0; i < 4; ++i) cand[3 + i] = out[i];
          } else {
            const double t = rng.uniform(-3.14159265358979323846, 3.14159265358979323846);
            if (lead) cand[7 + (which - 2 < T ? which - 2 : T - 1)] = t;
          }
          m.team_barrier();
          const double e_cand = team_bfgs_minimize(m, tree, energy, tl, row, cand, P.local_steps, P.cap_search);
          bool accept = step == 0 || e_cand < e_cur;
          if (!accept) accept = rng.uniform() < compat::exp((e_cur - e_cand) / P.temperature);
          if (!accept) continue;
          Kokkos::parallel_for(Kokkos::TeamThreadRange(m, C), [&](const int i) { cur[i] = cand[i]; });
          m.team_barrier();
          e_cur = e_cand;
          if (!(e_cur < best_e || count < S)) continue;
          // Refine with the final softening and keep it if it is a new minimum.
          const double e_ref = team_bfgs_minimize(m, tree, energy, tl, row, cur, P.local_steps, P.cap_refine);
          e_cur = e_ref;  // as Vina: the chain continues from the refined minimum
          team_conf_to_coords(m, tree, tl, row, cur);
          Kokkos::parallel_for(Kokkos::TeamThreadRange(m, H3),
                               [&](const int i) { tmp_heavy[i] = coords(heavy_index(i / 3), i % 3); });
          m.team_barrier();
          int closest = -1;
          double closest_rmsd = 1e300;
          for (int k = 0; k < count; ++k) {
            double s = 0;
            Kokkos::parallel_reduce(
                Kokkos::TeamThreadRange(m, H3),
                [&](const int i, double& acc) {
                  const double d = tmp_heavy[i] - saved_heavy(c, k * H3 + i);
                  acc += d * d;
                },
                s);
            const double r = compat::sqrt(s / (n_heavy > 0 ? n_heavy : 1));
            if (r < closest_rmsd) closest_rmsd = r, closest = k;
          }
          int slot = -1;
          if (closest >= 0 && closest_rmsd < P.min_rmsd_angstrom) {
            if (e_ref < saved_energy(c, closest)) slot = closest;
          } else if (count < S) {
            slot = count++;
          } else if (e_ref < saved_energy(c, count - 1)) {
            slot = count - 1;
          }
          m.team_barrier();  // every lane has read the kept list before lane 0 changes it
          if (slot >= 0) {
            if (lead) {
              saved_energy(c, slot) = e_ref;
              for (int i = 0; i < C; ++i) saved_conf(c, slot * C + i) = cur[i];
              for (int i = 0; i < H3; ++i) saved_heavy(c, slot * H3 + i) = tmp_heavy[i];
              // Keep the list sorted by energy (insertion step).
              while (slot > 0 && saved_energy(c, slot) < saved_energy(c, slot - 1)) {
                const double te = saved_energy(c, slot);
                saved_energy(c, slot) = saved_energy(c, slot - 1), saved_energy(c, slot - 1) = te;
                for (int i = 0; i < C; ++i) {
                  const double t = saved_conf(c, slot * C + i);
                  saved_conf(c, slot * C + i) = saved_conf(c, (slot - 1) * C + i), saved_conf(c, (slot - 1) * C + i) = t;
                }
                for (int i = 0; i < H3; ++i) {
                  const double t = saved_heavy(c, slot * H3 + i);
                  saved_heavy(c, slot * H3 + i) = saved_heavy(c, (slot - 1) * H3 + i);
                  saved_heavy(c, (slot - 1) * H3 + i) = t;
                }
                --slot;
              }
            }
            m.team_barrier();
          }
          if (e_ref < best_e) best_e = e_ref;
        }
        if (lead) saved_count(c) = count;
      };
  // A large ligand's scratch can leave an SM room for fewer than kDockTeamsPerSM teams: the launch-bounded
  // kernel then cannot start at any team size (Kokkos: "requested too large team size"; the 47-atom
  // thrombin ligands on an H100/H200). Such a ligand runs the kernel without launch bounds, with fewer
  // threads per team if even that has no room for `team_size`.
  const int bounded_max =
      Policy(n_chains, 1).set_scratch_size(level, Kokkos::PerTeam(bytes)).team_size_max(body, Kokkos::ParallelForTag());
  const bool bounded = params.launch_bounds && bounded_max >= team_size;
  if (!bounded) {
    const int free_max =
        FreePolicy(n_chains, 1).set_scratch_size(level, Kokkos::PerTeam(bytes)).team_size_max(body, Kokkos::ParallelForTag());
    while (team_size > 1 && team_size > free_max) team_size /= 2;
    if (team_size > free_max)
      throw std::runtime_error("docking: the ligand's search state (" + std::to_string(bytes) +
                               " bytes per chain) fits no team on this device; run the thread kernel (PK_DOCK_TEAM_SIZE=0)");
  }
  if (bounded)
    Kokkos::parallel_for("pk::dock::mc_chains_team",
                         Policy(n_chains, team_size).set_scratch_size(level, Kokkos::PerTeam(bytes)), body);
  else
    Kokkos::parallel_for("pk::dock::mc_chains_team_free",
                         FreePolicy(n_chains, team_size).set_scratch_size(level, Kokkos::PerTeam(bytes)), body);
  Kokkos::fence();
  return st;
}

/// Whether `ExecSpace` runs lane groups of more than one lane (CUDA).
template <class ExecSpace>
constexpr bool lane_groups_on() {
#ifdef KOKKOS_ENABLE_CUDA
  return std::is_same<ExecSpace, Kokkos::Cuda>::value;
#else
  return false;
#endif
}

/// run_evaluations_grouped for groups of W lanes (MinBlocks > 0: launch
/// bounds for that many one-warp teams per SM).
template <class ExecSpace, int W, int MinBlocks, class Tree, class Energy>
void run_evaluations_grouped_w(const Tree& tree, const Energy& energy,
                               const Kokkos::View<const double**, typename ExecSpace::memory_space>& confs,
                               const Kokkos::View<double*, typename ExecSpace::memory_space>& energies,
                               const Kokkos::View<double**, typename ExecSpace::memory_space>& changes, double cap,
                               int team_size) {
  using Policy = std::conditional_t<MinBlocks == 0, Kokkos::TeamPolicy<ExecSpace>,
                                    Kokkos::TeamPolicy<ExecSpace, Kokkos::LaunchBounds<32, (MinBlocks > 0 ? MinBlocks : 1)>>>;
  using Member = typename Policy::member_type;
  using ScratchView = Kokkos::View<double*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryUnmanaged>;
  const TeamLayout tl = TeamLayout::evaluation(tree, energy.team_work_size());
  const int n = static_cast<int>(confs.extent(0)), groups = team_size / W;
  const bool want_change = changes.extent(0) > 0;
  const std::size_t bytes = ScratchView::shmem_size(static_cast<std::size_t>(groups) * tl.total);
  const int level = team_scratch_level<Policy>(bytes);
  Kokkos::parallel_for(
      "pk::dock::evaluations_grouped",
      Policy((n + groups - 1) / groups, team_size).set_scratch_size(level, Kokkos::PerTeam(bytes)),
      KOKKOS_LAMBDA(const Member& m) {
        int group = 0;
        const LaneGroup<Member, W> g(m, group);
        // The last team's spare groups redo the last conformation and write
        // nothing (a group never waits on lanes outside it anyway).
        const int c0 = m.league_rank() * groups + group, c = c0 < n ? c0 : n - 1;
        ScratchView mem(m.team_scratch(level), groups * tl.total);
        const OffsetSpan row{mem.data(), group * tl.total};
        const OffsetSpan x = row.shifted(tl.row.cur), change = row.shifted(tl.row.g);
        lanes_for(g, tl.row.C, [&](const int i) { x[i] = confs(c, i); });
        g.team_barrier();
        const double e = team_evaluate_conf(g, tree, energy, tl, row, x, change, cap);
        if (c0 != c) return;
        if (want_change) lanes_for(g, tl.row.G, [&](const int i) { changes(c, i) = change[i]; });
        if (g.team_rank() == 0) energies(c) = e;
      });
  Kokkos::fence();
}

/// Launch bounds for the grouped evaluation of W lanes per conformation with
/// `bytes` of scratch per one-warp team: the teams per SM that register caps
/// measured fastest on an H100 (32 lanes: 28, 72 registers; 16 lanes: 24, 80
/// registers; benchmarks/RESULTS.md), where the device's shared memory holds
/// that many teams (each also costs ~1.5 KiB of reserved and Kokkos shared
/// memory); 0 (no bound) otherwise and off CUDA.
template <class ExecSpace>
int grouped_teams_per_sm(int lanes, std::size_t bytes) {
  const int want = lanes == 32 ? 28 : (lanes == 16 ? 24 : 0);
  if (want == 0 || !lane_groups_on<ExecSpace>()) return 0;
  int smem = 0;
#ifdef KOKKOS_ENABLE_CUDA
  if (cudaDeviceGetAttribute(&smem, cudaDevAttrMaxSharedMemoryPerMultiprocessor, Kokkos::Cuda().cuda_device()) !=
      cudaSuccess)
    return 0;
#endif
  return static_cast<std::size_t>(want) * (bytes + 1536) <= static_cast<std::size_t>(smem) ? want : 0;
}

/// Energy (into `energies`) and conformation gradient (into `changes`, if it
/// has rows) of every row of `confs`, each evaluated by a group of `lanes`
/// lanes (team_evaluate_conf with a LaneGroup), team_size / lanes
/// conformations per team. `lanes` is a power of two dividing team_size, at
/// most 32 (one warp's lanes), and 1 on host backends (else
/// std::invalid_argument). With one lane per conformation the result is
/// bitwise the thread kernel's; with more, the sums run in another order.
/// Returns the launch bound used (grouped_teams_per_sm; 0: none).
template <class ExecSpace, class Tree, class EnergyIn>
int run_evaluations_grouped(const Tree& tree, const EnergyIn& energy_in,
                            const Kokkos::View<const double**, typename ExecSpace::memory_space>& confs,
                            const Kokkos::View<double*, typename ExecSpace::memory_space>& energies,
                            const Kokkos::View<double**, typename ExecSpace::memory_space>& changes, double cap,
                            int team_size, int lanes) {
  if (lanes < 1 || lanes > 32 || (lanes & (lanes - 1)) != 0 || team_size < lanes || team_size % lanes != 0 ||
      (lanes > 1 && !lane_groups_on<ExecSpace>()))
    throw std::invalid_argument("run_evaluations_grouped: " + std::to_string(lanes) + " lanes per conformation in teams of " +
                                std::to_string(team_size) +
                                ": give a power of two <= 32 dividing the team size (1 on host backends)");
  if (confs.extent(0) == 0) return 0;
  const auto e = team_energy_of(energy_in);
  if constexpr (lane_groups_on<ExecSpace>()) {
    const std::size_t bytes =
        sizeof(double) * static_cast<std::size_t>(team_size / lanes) * TeamLayout::evaluation(tree, e.team_work_size()).total;
    const int bound = team_size == 32 ? grouped_teams_per_sm<ExecSpace>(lanes, bytes) : 0;
    switch (lanes) {
      case 32:
        if (bound == 28) return run_evaluations_grouped_w<ExecSpace, 32, 28>(tree, e, confs, energies, changes, cap, team_size), 28;
        return run_evaluations_grouped_w<ExecSpace, 32, 0>(tree, e, confs, energies, changes, cap, team_size), 0;
      case 16:
        if (bound == 24) return run_evaluations_grouped_w<ExecSpace, 16, 24>(tree, e, confs, energies, changes, cap, team_size), 24;
        return run_evaluations_grouped_w<ExecSpace, 16, 0>(tree, e, confs, energies, changes, cap, team_size), 0;
      case 8: return run_evaluations_grouped_w<ExecSpace, 8, 0>(tree, e, confs, energies, changes, cap, team_size), 0;
      case 4: return run_evaluations_grouped_w<ExecSpace, 4, 0>(tree, e, confs, energies, changes, cap, team_size), 0;
      case 2: return run_evaluations_grouped_w<ExecSpace, 2, 0>(tree, e, confs, energies, changes, cap, team_size), 0;
      default: break;
    }
  }
  run_evaluations_grouped_w<ExecSpace, 1, 0>(tree, e, confs, energies, changes, cap, team_size);
  return 0;
}

/// run_local_optimization with a team of `team_size` threads per conformation.
template <class ExecSpace, class Tree, class EnergyIn>
Kokkos::View<double*, typename ExecSpace::memory_space> run_local_optimization_team(
    const Tree& tree, const EnergyIn& energy_in, const Kokkos::View<double**, typename ExecSpace::memory_space>& confs,
    int rounds, int max_steps, double cap, int team_size) {
  using Mem = typename ExecSpace::memory_space;
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = typename Policy::member_type;
  using ScratchView = Kokkos::View<double*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryUnmanaged>;
  const auto energy = team_energy_of(energy_in);
  const TeamLayout tl = TeamLayout::of(tree, energy.team_work_size(), 0);
  const int n = static_cast<int>(confs.extent(0));
  Kokkos::View<double*, Mem> energies("pk::dock::local_energy", n);
  const std::size_t bytes = ScratchView::shmem_size(tl.total);
  const int level = team_scratch_level<Policy>(bytes);
  Kokkos::parallel_for(
      "pk::dock::local_opt_team", Policy(n, team_size).set_scratch_size(level, Kokkos::PerTeam(bytes)),
      KOKKOS_LAMBDA(const Member& m) {
        const int c = m.league_rank();
        ScratchView mem(m.team_scratch(level), tl.total);
        const PtrSpan row{mem.data()};
        const PtrSpan x = row.shifted(tl.row.cur);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(m, tl.row.C), [&](const int i) { x[i] = confs(c, i); });
        m.team_barrier();
        double e = 0;
        for (int r = 0; r < rounds; ++r) e = team_bfgs_minimize(m, tree, energy, tl, row, x, max_steps, cap);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(m, tl.row.C), [&](const int i) { confs(c, i) = x[i]; });
        if (m.team_rank() == 0) energies(c) = e;
      });
  Kokkos::fence();
  return energies;
}

}  // namespace pk::kernels::dock
