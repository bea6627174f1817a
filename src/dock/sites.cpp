// Blind-docking boxes over the receptor surface and the merge of the poses of
// several boxes (see sites.hpp).
#include "dock/sites.hpp"

#include "core/error.hpp"
#include "dock/cluster.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

namespace pk::dock {

namespace {

/// Receptor heavy atoms binned in cubic cells of the contact cut-off, so a
/// probe looks at its own and the 26 neighbouring cells only.
class AtomCells {
 public:
  explicit AtomCells(const std::vector<std::array<double, 3>>& xyz) : xyz_(xyz) {
    for (std::size_t i = 0; i < xyz.size(); ++i) cells_[key(cell_of(xyz[i]))].push_back(static_cast<int>(i));
  }
  /// Distance (Å) from `p` to the nearest atom, or +inf when none is within the cell size.
  double nearest(const std::array<double, 3>& p) const {
    const auto c = cell_of(p);
    double best = INFINITY;
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          const auto it = cells_.find(key({c[0] + dx, c[1] + dy, c[2] + dz}));
          if (it == cells_.end()) continue;
          for (int i : it->second) {
            double r2 = 0;
            for (int d = 0; d < 3; ++d) r2 += (xyz_[i][d] - p[d]) * (xyz_[i][d] - p[d]);
            best = std::min(best, r2);
          }
        }
    const double r = std::sqrt(best);
    return r <= kCell ? r : INFINITY;
  }

 private:
  static constexpr double kCell = kBlindContactHiAngstrom;
  static std::array<long, 3> cell_of(const std::array<double, 3>& p) {
    return {static_cast<long>(std::floor(p[0] / kCell)), static_cast<long>(std::floor(p[1] / kCell)),
            static_cast<long>(std::floor(p[2] / kCell))};
  }
  static long key(const std::array<long, 3>& c) { return ((c[0] + 4096) * 8192 + (c[1] + 4096)) * 8192 + (c[2] + 4096); }
  const std::vector<std::array<double, 3>>& xyz_;
  std::unordered_map<long, std::vector<int>> cells_;
};

}  // namespace

BlindTiling blind_boxes(const Receptor& receptor, double box_size, double overlap) {
  std::vector<std::array<double, 3>> heavy;
  for (const auto& a : receptor.atoms)
    if (!a.hydrogen) heavy.push_back(a.xyz);
  if (heavy.empty()) throw InputError(receptor.file, 0, "--blind: the receptor has no heavy atom to place boxes around");
  BlindTiling t;
  t.region_lo = t.region_hi = heavy.front();
  for (const auto& x : heavy)
    for (int d = 0; d < 3; ++d) t.region_lo[d] = std::min(t.region_lo[d], x[d]), t.region_hi[d] = std::max(t.region_hi[d], x[d]);
  const double step = box_size - overlap;
  std::array<double, 3> mid{};
  for (int d = 0; d < 3; ++d) {
    t.region_lo[d] -= kBlindMarginAngstrom;
    t.region_hi[d] += kBlindMarginAngstrom;
    mid[d] = 0.5 * (t.region_lo[d] + t.region_hi[d]);
    const double extent = t.region_hi[d] - t.region_lo[d];
    t.tiles[d] = extent <= box_size ? 1 : 1 + static_cast<int>(std::ceil((extent - box_size) / step - 1e-9));
  }
  const AtomCells cells(heavy);
  const int probes = static_cast<int>(std::floor(box_size / kBlindProbeSpacingAngstrom + 1e-9)) + 1;
  const double probe0 = -0.5 * (probes - 1) * kBlindProbeSpacingAngstrom;
  for (int i = 0; i < t.tiles[0]; ++i)
    for (int j = 0; j < t.tiles[1]; ++j)
      for (int k = 0; k < t.tiles[2]; ++k) {
        const int ijk[3] = {i, j, k};
        DockBox b;
        b.origin = "blind";
        for (int d = 0; d < 3; ++d) {
          b.center[d] = mid[d] + (ijk[d] - 0.5 * (t.tiles[d] - 1)) * step;
          b.size[d] = box_size;
        }
        int atoms = 0;
        for (const auto& x : heavy) {
          bool in = true;
          for (int d = 0; d < 3; ++d) in = in && std::fabs(x[d] - b.center[d]) <= 0.5 * box_size;
          atoms += in ? 1 : 0;
        }
        if (atoms < kBlindMinAtoms) continue;
        int contact = 0;
        for (int a = 0; a < probes; ++a)
          for (int c = 0; c < probes; ++c)
            for (int e = 0; e < probes; ++e) {
              const std::array<double, 3> p{b.center[0] + probe0 + a * kBlindProbeSpacingAngstrom,
                                            b.center[1] + probe0 + c * kBlindProbeSpacingAngstrom,
                                            b.center[2] + probe0 + e * kBlindProbeSpacingAngstrom};
              const double r = cells.nearest(p);
              contact += (r >= kBlindContactLoAngstrom && r <= kBlindContactHiAngstrom) ? 1 : 0;
            }
        if (contact < kBlindMinContactProbes) continue;
        t.boxes.push_back(b);
        t.atoms.push_back(atoms);
        t.contact_probes.push_back(contact);
      }
  return t;
}

LigandOutput merge_sites(const std::vector<LigandOutput>& per_box, int num_modes, double energy_range_kcal,
                         double min_rmsd_angstrom) {
  LigandOutput out;
  for (const auto& o : per_box)
    if (!o.poses.empty()) {
      out = o;
      out.poses.clear();
      break;
    }
  if (out.element.empty()) return out;
  // Heavy atoms and their element ids as the search uses them (search.cpp).
  std::vector<int> heavy, element_id;
  std::map<std::string, int> ids;
  for (std::size_t a = 0; a < out.element.size(); ++a)
    if (out.element[a] != "H") {
      heavy.push_back(static_cast<int>(a));
      element_id.push_back(ids.emplace(out.element[a], static_cast<int>(ids.size())).first->second);
    }
  std::vector<const PoseResult*> all;
  for (const auto& o : per_box)
    for (const auto& p : o.poses) all.push_back(&p);
  std::stable_sort(all.begin(), all.end(),
                   [](const PoseResult* a, const PoseResult* b) { return a->inter + a->intra < b->inter + b->intra; });
  std::vector<double> total;
  std::vector<Coords> hx;
  for (const PoseResult* p : all) {
    total.push_back(p->inter + p->intra);
    Coords h;
    for (int a : heavy) h.push_back(p->coords[a]);
    hx.push_back(std::move(h));
  }
  const std::vector<int> kept = cluster_poses(total, hx, min_rmsd_angstrom);
  if (kept.empty()) return out;
  const PoseResult& best = *all[kept[0]];
  std::vector<double> scores;
  for (int i : kept) {
    PoseResult p = *all[i];
    p.intra_best = best.intra;
    p.score = (p.inter + p.intra - best.intra) / p.torsional_normalisation;
    p.rmsd_ub = rmsd_upper_bound(hx[i], hx[kept[0]]);
    p.rmsd_lb = rmsd_lower_bound(hx[i], hx[kept[0]], element_id);
    scores.push_back(p.score);
    out.poses.push_back(std::move(p));
  }
  out.poses.resize(modes_to_keep(scores, num_modes, energy_range_kcal));
  return out;
}

}  // namespace pk::dock
