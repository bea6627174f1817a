// The calibration's kinetics (sparse subtraction-free MFPTs straight from the
// landscape features) against the project's dense exact solver on the same
// network, against closed forms, on a stiff landscape, and read back from an
// HDF5 file laid out as `network` writes it.
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"
#include "landscape/kinetics.hpp"
#include "landscape/landscape_h5.hpp"
#include "network/network.hpp"
#include "solve/exact.hpp"
#include "synthetic.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <ctime>
#include <cstdio>
#include <random>
#include <string>

namespace pk::landscape {
namespace {

/// The landscape as a network::Network with Eyring transition states, the way
/// `network` lays it out (built states, then unbound at G = 0).
network::Network as_network(const ModelParameters& p, const ComplexLandscape& c) {
  network::Network net;
  net.source = c.source;
  const double rt = units::rt_kcal_per_mol(c.temperature_K);
  std::vector<double> g;
  for (std::size_t i = 0; i < c.states.size(); ++i) {
    g.push_back(state_free_energy(p, c.states[i]));
    net.states.push_back({static_cast<std::int64_t>(i + 1), g.back(),
                          c.bound[i] ? network::Macrostate::Bound : network::Macrostate::Other, ""});
  }
  const auto u = static_cast<std::int32_t>(c.states.size());
  net.states.push_back({0, 0.0, network::Macrostate::Unbound, "unbound"});
  for (const auto& e : c.edges) {
    const double ts = e.bulk() ? bulk_ts_free_energy(e.association_per_M_per_s, g[e.a], c.temperature_K, c.kappa)
                               : ts_free_energy(p, e.path_max_score_kcal_per_mol, c.states[e.a], c.states[e.b]) -
                                     rt * std::log(p.kappa());
    const std::int32_t b = e.bulk() ? u : e.b;
    net.edges.push_back({e.a, b, network::EdgeKind::Eyring, ts});
    net.edges.push_back({b, e.a, network::EdgeKind::Eyring, ts});
  }
  return net;
}

solve::ExactKinetics exact(const ModelParameters& p, const ComplexLandscape& c, double concentration_M) {
  network::Conditions cond;
  cond.temperature_K = c.temperature_K;
  cond.kappa = c.kappa;
  cond.concentration_M = concentration_M;
  return solve::exact_kinetics(as_network(p, c), cond, {});
}

TEST(LandscapeKinetics, MatchesTheDenseExactSolver) {
  std::mt19937_64 rng(20261207);
  ModelParameters p = test::true_parameters();
  for (int trial = 0; trial < 12; ++trial) {
    const ComplexLandscape c = test::random_landscape(rng, "L" + std::to_string(trial), "S", 2 + trial % 5, 1 + trial % 3);
    const LandscapeKinetics k(c);
    for (double conc : {1.0, 1e-6}) {
      const solve::ExactKinetics x = exact(p, c, conc);
      EXPECT_NEAR(k.koff_per_s(p), x.koff_per_s, 1e-9 * x.koff_per_s) << "trial " << trial;
      EXPECT_NEAR(k.kon_per_M_per_s(p, conc), x.kon_per_M_per_s, 1e-9 * x.kon_per_M_per_s) << "trial " << trial;
    }
    EXPECT_DOUBLE_EQ(predicted_koff_per_s(p, c), k.koff_per_s(p));
  }
}

TEST(LandscapeKinetics, LargeLandscapesMatchTheExactSolverInMilliseconds) {
  std::mt19937_64 rng(600);
  const ModelParameters p = test::true_parameters();
  const ComplexLandscape c = test::large_landscape(rng, "large", "S", 600);
  const LandscapeKinetics k(c);
  const solve::ExactKinetics x = exact(p, c, 1.0);
  EXPECT_NEAR(k.koff_per_s(p), x.koff_per_s, 1e-9 * x.koff_per_s);
  EXPECT_NEAR(k.kon_per_M_per_s(p), x.kon_per_M_per_s, 1e-9 * x.kon_per_M_per_s);
  // 3000 states (the largest landscapes): one koff in milliseconds once planned.
  const LandscapeKinetics big(test::large_landscape(rng, "big", "S", 3000));
  const std::clock_t c0 = std::clock();  // CPU time: the bound holds on a shared machine
  const double koff = big.koff_per_s(p);
  const double ms = 1e3 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  std::printf("3000 states, %zu edges: koff %.4g 1/s in %.2f ms CPU\n", big.landscape().edges.size(), koff, ms);
  EXPECT_GT(koff, 0.0);
  EXPECT_LT(ms, 200.0);
}

TEST(LandscapeKinetics, StiffLandscapeKeepsFullAccuracy) {
  // Pocket states exchanging at up to ~1e12 1/s, escape 16+ orders of magnitude slower. An LU of -Q
  // loses every digit of the escape rate here; the subtraction-free elimination must not.
  std::mt19937_64 rng(7);
  ComplexLandscape c = test::random_landscape(rng, "stiff", "S", 5, 2);
  for (auto& e : c.edges)
    if (!e.bulk() && c.bound[e.a] && c.bound[e.b]) e.path_max_score_kcal_per_mol = -40.0;  // barrier-free pocket
  ModelParameters p;
  p.scale = 1.5;
  p.offset_kcal_per_mol = -8.0;
  const solve::ExactKinetics x = exact(p, c, 1.0);
  ASSERT_GT(units::eyring_prefactor_per_s(300.0) / x.koff_per_s, 1e16) << "not stiff: koff " << x.koff_per_s;
  EXPECT_NEAR(predicted_koff_per_s(p, c), x.koff_per_s, 1e-9 * x.koff_per_s);
  EXPECT_NEAR(predicted_kon_per_M_per_s(p, c), x.kon_per_M_per_s, 1e-9 * x.kon_per_M_per_s);
}

TEST(LandscapeKinetics, OneBoundStateClosedForm) {
  // One bound state exchanging with the bulk at k_assoc: kon = k_assoc (the transition state encodes it)
  // and koff = k_assoc exp(G / RT) x 1 M (detailed balance), while the transition state is not clamped.
  ComplexLandscape c;
  c.source = "closed form";
  c.temperature_K = 310.0;
  c.kappa = 0.7;
  c.states.push_back(StateFeatures{-9.0, 0.9, 4, 3, 12});
  c.bound.push_back(1);
  c.edges.push_back({0, -1, 0.0, 3.0e8});
  ModelParameters p;
  p.scale = 0.8;
  p.offset_kcal_per_mol = 1.0;
  p.rotor_kcal_per_mol = 0.5;
  p.polar_kcal_per_mol = 0.4;
  p.apolar_kcal_per_mol = -0.1;
  p.log10_kappa = -2;  // internal edges only: no effect here
  const double g = 1.0 + 0.8 * -9.0 + 0.5 * 4 * 0.9 + 0.4 * 3 - 0.1 * 12;
  ASSERT_NEAR(state_free_energy(p, c.states[0]), g, 1e-12);
  const double rt = units::kGas_kcal_per_mol_K * 310.0;
  EXPECT_NEAR(predicted_kon_per_M_per_s(p, c), 3.0e8, 1e-9 * 3.0e8);
  EXPECT_NEAR(predicted_kon_per_M_per_s(p, c, 1e-7), 3.0e8, 1e-9 * 3.0e8);
  EXPECT_NEAR(predicted_koff_per_s(p, c), 3.0e8 * std::exp(g / rt), 1e-9 * 3.0e8 * std::exp(g / rt));
}

TEST(LandscapeKinetics, TwoStatesInSeriesClosedForm) {
  // bound 0 <-> channel 1 <-> unbound: MFPT from 0 = 1/k01 + (1/k12)(1 + k10/k01)... written out:
  // tau0 = (k10 + k12 + k01) / (k01 k12), kon = 1 / tau_u with tau_u = 1/ku1 + tau1', tau1' from the chain.
  ComplexLandscape c;
  c.source = "chain";
  c.temperature_K = 300.0;
  c.kappa = 1.0;
  c.states = {StateFeatures{-10, 1, 0, 0, 0}, StateFeatures{-6, 0.3, 0, 0, 0}};
  c.bound = {1, 0};
  c.edges = {{0, 1, -4.0, 0.0}, {1, -1, 0.0, 1e9}};
  const ModelParameters p;  // defaults: G = score
  const double rt = units::rt_kcal_per_mol(300.0), pre = units::eyring_prefactor_per_s(300.0);
  const double k01 = pre * std::exp(-(-4.0 + 10.0) / rt), k10 = pre * std::exp(-(-4.0 + 6.0) / rt);
  const double ts_bulk = bulk_ts_free_energy(1e9, -6.0, 300.0, 1.0);
  const double k12 = pre * std::exp(-(ts_bulk + 6.0) / rt), k21 = pre * std::exp(-ts_bulk / rt);
  const double tau0 = (k10 + k12 + k01) / (k01 * k12);
  EXPECT_NEAR(predicted_koff_per_s(p, c), 1.0 / tau0, 1e-10 / tau0);
  // From unbound: reach 1 after 1/k21, then 0 with probability k10/(k10+k12) per visit of 1.
  const double tau1 = (1.0 + k12 / k21) / k10, tau_u = 1.0 / k21 + tau1;  // tau1 = (1 + k12 tau_u)/(k10 + k12) solved
  EXPECT_NEAR(predicted_kon_per_M_per_s(p, c), 1.0 / tau_u, 1e-9 / tau_u);
}

TEST(LandscapeKinetics, MalformedLandscapesAreNamed) {
  std::mt19937_64 rng(3);
  ComplexLandscape c = test::random_landscape(rng, "x", "S");
  ComplexLandscape cut = c;
  cut.edges.erase(std::remove_if(cut.edges.begin(), cut.edges.end(), [](const LandscapeEdge& e) { return e.bulk(); }),
                  cut.edges.end());
  EXPECT_THROW(check_landscape(cut), InputError);
  ComplexLandscape island = c;
  island.states.push_back(StateFeatures{});
  island.bound.push_back(0);
  try {
    check_landscape(island);
    FAIL() << "an unconnected state passed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no path to the unbound state"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("synthetic:x"), std::string::npos) << e.what();
  }
  ComplexLandscape twice = c;
  twice.edges.push_back(twice.edges.front());
  EXPECT_THROW(check_landscape(twice), InputError);
}

/// Writes the /builder part of a network.h5 as src/landscape/network_io.cpp lays it out.
void write_builder(const std::string& path, const ComplexLandscape& c, bool landscape, bool drop_layer = false) {
  io::File f = io::File::create(path, MPI_COMM_NULL);
  io::write_attribute(f, "/builder", "temperature_K", c.temperature_K);
  io::write_attribute(f, "/builder", "kappa", c.kappa);
  io::write_attribute(f, "/builder", "heavy_atoms", c.heavy_atoms);
  io::write_attribute(f, "/builder", "n_rot", c.states.front().n_rot);
  io::write_attribute(f, "/builder", "landscape", landscape ? 1.0 : 0.0);
  std::vector<double> score, contact, polar, apolar;
  std::vector<std::int32_t> layer;
  for (std::size_t i = 0; i < c.states.size(); ++i) {
    score.push_back(c.states[i].score_kcal_per_mol);
    contact.push_back(c.states[i].burial);
    polar.push_back(c.states[i].polar_buried);
    apolar.push_back(c.states[i].apolar_buried);
    layer.push_back(c.bound[i] ? 0 : 1);
  }
  io::write_replicated(f, "/builder/states/score_kcal_per_mol", score, "kcal/mol");
  io::write_replicated(f, "/builder/states/contact_fraction", contact, "1");
  io::write_replicated(f, "/builder/states/polar_buried", polar, "atoms");
  io::write_replicated(f, "/builder/states/apolar_buried", apolar, "atoms");
  if (!drop_layer) io::write_replicated(f, "/builder/states/layer", layer, "0 pocket, 1 channel, 2 surface");
  std::vector<std::int32_t> a, b, bulk;
  std::vector<double> top, assoc;
  for (const auto& e : c.edges) {
    a.push_back(e.a);
    b.push_back(e.bulk() ? static_cast<std::int32_t>(c.states.size()) : e.b);
    bulk.push_back(e.bulk());
    top.push_back(e.path_max_score_kcal_per_mol);
    assoc.push_back(e.association_per_M_per_s);
  }
  io::write_replicated(f, "/builder/edges/a", a, "state index");
  io::write_replicated(f, "/builder/edges/b", b, "state index");
  io::write_replicated(f, "/builder/edges/bulk", bulk, "1");
  io::write_replicated(f, "/builder/edges/path_max_score_kcal_per_mol", top, "kcal/mol");
  io::write_replicated(f, "/builder/edges/association_per_M_per_s", assoc, "1/(M s)");
}

TEST(LandscapeH5, ReadsWhatTheBuilderWrites) {
  std::mt19937_64 rng(11);
  const ComplexLandscape c = test::random_landscape(rng, "h5", "S");
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "landscape_" + std::to_string(::getpid()) + ".h5";
  std::remove(path.c_str());
  write_builder(path, c, true);
  const ComplexLandscape r = read_landscape(path);
  ASSERT_EQ(r.states.size(), c.states.size());
  ASSERT_EQ(r.edges.size(), c.edges.size());
  EXPECT_EQ(r.bound, c.bound);
  const ModelParameters p = test::true_parameters();
  EXPECT_EQ(predicted_koff_per_s(p, r), predicted_koff_per_s(p, c));
  EXPECT_EQ(predicted_kon_per_M_per_s(p, r), predicted_kon_per_M_per_s(p, c));
  std::remove(path.c_str());
  // An old-style network (landscape = 0): every built state is bound.
  write_builder(path, c, false);
  const ComplexLandscape old = read_landscape(path);
  for (char b : old.bound) EXPECT_TRUE(b);
  std::remove(path.c_str());
  write_builder(path, c, true, true);
  try {
    read_landscape(path);
    FAIL() << "a missing dataset passed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/builder/states/layer"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
  EXPECT_THROW(read_landscape(path), InputError);  // no file
}

}  // namespace
}  // namespace pk::landscape
