// Random binding landscapes for the calibration tests: pocket minima joined
// to each other, channels leading out to surface states, surface states
// exchanging with the bulk. Features and barriers are drawn from a seeded
// generator, so every run sees the same complexes.
#pragma once

#include "landscape/kinetics.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <random>
#include <set>
#include <string>

namespace pk::landscape::test {

inline ComplexLandscape random_landscape(std::mt19937_64& rng, const std::string& id, const std::string& series,
                                         int pocket = 0, int channels = 0) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const auto uni = [&](double a, double b) { return a + (b - a) * u(rng); };
  const auto pick = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
  ComplexLandscape c;
  c.id = id;
  c.series = series;
  c.source = "synthetic:" + id;
  c.temperature_K = 300.0;
  c.kappa = uni(0.5, 1.0);
  c.heavy_atoms = pick(18, 40);
  const double n_rot = pick(1, 9);
  const auto add_state = [&](double score, double burial, bool bound) {
    StateFeatures f;
    f.score_kcal_per_mol = score;
    f.burial = burial;
    f.n_rot = n_rot;
    f.polar_buried = std::floor(burial * uni(0, 8));
    f.apolar_buried = std::floor(burial * uni(0.5, 1.0) * c.heavy_atoms);
    c.states.push_back(f);
    c.bound.push_back(bound);
    return static_cast<std::int32_t>(c.states.size() - 1);
  };
  const auto link = [&](std::int32_t a, std::int32_t b) {
    const double top = std::max(c.states[a].score_kcal_per_mol, c.states[b].score_kcal_per_mol) + uni(0.3, 5.0);
    c.edges.push_back({a, b, top, 0.0});
  };
  if (pocket <= 0) pocket = pick(2, 5);
  if (channels <= 0) channels = pick(1, 3);
  const double depth = uni(-13.0, -7.0);  // the complex's best score
  for (int i = 0; i < pocket; ++i) add_state(depth + uni(0, 3.0), uni(0.8, 1.0), true);
  for (int i = 1; i < pocket; ++i) link(static_cast<std::int32_t>(pick(0, i - 1)), i);
  for (int ch = 0; ch < channels; ++ch) {
    std::int32_t prev = pick(0, pocket - 1);
    const int steps = pick(1, 3);
    for (int s = 0; s < steps; ++s) {
      const double frac = (s + 1.0) / (steps + 1.0);
      const std::int32_t next = add_state(depth * (1 - frac) + uni(-1, 1), 0.8 - 0.5 * frac + uni(-0.05, 0.05), false);
      link(prev, next);
      prev = next;
    }
    const std::int32_t surface = add_state(uni(-4.0, -1.5), uni(0.1, 0.35), false);
    link(prev, surface);
    c.edges.push_back({surface, -1, 0.0, std::pow(10.0, uni(7.5, 9.0))});
  }
  return c;
}

/// A landscape of about `n` states as the builder makes them: a pocket cluster
/// (a fifth of the states) at the centre, channel states in a shell around it,
/// surface states outside; each state is connected to its 5 nearest states, every state also to its nearest state
/// closer to the centre, and surface states exchange with the bulk. The graph
/// has cycles in three dimensions, so the elimination fills in as a real one does.
inline ComplexLandscape large_landscape(std::mt19937_64& rng, const std::string& id, const std::string& series, int n) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  ComplexLandscape c;
  c.id = id;
  c.series = series;
  c.source = "synthetic:" + id;
  c.heavy_atoms = 20 + static_cast<int>(20 * u(rng));
  const double n_rot = std::floor(1 + 8 * u(rng)), depth = -13 + 6 * u(rng);
  std::vector<std::array<double, 3>> pos;
  std::vector<double> radius;
  for (int i = 0; i < n; ++i) {
    const double r = i < n / 5 ? 3.0 * std::cbrt(u(rng)) : 3.0 + 7.0 * u(rng);
    double x = normal(rng), y = normal(rng), z = normal(rng);
    const double norm = std::sqrt(x * x + y * y + z * z);
    pos.push_back({r * x / norm, r * y / norm, r * z / norm});
    radius.push_back(r);
    StateFeatures f;
    const double out = std::max(0.0, (r - 3.0) / 7.0);  // 0 in the pocket, 1 at the surface
    f.score_kcal_per_mol = depth * (1 - out) + out * -2.0 + 0.8 * normal(rng);
    f.burial = std::clamp(1.0 - 0.8 * out + 0.05 * normal(rng), 0.05, 1.0);
    f.n_rot = n_rot;
    f.polar_buried = std::floor(f.burial * 6 * u(rng));
    f.apolar_buried = std::floor(f.burial * 0.7 * c.heavy_atoms);
    c.states.push_back(f);
    c.bound.push_back(i < n / 5);
  }
  std::set<std::pair<int, int>> linked;
  const auto link = [&](int a, int b) {
    if (a == b || !linked.insert({std::min(a, b), std::max(a, b)}).second) return;
    const double top = std::max(c.states[a].score_kcal_per_mol, c.states[b].score_kcal_per_mol) + 0.5 + 3 * u(rng);
    c.edges.push_back({a, b, top, 0.0});
  };
  const auto dist2 = [&](int a, int b) {
    double d = 0;
    for (int k = 0; k < 3; ++k) d += (pos[a][k] - pos[b][k]) * (pos[a][k] - pos[b][k]);
    return d;
  };
  std::vector<std::pair<double, int>> near(static_cast<std::size_t>(n));
  for (int a = 0; a < n; ++a) {
    int inner = -1;
    for (int b = 0; b < n; ++b) {
      near[b] = {b == a ? 1e300 : dist2(a, b), b};
      if (radius[b] < radius[a] && (inner < 0 || dist2(a, b) < dist2(a, inner))) inner = b;
    }
    std::partial_sort(near.begin(), near.begin() + 5, near.end());
    for (int k = 0; k < 5; ++k) link(a, near[k].second);  // the 5 nearest: about 7 neighbours per state
    if (inner >= 0) link(a, inner);
    if (radius[a] > 9.0) c.edges.push_back({a, -1, 0.0, 1e9 * u(rng) + 1e7});
  }
  return c;
}

/// The parameters the synthetic measurements are generated at.
inline ModelParameters true_parameters() {
  ModelParameters p;
  p.scale = 0.6;
  p.offset_kcal_per_mol = 2.0;
  p.rotor_kcal_per_mol = 0.4;
  p.polar_kcal_per_mol = 0.3;
  p.apolar_kcal_per_mol = -0.2;
  p.log10_kappa = -1.0;
  return p;
}

}  // namespace pk::landscape::test
