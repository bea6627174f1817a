// The network builder on synthetic poses with an analytic energy field:
// detailed balance of the built network, rates invariant to the pose order,
// k_D and the bulk rates in their units, Kd = koff/kon = exp(dG/RT) for one
// pose, the CSV and HDF5 outputs read back to the same rates, states without
// a path to unbound named, and the path interpolations.
#include "core/error.hpp"
#include "core/units.hpp"
#include "network/load.hpp"
#include "network/network_h5.hpp"
#include "landscape/network_build.hpp"
#include "landscape/network_io.hpp"
#include "landscape/network_lump.hpp"
#include "landscape/path.hpp"
#include "landscape/path_relax.hpp"
#include "solve/exact.hpp"
#include "solve/solver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace pk::pipeline;

namespace {

/// A rigid 4-atom ligand (3 heavy atoms and a polar H) translated to `at`.
Coords ligand_at(const Vec3& at) {
  Coords c = {{0, 0, 0}, {1.4, 0, 0}, {0, 1.4, 0}, {0, 0, 1.0}};
  for (auto& x : c)
    for (int d = 0; d < 3; ++d) x[d] += at[d];
  return c;
}

/// Energy field of the images: wells at x = 0 and 12, a ridge of +2 kcal/mol at x = 6.
double field(const Coords& c) {
  const double x = (c[0][0] + c[1][0] + c[2][0]) / 3;
  return -9.0 * std::exp(-x * x / 8) - 7.0 * std::exp(-(x - 12) * (x - 12) / 8) + 2.0 * std::exp(-(x - 6) * (x - 6));
}

PathEnergy cartesian_field() {
  return [](const LigandPoses& lig, const std::vector<std::pair<int, int>>& pairs, int images) {
    std::vector<std::vector<double>> out;
    for (const auto& [a, b] : pairs) {
      std::vector<double> e;
      for (const auto& c : cartesian_images(lig.coordinates[a], lig.coordinates[b], images)) e.push_back(field(c));
      out.push_back(e);
    }
    return out;
  };
}

/// Poses along x: 0 (best), 0.5 (same cluster), 3, 12 (out of the pocket), 30 (far, isolated).
LigandPoses synthetic(bool with_far = false) {
  LigandPoses lig;
  lig.name = "toy";
  lig.n_atoms = 4;
  lig.element = {"C", "C", "N", "H"};
  lig.xs_type = {0, 0, 2, 0};
  std::vector<double> xs = {0, 0.5, 3, 12};
  if (with_far) xs.push_back(30);
  for (double x : xs) {
    lig.coordinates.push_back(ligand_at({x, 0, 0}));
    lig.score_kcal_per_mol.push_back(field(lig.coordinates.back()));
    lig.inter_kcal_per_mol.push_back(lig.score_kcal_per_mol.back());
    lig.intra_kcal_per_mol.push_back(0);
    lig.position_angstrom.push_back({x, 0, 0});
    lig.orientation_wxyz.push_back({1, 0, 0, 0});
    lig.torsions_rad.emplace_back();
    lig.site.push_back(x > 20 ? 1 : 0);
  }
  return lig;
}

const std::vector<SearchBox> kBoxes = {{{6, 0, 0}, {20, 14, 14}}, {{30, 0, 0}, {30, 30, 30}}};

/// Receptor atoms around x in [-2, 6] (the pocket), none near x = 12.
Coords receptor() {
  Coords r;
  for (double x = -2; x <= 6; x += 1) r.push_back({x, 2.5, 0}), r.push_back({x, -2.5, 0});
  return r;
}

NetworkSettings settings() {
  NetworkSettings s;
  s.cluster_rmsd_angstrom = 1.0;
  s.edge_rmsd_angstrom = 10.0;
  s.edge_centroid_angstrom = 10.0;
  s.surface_margin_angstrom = 0.0;  // exposure from contacts only
  s.images = 16;
  return s;
}

std::vector<double> rates_of(const pk::network::Network& net, double T = 300) {
  const auto m = pk::network::build_rates(net, {T, 1.0, 1e-6});
  std::vector<double> out;
  for (std::int32_t i = 0; i < m.n; ++i)
    for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e)
      out.push_back(net.states[i].id * 1e6 + net.states[m.targets[e]].id), out.push_back(m.values[e]);
  return out;
}

}  // namespace

TEST(PipelineNetwork, ClustersStatesAndBarriers) {
  const BuiltNetwork b = build_network(synthetic(), kBoxes, receptor(), settings(), cartesian_field(), "toy.h5");
  ASSERT_EQ(b.states.size(), 3u);  // {0, 0.5}, {3}, {9}
  EXPECT_EQ(b.states[0].members, (std::vector<int>{0, 1}));
  EXPECT_EQ(b.net.states.back().macrostate, pk::network::Macrostate::Unbound);
  EXPECT_DOUBLE_EQ(b.net.states.back().free_energy_kcal_per_mol, 0.0);
  EXPECT_FALSE(b.states[0].exposed);
  EXPECT_GT(b.states[1].centroid_angstrom[0], 12);  // ranked by score: x = 0, 12, 3
  EXPECT_TRUE(b.states[1].exposed);                 // x = 12: no receptor atom within 4 Å
  EXPECT_FALSE(b.states[2].exposed);
  for (const auto& e : b.edges) {
    if (e.b < 0) continue;
    EXPECT_GE(e.ts_free_energy_kcal_per_mol, std::max(b.states[e.a].free_energy_kcal_per_mol, b.states[e.b].free_energy_kcal_per_mol));
    // The path max over 16 images of the analytic field, computed independently.
    double top = -INFINITY;
    const double xa = b.states[e.a].centroid_angstrom[0] - 1.4 / 3, xb = b.states[e.b].centroid_angstrom[0] - 1.4 / 3;
    for (int k = 0; k <= 17; ++k) top = std::max(top, field(ligand_at({xa + (xb - xa) * k / 17.0, 0, 0})));
    EXPECT_NEAR(e.path_max_score_kcal_per_mol, top, 1e-9);
  }
}

TEST(PipelineNetwork, DetailedBalanceAndBoltzmannStationaryDistribution) {
  for (double T : {280.0, 300.0, 330.0}) {
    NetworkSettings s = settings();
    s.temperature_K = T;
    s.model.offset_kcal_per_mol = 1.5;
    s.model.scale = 0.8;
    const BuiltNetwork b = build_network(synthetic(), kBoxes, receptor(), s, cartesian_field(), "toy.h5");
    const auto rates = pk::network::build_rates(b.net, {T, 1.0, 1.0});
    EXPECT_TRUE(pk::solve::satisfies_detailed_balance(rates));
    const auto pi = pk::solve::stationary_distribution(rates);
    const double rt = pk::units::rt_kcal_per_mol(T);
    for (std::size_t i = 1; i < pi.size(); ++i)
      EXPECT_NEAR(pi[i] / pi[0],
                  std::exp(-(b.net.states[i].free_energy_kcal_per_mol - b.net.states[0].free_energy_kcal_per_mol) / rt),
                  1e-9 * pi[i] / pi[0]);
  }
}

TEST(PipelineNetwork, RatesDoNotDependOnPoseOrder) {
  const LigandPoses lig = synthetic();
  const auto reference = rates_of(build_network(lig, kBoxes, receptor(), settings(), cartesian_field(), "a").net);
  std::mt19937 gen(3);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<int> perm(lig.n_poses());
    for (int i = 0; i < lig.n_poses(); ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), gen);
    LigandPoses s = lig;
    for (int i = 0; i < lig.n_poses(); ++i) {
      s.coordinates[i] = lig.coordinates[perm[i]];
      s.score_kcal_per_mol[i] = lig.score_kcal_per_mol[perm[i]];
      s.position_angstrom[i] = lig.position_angstrom[perm[i]];
      s.site[i] = lig.site[perm[i]];
    }
    EXPECT_EQ(rates_of(build_network(s, kBoxes, receptor(), settings(), cartesian_field(), "a").net), reference);
  }
}

TEST(PipelineNetwork, DiffusionLimitedRateInItsUnits) {
  // 4 pi D R N_A in cgs: D cm^2/s, R cm, N_A /mol -> cm^3/(mol s); / 1000 cm^3/L -> 1/(M s).
  const double D_cm2 = 6e-10 * 1e4, R_cm = 5e-8;
  const double cgs = 4 * M_PI * D_cm2 * R_cm * 6.02214076e23 / 1000.0;
  EXPECT_NEAR(diffusion_limited_rate_per_M_per_s(6e-10, 5.0), cgs, 1e-12 * cgs);
  EXPECT_GT(cgs, 1e9);  // small molecules: 1e9..1e10 1/(M s)
  EXPECT_LT(cgs, 1e10);
  // The built association rate out of unbound at 1 M is k_D split over the exposed states.
  const BuiltNetwork b = build_network(synthetic(), kBoxes, receptor(), settings(), cartesian_field(), "toy.h5");
  const auto m = pk::network::build_rates(b.net, {300, 1.0, 1.0});
  const std::int32_t u = m.n - 1;
  double total = 0;
  for (std::int64_t e = m.row_offsets[u]; e < m.row_offsets[u + 1]; ++e) total += m.values[e];
  ASSERT_EQ(b.exposed, 1);
  EXPECT_NEAR(total, cgs, 1e-9 * cgs);
}

TEST(PipelineNetwork, OnePoseGivesKdFromItsScore) {
  LigandPoses lig = synthetic();
  lig.coordinates.resize(1);
  lig.score_kcal_per_mol = {-6.2};
  lig.site.resize(1);
  NetworkSettings s = settings();
  s.surface_margin_angstrom = 100;  // exposed: every centroid is within 100 Å of its box surface
  const BuiltNetwork b = build_network(lig, kBoxes, receptor(), s, cartesian_field(), "one.h5");
  const auto x = pk::solve::exact_kinetics(b.net, {300, 1.0, 1e-6}, {});
  const double rt = pk::units::rt_kcal_per_mol(300);
  EXPECT_NEAR(x.kd_M, std::exp(-6.2 / rt), 1e-9 * x.kd_M);                    // Kd = exp(dG/RT) x 1 M
  EXPECT_NEAR(x.koff_per_s / x.kon_per_M_per_s, x.kd_M, 1e-12 * x.kd_M);      // = koff / kon
  EXPECT_NEAR(x.dG_kcal_per_mol, -6.2, 1e-9);
  EXPECT_NEAR(x.kon_per_M_per_s, diffusion_limited_rate_per_M_per_s(6e-10, 5.0), 1e-6 * x.kon_per_M_per_s);
}

TEST(PipelineNetwork, CsvAndHdf5ReadBackToTheSameRates) {
  const BuiltNetwork b = build_network(synthetic(), kBoxes, receptor(), settings(), cartesian_field(), "toy.h5");
  const std::string dir = ::testing::TempDir();
  write_network_csv(b.net, dir + "pk_states.csv", dir + "pk_edges.csv");
  NetworkProvenance prov{"toy.h5", "r.pdbqt", "toy", "analytic test field", "test", {}};
  write_network_file(dir + "pk_net.h5", b, settings(), prov);
  const auto csv = pk::network::load_csv(dir + "pk_states.csv", dir + "pk_edges.csv");
  const auto h5 = pk::network::read_network_h5(dir + "pk_net.h5");
  for (double T : {300.0, 310.0}) {
    const auto ref = rates_of(b.net, T), a = rates_of(csv, T), c = rates_of(h5, T);
    ASSERT_EQ(a.size(), ref.size());
    ASSERT_EQ(c.size(), ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      EXPECT_NEAR(a[i], ref[i], 1e-13 * std::abs(ref[i]));
      EXPECT_EQ(c[i], ref[i]);
    }
  }
  std::remove((dir + "pk_states.csv").c_str());
  std::remove((dir + "pk_edges.csv").c_str());
  std::remove((dir + "pk_net.h5").c_str());
}

TEST(PipelineNetwork, IsolatedBuriedStateIsReportedOrDropped) {
  LigandPoses lig = synthetic(true);
  Coords rec = receptor();
  for (double x = 28; x <= 32; x += 1) rec.push_back({x, 2.5, 0}), rec.push_back({x, -2.5, 0});  // bury x = 30
  NetworkSettings s = settings();
  try {
    build_network(lig, kBoxes, rec, s, cartesian_field(), "toy.h5");
    FAIL() << "expected an error";
  } catch (const pk::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("toy.h5: ligand toy: no path to the unbound state from c4"), std::string::npos) << what;
    EXPECT_NE(what.find("pose 4"), std::string::npos) << what;
  }
  s.drop_unconnected = true;
  const BuiltNetwork b = build_network(lig, kBoxes, rec, s, cartesian_field(), "toy.h5");
  EXPECT_EQ(b.states.size(), 3u);
  ASSERT_EQ(b.dropped.size(), 1u);
  EXPECT_EQ(b.dropped[0].rfind("c4 (", 0), 0u);
}

TEST(PipelinePath, InterpolationKeepsEndpointsUnitQuaternionsAndShortArcs) {
  const Conformation a = {0, 0, 0, 1, 0, 0, 0, 3.0}, b = {2, 4, -2, 0, 0, 0, 1, -3.0};
  const Conformation mid = interpolate_conformation(a, b, 0.5);
  EXPECT_DOUBLE_EQ(mid[0], 1);
  EXPECT_DOUBLE_EQ(mid[1], 2);
  // Halfway between identity and a 180° turn about z: 90° about z.
  EXPECT_NEAR(mid[3], std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(mid[6], std::sqrt(0.5), 1e-12);
  // 3 rad -> -3 rad the short way crosses pi, not 0.
  EXPECT_NEAR(std::abs(mid[7]), M_PI, 1e-12);
  const Conformation end = interpolate_conformation(a, b, 1.0);
  for (int k = 0; k < 7; ++k) EXPECT_NEAR(end[k], b[k], 1e-12);
  EXPECT_NEAR(std::remainder(end[7] - b[7], 2 * M_PI), 0, 1e-12);
  // q and -q: the interpolation stays at the same rotation.
  const Conformation c = {0, 0, 0, -1, 0, 0, 0, 0};
  const Conformation m2 = interpolate_conformation({0, 0, 0, 1, 0, 0, 0, 0}, c, 0.5);
  EXPECT_NEAR(std::abs(m2[3]), 1.0, 1e-12);
  const auto imgs = cartesian_images({{0, 0, 0}}, {{4, 0, 0}}, 3);
  ASSERT_EQ(imgs.size(), 3u);
  EXPECT_DOUBLE_EQ(imgs[0][0][0], 1.0);
  EXPECT_DOUBLE_EQ(imgs[2][0][0], 3.0);
}

TEST(PipelinePath, ChangesRoundTrip) {
  std::mt19937 gen(5);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int trial = 0; trial < 50; ++trial) {
    Conformation a(10), b(10);
    for (auto* c : {&a, &b}) {
      for (double& x : *c) x = 3 * u(gen);
      double n = 0;
      for (int k = 3; k < 7; ++k) n += (*c)[k] * (*c)[k];
      for (int k = 3; k < 7; ++k) (*c)[k] /= std::sqrt(n);
    }
    const Conformation back = apply_change(a, difference(a, b));
    const double sign = back[3] * b[3] + back[4] * b[4] + back[5] * b[5] + back[6] * b[6] < 0 ? -1 : 1;  // q ~ -q
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(back[k], b[k], 1e-12);
    for (int k = 3; k < 7; ++k) EXPECT_NEAR(sign * back[k], b[k], 1e-12);
    for (int k = 7; k < 10; ++k) EXPECT_NEAR(std::remainder(back[k] - b[k], 2 * M_PI), 0, 1e-12);
  }
}

TEST(PipelinePath, OrthogonalRelaxationFindsTheSaddle) {
  // Double well along x with a valley at y = 0: E = (x^2 - 1)^2 + 5 y^2 (saddle 1 at the origin).
  // The straight path at y = 0.6 crosses x = 0 at E = 2.8; relaxing across the path reaches the saddle.
  const ConformationEnergy f = [](const Conformation& c) {
    return (c[0] * c[0] - 1) * (c[0] * c[0] - 1) + 5 * c[1] * c[1];
  };
  const Conformation a = {-1, 0.6, 0, 1, 0, 0, 0}, b = {1, 0.6, 0, 1, 0, 0, 0};
  const RelaxedPath straight = relaxed_path(a, b, 9, 0, f);
  EXPECT_NEAR(straight.energies[4], 2.8, 1e-12);
  const RelaxedPath relaxed = relaxed_path(a, b, 9, 4, f);
  EXPECT_NEAR(relaxed.images[4][0], 0.0, 1e-9);  // stays in its place along the path
  EXPECT_NEAR(relaxed.energies[4], 1.0, 1e-3);
  for (int k = 0; k < 9; ++k) {
    EXPECT_LE(relaxed.energies[k], straight.energies[k] + 1e-12);
    EXPECT_NEAR(relaxed.images[k][0], straight.images[k][0], 1e-9);
  }
  double top = 0;
  for (double e : relaxed.energies) top = std::max(top, e);
  EXPECT_NEAR(top, 1.0, 1e-3);
  // The batched form (all images of several paths together) does the same steps.
  const BatchEnergy batch = [&](const std::vector<Conformation>& cs, std::vector<std::vector<double>>* g) {
    std::vector<double> e;
    for (const auto& c : cs) e.push_back(f(c));
    if (g) {
      g->clear();
      for (const auto& c : cs) g->push_back(numerical_gradient(f, c));
    }
    return e;
  };
  const auto both = relaxed_paths({{a, b}, {b, a}}, 9, 4, batch);
  ASSERT_EQ(both.size(), 2u);
  for (int k = 0; k < 9; ++k) {
    EXPECT_NEAR(both[0].energies[k], relaxed.energies[k], 1e-9);
    EXPECT_NEAR(both[1].energies[8 - k], relaxed.energies[k], 1e-6);
  }
}

namespace {
/// A hand-made built network: states with free energies, path edges (a, b, G‡), bulk edges (a, G‡).
BuiltNetwork hand_network(const std::vector<double>& G, const std::vector<std::tuple<int, int, double>>& path,
                          const std::vector<std::pair<int, double>>& bulk) {
  BuiltNetwork b;
  for (double g : G) {
    BuiltState s;
    s.free_energy_kcal_per_mol = g;
    s.members = {static_cast<int>(b.states.size())};
    b.states.push_back(s);
  }
  for (const auto& [a, c, ts] : path) {
    BuiltEdge e;
    e.a = a;
    e.b = c;
    e.ts_free_energy_kcal_per_mol = ts;
    b.edges.push_back(e);
  }
  for (const auto& [a, ts] : bulk) {
    BuiltEdge e;
    e.a = a;
    e.b = -1;
    e.ts_free_energy_kcal_per_mol = ts;
    b.edges.push_back(e);
    b.states[a].exposed = true;
  }
  return lump_fast_states(b, 0.0, 300).lumped;  // lays out the network, merges nothing
}
}  // namespace

TEST(PipelineLump, FastPairsMergeAndKeepTheExactKoff) {
  // A (-10) and B (-9.5) exchange over 1 kcal/mol; C (-6) is exposed; escape is slow.
  const BuiltNetwork full = hand_network({-10, -9.5, -6}, {{0, 1, -9.0}, {1, 2, -2.0}, {0, 2, 0.0}}, {{2, 4.4}});
  ASSERT_EQ(full.net.states.size(), 4u);
  const LumpResult r = lump_fast_states(full, 3.0, 300);
  ASSERT_EQ(r.lumped.states.size(), 2u);
  EXPECT_EQ(r.merged_states, 1);
  const double rt = pk::units::rt_kcal_per_mol(300);
  EXPECT_NEAR(r.lumped.states[0].free_energy_kcal_per_mol, -rt * std::log(std::exp(10 / rt) + std::exp(9.5 / rt)), 1e-12);
  EXPECT_EQ(r.lumped.states[0].members, (std::vector<int>{0, 1}));
  // The merged state's edge to C: both parallel transition states combined.
  double ts = NAN;
  for (const auto& e : r.lumped.edges)
    if (e.b == 1) ts = e.ts_free_energy_kcal_per_mol;
  EXPECT_NEAR(ts, -rt * std::log(std::exp(2.0 / rt) + 1.0), 1e-12);
  const auto rates = pk::network::build_rates(r.lumped.net, {300, 1.0, 1e-6});
  EXPECT_TRUE(pk::solve::satisfies_detailed_balance(rates));
  const auto xf = pk::solve::exact_kinetics(full.net, {300, 1.0, 1e-6}, {});
  const auto xl = pk::solve::exact_kinetics(r.lumped.net, {300, 1.0, 1e-6}, {});
  EXPECT_NEAR(xl.koff_per_s / xf.koff_per_s, 1.0, 1e-6);
  EXPECT_NEAR(xl.kd_M / xf.kd_M, 1.0, 1e-9);  // equilibrium: exact whatever the rates
  // Nothing merges below the threshold of the fast pair.
  EXPECT_EQ(lump_fast_states(full, 0.9, 300).lumped.states.size(), 3u);
}
