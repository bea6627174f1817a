// Final refinement on the exact pairwise Vina function (see refine.hpp).
#include "dock/refine.hpp"

#include "dock/kinematics.hpp"
#include "dock/search_select.hpp"
#include "dock_search.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>

namespace pk::dock {

namespace {

constexpr int kSamples = static_cast<int>(kTableSamplesPerA2 * kCutoffAngstrom * kCutoffAngstrom) + 3;

/// Vina's non_cache energy: per heavy ligand atom, the position clamped into
/// the box, pair energies over receptor atoms within 8 Å (Vina's samples at
/// r^2 = i/32 Å^2, interpolated linearly as its eval_deriv does; the gradient
/// is that interpolant's), softened per atom, plus slope x Å outside the box;
/// the intramolecular pairs softened per pair. The interface of
/// kernels/dock_search.hpp's BFGS.
struct ExactEnergy {
  std::vector<std::array<double, 3>> rec_xyz;
  std::vector<int> rec_xs;
  std::vector<int> lig_xs;                 ///< kXsNone: not scored
  std::vector<std::array<int, 3>> pairs;   ///< intramolecular: atom i, atom j, table row
  std::vector<int> row_of;                 ///< PairTable::pair_index -> row, -1 unused
  std::vector<double> table;               ///< row * kSamples + i, kcal/mol
  std::array<double, 3> lo{}, hi{};
  double slope = 100;

  /// Softened energy of row `t` at r2 < 64 Å^2; `de_dr2` gets its derivative.
  double sample(int t, double r2, double& de_dr2) const {
    const double x = kTableSamplesPerA2 * r2;
    const int k = static_cast<int>(x);
    const double e1 = table[t * kSamples + k], e2 = table[t * kSamples + k + 1];
    de_dr2 = kTableSamplesPerA2 * (e2 - e1);
    return e1 + (x - k) * (e2 - e1);
  }

  template <class Span>
  double operator()(const Span& coords, const Span& grad, double cap) const {
    const int n = static_cast<int>(lig_xs.size());
    double e = 0;
    for (int a = 0; a < n; ++a) {
      for (int d = 0; d < 3; ++d) grad(a, d) = 0;
      if (lig_xs[a] == kXsNone) continue;
      double c[3], out_grad[3] = {0, 0, 0}, penalty = 0;
      for (int d = 0; d < 3; ++d) {
        c[d] = coords(a, d);
        if (c[d] < lo[d]) penalty += lo[d] - c[d], c[d] = lo[d], out_grad[d] = -slope;
        else if (c[d] > hi[d]) penalty += c[d] - hi[d], c[d] = hi[d], out_grad[d] = slope;
      }
      double ea = 0, g[3] = {0, 0, 0};
      for (std::size_t b = 0; b < rec_xyz.size(); ++b) {
        const double r[3] = {c[0] - rec_xyz[b][0], c[1] - rec_xyz[b][1], c[2] - rec_xyz[b][2]};
        const double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
        if (!(r2 < kCutoffAngstrom * kCutoffAngstrom)) continue;
        double de;
        ea += sample(row_of[PairTable::pair_index(lig_xs[a], rec_xs[b])], r2, de);
        for (int d = 0; d < 3; ++d) g[d] += 2 * de * r[d];
      }
      if (ea > 0) {  // Vina's curl: the atom's energy softened with v = cap
        const double s = cap / (cap + ea);
        ea *= s;
        for (double& gd : g) gd *= s * s;
      }
      e += ea + slope * penalty;
      for (int d = 0; d < 3; ++d) grad(a, d) = g[d] + out_grad[d];
    }
    for (const auto& p : pairs) {
      double r[3], r2 = 0;
      for (int d = 0; d < 3; ++d) r[d] = coords(p[0], d) - coords(p[1], d), r2 += r[d] * r[d];
      if (!(r2 < kCutoffAngstrom * kCutoffAngstrom)) continue;
      double de;
      double pe = sample(p[2], r2, de);
      if (pe > 0) {
        const double s = cap / (cap + pe);
        pe *= s;
        de *= s * s;
      }
      e += pe;
      for (int d = 0; d < 3; ++d) grad(p[0], d) += 2 * de * r[d], grad(p[1], d) -= 2 * de * r[d];
    }
    return e;
  }
};

ExactEnergy exact_energy(const ScoringWeights& w, const ReceptorAtoms& rec, const Ligand& lig, const GridBox& box) {
  ExactEnergy f;
  f.lo = box.begin;
  f.hi = box.end;
  // Clamped atoms stay in the box: receptor atoms farther than 8 Å from it never count.
  for (std::size_t b = 0; b < rec.xyz.size(); ++b) {
    double d2 = 0;
    for (int d = 0; d < 3; ++d) {
      const double x = rec.xyz[b][d], o = x < box.begin[d] ? box.begin[d] - x : (x > box.end[d] ? x - box.end[d] : 0);
      d2 += o * o;
    }
    if (d2 < kCutoffAngstrom * kCutoffAngstrom) f.rec_xyz.push_back(rec.xyz[b]), f.rec_xs.push_back(rec.xs[b]);
  }
  f.row_of.assign(kXsCount * kXsCount, -1);
  std::vector<int> keys;
  const auto row = [&](int t1, int t2) {
    const int key = PairTable::pair_index(t1, t2);
    if (f.row_of[key] < 0) f.row_of[key] = static_cast<int>(keys.size()), keys.push_back(key);
    return f.row_of[key];
  };
  for (const auto& a : lig.atoms) {
    f.lig_xs.push_back(a.xs);
    if (a.xs == kXsNone) continue;
    for (int t : f.rec_xs) row(a.xs, t);
  }
  for (const auto& p : lig.intra_pairs) f.pairs.push_back({p[0], p[1], row(lig.atoms[p[0]].xs, lig.atoms[p[1]].xs)});
  f.table.resize(keys.size() * kSamples);
  for (std::size_t r = 0; r < keys.size(); ++r)
    for (int k = 0; k < kSamples; ++k)
      f.table[r * kSamples + k] =
          pair_energy(w, keys[r] / kXsCount, keys[r] % kXsCount, std::sqrt(k / kTableSamplesPerA2));
  return f;
}

}  // namespace

std::vector<std::vector<double>> refine_exact(const ScoringWeights& w, const ReceptorAtoms& rec, const Ligand& lig,
                                              const TreeHost& tree, const GridBox& box,
                                              const std::vector<std::vector<double>>& conformations, int threads) {
  // Views are made here, on the calling thread; the host threads below only
  // read them and work in plain vectors.
  const ExactEnergy base = exact_energy(w, rec, lig, box);
  const auto host_tree = upload_tree<Kokkos::HostSpace>(tree);
  const auto l = kernels::dock::SearchLayout::of(host_tree);
  const int steps = vina_local_steps(lig.n_atoms());
  const std::vector<int> heavy = lig.heavy_atoms();
  std::vector<std::vector<double>> out(conformations.size());
  host_parallel_for(
      static_cast<int>(conformations.size()),
      [&](int k) {
        ExactEnergy energy = base;
        std::vector<double> scratch(l.total, 0.0);
        const kernels::dock::PtrSpan row{scratch.data()}, x = row.shifted(l.cur);
        for (int i = 0; i < l.C; ++i) x[i] = conformations[k][i];
        for (int p = 0; p < 5; ++p) {
          energy.slope = 100 * std::pow(10.0, 2.0 * p);
          kernels::dock::bfgs_minimize(host_tree, energy, l, row, x, steps, kCapFinal);
          const auto xyz = coordinates_of(tree, std::vector<double>(&x[0], &x[0] + l.C));
          if (std::all_of(heavy.begin(), heavy.end(), [&](int a) { return box.contains(xyz[a]); })) break;
        }
        out[k].assign(&x[0], &x[0] + l.C);
      },
      threads);
  return out;
}

}  // namespace pk::dock
