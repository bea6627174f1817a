// The landscape pieces against analytic answers: directions spread evenly
// over the sphere, channel images held on their planes across the ray and
// ending where the rules say, Berg-Purcell patch rates in their limits, the
// model's free energies and the parameter file read back and rejected.
#include "core/error.hpp"
#include "landscape/channels.hpp"
#include "landscape/model.hpp"
#include "landscape/network_build.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

using namespace pk;
using landscape::ChannelSettings;
using pipeline::Conformation;
using pipeline::Vec3;

namespace {

double dot3(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

/// A point ligand at the root position: a funnel of depth 8 kcal/mol at the origin and a wall
/// (steep in -x) closing the half-space x < 0. Gradient analytic (rotation and torsions: 0).
std::vector<double> funnel(const Conformation& c, std::vector<double>* g) {
  const double r2 = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
  const double well = -8.0 * std::exp(-r2 / 8.0);
  const double wall = c[0] < 0 ? 40.0 * -c[0] : 0.0;
  if (g) {
    g->assign(c.size() - 1, 0.0);
    for (int d = 0; d < 3; ++d) (*g)[d] = 8.0 * std::exp(-r2 / 8.0) * 2.0 * c[d] / 8.0;
    if (c[0] < 0) (*g)[0] -= 40.0;
  }
  return {well + wall};
}

pipeline::BatchEnergy batch_funnel() {
  return [](const std::vector<Conformation>& confs, std::vector<std::vector<double>>* grads) {
    std::vector<double> e;
    if (grads) grads->clear();
    for (const auto& c : confs) {
      std::vector<double> g;
      e.push_back(funnel(c, grads ? &g : nullptr).front());
      if (grads) grads->push_back(g);
    }
    return e;
  };
}

double burial_of(const Conformation& c) { return std::exp(-(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]) / 18.0); }

}  // namespace

TEST(Landscape, SphereDirectionsAreUnitAndEven) {
  const auto dirs = landscape::sphere_directions(64);
  ASSERT_EQ(dirs.size(), 64u);
  Vec3 mean{0, 0, 0};
  for (const auto& u : dirs) {
    EXPECT_NEAR(dot3(u, u), 1.0, 1e-12);
    for (int d = 0; d < 3; ++d) mean[d] += u[d] / 64;
  }
  EXPECT_LT(std::sqrt(dot3(mean, mean)), 0.02);
  // Every direction of the sphere is within 20 degrees of one of the 64 (a cap of 4 pi / 64 sr has a
  // half-angle of 14.4 degrees).
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n01;
  double worst = 0;
  for (int t = 0; t < 2000; ++t) {
    Vec3 v{n01(rng), n01(rng), n01(rng)};
    const double len = std::sqrt(dot3(v, v));
    for (double& x : v) x /= len;
    double best = -1;
    for (const auto& u : dirs) best = std::max(best, dot3(u, v));
    worst = std::max(worst, std::acos(std::min(1.0, best)) * 180 / M_PI);
  }
  EXPECT_LT(worst, 20.0);
}

TEST(Landscape, ChannelImagesStayOnTheirPlanesAndEndAtTheSurface) {
  for (int relax : {15, 0}) {
    ChannelSettings cfg;
    cfg.rays = 24;
    cfg.step_angstrom = 1.0;
    cfg.length_angstrom = 8.0;
    cfg.relax_steps = relax;
    cfg.max_energy_kcal_per_mol = 2.0;
    cfg.surface_burial = 0.5;
    const Conformation start = {0, 0, 0, 1, 0, 0, 0};
    const auto images = landscape::sample_channels(start, cfg, batch_funnel(), burial_of);
    const auto dirs = landscape::sphere_directions(cfg.rays);
    ASSERT_FALSE(images.empty());
    std::vector<int> last_depth(cfg.rays, 0), surface(cfg.rays, 0);
    for (const auto& im : images) {
      const Vec3 p{im.conformation[0], im.conformation[1], im.conformation[2]};
      // Held on the plane across the ray at its depth.
      EXPECT_NEAR(dot3(p, dirs[im.ray]), im.depth * cfg.step_angstrom, 1e-9);
      EXPECT_EQ(im.depth, last_depth[im.ray] + 1) << "images of a ray come in order, without gaps";
      last_depth[im.ray] = im.depth;
      EXPECT_LE(im.energy_kcal_per_mol, cfg.max_energy_kcal_per_mol);
      EXPECT_DOUBLE_EQ(im.energy_kcal_per_mol, funnel(im.conformation, nullptr).front());
      EXPECT_DOUBLE_EQ(im.burial, burial_of(im.conformation));
      EXPECT_EQ(im.surface, im.burial < cfg.surface_burial);
      EXPECT_EQ(surface[im.ray], 0) << "nothing follows a surface image on its ray";
      surface[im.ray] += im.surface;
    }
    for (int r = 0; r < cfg.rays; ++r) {
      // Burial 0.5 at |p| = 3.53 Å: a free ray has its surface image at depth 4 when unrelaxed.
      if (dirs[r][0] > 0.3) EXPECT_EQ(surface[r], 1) << "ray " << r << " into the open half-space reaches the surface";
      if (relax == 0 && dirs[r][0] > 0) EXPECT_EQ(last_depth[r], 4) << "ray " << r;
      // Unrelaxed, a ray with u_x < -0.3 meets 40 * 0.3 - 8 exp(-1/8) = 4.9 kcal/mol > 2 at depth 1.
      if (relax == 0 && dirs[r][0] < -0.3) EXPECT_EQ(last_depth[r], 0) << "ray " << r << " into the wall is blocked";
    }
  }
}

TEST(Landscape, BergPurcellPatchRates) {
  const double kD = pipeline::diffusion_limited_rate_per_M_per_s(1e-9, 20.0);
  // One small disk of radius a: 4 D a (Hill 1975; Berg & Purcell 1977), in 1/(M s).
  const double a = 0.02;
  const double small = pipeline::patch_association_rate_per_M_per_s(kD, a, 1, 20.0);
  const double four_Da = 4 * 1e-9 * a * 1e-10 * 6.02214076e23 * 1e3;
  EXPECT_NEAR(small / four_Da, 1.0, 2e-3);
  // Many patches cover the sphere: the total tends to k_D.
  const int n = 100000;
  EXPECT_NEAR(n * pipeline::patch_association_rate_per_M_per_s(kD, 1.0, n, 20.0) / kD, 1.0, 1e-3);
  EXPECT_LT(pipeline::patch_association_rate_per_M_per_s(kD, 1.0, 10, 20.0) * 10, kD);
}

TEST(Landscape, LigandOrientationFactorIsOnePatchOnTheLigandSphere) {
  // The same Berg-Purcell formula on the ligand's sphere with one patch: a / (a + pi r).
  const double kD = pipeline::diffusion_limited_rate_per_M_per_s(1e-9, 6.0);
  EXPECT_NEAR(pipeline::ligand_orientation_factor(1.0, 6.0), pipeline::patch_association_rate_per_M_per_s(kD, 1.0, 1, 6.0) / kD,
              1e-15);
  EXPECT_NEAR(pipeline::ligand_orientation_factor(1.0, 6.0), 1.0 / (1.0 + 6.0 * M_PI), 1e-15);
  // A patch much larger than the ligand: every orientation binds.
  EXPECT_NEAR(pipeline::ligand_orientation_factor(1e9, 6.0), 1.0, 1e-7);
}

TEST(Landscape, ModelFreeEnergiesAndParameterFile) {
  landscape::ModelParameters p;
  p.scale = 0.5;
  p.offset_kcal_per_mol = 2;
  p.rotor_kcal_per_mol = 0.4;
  p.polar_kcal_per_mol = 0.3;
  p.apolar_kcal_per_mol = -0.1;
  p.log10_kappa = -2;
  landscape::StateFeatures f{-10, 0.5, 6, 4, 20};
  EXPECT_DOUBLE_EQ(landscape::state_free_energy(p, f), 2 - 5 + 0.4 * 6 * 0.5 + 0.3 * 4 - 0.1 * 20);
  landscape::StateFeatures g{-4, 0.1, 6, 1, 2};
  const double ts = landscape::ts_free_energy(p, -3, f, g);
  EXPECT_GE(ts, landscape::state_free_energy(p, f));
  EXPECT_GE(ts, landscape::state_free_energy(p, g));
  EXPECT_DOUBLE_EQ(ts, std::max(2 - 1.5 + std::max(landscape::burial_terms(p, f), landscape::burial_terms(p, g)),
                                landscape::state_free_energy(p, g)));
  // The defaults are the bare score.
  EXPECT_DOUBLE_EQ(landscape::state_free_energy(landscape::ModelParameters{}, f), -10);
  // Round trip through the file.
  p.provenance = "fitted on nothing\nsecond line";
  const std::string path = ::testing::TempDir() + "params.txt";
  { std::ofstream(path) << landscape::parameters_text(p); }
  const auto q = landscape::read_parameters(path);
  for (std::size_t k = 0; k < p.named().size(); ++k) EXPECT_EQ(q.named()[k], p.named()[k]);
  EXPECT_EQ(q.provenance, "fitted on nothing\nsecond line\n");
  // Bad files name the file and line.
  auto expect_bad = [&](const std::string& text, const std::string& needle) {
    { std::ofstream(path) << text; }
    try {
      landscape::read_parameters(path);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_bad("scale = 1\nscale = 2\n", ":2: model parameter 'scale' given twice");
  expect_bad("scael = 1\n", ":1: unknown model parameter 'scael'");
  expect_bad("# only a comment\noffset_kcal_per_mol = nan\n", ":2:");
  expect_bad("scale = -1\n", "scale must be > 0");
  expect_bad("log10_kappa = 0.5\n", "kappa <= 1");
  expect_bad("offset_kcal_per_mol = 1e400\n", ":1:");
  expect_bad("scale 1\n", ":1: expected 'name = value'");
  expect_bad("", "no model parameters");
}
