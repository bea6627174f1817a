// Host reference of the Vina 1.2 scoring function (see scoring.hpp).
#include "dock/scoring.hpp"

#include "core/host_parallel.hpp"

#include <cmath>
#include <memory>
#include <mutex>
#include <utility>

namespace pk::dock {

namespace {

/// Vina's slope_step: 0 at x_bad, 1 at x_good, linear between.
double slope_step(double x_bad, double x_good, double x) {
  if (x_bad < x_good) {
    if (x <= x_bad) return 0;
    if (x >= x_good) return 1;
  } else {
    if (x >= x_bad) return 0;
    if (x <= x_good) return 1;
  }
  return (x - x_bad) / (x_good - x_bad);
}

bool h_bond_possible(int a, int b) {
  return (xs_is_donor(a) && xs_is_acceptor(b)) || (xs_is_donor(b) && xs_is_acceptor(a));
}

void soften(double& e, double cap) {
  if (e > 0) e *= cap / (cap + e);
}

double dist2(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  double s = 0;
  for (int d = 0; d < 3; ++d) s += (a[d] - b[d]) * (a[d] - b[d]);
  return s;
}

}  // namespace

const char* term_name(int t) {
  static const char* names[] = {"gauss1", "gauss2", "repulsion", "hydrophobic", "hydrogen"};
  return names[t];
}

const char* scoring_function_name(ScoringFunction f) { return f == ScoringFunction::vinardo ? "vinardo" : "vina"; }

namespace {
/// Vinardo's radii (Å): C 2.0, N 1.7, O 1.6; every other XS type as Vina's.
double vinardo_radius_angstrom(int xs) {
  if (xs == kXsC_H || xs == kXsC_P) return 2.0;
  if (xs >= kXsN_P && xs <= kXsN_DA) return 1.7;
  if (xs >= kXsO_P && xs <= kXsO_DA) return 1.6;
  return xs_radius_angstrom(xs);
}
}  // namespace

std::array<double, kNumTerms> pair_terms(int xs1, int xs2, double r, ScoringFunction f) {
  std::array<double, kNumTerms> t{0, 0, 0, 0, 0};
  if (r >= kCutoffAngstrom || xs1 < 0 || xs2 < 0 || xs1 >= kXsCount || xs2 >= kXsCount) return t;
  if (f == ScoringFunction::vinardo) {
    const double d = r - (vinardo_radius_angstrom(xs1) + vinardo_radius_angstrom(xs2));
    t[0] = std::exp(-(d / 0.8) * (d / 0.8));
    t[2] = d < 0 ? d * d : 0.0;
    t[3] = xs_is_hydrophobic(xs1) && xs_is_hydrophobic(xs2) ? slope_step(2.5, 0.0, d) : 0.0;
    t[4] = h_bond_possible(xs1, xs2) ? slope_step(0.0, -0.6, d) : 0.0;
    return t;
  }
  const double d = r - (xs_radius_angstrom(xs1) + xs_radius_angstrom(xs2));
  t[0] = std::exp(-(d / 0.5) * (d / 0.5));
  t[1] = std::exp(-((d - 3.0) / 2.0) * ((d - 3.0) / 2.0));
  t[2] = d < 0 ? d * d : 0.0;
  t[3] = xs_is_hydrophobic(xs1) && xs_is_hydrophobic(xs2) ? slope_step(1.5, 0.5, d) : 0.0;
  t[4] = h_bond_possible(xs1, xs2) ? slope_step(0.0, -0.7, d) : 0.0;
  return t;
}

double pair_energy(const ScoringWeights& w, int xs1, int xs2, double r) {
  const auto t = pair_terms(xs1, xs2, r, w.function);
  double e = 0;
  e += w.gauss1 * t[0];
  e += w.gauss2 * t[1];
  e += w.repulsion * t[2];
  e += w.hydrophobic * t[3];
  e += w.hydrogen * t[4];
  return e;
}

const PairTable& PairTable::shared(const ScoringWeights& w) {
  static std::mutex mutex;
  static std::vector<std::pair<ScoringWeights, std::unique_ptr<PairTable>>> tables;
  const std::lock_guard<std::mutex> lock(mutex);
  const auto same = [&](const ScoringWeights& v) {
    return v.function == w.function && v.gauss1 == w.gauss1 && v.gauss2 == w.gauss2 && v.repulsion == w.repulsion &&
           v.hydrophobic == w.hydrophobic && v.hydrogen == w.hydrogen && v.rot == w.rot;
  };
  for (const auto& [weights, table] : tables)
    if (same(weights)) return *table;
  tables.emplace_back(w, std::make_unique<PairTable>(w));
  return *tables.back().second;
}

PairTable::PairTable(const ScoringWeights& w) : function_(w.function) {
  n_ = static_cast<int>(kTableSamplesPerA2 * kCutoffAngstrom * kCutoffAngstrom) + 3;
  fast_.assign(static_cast<std::size_t>(kXsCount) * kXsCount * n_, 0.0);
  // Every type pair's row on its own (rows are independent: the same values
  // on any number of threads).
  std::vector<std::pair<int, int>> type_pairs;
  for (int t1 = 0; t1 < kXsCount; ++t1)
    for (int t2 = t1; t2 < kXsCount; ++t2) type_pairs.emplace_back(t1, t2);
  host_parallel_for(static_cast<int>(type_pairs.size()), [&](int q) {
    const auto [t1, t2] = type_pairs[q];
    std::vector<double> smooth(n_);
    for (int i = 0; i < n_; ++i) smooth[i] = pair_energy(w, t1, t2, std::sqrt(i / kTableSamplesPerA2));
    double* f = &fast_[static_cast<std::size_t>(pair_index(t1, t2)) * n_];
    for (int i = 0; i < n_; ++i) f[i] = 0.5 * (smooth[i] + (i + 1 < n_ ? smooth[i + 1] : 0.0));
  });
}

GridBox GridBox::from_center_size(const std::array<double, 3>& center, const std::array<double, 3>& size,
                                  double spacing) {
  GridBox b;
  b.center = center;
  b.size = size;
  b.spacing = spacing;
  for (int d = 0; d < 3; ++d) {
    b.n[d] = static_cast<int>(std::ceil(size[d] / spacing));
    const double span = spacing * b.n[d];
    b.begin[d] = center[d] - span / 2;
    b.end[d] = b.begin[d] + span;
  }
  return b;
}

bool GridBox::contains(const std::array<double, 3>& x) const {
  constexpr double margin = 1e-4;
  for (int d = 0; d < 3; ++d)
    if (n[d] > 0 && (x[d] < begin[d] - margin || x[d] > end[d] + margin)) return false;
  return true;
}

ReceptorAtoms ReceptorAtoms::of(const Receptor& r) {
  ReceptorAtoms out;
  for (const auto& a : r.atoms)
    if (a.xs != kXsNone) {
      out.xyz.push_back(a.xyz);
      out.xs.push_back(a.xs);
    }
  return out;
}

double inter_energy(const PairTable& table, const ReceptorAtoms& rec, const Ligand& lig,
                    const std::vector<std::array<double, 3>>& xyz, const GridBox& box, double cap, double* penalty,
                    TermSums* terms) {
  constexpr double cutoff2 = kCutoffAngstrom * kCutoffAngstrom;
  double e = 0, pen_total = 0;
  if (terms) terms->fill(0.0);
  for (int a = 0; a < lig.n_atoms(); ++a) {
    const int t = lig.atoms[a].xs;
    if (t == kXsNone) continue;
    std::array<double, 3> p = xyz[a];
    double pen = 0;
    for (int d = 0; d < 3; ++d) {
      if (box.n[d] <= 0) continue;
      if (p[d] < box.begin[d]) {
        pen += box.begin[d] - p[d];
        p[d] = box.begin[d];
      } else if (p[d] > box.end[d]) {
        pen += p[d] - box.end[d];
        p[d] = box.end[d];
      }
    }
    pen *= kOutOfBoxSlope;
    double this_e = 0;
    for (std::size_t j = 0; j < rec.xyz.size(); ++j) {
      const double r2 = dist2(p, rec.xyz[j]);
      if (r2 >= cutoff2) continue;
      this_e += table.fast(t, rec.xs[j], r2);
      if (terms) {
        const auto tt = pair_terms(t, rec.xs[j], std::sqrt(r2), table.function());
        for (int k = 0; k < kNumTerms; ++k) (*terms)[k] += tt[k];
      }
    }
    soften(this_e, cap);
    e += this_e + pen;
    pen_total += pen;
  }
  if (penalty) *penalty = pen_total;
  return e;
}

double intra_energy(const PairTable& table, const Ligand& lig, const std::vector<std::array<double, 3>>& xyz,
                    double cap, TermSums* terms) {
  constexpr double cutoff2 = kCutoffAngstrom * kCutoffAngstrom;
  double e = 0;
  if (terms) terms->fill(0.0);
  for (const auto& p : lig.intra_pairs) {
    const double r2 = dist2(xyz[p[0]], xyz[p[1]]);
    if (r2 >= cutoff2) continue;
    double pe = table.fast(lig.atoms[p[0]].xs, lig.atoms[p[1]].xs, r2);
    soften(pe, cap);
    e += pe;
    if (terms) {
      const auto tt = pair_terms(lig.atoms[p[0]].xs, lig.atoms[p[1]].xs, std::sqrt(r2), table.function());
      for (int k = 0; k < kNumTerms; ++k) (*terms)[k] += tt[k];
    }
  }
  return e;
}

PoseScore score_only(const PairTable& table, const ScoringWeights& w, const ReceptorAtoms& rec, const Ligand& lig,
                     const std::vector<std::array<double, 3>>& xyz, const GridBox& box) {
  PoseScore s;
  s.inter = inter_energy(table, rec, lig, xyz, box, kCapFinal, &s.out_of_box_penalty, &s.inter_terms);
  s.intra = intra_energy(table, lig, xyz, kCapFinal, &s.intra_terms);
  s.torsional_normalisation = 1 + w.rot * lig.n_rot;
  // Vina's score_only subtracts the pose's own intra as the unbound reference.
  const double x = s.inter + s.intra - s.intra;
  s.total = std::fabs(x) < 2.220446049250313e-16 ? 0.0 : x / s.torsional_normalisation;
  return s;
}

ComplexScore score_together(const PairTable& table, const ScoringWeights& w, const ReceptorAtoms& rec,
                            const std::vector<const Ligand*>& ligands,
                            const std::vector<std::vector<std::array<double, 3>>>& xyz, const GridBox& box) {
  constexpr double cutoff2 = kCutoffAngstrom * kCutoffAngstrom;
  ComplexScore s;
  double n_rot = 0;
  for (std::size_t l = 0; l < ligands.size(); ++l) {
    double pen = 0;
    TermSums inter_terms{}, intra_terms{};
    s.ligand_receptor += inter_energy(table, rec, *ligands[l], xyz[l], box, kCapFinal, &pen, &inter_terms);
    s.intra += intra_energy(table, *ligands[l], xyz[l], kCapFinal, &intra_terms);
    s.out_of_box_penalty += pen;
    for (int k = 0; k < kNumTerms; ++k) {
      s.ligand_receptor_terms[k] += inter_terms[k];
      s.intra_terms[k] += intra_terms[k];
    }
    n_rot += ligands[l]->n_rot;
    // Pairs with the ligands after this one: no bonds join two ligands, so
    // every heavy-atom pair within the cutoff counts.
    for (std::size_t m = l + 1; m < ligands.size(); ++m)
      for (int a = 0; a < ligands[l]->n_atoms(); ++a) {
        const int ta = ligands[l]->atoms[a].xs;
        if (ta == kXsNone) continue;
        for (int b = 0; b < ligands[m]->n_atoms(); ++b) {
          const int tb = ligands[m]->atoms[b].xs;
          if (tb == kXsNone) continue;
          const double r2 = dist2(xyz[l][a], xyz[m][b]);
          if (r2 >= cutoff2) continue;
          double pe = table.fast(ta, tb, r2);
          soften(pe, kCapFinal);
          s.ligand_ligand += pe;
          const auto tt = pair_terms(ta, tb, std::sqrt(r2), table.function());
          for (int k = 0; k < kNumTerms; ++k) s.ligand_ligand_terms[k] += tt[k];
        }
      }
  }
  s.inter = s.ligand_receptor + s.ligand_ligand;
  s.torsional_normalisation = 1 + w.rot * n_rot;
  // As score_only: the unbound reference is this pose's own intra.
  const double x = s.inter + s.intra - s.intra;
  s.total = std::fabs(x) < 2.220446049250313e-16 ? 0.0 : x / s.torsional_normalisation;
  return s;
}

std::vector<std::array<double, 3>> input_coordinates(const Ligand& lig) {
  std::vector<std::array<double, 3>> x;
  for (const auto& a : lig.atoms) x.push_back(a.xyz);
  return x;
}

}  // namespace pk::dock
