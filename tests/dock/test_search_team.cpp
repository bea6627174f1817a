// The team-per-chain search kernels (kernels/dock_search_team.hpp) against the
// thread-per-chain ones on the Debian Abl/imatinib complex with the Vina
// energy: with a one-thread team every energy, gradient, local optimum and
// Monte Carlo chain is bitwise the thread kernel's on host backends (the same
// arithmetic in the same order); with wider teams (a warp on GPUs) only the
// order of the sums differs, so evaluations agree to rounding and local
// optimisations to their convergence. An energy with only the thread
// interface (a restraint) runs through SerialTeamEnergy and also matches.
#include "dock/grid.hpp"
#include "dock/kinematics.hpp"
#include "dock/search_driver.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>

namespace {

using namespace pk::dock;
namespace kd = pk::kernels::dock;
using Exec = DockExec;
using Mem = DockMem;
using Tree = kd::TorsionTree<Mem>;

std::string inputs() {
  const char* dir = std::getenv("PK_DOCK_INPUTS");
  return dir ? dir : "inputs/dock";
}

constexpr bool kHost = std::is_same<Mem, Kokkos::HostSpace>::value;

struct Setup {
  Receptor receptor = read_receptor(inputs() + "/protein.pdbqt");
  Ligand ligand = read_ligands(inputs() + "/ligand.pdbqt")[0];
  ScoringWeights w;
  GridBox box = GridBox::from_center_size({20.8, 78.4, 66.2}, {30, 30, 30});  // around the input ligand
  TreeHost tree = tree_of(ligand);
};

Setup& setup() {
  static Setup s;
  return s;
}

struct Probe {
  KOKKOS_INLINE_FUNCTION void operator()(const Kokkos::TeamPolicy<Exec>::member_type&) const {}
};

/// The widest team this backend runs (a warp on CUDA), at most 32.
int wide_team() {
  const int max = Kokkos::TeamPolicy<Exec>(1, 1).team_size_max(Probe{}, Kokkos::ParallelForTag());
  return std::min(32, max);
}

class DockSearchTeam : public ::testing::Test {
 protected:
  static void TearDownTestSuite() { cached_.reset(); }
  static DeviceEnergy energy() {
    if (!cached_) {
      cached_ = std::make_unique<DeviceEnergy>();
      cached_->grid = build_grid_maps(setup().receptor, setup().box, xs_types_of({setup().ligand}), setup().w);
      cached_->ligand = upload_ligand(setup().ligand, cached_->grid, setup().w);
    }
    return *cached_;
  }
  static DeviceAtomsEnergy atoms_energy() { return DeviceAtomsEnergy{energy()}; }
  static std::unique_ptr<DeviceEnergy> cached_;
};
std::unique_ptr<DeviceEnergy> DockSearchTeam::cached_;

/// Random conformations near the input pose (inside the box): position
/// within 0.5 Å, orientation within ~0.1 rad, torsions within 0.3 rad.
std::vector<std::vector<double>> random_confs(int n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> small(-1, 1);
  std::vector<std::vector<double>> out;
  for (int k = 0; k < n; ++k) {
    auto c = setup().tree.input_conformation();
    for (int d = 0; d < 3; ++d) c[d] += 0.5 * small(gen);
    double q[4] = {1, 0.05 * small(gen), 0.05 * small(gen), 0.05 * small(gen)}, s = 0;
    for (double x : q) s += x * x;
    for (int i = 0; i < 4; ++i) c[3 + i] = q[i] / std::sqrt(s);
    for (int t = 0; t < setup().tree.n_torsions(); ++t) c[7 + t] = 0.3 * small(gen);
    out.push_back(c);
  }
  return out;
}

Kokkos::View<double**, Mem> to_view(const std::vector<std::vector<double>>& confs) {
  Kokkos::View<double**, Mem> v("confs", confs.size(), confs.front().size());
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < confs.size(); ++i)
    for (std::size_t j = 0; j < confs[i].size(); ++j) h(i, j) = confs[i][j];
  Kokkos::deep_copy(v, h);
  return v;
}

/// Energy and conformation gradient of each conformation: thread kernel
/// (team_size 0) or a team of team_size. Row: energy, then the gradient.
template <class Energy>
std::vector<std::vector<double>> evaluate(const Energy& energy, const std::vector<std::vector<double>>& confs,
                                          int team_size, double cap = 10.0) {
  const Tree tree = upload_tree<Mem>(setup().tree);
  const auto in = to_view(confs);
  const int n = static_cast<int>(confs.size());
  const kd::SearchLayout l = kd::SearchLayout::of(tree);
  Kokkos::View<double**, Mem> out("out", n, 1 + l.G);
  if (team_size == 0) {
    Kokkos::View<double**, Mem> scratch("scratch", n, l.total);
    using Span = kd::ChainSpan<Kokkos::View<double**, Mem>>;
    Kokkos::parallel_for(
        "test::thread_eval", Kokkos::RangePolicy<Exec>(0, n), KOKKOS_LAMBDA(const int c) {
          const Span row{scratch, c, 0};
          for (int i = 0; i < l.C; ++i) row[l.cur + i] = in(c, i);
          out(c, 0) = kd::evaluate_conf(tree, energy, l, row, row.shifted(l.cur), row.shifted(l.g), cap);
          for (int i = 0; i < l.G; ++i) out(c, 1 + i) = row[l.g + i];
        });
  } else {
    using Policy = Kokkos::TeamPolicy<Exec>;
    using ScratchView = Kokkos::View<double*, Exec::scratch_memory_space, Kokkos::MemoryUnmanaged>;
    const kd::TeamLayout tl = kd::TeamLayout::of(tree, energy.team_work_size(), 0);
    const std::size_t bytes = ScratchView::shmem_size(tl.total);
    Kokkos::parallel_for(
        "test::team_eval", Policy(n, team_size).set_scratch_size(0, Kokkos::PerTeam(bytes)),
        KOKKOS_LAMBDA(const Policy::member_type& m) {
          const int c = m.league_rank();
          ScratchView mem(m.team_scratch(0), tl.total);
          const kd::PtrSpan row{mem.data()};
          Kokkos::parallel_for(Kokkos::TeamThreadRange(m, l.C), [&](const int i) { row[l.cur + i] = in(c, i); });
          m.team_barrier();
          const double e = kd::team_evaluate_conf(m, tree, energy, tl, row, row.shifted(l.cur), row.shifted(l.g), cap);
          if (m.team_rank() == 0) {
            out(c, 0) = e;
            for (int i = 0; i < l.G; ++i) out(c, 1 + i) = row[l.g + i];
          }
        });
  }
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  std::vector<std::vector<double>> rows(n, std::vector<double>(1 + l.G));
  for (int c = 0; c < n; ++c)
    for (int i = 0; i <= l.G; ++i) rows[c][i] = h(c, i);
  return rows;
}

/// Local optimisation (`rounds` runs of `steps` BFGS steps) of each conformation.
std::pair<std::vector<double>, std::vector<std::vector<double>>> local_opt(const DeviceEnergy& energy,
                                                                         const std::vector<std::vector<double>>& confs,
                                                                         int team_size, int rounds = 3,
                                                                         int steps = 21) {
  const Tree tree = upload_tree<Mem>(setup().tree);
  auto v = to_view(confs);
  const auto e = team_size == 0 ? kd::run_local_optimization<Exec>(tree, energy, v, rounds, steps, 1000.0)
                                : kd::run_local_optimization_team<Exec>(tree, energy, v, rounds, steps, 1000.0, team_size);
  auto he = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e);
  auto hv = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), v);
  std::pair<std::vector<double>, std::vector<std::vector<double>>> r;
  for (std::size_t c = 0; c < confs.size(); ++c) {
    r.first.push_back(he(c));
    r.second.emplace_back();
    for (std::size_t i = 0; i < confs[c].size(); ++i) r.second.back().push_back(hv(c, i));
  }
  return r;
}

/// Monte Carlo chains: per chain, the count, then each kept minimum's energy and conformation.
template <class Energy>
std::vector<double> chains(const Tree& tree, const Energy& energy, int team_size, int n_chains, int steps,
                           std::uint64_t seed, const kd::SearchParams& base) {
  const auto& heavy = setup().ligand.heavy_atoms();
  Kokkos::View<int*, Mem> hv("heavy", heavy.size());
  auto hh = Kokkos::create_mirror_view(hv);
  for (std::size_t i = 0; i < heavy.size(); ++i) hh(i) = heavy[i];
  Kokkos::deep_copy(hv, hh);
  kd::SearchParams p = base;
  p.steps_per_chain = steps;
  p.seed = seed;
  const auto st = team_size == 0 ? kd::run_mc_chains<Exec>(tree, energy, hv, p, n_chains)
                                 : kd::run_mc_chains_team<Exec>(tree, energy, hv, p, n_chains, team_size);
  auto e = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_energy);
  auto x = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_conf);
  auto n = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), st.saved_count);
  const int C = tree.conf_size();
  std::vector<double> out;
  for (int c = 0; c < n_chains; ++c) {
    out.push_back(n(c));
    for (int k = 0; k < n(c); ++k) {
      out.push_back(e(c, k));
      for (int i = 0; i < C; ++i) out.push_back(x(c, k * C + i));
    }
  }
  return out;
}

/// The lowest kept minimum over `n_chains` chains of chains()'s output (a
/// chain's first minimum is its lowest); 1e300 if none was kept.
double lowest_minimum(const std::vector<double>& out, int n_chains, int conf_size) {
  double best = 1e300;
  for (std::size_t c = 0, k = 0; c < static_cast<std::size_t>(n_chains); ++c) {
    const int n = static_cast<int>(out[k]);
    if (n > 0) best = std::min(best, out[k + 1]);
    k += 1 + n * (1 + conf_size);
  }
  return best;
}

kd::SearchParams box_params() {
  kd::SearchParams p;
  p.local_steps = 21;
  p.saved_per_chain = 4;
  for (int d = 0; d < 3; ++d) {
    p.box_lo[d] = setup().box.begin[d];
    p.box_hi[d] = setup().box.end[d];
  }
  p.gyration_radius_angstrom = gyration_radius(setup().tree, setup().ligand.heavy_atoms());
  return p;
}

}  // namespace

TEST_F(DockSearchTeam, EvaluationsMatchTheThreadKernel) {
  const auto confs = random_confs(24, 3);
  const auto ref = evaluate(energy(), confs, 0);
  const int wide = wide_team();
  for (const int form : {0, 1}) {  // the pairs and the atoms form of the team energy
    const auto one = form == 0 ? evaluate(energy(), confs, 1) : evaluate(atoms_energy(), confs, 1);
    const auto w = form == 0 ? evaluate(energy(), confs, wide) : evaluate(atoms_energy(), confs, wide);
    for (std::size_t c = 0; c < confs.size(); ++c) {
      ASSERT_TRUE(std::isfinite(ref[c][0]));
      for (std::size_t i = 0; i < ref[c].size(); ++i) {
        if (kHost) EXPECT_EQ(one[c][i], ref[c][i]) << "form " << form << ", conf " << c << " entry " << i;
        const double tol = 1e-9 * std::max(1.0, std::fabs(ref[c][i]));
        EXPECT_NEAR(one[c][i], ref[c][i], tol) << "form " << form << ", conf " << c << " entry " << i;
        EXPECT_NEAR(w[c][i], ref[c][i], tol) << "form " << form << ", team of " << wide << ", conf " << c << " entry " << i;
      }
    }
  }
}

/// Energy and conformation gradient of each conformation by lane groups of
/// `lanes` lanes, team_size / lanes conformations per team. Row as evaluate().
template <class Energy>
std::vector<std::vector<double>> evaluate_grouped(const Energy& energy, const std::vector<std::vector<double>>& confs,
                                                  int team_size, int lanes, double cap = 10.0) {
  const Tree tree = upload_tree<Mem>(setup().tree);
  const auto in = to_view(confs);
  const int n = static_cast<int>(confs.size()), G = tree.change_size();
  Kokkos::View<double*, Mem> e("e", n);
  Kokkos::View<double**, Mem> ch("change", n, G);
  kd::run_evaluations_grouped<Exec>(tree, energy, in, e, ch, cap, team_size, lanes);
  auto he = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e);
  auto hc = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), ch);
  std::vector<std::vector<double>> rows(n, std::vector<double>(1 + G));
  for (int c = 0; c < n; ++c) {
    rows[c][0] = he(c);
    for (int i = 0; i < G; ++i) rows[c][1 + i] = hc(c, i);
  }
  return rows;
}

// Several conformations per team, each on its own group of lanes (what
// `bench score` times as ..._grouped): one-lane groups are bitwise the thread
// kernel on host backends; on GPUs groups of 1-32 lanes agree to rounding.
// 37 conformations: the last team is only partly used.
TEST_F(DockSearchTeam, GroupedEvaluationsMatchTheThreadKernel) {
  const auto confs = random_confs(37, 5);
  const auto ref = evaluate(energy(), confs, 0);
  const int wide = wide_team();
  const std::vector<int> lane_counts = kHost ? std::vector<int>{1} : std::vector<int>{1, 2, 4, 8, 16, 32};
  for (const int lanes : lane_counts) {
    DeviceAtomsEnergy atoms = atoms_energy();
    atoms.ligand = ligand_for_lanes(energy().ligand, setup().ligand, lanes);
    for (const int form : {0, 1}) {
      const auto got = form == 0 ? evaluate_grouped(energy(), confs, wide, lanes) : evaluate_grouped(atoms, confs, wide, lanes);
      ASSERT_EQ(got.size(), ref.size());
      for (std::size_t c = 0; c < confs.size(); ++c)
        for (std::size_t i = 0; i < ref[c].size(); ++i) {
          if (kHost) EXPECT_EQ(got[c][i], ref[c][i]) << "form " << form << ", conf " << c << " entry " << i;
          EXPECT_NEAR(got[c][i], ref[c][i], 1e-9 * std::max(1.0, std::fabs(ref[c][i])))
              << "form " << form << ", " << lanes << " lanes, conf " << c << " entry " << i;
        }
    }
  }
  // Group sizes the kernel cannot run are refused, not run wrongly.
  EXPECT_THROW(evaluate_grouped(energy(), confs, wide, 3), std::invalid_argument);
  EXPECT_THROW(evaluate_grouped(energy(), confs, wide, 64), std::invalid_argument);
  if (kHost) EXPECT_THROW(evaluate_grouped(energy(), confs, 2, 2), std::invalid_argument);
}

TEST_F(DockSearchTeam, LocalOptimisationMatchesTheThreadKernel) {
  const auto confs = random_confs(8, 5);
  const auto ref = local_opt(energy(), confs, 0);
  const auto one = local_opt(energy(), confs, 1);
  const auto start = evaluate(energy(), confs, 0, 1000.0);
  // Wide teams sum in another order: a few BFGS steps agree to rounding; over
  // many steps the line search's accept/halve decisions may part, so there
  // only determinism and "never worse than the start" are required.
  const int wide = wide_team();
  const auto short_ref = local_opt(energy(), confs, 0, 1, 4), short_w = local_opt(energy(), confs, wide, 1, 4);
  const auto w = local_opt(energy(), confs, wide), w2 = local_opt(energy(), confs, wide);
  EXPECT_EQ(w.first, w2.first);
  EXPECT_EQ(w.second, w2.second);
  std::size_t descended = 0;
  for (std::size_t c = 0; c < confs.size(); ++c) {
    EXPECT_LE(ref.first[c], start[c][0]);  // never worse than the start
    EXPECT_LE(w.first[c], start[c][0]);
    descended += short_ref.first[c] < start[c][0];
    if (kHost) {
      EXPECT_EQ(one.first[c], ref.first[c]);
      EXPECT_EQ(one.second[c], ref.second[c]);
    }
    EXPECT_NEAR(short_w.first[c], short_ref.first[c], 1e-6 * std::max(1.0, std::fabs(short_ref.first[c])))
        << "team of " << wide << ", conf " << c;
    for (std::size_t i = 0; i < confs[c].size(); ++i) EXPECT_NEAR(short_w.second[c][i], short_ref.second[c][i], 1e-6);
  }
  EXPECT_GE(descended, confs.size() / 2);  // the comparison is not between unmoved starts
}

TEST_F(DockSearchTeam, MonteCarloChainsMatchTheThreadKernel) {
  const Tree tree = upload_tree<Mem>(setup().tree);
  const auto p = box_params();
  const auto ref = chains(tree, energy(), 0, 6, 12, 17, p);
  const auto one = chains(tree, energy(), 1, 6, 12, 17, p);
  if (kHost) EXPECT_EQ(one, ref);
  // Wide teams: deterministic for a seed, and the chains keep low minima.
  const int wide = wide_team();
  const int nc = 6;
  const auto a = chains(tree, energy(), wide, nc, 12, 17, p), b = chains(tree, energy(), wide, nc, 12, 17, p);
  EXPECT_EQ(a, b);
  ASSERT_GE(a.size(), 2u);
  EXPECT_LT(lowest_minimum(ref, 6, tree.conf_size()), 0.0);
  EXPECT_LT(lowest_minimum(a, nc, tree.conf_size()), 0.0);
  const auto other = chains(tree, energy(), wide, 6, 12, 18, p);
  EXPECT_NE(a, other);  // another seed, another search
}

TEST_F(DockSearchTeam, AtomsFormChainsMatchTheThreadKernel) {
  // The atoms form of the team energy in whole Monte Carlo chains: bitwise
  // the thread kernel's with one lane (host), deterministic and descending
  // with wide teams.
  const Tree tree = upload_tree<Mem>(setup().tree);
  const auto p = box_params();
  const auto ref = chains(tree, energy(), 0, 4, 10, 23, p);
  const auto one = chains(tree, atoms_energy(), 1, 4, 10, 23, p);
  if (kHost) EXPECT_EQ(one, ref);
  const int wide = wide_team();
  const auto a = chains(tree, atoms_energy(), wide, 4, 10, 23, p),
             b = chains(tree, atoms_energy(), wide, 4, 10, 23, p);
  EXPECT_EQ(a, b);
  ASSERT_GE(a.size(), 2u);
  EXPECT_GE(a[0], 1.0);   // the first chain kept a minimum
  EXPECT_LT(a[1], 0.0);   // and it binds
}

namespace {
// A restraint with only the thread interface (runs on lane 0 of a team).
struct Restraint {
  Kokkos::View<const double* [3], Mem> target;
  template <class S>
  KOKKOS_INLINE_FUNCTION double operator()(const S& x, const S& g, double) const {
    double e = 0;
    for (int i = 0; i < static_cast<int>(target.extent(0)); ++i)
      for (int d = 0; d < 3; ++d) {
        const double r = x(i, d) - target(i, d);
        e += r * r;
        g(i, d) = 2 * r;
      }
    return e;
  }
};
}  // namespace

TEST_F(DockSearchTeam, ThreadOnlyEnergiesRunOnOneLane) {
  const Tree tree = upload_tree<Mem>(setup().tree);
  const auto goal = coordinates_of(setup().tree, random_confs(1, 9)[0]);
  Kokkos::View<double* [3], Mem> t("target", goal.size());
  auto ht = Kokkos::create_mirror_view(t);
  for (std::size_t a = 0; a < goal.size(); ++a)
    for (int d = 0; d < 3; ++d) ht(a, d) = goal[a][d];
  Kokkos::deep_copy(t, ht);
  const Restraint r{t};
  const auto p = box_params();
  const auto ref = chains(tree, r, 0, 4, 10, 5, p);
  const auto one = chains(tree, r, 1, 4, 10, 5, p);
  if (kHost) EXPECT_EQ(one, ref);
  const auto w = chains(tree, r, wide_team(), 4, 10, 5, p);
  ASSERT_GE(w.size(), 2u);
  EXPECT_GE(w[1], 0.0);  // a sum of squares
  EXPECT_LT(w[1], 50.0);  // the chain moved towards the target
}
