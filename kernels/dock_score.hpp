// Vina 1.2 scoring on the device (Kokkos, device-callable): per-XS-type grid
// maps with Vina's trilinear interpolation, analytic gradient, softening of a
// positive per-atom energy and out-of-box slope penalty (grid::evaluate_aux);
// and the intramolecular pair term with its per-atom gradient (the weighted
// terms tabulated in r^2 as Vina tabulates them, each positive pair energy
// softened as in Vina's eval_interacting_pairs_deriv).
//
// Everything is a plain struct of Kokkos::Views, cheap to copy by value into a
// kernel. VinaEnergy is the energy docking kernels call:
//   double e = energy(coords, grad, cap);   // coords(a, d), grad(a, d): Å, kcal/mol/Å
// with `cap` the softening v (10 while searching, 1000 for final scores).
// Built on the host by src/dock/grid.hpp.
#pragma once

#include "pk_compat.hpp"
#include "team_lanes.hpp"

#include <Kokkos_Core.hpp>

namespace pk::kernels::dock {

/// Grid maps, one per XS type the ligand(s) need, spacing `1/factor` Å.
/// values(((slot * nz + z) * ny + y) * nx + x): x fastest, points n + 1 a side.
template <class MemorySpace>
struct GridMaps {
  Kokkos::View<const float*, MemorySpace> values;   ///< kcal/mol (float: half the cache footprint; sums stay double)
  Kokkos::View<const int*, MemorySpace> type_slot;  ///< XS type -> map slot, -1 if no map
  int nx = 0, ny = 0, nz = 0;                       ///< points a side
  double begin[3] = {0, 0, 0};                      ///< Å, the first point
  double factor[3] = {1, 1, 1};                     ///< points per Å (n voxels / span)
  double factor_inv[3] = {1, 1, 1};                 ///< Å per voxel
  double slope = 1e6;                               ///< out-of-box penalty, kcal/mol per Å
  int cache_hint = 0;                               ///< 1: GPU reads the maps through L2 only

  KOKKOS_INLINE_FUNCTION int dim(int d) const { return d == 0 ? nx : (d == 1 ? ny : nz); }

  /// Energy of one atom of map `slot` at `xyz` (Å), softened with v = cap,
  /// plus the out-of-box penalty; `g` gets dE/dx (kcal/mol/Å). Vina's
  /// grid::evaluate_aux: outside the box the atom is evaluated on the
  /// nearest face and pays slope x distance.
  KOKKOS_INLINE_FUNCTION double atom_energy(int slot, const double xyz[3], double cap, double g[3]) const {
    double s[3], miss[3];
    int a[3], region[3];
    // A non-finite coordinate (a runaway step of a local optimisation) costs
    // the most there is, with no gradient: the line search backs off from it
    // instead of indexing the map with NaN.
    if (!(compat::fabs(xyz[0]) + compat::fabs(xyz[1]) + compat::fabs(xyz[2]) < 1e200)) {
      g[0] = g[1] = g[2] = 0;
      return 1e300;
    }
    for (int d = 0; d < 3; ++d) {
      s[d] = (xyz[d] - begin[d]) * factor[d];
      const double last = dim(d) - 1.0;
      if (s[d] < 0) {
        miss[d] = -s[d];
        region[d] = -1;
        a[d] = 0;
        s[d] = 0;
      } else if (s[d] >= last) {
        miss[d] = s[d] - last;
        region[d] = 1;
        a[d] = dim(d) - 2;
        s[d] = 1;
      } else {
        miss[d] = 0;
        region[d] = 0;
        a[d] = static_cast<int>(s[d]);
        s[d] -= a[d];
      }
    }
    const double penalty = slope * (miss[0] * factor_inv[0] + miss[1] * factor_inv[1] + miss[2] * factor_inv[2]);
    const long base = ((static_cast<long>(slot) * nz + a[2]) * ny + a[1]) * nx + a[0];
    const long sy = nx, sz = static_cast<long>(nx) * ny;
    const float* v = values.data() + base;
    const bool l2 = (cache_hint & 1) != 0;
    const auto at = [&](long i) -> double { return l2 ? compat::load_l2_only(v + i) : v[i]; };
    const double f000 = at(0), f100 = at(1), f010 = at(sy), f110 = at(sy + 1), f001 = at(sz), f101 = at(sz + 1),
                 f011 = at(sz + sy), f111 = at(sz + sy + 1);
    const double x = s[0], y = s[1], z = s[2], mx = 1 - x, my = 1 - y, mz = 1 - z;
    double f = f000 * mx * my * mz + f100 * x * my * mz + f010 * mx * y * mz + f110 * x * y * mz +
               f001 * mx * my * z + f101 * x * my * z + f011 * mx * y * z + f111 * x * y * z;
    double gx = (f100 - f000) * my * mz + (f110 - f010) * y * mz + (f101 - f001) * my * z + (f111 - f011) * y * z;
    double gy = (f010 - f000) * mx * mz + (f110 - f100) * x * mz + (f011 - f001) * mx * z + (f111 - f101) * x * z;
    double gz = (f001 - f000) * mx * my + (f101 - f100) * x * my + (f011 - f010) * mx * y + (f111 - f110) * x * y;
    if (f > 0) {
      const double t = cap / (cap + f);
      f *= t;
      gx *= t * t;
      gy *= t * t;
      gz *= t * t;
    }
    g[0] = gx * factor[0] + region[0] * slope;
    g[1] = gy * factor[1] + region[1] * slope;
    g[2] = gz * factor[2] + region[2] * slope;
    return f + penalty;
  }
};

/// The ligand side: which map scores each atom, and the intramolecular pairs
/// with Vina's pair-energy table for their type pairs: row t holds, for
/// r^2 = i/32 Å^2 (i < n_samples), the weighted energy at r = sqrt(i/32)
/// (Vina's precalculated "smooth" samples). Energies between samples are
/// interpolated linearly in r^2, as Vina's eval_deriv does; the gradient is
/// the exact derivative of that interpolant.
template <class MemorySpace>
struct LigandTerms {
  int n_atoms = 0;
  int n_pairs = 0;
  int n_samples = 0;                                    ///< samples per table row
  Kokkos::View<const int*, MemorySpace> atom_slot;      ///< map slot of atom a, -1: not scored (hydrogen)
  // LayoutRight on every backend: a pair's three indices, and the two samples
  // around r^2, are adjacent in memory (one sector on GPUs).
  Kokkos::View<const int* [3], Kokkos::LayoutRight, MemorySpace> pairs;  ///< atom i, atom j, table row
  Kokkos::View<const double**, Kokkos::LayoutRight, MemorySpace> table;  ///< (row, i): energy sample, kcal/mol
  // How a team of L lanes (a warp: 32) spreads the atoms (VinaEnergy::team_energy):
  // atoms sit in slots, lane s % L takes slot s, and the slot order
  // balances the lanes' pair counts (empty slots hold -1). The q-th pair of
  // slot s's atom, in pair order, is entry q * n_slots + s (neighbouring slots
  // adjacent in memory): in `partners` the partner atom in bits 0-15, bit 16
  // set when the atom is the pair's first atom (that side counts the pair's
  // energy), table row from bit 17; in `pair_side` 2 p + (atom is second).
  int n_slots = 0;
  Kokkos::View<const int*, MemorySpace> slot_atom;    ///< n_slots: atom of slot s, -1 empty
  Kokkos::View<const int*, MemorySpace> atom_to_slot; ///< n_atoms: slot of atom a
  Kokkos::View<const int*, MemorySpace> slot_degree;  ///< n_slots: pairs of slot s's atom
  Kokkos::View<const int*, MemorySpace> partners;     ///< max degree x n_slots, packed as above
  Kokkos::View<const int*, MemorySpace> pair_side;    ///< the same entries as 2 p + (atom is the pair's second)
  static constexpr int kPartnerBits = 16, kFirstBit = 1 << 16, kRowShift = 17;
  int cache_hint = 0;                                ///< 2: GPU reads the pair table through L2 only
};
/// The grid and intramolecular parts of an energy, summed separately (a
/// team reduction's value type).
struct EnergyParts {
  double inter = 0, intra = 0;
  KOKKOS_INLINE_FUNCTION EnergyParts& operator+=(const EnergyParts& o) {
    inter += o.inter;
    intra += o.intra;
    return *this;
  }
  KOKKOS_INLINE_FUNCTION void operator+=(const volatile EnergyParts& o) volatile {
    inter += o.inter;
    intra += o.intra;
  }
};

/// EnergyParts summed over a lane group (lanes_reduce).
template <class Member, int W>
KOKKOS_INLINE_FUNCTION EnergyParts lane_sum(const LaneGroup<Member, W>& g, EnergyParts v) {
  v.inter = lane_sum(g, v.inter);
  v.intra = lane_sum(g, v.intra);
  return v;
}

/// Inter (grid) + intra energy and per-atom gradient of one ligand pose.
template <class MemorySpace>
struct VinaEnergy {
  GridMaps<MemorySpace> grid;
  LigandTerms<MemorySpace> ligand;

  /// Grid term: sum over scored atoms; adds dE/dx to grad.
  template <class Span>
  KOKKOS_INLINE_FUNCTION double inter(const Span& coords, const Span& grad, double cap) const {
    double e = 0;
    for (int a = 0; a < ligand.n_atoms; ++a) {
      const int slot = ligand.atom_slot(a);
      if (slot < 0) continue;
      const double x[3] = {coords(a, 0), coords(a, 1), coords(a, 2)};
      double g[3];
      e += grid.atom_energy(slot, x, cap, g);
      for (int d = 0; d < 3; ++d) grad(a, d) += g[d];
    }
    return e;
  }

  /// The softened energy `pe` of a pair of table row `t` at squared
  /// distance r2 (< 64 Å^2); returns dE/d(r2).
  KOKKOS_INLINE_FUNCTION double pair_slope(int t, double r2, double cap, double& pe) const {
    const double x = 32.0 * r2;
    const int k = static_cast<int>(x);
    const double* row = &ligand.table(t, k);
    const bool l2 = (ligand.cache_hint & 2) != 0;
    const double e1 = l2 ? compat::load_l2_only(row) : row[0], e2 = l2 ? compat::load_l2_only(row + 1) : row[1];
    pe = e1 + (x - k) * (e2 - e1);
    double de_dr2 = 32.0 * (e2 - e1);
    if (pe > 0) {
      const double s = cap / (cap + pe);
      pe *= s;
      de_dr2 *= s * s;
    }
    return de_dr2;
  }

  /// One intramolecular pair: its softened energy; `force` gets dE/dx_i
  /// (= -dE/dx_j). Zero beyond 8 Å.
  template <class Span>
  KOKKOS_INLINE_FUNCTION double intra_pair(int p, const Span& coords, double cap, double force[3]) const {
    const int i = ligand.pairs(p, 0), j = ligand.pairs(p, 1), t = ligand.pairs(p, 2);
    double r[3], r2 = 0;
    for (int d = 0; d < 3; ++d) {
      r[d] = coords(i, d) - coords(j, d);
      r2 += r[d] * r[d];
      force[d] = 0;
    }
    if (!(r2 < 64.0)) return 0;  // beyond the cutoff, or not finite
    double pe;
    const double de_dr2 = pair_slope(t, r2, cap, pe);
    for (int d = 0; d < 3; ++d) force[d] = 2 * de_dr2 * r[d];
    return pe;
  }

  /// Intramolecular term: sum over pairs (each softened); adds dE/dx to grad.
  template <class Span>
  KOKKOS_INLINE_FUNCTION double intra(const Span& coords, const Span& grad, double cap) const {
    double e = 0;
    for (int p = 0; p < ligand.n_pairs; ++p) {
      double f[3];
      e += intra_pair(p, coords, cap, f);
      const int i = ligand.pairs(p, 0), j = ligand.pairs(p, 1);
      for (int d = 0; d < 3; ++d) {
        grad(i, d) += f[d];
        grad(j, d) -= f[d];
      }
    }
    return e;
  }

  /// The team forms' loop over atoms: with one thread (`in_order`) atom i,
  /// else the atom of slot i (-1: an empty slot); `s` gets the atom's slot.
  KOKKOS_INLINE_FUNCTION int team_items(bool in_order) const { return in_order ? ligand.n_atoms : ligand.n_slots; }
  KOKKOS_INLINE_FUNCTION int team_item_atom(int i, bool in_order, int& s) const {
    const int a = in_order ? i : ligand.slot_atom(i);
    s = in_order && a >= 0 ? ligand.atom_to_slot(a) : i;
    return a;
  }

  /// Doubles of team scratch team_energy needs: one force per pair.
  KOKKOS_INLINE_FUNCTION int team_work_size() const { return 3 * ligand.n_pairs; }

  /// Atom a's grid energy (into parts.inter), the energies of the pairs it
  /// is the first atom of (into parts.intra), and its whole gradient,
  /// written to grad: the grid term's, then each pair's force in pair order.
  /// A pair's force is computed from this atom's side (r = x_a - x_partner),
  /// which is bitwise the negation of the other side's, so every atom's sum
  /// equals what `operator()` adds to it, in the same order.
  /// (The pair loop repeats intra_pair's arithmetic on purpose: calling a
  /// shared helper that returns the force cost the GPU kernels 8 registers
  /// and spills in the search kernel.)
  template <class Span>
  KOKKOS_INLINE_FUNCTION void atom_terms(int a, int s, const Span& coords, const Span& grad, double cap,
                                         EnergyParts& parts) const {
    const double x[3] = {coords(a, 0), coords(a, 1), coords(a, 2)};
    double g[3] = {0, 0, 0};
    const int slot = ligand.atom_slot(a);
    if (slot >= 0) parts.inter += grid.atom_energy(slot, x, cap, g);
    const int n = ligand.slot_degree(s);
    // The next pair's partner code is read while this pair is computed, so
    // the loop waits on one memory read per pair (the table's) instead of two.
    int next = n > 0 ? ligand.partners(s) : 0;
    for (int q = 0; q < n; ++q) {
      const int code = next;
      if (q + 1 < n) next = ligand.partners((q + 1) * ligand.n_slots + s);
      const int j = code & ((1 << LigandTerms<MemorySpace>::kPartnerBits) - 1);
      double r[3], r2 = 0;
      for (int d = 0; d < 3; ++d) {
        r[d] = x[d] - coords(j, d);
        r2 += r[d] * r[d];
      }
      if (!(r2 < 64.0)) continue;  // beyond the cutoff, or not finite
      double pe;
      const double de_dr2 = pair_slope(code >> LigandTerms<MemorySpace>::kRowShift, r2, cap, pe);
      for (int d = 0; d < 3; ++d) g[d] += 2 * de_dr2 * r[d];
      if (code & LigandTerms<MemorySpace>::kFirstBit) parts.intra += pe;
    }
    for (int d = 0; d < 3; ++d) grad(a, d) = g[d];
  }

  /// The energy of operator() computed by a whole team (a warp on CUDA), the
  /// pairs form: lanes over atoms for the grid term, over pairs for the
  /// intramolecular term (each pair's force parked in `work`), then over
  /// atoms (slots) to sum each atom's pair forces in pair order. Each pair is
  /// computed once. No atomics, so the result is the same on every run; with
  /// a one-thread team (atoms in order) it is bitwise operator()'s. Every
  /// lane returns the energy; coords, grad and work are team scratch.
  template <class Member, class Span>
  KOKKOS_INLINE_FUNCTION double team_energy(const Member& m, const Span& coords, const Span& grad, const Span& work,
                                            double cap) const {
    const bool in_order = m.team_size() == 1;
    double inter = 0, intra = 0;
    lanes_reduce(
        m, ligand.n_atoms,
        [&](const int a, double& acc) {
          double g[3] = {0, 0, 0};
          const int slot = ligand.atom_slot(a);
          if (slot >= 0) {
            const double x[3] = {coords(a, 0), coords(a, 1), coords(a, 2)};
            acc += grid.atom_energy(slot, x, cap, g);
          }
          for (int d = 0; d < 3; ++d) grad(a, d) = g[d];
        },
        inter);
    lanes_reduce(
        m, ligand.n_pairs,
        [&](const int p, double& acc) {
          double f[3];
          acc += intra_pair(p, coords, cap, f);
          for (int d = 0; d < 3; ++d) work[3 * p + d] = f[d];
        },
        intra);
    m.team_barrier();
    lanes_for(m, team_items(in_order), [&](const int i) {
      int s;
      const int a = team_item_atom(i, in_order, s);
      if (a < 0) return;
      double g[3] = {grad(a, 0), grad(a, 1), grad(a, 2)};
      for (int q = 0; q < ligand.slot_degree(s); ++q) {
        const int code = ligand.pair_side(q * ligand.n_slots + s), p = code >> 1;
        if (code & 1)
          for (int d = 0; d < 3; ++d) g[d] -= work[3 * p + d];
        else
          for (int d = 0; d < 3; ++d) g[d] += work[3 * p + d];
      }
      for (int d = 0; d < 3; ++d) grad(a, d) = g[d];
    });
    m.team_barrier();
    return inter + intra;
  }

  /// The same energy by a team in the atoms form: lanes over atoms (slots),
  /// each atom with its grid term and all its pairs (atom_terms), every pair
  /// computed from both sides and no force parked, so it needs no scratch
  /// and more teams fit an SM where shared memory limits them. Bitwise
  /// operator()'s with a one-thread team.
  template <class Member, class Span>
  KOKKOS_INLINE_FUNCTION double team_energy_atoms(const Member& m, const Span& coords, const Span& grad,
                                                  double cap) const {
    const bool in_order = m.team_size() == 1;
    EnergyParts parts;
    lanes_reduce(
        m, team_items(in_order),
        [&](const int i, EnergyParts& acc) {
          int s;
          const int a = team_item_atom(i, in_order, s);
          if (a >= 0) atom_terms(a, s, coords, grad, cap, acc);
        },
        parts);
    m.team_barrier();
    return parts.inter + parts.intra;
  }

  /// Energy (kcal/mol) of the atoms at coords(a, d) (Å); grad(a, d) is
  /// overwritten with dE/dx. The interface kernels/dock_search.hpp expects.
  template <class Span>
  KOKKOS_INLINE_FUNCTION double operator()(const Span& coords, const Span& grad, double cap) const {
    for (int a = 0; a < ligand.n_atoms; ++a)
      for (int d = 0; d < 3; ++d) grad(a, d) = 0;
    return inter(coords, grad, cap) + intra(coords, grad, cap);
  }
};

/// VinaEnergy whose team energy is the atoms form (team_energy_atoms): the
/// search kernels run it in place of the pairs form when asked to.
template <class MemorySpace>
struct VinaAtomsEnergy : VinaEnergy<MemorySpace> {
  KOKKOS_INLINE_FUNCTION int team_work_size() const { return 0; }
  template <class Member, class Span>
  KOKKOS_INLINE_FUNCTION double team_energy(const Member& m, const Span& coords, const Span& grad, const Span&,
                                            double cap) const {
    return this->team_energy_atoms(m, coords, grad, cap);
  }
};

}  // namespace pk::kernels::dock

namespace Kokkos {
template <>
struct reduction_identity<pk::kernels::dock::EnergyParts> {
  KOKKOS_FORCEINLINE_FUNCTION static pk::kernels::dock::EnergyParts sum() { return {}; }
};
}  // namespace Kokkos
