// Grid maps on the device and the device scorer's ligand side (see grid.hpp).
#include "dock/grid.hpp"

#include "core/env.hpp"
#include "core/error.hpp"
#include "dock/device_api.hpp"

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <set>
#include <string>

namespace pk::dock {

namespace {

constexpr int kBlock = 8;  // grid points per block edge for the receptor-atom lists

/// GPUs read the maps and the pair table through L2 only, so that their
/// scattered reads leave L1 to the small ligand and tree arrays (the search
/// 5-8% faster on an H100, benchmarks/RESULTS.md; the same values).
/// PK_DOCK_L2_ONLY sets it: bits 1 the maps, 2 the pair table (default 3).
int l2_only_bits() { return env_setting("PK_DOCK_L2_ONLY", 0, 3, 3); }

template <class T>
Kokkos::View<T*, DockMem> to_device(const std::vector<T>& v, const char* label) {
  Kokkos::View<T*, DockMem> d(std::string(label), v.size());
  auto h = Kokkos::create_mirror_view(d);
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = v[i];
  Kokkos::deep_copy(d, h);
  return d;
}

}  // namespace

std::vector<int> xs_types_of(const std::vector<Ligand>& ligands) {
  std::set<int> s;
  for (const auto& l : ligands)
    for (const auto& a : l.atoms)
      if (a.xs != kXsNone) s.insert(a.xs);
  return {s.begin(), s.end()};
}

DeviceGrid build_grid_maps(const Receptor& receptor, const GridBox& box, const std::vector<int>& types,
                           const ScoringWeights& w) {
  DeviceGrid g;
  g.cache_hint = l2_only_bits() & 1;
  g.nx = box.n[0] + 1;
  g.ny = box.n[1] + 1;
  g.nz = box.n[2] + 1;
  double span[3];
  for (int d = 0; d < 3; ++d) {
    if (box.n[d] < 1) throw UsageError("the search box needs a positive size in every dimension");
    span[d] = box.end[d] - box.begin[d];
    g.begin[d] = box.begin[d];
    g.factor[d] = box.n[d] / span[d];
    g.factor_inv[d] = 1 / g.factor[d];
  }
  g.slope = kOutOfBoxSlope;
  const long points = static_cast<long>(g.nx) * g.ny * g.nz;
  const int n_slots = static_cast<int>(types.size());
  const double bytes = 4.0 * points * n_slots;
  if (bytes > 8e9)
    throw UsageError("the search box needs " + std::to_string(bytes / 1e9) +
                     " GB of grid maps (more than 8 GB): make --size_x/_y/_z smaller");
  std::vector<int> slot_of(kXsCount, -1), slot_xs(kXsCount, 0);
  for (int s = 0; s < n_slots; ++s) slot_of[types[s]] = s, slot_xs[s] = types[s];

  // Receptor atoms within 8 Å of each block of kBlock^3 grid points (CSR).
  const ReceptorAtoms rec = ReceptorAtoms::of(receptor);
  const int bx = (g.nx + kBlock - 1) / kBlock, by = (g.ny + kBlock - 1) / kBlock, bz = (g.nz + kBlock - 1) / kBlock;
  std::vector<int> offsets(1, 0), atoms;
  std::vector<double> rxyz;
  std::vector<int> rxs;
  for (std::size_t j = 0; j < rec.xyz.size(); ++j) {
    for (int d = 0; d < 3; ++d) rxyz.push_back(rec.xyz[j][d]);
    rxs.push_back(rec.xs[j]);
  }
  // Atom by atom (ascending, so each block's list is in atom order): the
  // distance along each axis from the atom to each block's slab, then only
  // the blocks within the cutoff on every axis are tested, with the same
  // sum of squares in the same order as a test of every block.
  const int nb[3] = {bx, by, bz};
  std::vector<double> slab[3];
  for (int d = 0; d < 3; ++d) slab[d].resize(nb[d]);
  std::vector<std::vector<int>> in_block(static_cast<std::size_t>(bx) * by * bz);
  const double cut2 = kCutoffAngstrom * kCutoffAngstrom;
  const int npts[3] = {g.nx, g.ny, g.nz};
  for (std::size_t a = 0; a < rec.xyz.size(); ++a) {
    int first[3], last[3];
    for (int d = 0; d < 3; ++d) {
      first[d] = nb[d], last[d] = -1;
      for (int b = 0; b < nb[d]; ++b) {
        const int lo = b * kBlock, hi = std::min(lo + kBlock, npts[d]) - 1;
        const double l = box.begin[d] + span[d] * lo / box.n[d], h = box.begin[d] + span[d] * hi / box.n[d];
        const double x = rec.xyz[a][d];
        slab[d][b] = x < l ? l - x : (x > h ? x - h : 0.0);
        if (slab[d][b] * slab[d][b] <= cut2) first[d] = std::min(first[d], b), last[d] = b;
      }
    }
    for (int k = first[2]; k <= last[2]; ++k)
      for (int j = first[1]; j <= last[1]; ++j)
        for (int i = first[0]; i <= last[0]; ++i) {
          double r2 = 0;
          r2 += slab[0][i] * slab[0][i];
          r2 += slab[1][j] * slab[1][j];
          r2 += slab[2][k] * slab[2][k];
          if (r2 <= cut2) in_block[(static_cast<std::size_t>(k) * by + j) * bx + i].push_back(static_cast<int>(a));
        }
  }
  for (const auto& list : in_block) {
    atoms.insert(atoms.end(), list.begin(), list.end());
    offsets.push_back(static_cast<int>(atoms.size()));
  }
  const PairTable& table = PairTable::shared(w);
  const auto d_table = to_device(table.fast_values(), "pk::dock::pair_table");
  const auto d_offsets = to_device(offsets, "pk::dock::block_offsets");
  const auto d_atoms = to_device(atoms, "pk::dock::block_atoms");
  const auto d_rxyz = to_device(rxyz, "pk::dock::receptor_xyz");
  const auto d_rxs = to_device(rxs, "pk::dock::receptor_xs");
  const auto d_slot_xs = to_device(slot_xs, "pk::dock::slot_xs");
  Kokkos::View<float*, DockMem> values(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::dock::grid_maps"),
                                        static_cast<std::size_t>(points) * std::max(n_slots, 1));
  const int nx = g.nx, ny = g.ny, nz = g.nz, n_samples = table.n_samples();
  const double b0 = box.begin[0], b1 = box.begin[1], b2 = box.begin[2];
  const double s0 = span[0] / box.n[0], s1 = span[1] / box.n[1], s2 = span[2] / box.n[2];
  Kokkos::parallel_for(
      "pk::dock::build_grid_maps", Kokkos::RangePolicy<DockExec>(0, points), KOKKOS_LAMBDA(const long p) {
        const int x = static_cast<int>(p % nx), y = static_cast<int>((p / nx) % ny), z = static_cast<int>(p / nx / ny);
        const double px = b0 + s0 * x, py = b1 + s1 * y, pz = b2 + s2 * z;
        double acc[kXsCount];
        for (int s = 0; s < n_slots; ++s) acc[s] = 0;
        const int blk = ((z / kBlock) * by + (y / kBlock)) * bx + (x / kBlock);
        for (int q = d_offsets(blk); q < d_offsets(blk + 1); ++q) {
          const int a = d_atoms(q);
          const double dx = d_rxyz(3 * a) - px, dy = d_rxyz(3 * a + 1) - py, dz = d_rxyz(3 * a + 2) - pz;
          const double r2 = dx * dx + dy * dy + dz * dz;
          if (r2 > 64.0) continue;
          const int t2 = d_rxs(a), i = static_cast<int>(32.0 * r2);
          for (int s = 0; s < n_slots; ++s) {
            const int t1 = d_slot_xs(s);
            const int pair = t1 < t2 ? t1 * kXsCount + t2 : t2 * kXsCount + t1;
            acc[s] += d_table(static_cast<long>(pair) * n_samples + i);
          }
        }
        for (int s = 0; s < n_slots; ++s)
          values(((static_cast<long>(s) * nz + z) * ny + y) * nx + x) = static_cast<float>(acc[s]);
      });
  Kokkos::fence();
  g.values = values;
  g.type_slot = to_device(slot_of, "pk::dock::type_slot");
  return g;
}

namespace {

constexpr int kWarpLanes = 32;

/// The slots of LigandTerms' team forms: atoms placed on
/// `lanes` lanes, the atom with the most pairs first, each on the lane
/// with the fewest pairs so far (ties: the lowest lane), a lane's atoms in
/// successive rounds of the team; and every atom's pairs in pair order.
template <class Pairs>
void set_atom_slots(const Ligand& lig, const Pairs& pairs, int lanes, DeviceLigand& d) {
  using Terms = kernels::dock::LigandTerms<DockMem>;
  const int n_lanes = std::max(1, lanes);
  static_assert(kXsCount * kXsCount <= (1 << (31 - Terms::kRowShift)), "table rows fit the partner code");
  const int n = lig.n_atoms(), np = static_cast<int>(lig.intra_pairs.size());
  if (n >= (1 << Terms::kPartnerBits))
    throw UsageError("ligand " + lig.file + " has " + std::to_string(n) + " atoms; the device scorer takes at most " +
                     std::to_string((1 << Terms::kPartnerBits) - 1));
  std::vector<std::vector<int>> codes(n), sides(n);
  for (int p = 0; p < np; ++p) {
    const int i = pairs(p, 0), j = pairs(p, 1), row = pairs(p, 2);
    codes[i].push_back(j | Terms::kFirstBit | (row << Terms::kRowShift));
    codes[j].push_back(i | (row << Terms::kRowShift));
    sides[i].push_back(2 * p);
    sides[j].push_back(2 * p + 1);
  }
  std::vector<int> order(n);
  for (int a = 0; a < n; ++a) order[a] = a;
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return codes[x].size() > codes[y].size(); });
  std::vector<std::vector<int>> lane_atoms(n_lanes);
  std::vector<std::size_t> load(n_lanes, 0);
  for (int a : order) {
    const int lane = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    lane_atoms[lane].push_back(a);
    load[lane] += codes[a].size() + 1;  // + 1: the atom's own grid term and loop
  }
  std::size_t rounds = 0, degree = 0;
  for (const auto& l : lane_atoms) rounds = std::max(rounds, l.size());
  for (const auto& c : codes) degree = std::max(degree, c.size());
  const int n_slots = static_cast<int>(rounds) * n_lanes;
  std::vector<int> slot_atom(n_slots, -1), atom_to_slot(n, 0), slot_degree(n_slots, 0),
      partners(std::max<std::size_t>(1, degree * n_slots), 0), pair_side(partners.size(), 0);
  for (int lane = 0; lane < n_lanes; ++lane)
    for (std::size_t k = 0; k < lane_atoms[lane].size(); ++k) {
      const int a = lane_atoms[lane][k], s = static_cast<int>(k) * n_lanes + lane;
      slot_atom[s] = a;
      atom_to_slot[a] = s;
      slot_degree[s] = static_cast<int>(codes[a].size());
      for (std::size_t q = 0; q < codes[a].size(); ++q) {
        partners[q * n_slots + s] = codes[a][q];
        pair_side[q * n_slots + s] = sides[a][q];
      }
    }
  d.n_slots = n_slots;
  d.slot_atom = to_device(slot_atom, "pk::dock::slot_atom");
  d.atom_to_slot = to_device(atom_to_slot, "pk::dock::atom_to_slot");
  d.slot_degree = to_device(slot_degree, "pk::dock::slot_degree");
  d.partners = to_device(partners, "pk::dock::partners");
  d.pair_side = to_device(pair_side, "pk::dock::pair_side");
}

}  // namespace

DeviceLigand ligand_for_lanes(DeviceLigand d, const Ligand& lig, int lanes) {
  set_atom_slots(lig, Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d.pairs), lanes, d);
  return d;
}

TeamForm team_form_setting() {
  const char* env = std::getenv("PK_DOCK_TEAM_FORM");
  if (!env || std::string(env) == "pairs") return TeamForm::kPairs;
  if (std::string(env) == "atoms") return TeamForm::kAtoms;
  throw UsageError(std::string("PK_DOCK_TEAM_FORM='") + env + "': expected pairs or atoms");
}

DeviceLigand upload_ligand(const Ligand& lig, const DeviceGrid& grid, const ScoringWeights& w) {
  auto h_slot = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), grid.type_slot);
  std::vector<int> slot(lig.n_atoms(), -1);
  for (int a = 0; a < lig.n_atoms(); ++a) {
    const int t = lig.atoms[a].xs;
    if (t == kXsNone) continue;
    slot[a] = h_slot(t);
    if (slot[a] < 0)
      throw UsageError(std::string("no grid map for XS type ") + xs_name(t) + " (ligand " + lig.file + ")");
  }
  // One table row per XS type pair the intramolecular pairs use.
  const int np = static_cast<int>(lig.intra_pairs.size());
  std::vector<int> row_of(kXsCount * kXsCount, -1), row_types;
  Kokkos::View<int* [3], Kokkos::LayoutRight, DockMem> pairs("pk::dock::intra_pairs", np);
  auto hp = Kokkos::create_mirror_view(pairs);
  for (int p = 0; p < np; ++p) {
    const int i = lig.intra_pairs[p][0], j = lig.intra_pairs[p][1];
    const int key = PairTable::pair_index(lig.atoms[i].xs, lig.atoms[j].xs);
    if (row_of[key] < 0) row_of[key] = static_cast<int>(row_types.size()), row_types.push_back(key);
    hp(p, 0) = i;
    hp(p, 1) = j;
    hp(p, 2) = row_of[key];
  }
  const int n_samples = static_cast<int>(kTableSamplesPerA2 * kCutoffAngstrom * kCutoffAngstrom) + 3;
  Kokkos::View<double**, Kokkos::LayoutRight, DockMem> table("pk::dock::intra_table", row_types.size(), n_samples);
  auto ht = Kokkos::create_mirror_view(table);
  for (std::size_t r = 0; r < row_types.size(); ++r) {
    const int t1 = row_types[r] / kXsCount, t2 = row_types[r] % kXsCount;
    for (int k = 0; k < n_samples; ++k) ht(r, k) = pair_energy(w, t1, t2, std::sqrt(k / kTableSamplesPerA2));
  }
  Kokkos::deep_copy(pairs, hp);
  Kokkos::deep_copy(table, ht);
  DeviceLigand d;
  d.n_atoms = lig.n_atoms();
  d.n_pairs = np;
  d.n_samples = n_samples;
  d.atom_slot = to_device(slot, "pk::dock::atom_slot");
  d.pairs = pairs;
  d.table = table;
  set_atom_slots(lig, hp, kWarpLanes, d);
  d.cache_hint = l2_only_bits() & 2;
  return d;
}

PoseEnergies evaluate_poses(const DeviceEnergy& energy, const std::vector<std::vector<std::array<double, 3>>>& poses,
                            double cap, bool want_grad) {
  const int n = static_cast<int>(poses.size()), m = energy.ligand.n_atoms;
  using V3 = Kokkos::View<double***, DockMem>;
  V3 xyz("pk::dock::pose_xyz", n, m, 3), grad("pk::dock::pose_grad", n, m, 3);
  Kokkos::View<double* [2], DockMem> e("pk::dock::pose_energy", n);
  auto hx = Kokkos::create_mirror_view(xyz);
  for (int p = 0; p < n; ++p)
    for (int a = 0; a < m; ++a)
      for (int d = 0; d < 3; ++d) hx(p, a, d) = poses[p][a][d];
  Kokkos::deep_copy(xyz, hx);
  Kokkos::parallel_for(
      "pk::dock::evaluate_poses", Kokkos::RangePolicy<DockExec>(0, n), KOKKOS_LAMBDA(const int p) {
        const PoseSpan<V3> c{xyz, p}, g{grad, p};
        for (int a = 0; a < m; ++a)
          for (int d = 0; d < 3; ++d) g(a, d) = 0;
        e(p, 0) = energy.inter(c, g, cap);
        e(p, 1) = energy.intra(c, g, cap);
      });
  auto he = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e);
  PoseEnergies out;
  for (int p = 0; p < n; ++p) out.inter.push_back(he(p, 0)), out.intra.push_back(he(p, 1));
  if (want_grad) {
    auto hg = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), grad);
    out.grad.assign(n, std::vector<std::array<double, 3>>(m));
    for (int p = 0; p < n; ++p)
      for (int a = 0; a < m; ++a)
        for (int d = 0; d < 3; ++d) out.grad[p][a][d] = hg(p, a, d);
  }
  return out;
}

std::vector<double> grid_inter_energies(const Receptor& receptor, const GridBox& box,
                                        const std::vector<Ligand>& ligands, const ScoringWeights& w, double cap) {
  DeviceEnergy e;
  e.grid = build_grid_maps(receptor, box, xs_types_of(ligands), w);
  std::vector<double> out;
  for (const auto& lig : ligands) {
    e.ligand = upload_ligand(lig, e.grid, w);
    out.push_back(evaluate_poses(e, {input_coordinates(lig)}, cap, false).inter[0]);
  }
  return out;
}

}  // namespace pk::dock
