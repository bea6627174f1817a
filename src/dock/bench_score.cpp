// `bench score` measurement: one ligand at many random rigid poses (random
// orientation, centroid uniform in the box shrunk by 2 Å), one Kokkos thread
// per pose computing energy and per-atom gradient: the grid term, the
// intramolecular term, and both (the energy the search calls); and the whole
// evaluation the search performs per step: a random conformation (position,
// orientation, torsions) to coordinates through the torsion tree, energy and
// gradient, and the gradient back to the conformation (kernels/
// dock_kinematics.hpp); and grid + intra with a team (a warp on CUDA) per
// pose, checked against the thread-per-pose results; and the search's whole
// per-step evaluation by a team per conformation, as the GPU search kernel
// (kernels/dock_search_team.hpp) runs it, in both team forms of the energy
// (VinaEnergy::team_energy, the pairs form; VinaEnergy::team_energy_atoms).
// Each launch is timed
// between fences after a warm-up; medians are reported.
#include "dock/device_api.hpp"
#include "dock/grid.hpp"
#include "dock/kinematics.hpp"
#include "dock_search_team.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <random>
#include <type_traits>

namespace pk::dock {

namespace {

using V3 = Kokkos::View<double***, DockMem>;

/// Unit quaternion of a rotation by a N(0, sigma) angle about a random axis.
void small_rotation(std::mt19937_64& gen, double sigma, double q[4]) {
  std::normal_distribution<double> normal(0, 1);
  double a[3], n = 0;
  for (double& x : a) x = normal(gen), n += x * x;
  const double angle = sigma * normal(gen);
  q[0] = std::cos(angle / 2);
  for (int d = 0; d < 3; ++d) q[1 + d] = std::sin(angle / 2) * a[d] / std::sqrt(n);
}

/// Random rigid poses of the input coordinates, on the host: anywhere in the
/// box, or (near) within ~0.5 Å and ~0.1 rad of the input pose.
V3 random_poses(const Ligand& lig, const GridBox& box, int n, std::uint64_t seed, bool near) {
  const int m = lig.n_atoms();
  V3 xyz(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::dock::bench_xyz"), n, m, 3);
  auto h = Kokkos::create_mirror_view(xyz);
  std::array<double, 3> c{0, 0, 0};
  for (const auto& a : lig.atoms)
    for (int d = 0; d < 3; ++d) c[d] += a.xyz[d] / m;
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  for (int p = 0; p < n; ++p) {
    double q[4], s = 0;
    for (double& x : q) x = normal(gen), s += x * x;
    for (double& x : q) x /= std::sqrt(s);
    if (near) small_rotation(gen, 0.1, q);
    const double w = q[0], x = q[1], y = q[2], z = q[3];
    const double R[9] = {1 - 2 * (y * y + z * z), 2 * (x * y - w * z),     2 * (x * z + w * y),
                         2 * (x * y + w * z),     1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
                         2 * (x * z - w * y),     2 * (y * z + w * x),     1 - 2 * (x * x + y * y)};
    double t[3];
    for (int d = 0; d < 3; ++d) {
      const double lo = box.begin[d] + 2, hi = std::max(lo, box.end[d] - 2);
      t[d] = near ? c[d] + 0.5 * normal(gen) : lo + (hi - lo) * u(gen);
    }
    for (int a = 0; a < m; ++a) {
      const double r[3] = {lig.atoms[a].xyz[0] - c[0], lig.atoms[a].xyz[1] - c[1], lig.atoms[a].xyz[2] - c[2]};
      for (int d = 0; d < 3; ++d) h(p, a, d) = t[d] + R[3 * d] * r[0] + R[3 * d + 1] * r[1] + R[3 * d + 2] * r[2];
    }
  }
  Kokkos::deep_copy(xyz, h);
  return xyz;
}

enum class Part { kBoth, kInter, kIntra };

using Scratch = Kokkos::View<double**, DockMem>;
using Span = kernels::dock::ChainSpan<Scratch>;

/// Random conformations (one row each): root origin uniform in the box shrunk
/// by 2 Å, a uniform random orientation, uniform torsions; or (near) the input
/// conformation moved by ~0.5 Å, ~0.1 rad and ~0.2 rad per torsion.
Scratch random_conformations(const TreeHost& tree, const GridBox& box, int n, int slots, std::uint64_t seed,
                             bool near) {
  Scratch work("pk::dock::bench_conf", n, slots);
  auto h = Kokkos::create_mirror_view(work);
  std::mt19937_64 gen(seed + 1);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  for (int p = 0; p < n; ++p) {
    for (int d = 0; d < 3; ++d) {
      const double lo = box.begin[d] + 2, hi = std::max(lo, box.end[d] - 2);
      h(p, d) = near ? tree.root_origin[d] + 0.5 * normal(gen) : lo + (hi - lo) * u(gen);
    }
    double q[4], s = 0;
    for (double& x : q) x = normal(gen), s += x * x;
    for (double& x : q) x /= std::sqrt(s);
    if (near) small_rotation(gen, 0.1, q);
    for (int i = 0; i < 4; ++i) h(p, 3 + i) = q[i];
    for (int k = 0; k < tree.n_torsions(); ++k) h(p, 7 + k) = near ? 0.2 * normal(gen) : (2 * u(gen) - 1) * M_PI;
  }
  Kokkos::deep_copy(work, h);
  return work;
}

/// One timed launch of the full evaluation; returns seconds.
double launch_full(const DeviceEnergy& e, const kernels::dock::TorsionTree<DockMem>& tree, const Scratch& work,
                   const Kokkos::View<double*, DockMem>& out, double cap) {
  const int n = static_cast<int>(work.extent(0));
  const int C = tree.conf_size(), F = tree.frame_size(), m = tree.n_atoms;
  Kokkos::fence();
  Kokkos::Timer timer;
  Kokkos::parallel_for(
      "pk::dock::bench_score_kinematics", Kokkos::RangePolicy<DockExec>(0, n), KOKKOS_LAMBDA(const int p) {
        const Span conf{work, p, 0}, frames{work, p, C}, coords{work, p, C + F}, grad{work, p, C + F + 3 * m},
            change{work, p, C + F + 6 * m};
        kernels::dock::conformation_to_coords(tree, conf, frames, coords);
        const double v = e(coords, grad, cap);
        kernels::dock::coords_gradient_to_change(tree, frames, coords, grad, change);
        out(p) = v;
      });
  Kokkos::fence();
  return timer.seconds();
}

/// One timed launch of the full evaluation with a team per conformation
/// (team_evaluate_conf, the GPU search's evaluation) with energy `e` (either
/// team form); returns seconds.
template <class Energy>
double launch_full_team(const Energy& e, const kernels::dock::TorsionTree<DockMem>& tree, const Scratch& work,
                        const Kokkos::View<double*, DockMem>& out, double cap, int team_size) {
  namespace kd = kernels::dock;
  using Policy = Kokkos::TeamPolicy<DockExec>;
  using ScratchView = Kokkos::View<double*, DockExec::scratch_memory_space, Kokkos::MemoryUnmanaged>;
  const int n = static_cast<int>(work.extent(0));
  const kd::TeamLayout tl = kd::TeamLayout::of(tree, e.team_work_size(), 0);
  const std::size_t bytes = ScratchView::shmem_size(tl.total);
  const int level = kd::team_scratch_level<Policy>(bytes);
  Kokkos::fence();
  Kokkos::Timer timer;
  Kokkos::parallel_for(
      "pk::dock::bench_score_kinematics_team", Policy(n, team_size).set_scratch_size(level, Kokkos::PerTeam(bytes)),
      KOKKOS_LAMBDA(const Policy::member_type& m) {
        const int p = m.league_rank();
        ScratchView mem(m.team_scratch(level), tl.total);
        const kd::PtrSpan row{mem.data()};
        Kokkos::parallel_for(Kokkos::TeamThreadRange(m, tl.row.C), [&](const int i) { row[tl.row.cur + i] = work(p, i); });
        m.team_barrier();
        const double v =
            kd::team_evaluate_conf(m, tree, e, tl, row, row.shifted(tl.row.cur), row.shifted(tl.row.g), cap);
        if (m.team_rank() == 0) out(p) = v;
      });
  Kokkos::fence();
  return timer.seconds();
}

/// One timed launch of the full evaluation by lane groups of `lanes` lanes
/// (run_evaluations_grouped); returns seconds.
template <class Energy>
double launch_grouped(const Energy& e, const kernels::dock::TorsionTree<DockMem>& tree,
                      const Kokkos::View<const double**, DockMem>& confs, const Kokkos::View<double*, DockMem>& out,
                      const Kokkos::View<double**, DockMem>& changes, double cap, int team_size, int lanes,
                      int& bound) {
  Kokkos::fence();
  Kokkos::Timer timer;
  bound = kernels::dock::run_evaluations_grouped<DockExec>(tree, e, confs, out, changes, cap, team_size, lanes);
  return timer.seconds();
}

/// One timed launch over all poses; returns seconds.
double launch(const DeviceEnergy& e, const V3& xyz, const V3& grad, const Kokkos::View<double*, DockMem>& out,
              Part part, double cap) {
  const int n = static_cast<int>(xyz.extent(0));
  Kokkos::fence();
  Kokkos::Timer timer;
  Kokkos::parallel_for(
      "pk::dock::bench_score", Kokkos::RangePolicy<DockExec>(0, n), KOKKOS_LAMBDA(const int p) {
        const PoseSpan<V3> c{xyz, p}, g{grad, p};
        double v = 0;
        if (part == Part::kBoth) {
          v = e(c, g, cap);
        } else {
          for (int a = 0; a < e.ligand.n_atoms; ++a)
            for (int d = 0; d < 3; ++d) g(a, d) = 0;
          v = part == Part::kInter ? e.inter(c, g, cap) : e.intra(c, g, cap);
        }
        out(p) = v;
      });
  Kokkos::fence();
  return timer.seconds();
}

/// Team size for the team-per-pose launch: a warp on CUDA, one thread on
/// host backends.
constexpr int bench_team_size() {
#ifdef KOKKOS_ENABLE_CUDA
  return std::is_same<DockExec, Kokkos::Cuda>::value ? 32 : 1;
#else
  return 1;
#endif
}

/// Grid + intra with a team per pose: lanes over atoms for the grid term
/// (each atom's gradient written by one lane), lanes over pairs for the
/// intramolecular term (gradients added atomically). Returns seconds.
double launch_team(const DeviceEnergy& e, const V3& xyz, const V3& grad, const Kokkos::View<double*, DockMem>& out,
                   double cap) {
  using Policy = Kokkos::TeamPolicy<DockExec>;
  using Member = Policy::member_type;
  const int n = static_cast<int>(xyz.extent(0)), m = e.ligand.n_atoms, np = e.ligand.n_pairs;
  Kokkos::fence();
  Kokkos::Timer timer;
  Kokkos::parallel_for(
      "pk::dock::bench_score_team", Policy(n, bench_team_size()), KOKKOS_LAMBDA(const Member& team) {
        const int p = team.league_rank();
        const PoseSpan<V3> c{xyz, p};
        double inter = 0, intra = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, m),
            [&](const int a, double& acc) {
              double g[3] = {0, 0, 0};
              const int slot = e.ligand.atom_slot(a);
              if (slot >= 0) {
                const double x[3] = {c(a, 0), c(a, 1), c(a, 2)};
                acc += e.grid.atom_energy(slot, x, cap, g);
              }
              for (int d = 0; d < 3; ++d) grad(p, a, d) = g[d];
            },
            inter);
        team.team_barrier();
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, np),
            [&](const int q, double& acc) {
              double f[3];
              acc += e.intra_pair(q, c, cap, f);
              const int i = e.ligand.pairs(q, 0), j = e.ligand.pairs(q, 1);
              for (int d = 0; d < 3; ++d) {
                Kokkos::atomic_add(&grad(p, i, d), f[d]);
                Kokkos::atomic_add(&grad(p, j, d), -f[d]);
              }
            },
            intra);
        Kokkos::single(Kokkos::PerTeam(team), [&]() { out(p) = inter + intra; });
      });
  Kokkos::fence();
  return timer.seconds();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

ScoreBenchResult bench_score(const Receptor& receptor, const Ligand& lig, const GridBox& box, const ScoringWeights& w,
                             const ScoreBenchSettings& s) {
  ScoreBenchResult r;
  r.execution_space = DockExec::name();
  r.n_atoms = lig.n_atoms();
  r.n_heavy = static_cast<int>(lig.heavy_atoms().size());
  r.n_pairs = static_cast<int>(lig.intra_pairs.size());
  Kokkos::Timer build;
  DeviceEnergy e;
  e.grid = build_grid_maps(receptor, box, xs_types_of({lig}), w);
  e.ligand = upload_ligand(lig, e.grid, w);
  r.grid_build_seconds = build.seconds();
  const V3 xyz = random_poses(lig, box, s.poses, s.seed, s.near);
  const V3 grad(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::dock::bench_grad"), s.poses, lig.n_atoms(), 3);
  const Kokkos::View<double*, DockMem> out("pk::dock::bench_energy", s.poses);
  for (Part p : {Part::kBoth, Part::kInter, Part::kIntra}) launch(e, xyz, grad, out, p, s.cap);  // warm-up
  for (int k = 0; k < s.repeats; ++k) {
    r.seconds.push_back(launch(e, xyz, grad, out, Part::kBoth, s.cap));
    r.inter_seconds.push_back(launch(e, xyz, grad, out, Part::kInter, s.cap));
    r.intra_seconds.push_back(launch(e, xyz, grad, out, Part::kIntra, s.cap));
  }
  launch(e, xyz, grad, out, Part::kBoth, s.cap);
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  auto hg = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), grad);
  for (int p = 0; p < s.poses; ++p) r.checksum += h(p);
  // The same energies and gradients with a team per pose.
  const Kokkos::View<double*, DockMem> out_team("pk::dock::bench_energy_team", s.poses);
  const V3 grad_team(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::dock::bench_grad_team"), s.poses,
                     lig.n_atoms(), 3);
  launch_team(e, xyz, grad_team, out_team, s.cap);  // warm-up
  for (int k = 0; k < s.repeats; ++k) r.team_seconds.push_back(launch_team(e, xyz, grad_team, out_team, s.cap));
  r.median_team_per_second = s.poses / median(r.team_seconds);
  r.team_size = bench_team_size();
  auto ht = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out_team);
  auto hgt = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), grad_team);
  for (int p = 0; p < s.poses; ++p) {
    r.team_max_energy_diff = std::max(r.team_max_energy_diff, std::fabs(ht(p) - h(p)) / std::max(1.0, std::fabs(h(p))));
    for (int a = 0; a < lig.n_atoms(); ++a)
      for (int d = 0; d < 3; ++d)
        r.team_max_grad_diff = std::max(r.team_max_grad_diff, std::fabs(hgt(p, a, d) - hg(p, a, d)) /
                                                                   std::max(1.0, std::fabs(hg(p, a, d))));
  }
  r.median_evals_per_second = s.poses / median(r.seconds);
  r.median_inter_per_second = s.poses / median(r.inter_seconds);
  r.median_intra_per_second = s.poses / median(r.intra_seconds);
  // The search's per-step evaluation, kinematics included.
  const TreeHost tree_host = tree_of(lig);
  const auto tree = upload_tree<DockMem>(tree_host);
  const int slots = tree.conf_size() + tree.frame_size() + 6 * tree.n_atoms + tree.change_size();
  const Scratch work = random_conformations(tree_host, box, s.poses, slots, s.seed, s.near);
  r.n_torsions = tree_host.n_torsions();
  launch_full(e, tree, work, out, s.cap);  // warm-up
  for (int k = 0; k < s.repeats; ++k) {
    const std::clock_t c0 = std::clock();  // CPU time of the whole process (all host threads)
    r.full_seconds.push_back(launch_full(e, tree, work, out, s.cap));
    r.full_cpu_seconds.push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
  }
  r.median_full_per_second = s.poses / median(r.full_seconds);
  // The same with a team per conformation (the GPU search's evaluation), in
  // both team forms of the energy; the search uses team_form_setting()'s.
  auto hf = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  const Kokkos::View<double*, DockMem> out_full_team("pk::dock::bench_energy_full_team", s.poses);
  const auto time_form = [&](const auto& ef, std::vector<double>& secs) {
    launch_full_team(ef, tree, work, out_full_team, s.cap, r.team_size);  // warm-up
    for (int k = 0; k < s.repeats; ++k) secs.push_back(launch_full_team(ef, tree, work, out_full_team, s.cap, r.team_size));
    auto hft = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out_full_team);
    for (int p = 0; p < s.poses; ++p)
      r.team_full_max_energy_diff =
          std::max(r.team_full_max_energy_diff, std::fabs(hft(p) - hf(p)) / std::max(1.0, std::fabs(hf(p))));
    return s.poses / median(secs);
  };
  r.median_team_full_pairs_per_second = time_form(e, r.team_full_pairs_seconds);
  r.median_team_full_atoms_per_second = time_form(DeviceAtomsEnergy{e}, r.team_full_atoms_seconds);
  const bool atoms = team_form_setting() == TeamForm::kAtoms;
  r.team_form = atoms ? "atoms" : "pairs";
  r.team_full_seconds = atoms ? r.team_full_atoms_seconds : r.team_full_pairs_seconds;
  r.median_team_full_per_second = atoms ? r.median_team_full_atoms_per_second : r.median_team_full_pairs_per_second;
  r.median_full_per_cpu_second = s.poses / median(r.full_cpu_seconds);
  // The atoms form by lane groups: several conformations per warp. Each
  // group size gets its own slot layout (the atoms balanced over its lanes).
  {
    const int C = tree.conf_size(), G = tree.change_size();
    const Kokkos::View<double**, DockMem> confs("pk::dock::bench_confs", s.poses, C);
    Kokkos::deep_copy(confs, Kokkos::subview(work, Kokkos::ALL, std::make_pair(0, C)));
    const Kokkos::View<double**, DockMem> changes("pk::dock::bench_changes", s.poses, G), none("pk::dock::none", 0, G);
    const Kokkos::View<double*, DockMem> out_g("pk::dock::bench_energy_grouped", s.poses);
    // The thread kernel's conformation gradients (left in `work` by its last launch), for the check.
    auto hw = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), work);
    const int change_at = C + tree.frame_size() + 6 * tree.n_atoms;
    const std::vector<int> lane_counts = r.team_size >= 32 ? std::vector<int>{32, 16, 8, 4} : std::vector<int>{1};
    for (const int lanes : lane_counts) {
      DeviceAtomsEnergy ef{e};
      ef.ligand = ligand_for_lanes(e.ligand, lig, lanes);
      // Plain reads of the maps and the pair table (no PK_DOCK_L2_ONLY): in
      // this form they measured 6-8% faster on the H100 (RESULTS.md).
      ef.grid.cache_hint = 0;
      ef.ligand.cache_hint = 0;
      ScoreBenchResult::Grouped gr;
      gr.lanes = lanes;
      launch_grouped(ef, tree, confs, out_g, changes, s.cap, r.team_size, lanes, gr.min_blocks);  // warm-up, and the check
      auto he = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out_g);
      auto hc = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), changes);
      for (int p = 0; p < s.poses; ++p) {
        r.grouped_max_energy_diff =
            std::max(r.grouped_max_energy_diff, std::fabs(he(p) - hf(p)) / std::max(1.0, std::fabs(hf(p))));
        for (int i = 0; i < G; ++i)
          r.grouped_max_change_diff = std::max(r.grouped_max_change_diff, std::fabs(hc(p, i) - hw(p, change_at + i)) /
                                                                              std::max(1.0, std::fabs(hw(p, change_at + i))));
      }
      for (int k = 0; k < s.repeats; ++k)
        gr.seconds.push_back(launch_grouped(ef, tree, confs, out_g, none, s.cap, r.team_size, lanes, gr.min_blocks));
      gr.median_per_second = s.poses / median(gr.seconds);
      r.grouped.push_back(gr);
    }
  }
  return r;
}

}  // namespace pk::dock
