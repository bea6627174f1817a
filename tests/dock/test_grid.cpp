// Device scorer against independent references: every sampled grid value
// equals a host sum of Vina's tabulated pair energies at that point; the
// analytic gradient of the grid and intramolecular terms matches central finite
// differences; outside the box the slope penalty and its gradient; the
// device intramolecular energy (Vina's table, interpolated) within 0.01
// kcal/mol of the analytic sum and of Vina's scoring lookup; bench score's
// team-per-pose launch against its thread-per-pose launch.
#include "dock/device_api.hpp"
#include "dock/grid.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include <cmath>
#include <memory>
#include <random>

namespace {

using namespace pk::dock;
using Pose = std::vector<std::array<double, 3>>;

/// inputs/dock, from the environment (set by CTest).
std::string inputs() {
  const char* dir = std::getenv("PK_DOCK_INPUTS");
  return dir ? dir : "inputs/dock";
}

struct Setup {
  Receptor receptor = read_receptor(inputs() + "/protein.pdbqt");
  Ligand ligand = read_ligands(inputs() + "/ligand.pdbqt")[0];
  ScoringWeights w;
  // A box around the input ligand (small, so the test is quick).
  GridBox box = GridBox::from_center_size({20, 78.5, 67}, {14, 12, 20});
};

Setup& setup() {
  static Setup s;
  return s;
}

// The device views live in the fixture and go before Kokkos::finalize.
class DockGrid : public ::testing::Test {
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
  static std::unique_ptr<DeviceEnergy> cached_;
};
std::unique_ptr<DeviceEnergy> DockGrid::cached_;

}  // namespace

TEST_F(DockGrid, MapValuesEqualHostSums) {
  const auto& s = setup();
  const DeviceEnergy e = energy();
  const PairTable table(s.w);
  const auto rec = ReceptorAtoms::of(s.receptor);
  auto values = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.grid.values);
  auto slot = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.grid.type_slot);
  std::mt19937 gen(3);
  for (int k = 0; k < 200; ++k) {
    const int x = gen() % e.grid.nx, y = gen() % e.grid.ny, z = gen() % e.grid.nz;
    const int t = xs_types_of({s.ligand})[gen() % xs_types_of({s.ligand}).size()];
    const std::array<double, 3> p = {s.box.begin[0] + (s.box.end[0] - s.box.begin[0]) * x / s.box.n[0],
                                     s.box.begin[1] + (s.box.end[1] - s.box.begin[1]) * y / s.box.n[1],
                                     s.box.begin[2] + (s.box.end[2] - s.box.begin[2]) * z / s.box.n[2]};
    double ref = 0;
    for (std::size_t j = 0; j < rec.xyz.size(); ++j) {
      double r2 = 0;
      for (int d = 0; d < 3; ++d) r2 += (p[d] - rec.xyz[j][d]) * (p[d] - rec.xyz[j][d]);
      if (r2 < 64) ref += table.fast(t, rec.xs[j], r2);
    }
    const double got = values(((static_cast<long>(slot(t)) * e.grid.nz + z) * e.grid.ny + y) * e.grid.nx + x);
    EXPECT_NEAR(got, ref, 1e-6 * std::max(1.0, std::fabs(ref)));  // maps are stored as float
  }
}

TEST_F(DockGrid, GradientMatchesFiniteDifferences) {
  const auto& s = setup();
  const DeviceEnergy e = energy();
  std::mt19937 gen(11);
  std::normal_distribution<double> jitter(0, 0.3);
  std::vector<Pose> poses;
  const Pose base = input_coordinates(s.ligand);
  for (int k = 0; k < 3; ++k) {
    Pose p = base;
    for (auto& x : p)
      for (auto& c : x) c += jitter(gen);
    poses.push_back(p);
  }
  // A small step: the intramolecular energy is linear in r^2 between table
  // samples 1/32 Å^2 apart, so its derivative jumps there; a step of 1e-8 Å
  // almost never crosses a sample, and round-off stays near 1e-6.
  const double h = 1e-8;
  for (double cap : {10.0, 1000.0}) {
    const auto at = evaluate_poses(e, poses, cap, true);
    for (std::size_t p = 0; p < poses.size(); ++p)
      for (int a = 0; a < s.ligand.n_atoms(); a += 3)
        for (int d = 0; d < 3; ++d) {
          std::vector<Pose> pm = {poses[p], poses[p]};
          pm[0][a][d] += h;
          pm[1][a][d] -= h;
          const auto f = evaluate_poses(e, pm, cap, false);
          const double fd = (f.inter[0] + f.intra[0] - f.inter[1] - f.intra[1]) / (2 * h);
          EXPECT_NEAR(at.grad[p][a][d], fd, 1e-4 * std::max(1.0, std::fabs(fd))) << "pose " << p << " atom " << a;
        }
  }
}

TEST_F(DockGrid, OutOfBoxSlope) {
  // Atoms beyond the box's x end sit on the face and pay 1e6 kcal/mol per Å:
  // moving one 1e-3 Å further out costs 1000 kcal/mol, its x gradient is 1e6
  // plus the (small) gradient of the face value.
  const auto& s = setup();
  const DeviceEnergy e = energy();
  Pose out = input_coordinates(s.ligand);
  for (auto& x : out) x[0] += 4.0;
  int a = -1;
  for (int k = 0; k < s.ligand.n_atoms(); ++k)
    if (!s.ligand.atoms[k].hydrogen && out[k][0] > s.box.end[0] + 0.5) a = k;
  ASSERT_GE(a, 0);
  Pose further = out;
  further[a][0] += 1e-3;
  const auto r = evaluate_poses(e, {out, further}, 1000.0, true);
  EXPECT_NEAR(r.inter[1] - r.inter[0], 1000.0, 0.1);
  EXPECT_NEAR(r.grad[0][a][0], 1e6, 100.0);
  EXPECT_GT(r.inter[0], 1e6);
}

TEST_F(DockGrid, InterpolationAndIntraAgainstHost) {
  const auto& s = setup();
  const DeviceEnergy e = energy();
  const Pose p = input_coordinates(s.ligand);
  const auto pe = evaluate_poses(e, {p}, 1000.0, false);
  const PairTable table(s.w);
  double intra_analytic = 0;
  for (const auto& q : s.ligand.intra_pairs) {
    double r2 = 0;
    for (int d = 0; d < 3; ++d) r2 += (p[q[0]][d] - p[q[1]][d]) * (p[q[0]][d] - p[q[1]][d]);
    double v = pair_energy(s.w, s.ligand.atoms[q[0]].xs, s.ligand.atoms[q[1]].xs, std::sqrt(r2));
    if (v > 0) v *= 1000.0 / (1000.0 + v);
    intra_analytic += v;
  }
  // The device interpolates Vina's samples linearly in r^2; Vina's scoring
  // lookup takes the mean of two samples; both sit within 0.01 kcal/mol of
  // the analytic sum here.
  EXPECT_NEAR(pe.intra[0], intra_analytic, 0.01);
  EXPECT_NEAR(pe.intra[0], intra_energy(table, s.ligand, p, 1000.0), 0.01);
  // Grid inter at the input pose against the direct pairwise sum: the maps
  // interpolate, so only a loose agreement is expected (Vina's two paths
  // differ similarly); the exact comparisons are with Vina itself.
  const double direct = inter_energy(table, ReceptorAtoms::of(s.receptor), s.ligand, p, s.box, 1000.0);
  EXPECT_NEAR(pe.inter[0], direct, 0.1 * std::fabs(direct) + 1.0);
}

TEST_F(DockGrid, BenchTeamPerPoseMatchesThreadPerPose) {
  // bench score's team-per-pose launch (lanes over atoms and pairs, atomic
  // gradient sums) reproduces the thread-per-pose energies and gradients.
  ScoreBenchSettings b;
  b.poses = 256;
  b.repeats = 1;
  const auto r = bench_score(setup().receptor, setup().ligand, setup().box, setup().w, b);
  EXPECT_LT(r.team_max_energy_diff, 1e-9);
  EXPECT_LT(r.team_max_grad_diff, 1e-9);
  EXPECT_GT(r.median_evals_per_second, 0);
  EXPECT_TRUE(std::isfinite(r.checksum));
}
