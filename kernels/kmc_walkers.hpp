// Rejection-free kinetic Monte Carlo of many independent walkers on one
// network, one thread per walker. Replicas share the network's topology and
// have their own rates (temperature, concentration). Observables are
// accumulated on the device: first-passage times, binding/unbinding events,
// bound and unbound phase times, bound dwell histogram, occupancy on a time
// grid, transition counts, and a few full trajectories.
//
// Phases follow the core-set convention: a walker is in the bound phase from
// its arrival in a bound state until its next arrival in an unbound state, and
// vice versa; states labelled `other` do not change the phase.
#pragma once

#include "kmc_basin.hpp"
#include "kmc_codes.hpp"
#include "philox.hpp"
#include "pk_compat.hpp"

#include <cstdint>
#include <limits>
#include <type_traits>

namespace pk::kernels {

using kmc::kDoneHorizon;
using kmc::kDoneSteps;
using kmc::kMacroBound;
using kmc::kMacroOther;
using kmc::kMacroUnbound;
using kmc::kPhaseBound;
using kmc::kPhaseNone;
using kmc::kPhaseUnbound;
using kmc::kRunning;

/// Packed tables (variants "packed" and "packed-int", selected at run time):
/// each step reads one 16-byte record of its state and one 16-byte alias slot
/// of its row, two dependent loads, where the baseline layout reads seven
/// values in three dependent rounds (rate, offsets -> threshold, alias ->
/// target, macrostate).
struct alignas(16) KmcStateRecord {
  double inv_total_rate;  ///< 1 / (total exit rate), s; 0 for absorbing states
  std::int32_t first;     ///< the row's first edge
  std::int32_t degree;    ///< edges of the row
};
/// One alias slot: the threshold and both outcomes, each outcome a word
/// (target << (rel_bits + 2)) | (row-relative edge << 2) | target macrostate.
/// "packed": threshold as the double of the baseline table (bitwise the same
/// walks). "packed-int": threshold * 2^64 as an integer, compared with the
/// low 64 bits of a 64-bit uniform times the degree (no conversions; the
/// baseline's decision from the same bits, without its double rounding).
template <class Threshold>
struct alignas(16) KmcAliasSlot {
  Threshold threshold;
  std::uint32_t keep, alias;
};
using KmcSlotDouble = KmcAliasSlot<double>;
using KmcSlotFixed = KmcAliasSlot<std::uint64_t>;

/// "After the last grid point": compares false with every time.
constexpr double kNoGridPoint = std::numeric_limits<double>::infinity();

static_assert(kMacroBound == kPhaseBound && kMacroUnbound == kPhaseUnbound && kMacroOther == kPhaseNone,
              "the packed walks compare macrostates with phases");

/// Where a packed walk counts transitions.
enum KmcCountCode : int { kCountNone = 0, kCountTeam = 1, kCountGlobal = 2 };
/// Work tag of the flat advance launch: how its packed walks count.
template <int Count>
struct KmcCountTag {};

/// Which walk the advance kernels run (PK_KMC_VARIANT, src/kmc/engine.cpp).
/// The packed2 variants walk two walkers per thread (KmcAdvance::walk_packed2).
enum KmcVariantCode : int {
  kVariantBaseline = 0,
  kVariantPacked = 1,
  kVariantPackedInt = 2,
  kVariantPacked2 = 3,
  kVariantPacked2Int = 4,
  kVariantCount = 5
};
/// Whether a variant reads the integer-threshold slots (else the double ones).
KOKKOS_INLINE_FUNCTION constexpr bool kmc_fixed_slots(int variant) { return variant == kVariantPackedInt || variant == kVariantPacked2Int; }
/// Walkers each thread advances.
KOKKOS_INLINE_FUNCTION constexpr int kmc_walkers_per_thread(int variant) {
  return variant == kVariantPacked2 || variant == kVariantPacked2Int ? 2 : 1;
}

template <class MemSpace>
struct KmcData {
  template <class T>
  using V = Kokkos::View<T*, MemSpace>;
  // Read-only tables: through the read-only data cache on GPUs.
  template <class T>
  using R = Kokkos::View<const T*, MemSpace, Kokkos::MemoryTraits<Kokkos::RandomAccess>>;
  // Network (shared topology) and the rate tables. Replicas under the same
  // conditions (temperature, concentration) share one table, so the tables a
  // step reads stay in the first-level cache: replica rl reads table
  // table_of(rl).
  R<std::int64_t> row_offsets;  // n + 1
  R<std::int32_t> targets;      // nnz
  R<std::int8_t> target_macro;  // nnz: macrostate of each edge's target (one dependent load less per step)
  R<std::int8_t> macro;         // n
  R<double> alias_threshold;    // tables x nnz: Walker alias table of each row (slot kept below it)
  R<std::int32_t> alias_index;  // tables x nnz: the row-relative edge a slot falls back to
  R<double> inv_total_rate;     // tables x n: 1 / (total exit rate), s; 0 for absorbing states
  R<double> start_cdf;          // tables x n: cumulative start distribution
  R<std::int32_t> table_of;     // replicas: which table a local replica reads
  // Packed variants only (empty otherwise).
  Kokkos::View<const KmcStateRecord*, MemSpace> state_record;  // tables x n
  Kokkos::View<const KmcSlotDouble*, MemSpace> slot_double;    // tables x nnz ("packed")
  Kokkos::View<const KmcSlotFixed*, MemSpace> slot_fixed;      // tables x nnz ("packed-int")
  std::int32_t rel_bits = 0;                                   // bits of a row-relative edge in a slot word
  // Walkers (replicas x walkers).
  V<std::int32_t> state;
  V<double> time;
  V<std::int64_t> steps;
  V<std::int8_t> phase, done;
  V<double> phase_start;
  V<std::int32_t> next_grid;
  V<double> fpt_bound, fpt_unbound, first_dwell, bound_time, unbound_time;
  V<std::int32_t> n_bind, n_unbind;
  // Per replica.
  V<std::int32_t> occupancy;     // replicas x grid x n
  V<std::int64_t> transitions;   // replicas x nnz
  V<std::int32_t> dwell_hist;    // replicas x dwell_bins
  R<double> dwell_edges;         // dwell_bins + 1: the bin edges, s (dwell_bin_edges, src/kmc/engine.hpp)
  V<double> traj_time;           // replicas x traj_walkers x traj_length
  V<std::int32_t> traj_state;
  V<std::int32_t> traj_count;    // replicas x traj_walkers
  // Parameters.
  std::uint64_t seed = 0;
  // Philox round keys of `seed` (key0, key1 of rounds 0..9), set by
  // set_round_keys: the packed walks read them as kernel constants instead
  // of adding the Weyl increments every step.
  std::uint32_t round_key[20] = {};
  void set_round_keys() {
    std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < 10; ++r, k0 += 0x9E3779B9u, k1 += 0xBB67AE85u) round_key[2 * r] = k0, round_key[2 * r + 1] = k1;
  }
  std::int32_t first_replica = 0, walkers = 0, n = 0;
  std::int64_t nnz = 0;
  std::int32_t grid_points = 0;
  double grid_dt = 0.0, horizon = 0.0, lag = 0.0;
  std::int64_t max_steps = 0;  // 0: no step budget
  std::int32_t traj_walkers = 0, traj_length = 0;
  bool count_transitions = true;
  std::int32_t dwell_bins = 200;
  double dwell_log10_min = -15.0, dwell_bins_per_decade = 10.0;
  // Superbasins (kernels/kmc_basin.hpp; baseline walk only). basins false:
  // none, and the walk is exactly the one without them.
  bool basins = false;
  R<std::int32_t> basin_of, basin_local;  // 3 x n, by walker phase: basin (-1: none), index within it
  R<std::int32_t> basin_size;             // basins
  R<std::int64_t> basin_member_first;     // basins: offset into the member arrays
  R<std::int64_t> basin_vec_first;        // basins: offset into basin_vec
  R<std::int32_t> basin_members;          // member_total: state of each member
  R<double> basin_lambda, basin_sw, basin_alpha, basin_beta, basin_exit;  // tables x member_total
  R<double> basin_vec;                    // tables x vec_total
  R<double> edge_prob;                    // tables x nnz
  std::int64_t basin_member_total = 0, basin_vec_total = 0;
  KOKKOS_INLINE_FUNCTION KmcBasinLaw basin_law(std::int32_t table, std::int32_t b) const {
    const std::int64_t mf = static_cast<std::int64_t>(table) * basin_member_total + basin_member_first(b);
    const std::int64_t vf = static_cast<std::int64_t>(table) * basin_vec_total + basin_vec_first(b);
    return {basin_size(b),         basin_lambda.data() + mf, basin_vec.data() + vf, basin_sw.data() + mf,
            basin_alpha.data() + mf, basin_beta.data() + mf,   basin_exit.data() + mf};
  }
};

/// A packed walker's registers while it runs (the rest of its state stays
/// in memory) and the step in flight: its state's record, random numbers,
/// new time, alias slot.
template <class Slot>
struct KmcPackedWalker {
  std::int64_t i;  // replica * walkers + w
  std::int32_t rl, w, rec_base, slot_base;
  std::int64_t count_base;
  std::int32_t s, g;
  double t, grid_t;  // grid_t: time of the next occupancy grid point
  std::int64_t st, limit;
  bool budget;  // limit is the step budget (else this launch's step cap)
  std::int8_t ph, done;
  // Phase bookkeeping a phase change reads and adds to, in registers for
  // the launch (stored back by packed_end).
  double phase_start, bound_time, unbound_time;
  std::int32_t n_bind, n_unbind;
  std::uint8_t set;  // bits: first passage to bound, to unbound, first dwell already recorded
  KmcStateRecord r;
  Philox4x32 rnd;
  double t_new;
  std::int32_t k;  // the row's alias slot
  std::conditional_t<std::is_same_v<Slot, KmcSlotFixed>, std::uint64_t, double> rest;  // compared with its threshold
  Slot slot;
};

/// Draw each walker's start state and set its observables to "not yet".
template <class MemSpace>
struct KmcInitialize {
  KmcData<MemSpace> d;
  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t i) const {
    const std::int32_t rl = static_cast<std::int32_t>(i / d.walkers);
    const std::int32_t w = static_cast<std::int32_t>(i % d.walkers);
    // Step counter 2^64-1 is reserved for the start draw.
    const Philox4x32 rnd = kmc_random(d.seed, static_cast<std::uint32_t>(d.first_replica + rl),
                                      static_cast<std::uint32_t>(w), ~static_cast<std::uint64_t>(0));
    const double u = uniform53(rnd.v[0], rnd.v[1]);
    const std::int64_t base = static_cast<std::int64_t>(d.table_of(rl)) * d.n;
    std::int32_t s = 0;
    while (s < d.n - 1 && d.start_cdf(base + s) <= u) ++s;
    const std::int8_t m = d.macro(s);
    d.state(i) = s;
    d.time(i) = 0.0;
    d.steps(i) = 0;
    d.done(i) = kRunning;
    d.phase(i) = m == kMacroBound ? kPhaseBound : (m == kMacroUnbound ? kPhaseUnbound : kPhaseNone);
    d.phase_start(i) = 0.0;
    d.next_grid(i) = 0;
    d.fpt_bound(i) = m == kMacroBound ? 0.0 : -1.0;
    d.fpt_unbound(i) = m == kMacroUnbound ? 0.0 : -1.0;
    d.first_dwell(i) = -1.0;
    d.bound_time(i) = 0.0;
    d.unbound_time(i) = 0.0;
    d.n_bind(i) = 0;
    d.n_unbind(i) = 0;
    if (w < d.traj_walkers) {
      const std::int64_t t = static_cast<std::int64_t>(rl) * d.traj_walkers + w;
      d.traj_time(t * d.traj_length) = 0.0;
      d.traj_state(t * d.traj_length) = s;
      d.traj_count(t) = 1;
    }
  }
};

/// Advance every walker until its next event would pass t_stop, or it has
/// taken step_cap steps in this call (counted in `capped`). A step that would pass t_stop is not taken: the
/// next call redraws the same random numbers (same counter) and takes it, so
/// results do not depend on how the run is cut into calls.
template <class MemSpace, int Variant = kVariantBaseline>
struct KmcAdvance {
  KmcData<MemSpace> d;
  double t_stop = 0.0;
  std::int64_t step_cap = 0;

  KOKKOS_INLINE_FUNCTION void count_grid(std::int32_t rl, std::int32_t s, std::int32_t& g, double until) const {
    while (g < d.grid_points && g * d.grid_dt < until) {
      compat::atomic_inc(&d.occupancy((static_cast<std::int64_t>(rl) * d.grid_points + g) * d.n + s));
      ++g;
    }
  }

  /// Walkers stopped by step_cap in this launch (one element). Counted with
  /// an atomic by the few walkers that hit the cap, so the launch is a
  /// parallel_for: a reduction would cap the grid and with it the number of
  /// walkers in flight.
  Kokkos::View<std::int64_t*, MemSpace> capped_total;

  /// Walkers each thread advances (walk_packed2 for the packed2 variants),
  /// the slot type of the packed variants, and the threads (lanes) that
  /// advance `walkers` walkers.
  static constexpr int kWalkersPerThread = kmc_walkers_per_thread(Variant);
  using Slot = std::conditional_t<kmc_fixed_slots(Variant), KmcSlotFixed, KmcSlotDouble>;
  KOKKOS_INLINE_FUNCTION static std::int64_t lanes(std::int64_t walkers) {
    return (walkers + kWalkersPerThread - 1) / kWalkersPerThread;
  }

  /// Lane l of the flat launch: walker l, and walker l + lanes with two per
  /// thread. One kernel per way of counting (the tag; the baseline walk
  /// decides at run time): a kernel holding both needs far more registers
  /// for two walkers per thread (170 on sm_90, against 90 and 105).
  template <int Count>
  KOKKOS_INLINE_FUNCTION void operator()(KmcCountTag<Count>, const std::int64_t l) const {
    std::int64_t capped = 0;
    const std::int64_t n = static_cast<std::int64_t>(d.state.extent(0)), second = l + lanes(n);
    if constexpr (Variant == kVariantBaseline) walk(l, capped, nullptr);
    else walk_lane<Count>(l, kWalkersPerThread == 2 && second < n ? second : -1, capped, nullptr);
    if (capped) Kokkos::atomic_add(&capped_total(0), capped);
  }

  /// Walker i, and walker j (j >= 0) in the same thread, by this kernel's
  /// variant, counted in team scratch.
  KOKKOS_INLINE_FUNCTION void walk_in_team(const std::int64_t i, const std::int64_t j, std::int64_t& capped,
                                           std::int32_t* team_counts) const {
    if constexpr (Variant == kVariantBaseline) walk(i, capped, team_counts);
    else walk_lane<kCountTeam>(i, j, capped, team_counts);
  }

  /// A packed variant's walker i, and j (j >= 0) with two walkers per thread.
  template <int Count>
  KOKKOS_INLINE_FUNCTION void walk_lane(const std::int64_t i, const std::int64_t j, std::int64_t& capped,
                                        std::int32_t* team_counts) const {
    if constexpr (kWalkersPerThread == 2) walk_packed2<Slot, Count>(i, j, capped, team_counts);
    else walk_packed<Slot, Count>(i, capped, team_counts);
  }

  /// One walker. Transitions are counted in `team_counts` (a team's scratch
  /// array for this replica, indexed by edge) when given, else in global memory.
  KOKKOS_INLINE_FUNCTION void walk(const std::int64_t i, std::int64_t& capped, std::int32_t* team_counts) const {
    if (d.done(i) != kRunning) return;
    const std::int32_t rl = static_cast<std::int32_t>(i / d.walkers);
    const std::int32_t w = static_cast<std::int32_t>(i % d.walkers);
    const std::uint32_t replica = static_cast<std::uint32_t>(d.first_replica + rl);
    const std::int32_t table = d.table_of(rl);
    const std::int64_t rate_base = static_cast<std::int64_t>(table) * d.n;
    const std::int64_t prob_base = static_cast<std::int64_t>(table) * d.nnz;
    const std::int64_t edge_base = static_cast<std::int64_t>(rl) * d.nnz;  // this replica's transition counts
    const bool discrete = d.lag > 0.0;
    std::int32_t s = d.state(i), g = d.next_grid(i), n_bind = d.n_bind(i), n_unbind = d.n_unbind(i);
    double t = d.time(i), phase_start = d.phase_start(i);
    double bound_time = d.bound_time(i), unbound_time = d.unbound_time(i);
    double fpt_b = d.fpt_bound(i), fpt_u = d.fpt_unbound(i), first_dwell = d.first_dwell(i);
    std::int64_t st = d.steps(i);
    const std::int64_t step_stop = st + step_cap;
    std::int8_t ph = d.phase(i), done = kRunning;
    for (;;) {
      if (d.max_steps > 0 && st >= d.max_steps) {
        done = kDoneSteps;
        break;
      }
      if (st >= step_stop) {
        ++capped;
        break;
      }
      double t_new;
      std::int64_t e;
      const std::int64_t at = static_cast<std::int64_t>(ph) * d.n + s;  // the basin set of the walker's phase
      const std::int32_t basin = d.basins ? d.basin_of(at) : -1;
      if (basin >= 0) {  // one step leaves the superbasin
        if (!basin_step(rl, w, replica, table, basin, at - s, d.basin_local(at), t, st, g, t_new, e)) {
          if (t_stop >= d.horizon) done = kDoneHorizon;
          break;
        }
      } else {
        const double inv_rate = discrete ? 1.0 : d.inv_total_rate(rate_base + s);
        if (!(inv_rate > 0.0)) {  // absorbing state: the walker stays
          count_grid(rl, s, g, t_stop);
          if (t_stop >= d.horizon) done = kDoneHorizon;
          break;
        }
        const Philox4x32 rnd = kmc_random(d.seed, replica, static_cast<std::uint32_t>(w), static_cast<std::uint64_t>(st));
        // Waiting time -ln(1-u)/R: the logarithm in single precision (relative
        // error ~1e-7 of each waiting time, far below any statistical error;
        // 1-u keeps its relative precision down to 2^-53 as a float), the
        // clock in double.
        t_new = discrete ? static_cast<double>(st + 1) * d.lag
                         : t - static_cast<double>(compat::log(static_cast<float>(1.0 - uniform53(rnd.v[0], rnd.v[1])))) * inv_rate;
        count_grid(rl, s, g, t_new < t_stop ? t_new : t_stop);
        if (t_new > t_stop) {
          if (t_stop >= d.horizon) done = kDoneHorizon;
          break;
        }
        const double v = uniform53(rnd.v[2], rnd.v[3]);
        e = select_edge(prob_base, d.row_offsets(s), d.row_offsets(s + 1), v);
      }
      const std::int32_t next = d.targets(e);
      if (team_counts) compat::atomic_inc(&team_counts[e]);
      else if (d.count_transitions) compat::atomic_inc(&d.transitions(edge_base + e));
      t = t_new;
      ++st;
      s = next;
      const std::int8_t m = d.target_macro(e);
      if (m == kMacroBound && ph != kPhaseBound) {
        if (ph == kPhaseUnbound) {
          ++n_bind;
          unbound_time += t - phase_start;
        }
        if (fpt_b < 0.0) fpt_b = t;
        ph = kPhaseBound;
        phase_start = t;
      } else if (m == kMacroUnbound && ph != kPhaseUnbound) {
        if (ph == kPhaseBound) {
          ++n_unbind;
          const double dwell = t - phase_start;
          bound_time += dwell;
          if (first_dwell < 0.0) first_dwell = dwell;
          record_dwell(rl, dwell);
        }
        if (fpt_u < 0.0) fpt_u = t;
        ph = kPhaseUnbound;
        phase_start = t;
      }
      if (w < d.traj_walkers) record_trajectory(rl, w, t, s);
    }
    d.state(i) = s;
    d.time(i) = t;
    d.steps(i) = st;
    d.next_grid(i) = g;
    d.phase(i) = ph;
    d.phase_start(i) = phase_start;
    d.done(i) = done;
    d.n_bind(i) = n_bind;
    d.n_unbind(i) = n_unbind;
    d.bound_time(i) = bound_time;
    d.unbound_time(i) = unbound_time;
    d.fpt_bound(i) = fpt_b;
    d.fpt_unbound(i) = fpt_u;
    d.first_dwell(i) = first_dwell;
  }

  /// One step of a walker at member i (time t, step st) of superbasin b of
  /// the basin set starting at `set` (phase x n):
  /// its exit time t_new and exit edge e, drawn exactly from the basin's exit
  /// law (kernels/kmc_basin.hpp), with the occupancy grid points it passes
  /// before min(t_new, t_stop) drawn from the bridge between entry and exit.
  /// Returns false when the exit lies beyond t_stop (not taken: the next call
  /// draws the same numbers).
  KOKKOS_INLINE_FUNCTION bool basin_step(std::int32_t rl, std::int32_t w, std::uint32_t replica, std::int32_t table,
                                         std::int32_t b, std::int64_t set, std::int32_t i, double t, std::int64_t st,
                                         std::int32_t& g, double& t_new, std::int64_t& e) const {
    const KmcBasinLaw L = d.basin_law(table, b);
    const Philox4x32 rnd = kmc_random(d.seed, replica, static_cast<std::uint32_t>(w), static_cast<std::uint64_t>(st));
    const double T = basin_exit_time(L, i, 1.0 - uniform53(rnd.v[0], rnd.v[1]));
    t_new = t + T;
    const std::int32_t a = basin_exit_member(L, i, T, uniform53(rnd.v[2], rnd.v[3]));
    const std::int64_t member0 = d.basin_member_first(b);
    const double until = t_new < t_stop ? t_new : t_stop;
    // Each grid point passed inside the basin: a state drawn from the exact
    // marginal of the bridge from (i, t) to (a, t_new). Grid points are drawn
    // independently of each other (their joint law inside a stay is not the
    // chain's; occupancy estimates use the marginals only), so a stay cut by
    // t_stop continues at the next grid point.
    for (; g < d.grid_points && g * d.grid_dt < until; ++g) {
      const double tg = g * d.grid_dt;
      const Philox4x32 rb = kmc_random(d.seed ^ kBasinBridgeKey, replica, static_cast<std::uint32_t>(w),
                                       static_cast<std::uint64_t>(g));
      const std::int32_t at = basin_bridge(L, i, tg - t, a, t_new - tg, uniform53(rb.v[0], rb.v[1]));
      compat::atomic_inc(&d.occupancy((static_cast<std::int64_t>(rl) * d.grid_points + g) * d.n + d.basin_members(member0 + at)));
    }
    if (t_new > t_stop) return false;
    // The exit edge: one of the last member's edges out of the basin, by rate.
    const std::int32_t sa = d.basin_members(member0 + a);
    const std::int64_t first = d.row_offsets(sa), end = d.row_offsets(sa + 1);
    const std::int64_t pb = static_cast<std::int64_t>(table) * d.nnz;
    double out = 0;
    for (std::int64_t k = first; k < end; ++k)
      if (d.basin_of(set + d.targets(k)) != b) out += d.edge_prob(pb + k);
    const Philox4x32 re = kmc_random(d.seed ^ kBasinEdgeKey, replica, static_cast<std::uint32_t>(w), static_cast<std::uint64_t>(st));
    const double target = uniform53(re.v[0], re.v[1]) * out;
    double cum = 0;
    e = -1;
    for (std::int64_t k = first; k < end; ++k) {
      if (d.basin_of(set + d.targets(k)) == b) continue;
      e = k;
      cum += d.edge_prob(pb + k);
      if (target < cum) break;
    }
    return true;
  }

  /// One walker on the packed tables: the same walk as `walk` (same random
  /// numbers, same observables), with the state's record and the alias slot
  /// as the only table loads of a step. Slot = KmcSlotDouble: every decision
  /// is the baseline's, bit for bit. Slot = KmcSlotFixed: slot = floor(u deg)
  /// and the keep/alias test on frac(u deg), u the same 64 random bits, in
  /// exact integer arithmetic: the baseline computes the same in double, so
  /// the walks differ only where its rounding flips a decision (~deg 2^-53
  /// per step); every exit keeps its probability to 2^-64.
  /// Count = kCountTeam: in team_counts; kCountGlobal: in d.transitions;
  /// kCountNone: not counted. Table indices are 32-bit (the engine checks
  /// tables x nnz < 2^31), bases from the kernel's constant parameters, the
  /// phase bookkeeping in registers for the launch (KmcPackedWalker), Philox
  /// round keys kernel constants: 56 registers for the team kernel on sm_90 (baseline 59), 52
  /// for the flat ones (baseline 56; CUDA 13.0).
  template <class Slot, int Count>
  KOKKOS_INLINE_FUNCTION void walk_packed(const std::int64_t i, std::int64_t& capped, std::int32_t* team_counts) const {
    KmcPackedWalker<Slot> a;
    if (!packed_begin<Count>(i, a)) return;
    while (packed_step<Count>(a, capped, team_counts)) {
    }
    packed_end(a);
  }

  /// Two walkers i and j (j < 0: none) in one thread, step by step in turn:
  /// their random numbers and table loads are independent, so each step of
  /// one overlaps the other's latency. Every walker takes walk_packed's
  /// steps, the same operations in the same order (the counters they share
  /// are integer atomics, whose sums do not depend on the order). Two
  /// walkers' state and steps in flight: 130-131 registers for the team
  /// kernel on sm_90 without launch bounds, 127-128 built for blocks of 512
  /// threads (the engine's; 1024 walkers per block and SM, as walk_packed's
  /// 1024 threads), 122-124 for the flat ones (CUDA 13.0).
  template <class Slot, int Count>
  KOKKOS_INLINE_FUNCTION void walk_packed2(const std::int64_t i, const std::int64_t j, std::int64_t& capped,
                                           std::int32_t* team_counts) const {
    KmcPackedWalker<Slot> a, b;
    const bool has_a = packed_begin<Count>(i, a);
    const bool has_b = j >= 0 && packed_begin<Count>(j, b);
    bool run_a = has_a, run_b = has_b;
    while (run_a && run_b) {
      packed_fetch(a);
      packed_fetch(b);
      run_a = packed_draw(a, capped);
      run_b = packed_draw(b, capped);
      if (run_a) packed_fetch_slot(a);
      if (run_b) packed_fetch_slot(b);
      if (run_a) packed_apply<Count>(a, team_counts);
      if (run_b) packed_apply<Count>(b, team_counts);
    }
    while (run_a) run_a = packed_step<Count>(a, capped, team_counts);
    if (has_a) packed_end(a);
    while (run_b) run_b = packed_step<Count>(b, capped, team_counts);
    if (has_b) packed_end(b);
  }

  /// Loads walker i into registers; false when it has finished.
  template <int Count, class Slot>
  KOKKOS_INLINE_FUNCTION bool packed_begin(const std::int64_t i, KmcPackedWalker<Slot>& a) const {
    if (d.done(i) != kRunning) return false;
    a.i = i;
    a.rl = static_cast<std::int32_t>(i / d.walkers);
    a.w = static_cast<std::int32_t>(i % d.walkers);
    const std::int32_t table = d.table_of(a.rl);
    a.rec_base = table * d.n;
    a.slot_base = table * static_cast<std::int32_t>(d.nnz);
    a.count_base = Count == kCountGlobal ? static_cast<std::int64_t>(a.rl) * d.nnz : 0;
    // First passages and the first dwell are written in place (once each);
    // the phase start, phase times and event counts live in registers for
    // the launch: blocks of 1024 walkers still fit.
    a.s = d.state(i);
    a.g = d.next_grid(i);
    a.t = d.time(i);
    a.st = d.steps(i);
    const std::int64_t step_stop = a.st + step_cap;
    a.budget = d.max_steps > 0 && d.max_steps <= step_stop;
    a.limit = a.budget ? d.max_steps : step_stop;
    // Time of the next occupancy grid point (g * grid_dt, as the baseline
    // computes it), recomputed only when g moves.
    a.grid_t = a.g < d.grid_points ? a.g * d.grid_dt : kNoGridPoint;
    a.ph = d.phase(i);
    a.done = kRunning;
    a.phase_start = d.phase_start(i);
    a.bound_time = d.bound_time(i);
    a.unbound_time = d.unbound_time(i);
    a.n_bind = d.n_bind(i);
    a.n_unbind = d.n_unbind(i);
    a.set = (d.fpt_bound(i) >= 0.0 ? 1 : 0) | (d.fpt_unbound(i) >= 0.0 ? 2 : 0) | (d.first_dwell(i) >= 0.0 ? 4 : 0);
    return true;
  }

  /// One step of a packed walk; false when the walk ends here (no step taken).
  template <int Count, class Slot>
  KOKKOS_INLINE_FUNCTION bool packed_step(KmcPackedWalker<Slot>& a, std::int64_t& capped,
                                          std::int32_t* team_counts) const {
    packed_fetch(a);
    if (!packed_draw(a, capped)) return false;
    packed_fetch_slot(a);
    packed_apply<Count>(a, team_counts);
    return true;
  }

  /// The step's first loads and draws, from the walker's state and step
  /// count alone: its state's record and its random numbers.
  template <class Slot>
  KOKKOS_INLINE_FUNCTION void packed_fetch(KmcPackedWalker<Slot>& a) const {
    a.r = packed_record(a.rec_base + a.s);
    a.rnd = keyed_random(static_cast<std::uint32_t>(d.first_replica + a.rl), static_cast<std::uint32_t>(a.w),
                         static_cast<std::uint64_t>(a.st));
  }

  /// The step's time and alias slot; false (walk over for this launch) at
  /// the step budget or cap, in an absorbing state, or when the step would
  /// pass t_stop. Counts the grid points the walker passes in its state.
  template <class Slot>
  KOKKOS_INLINE_FUNCTION bool packed_draw(KmcPackedWalker<Slot>& a, std::int64_t& capped) const {
    if (a.st >= a.limit) {
      if (a.budget) a.done = kDoneSteps;
      else ++capped;
      return false;
    }
    const double inv_rate = d.lag > 0.0 ? 1.0 : a.r.inv_total_rate;
    if (!(inv_rate > 0.0)) {  // absorbing state: the walker stays
      while (a.grid_t < t_stop) count_grid_point(a.rl, a.s, a.g, a.grid_t);
      if (t_stop >= d.horizon) a.done = kDoneHorizon;
      return false;
    }
    // float(1 - u) of the baseline in one conversion: 1 - u = (2^53 - bits)
    // 2^-53 exactly, and one rounding of that integer to float is the
    // baseline's one rounding of the double.
    const std::uint64_t bits53 =
        (static_cast<std::uint64_t>(a.rnd.v[0] >> 5) << 26) | static_cast<std::uint64_t>(a.rnd.v[1] >> 6);
    const float one_minus_u = static_cast<float>(static_cast<std::int64_t>((std::uint64_t(1) << 53) - bits53)) *
                              1.1102230246251565404e-16f;  // 2^-53
    a.t_new = d.lag > 0.0 ? static_cast<double>(a.st + 1) * d.lag
                          : a.t - static_cast<double>(compat::log(one_minus_u)) * inv_rate;
    if (a.t_new > t_stop) {  // grid points up to t_stop; the step is the next call's
      while (a.grid_t < t_stop) count_grid_point(a.rl, a.s, a.g, a.grid_t);
      if (t_stop >= d.horizon) a.done = kDoneHorizon;
      return false;
    }
    while (a.grid_t < a.t_new) count_grid_point(a.rl, a.s, a.g, a.grid_t);
    if constexpr (std::is_same_v<Slot, KmcSlotFixed>) {
      // u (64 bits) times deg: slot = the high part, the low 64 bits a
      // uniform for the keep/alias test against threshold * 2^64.
      const std::uint64_t deg = static_cast<std::uint32_t>(a.r.degree);
      const std::uint64_t hi = static_cast<std::uint64_t>(a.rnd.v[2]) * deg;
      const std::uint64_t lo = static_cast<std::uint64_t>(a.rnd.v[3]) * deg;
      const std::uint64_t mid = hi + (lo >> 32);
      a.k = static_cast<std::int32_t>(mid >> 32);
      a.rest = (mid << 32) | (lo & 0xffffffffu);
    } else {
      const double v = uniform53(a.rnd.v[2], a.rnd.v[3]);
      const double x = v * a.r.degree;
      a.k = static_cast<std::int32_t>(x);
      if (a.k >= a.r.degree) a.k = a.r.degree - 1;
      a.rest = x - a.k;
    }
    return true;
  }

  /// The step's alias slot (the second, dependent table load).
  template <class Slot>
  KOKKOS_INLINE_FUNCTION void packed_fetch_slot(KmcPackedWalker<Slot>& a) const {
    a.slot = packed_slot<Slot>(a.slot_base + a.r.first + a.k);
  }

  /// Takes the drawn step: the transition count, the new state and time,
  /// phase changes and their observables, the trajectory.
  template <int Count, class Slot>
  KOKKOS_INLINE_FUNCTION void packed_apply(KmcPackedWalker<Slot>& a, std::int32_t* team_counts) const {
    const std::uint32_t word = a.rest < a.slot.threshold ? a.slot.keep : a.slot.alias;
    if constexpr (Count != kCountNone) {
      const std::int32_t e = a.r.first + static_cast<std::int32_t>((word >> 2) & ((1u << d.rel_bits) - 1u));
      if constexpr (Count == kCountTeam) compat::atomic_inc(&team_counts[e]);
      else add_count(a.count_base + e, 1);
    }
    a.t = a.t_new;
    ++a.st;
    a.s = static_cast<std::int32_t>(word >> (d.rel_bits + 2));
    // A phase change: the target is bound or unbound and the walker's phase
    // is not already that (phase codes equal macrostate codes).
    const std::int32_t m = static_cast<std::int32_t>(word & 3u);
    // Binding and unbinding share one path (the event count and the phase
    // time to add to are chosen by address), so a warp whose walkers bind
    // and unbind in the same step runs it once; only the dwell of an
    // unbinding is extra. The same operations on the same values as the
    // baseline's two branches.
    if (m != kMacroOther && m != a.ph) {
      const std::int64_t i = a.i;
      const double t = a.t;
      if (a.ph != kPhaseNone) {  // leaving a phase: a binding or an unbinding event
        const bool unbinding = a.ph == kPhaseBound;
        const double since = t - a.phase_start;
        (unbinding ? a.n_unbind : a.n_bind) += 1;
        (unbinding ? a.bound_time : a.unbound_time) += since;
        if (unbinding) {
          if (!(a.set & 4)) d.first_dwell(i) = since, a.set |= 4;
          record_dwell(a.rl, since);
        }
      }
      const std::uint8_t first = m == kMacroBound ? 1 : 2;
      if (!(a.set & first)) (m == kMacroBound ? d.fpt_bound(i) : d.fpt_unbound(i)) = t, a.set |= first;
      a.ph = static_cast<std::int8_t>(m);
      a.phase_start = t;
    }
    if (a.w < d.traj_walkers) record_trajectory(a.rl, a.w, a.t, a.s);
  }

  /// Stores a packed walker's registers.
  template <class Slot>
  KOKKOS_INLINE_FUNCTION void packed_end(const KmcPackedWalker<Slot>& a) const {
    d.state(a.i) = a.s;
    d.time(a.i) = a.t;
    d.steps(a.i) = a.st;
    d.next_grid(a.i) = a.g;
    d.phase(a.i) = a.ph;
    d.done(a.i) = a.done;
    d.phase_start(a.i) = a.phase_start;
    d.bound_time(a.i) = a.bound_time;
    d.unbound_time(a.i) = a.unbound_time;
    d.n_bind(a.i) = a.n_bind;
    d.n_unbind(a.i) = a.n_unbind;
  }

  /// Adds to a transition count as an unsigned 64-bit atomic: a native
  /// atomic add (a fire-and-forget reduction when the result is unused),
  /// where Kokkos 3.4 does signed 64-bit adds as a compare-and-swap loop (a
  /// load and a CAS round trip to L2 that the walker waits for). The same
  /// integer sums (two's complement).
  KOKKOS_INLINE_FUNCTION void add_count(std::int64_t k, std::int64_t n) const {
    static_assert(sizeof(unsigned long long) == sizeof(std::int64_t), "64-bit counts");
    Kokkos::atomic_add(reinterpret_cast<unsigned long long*>(d.transitions.data() + k), static_cast<unsigned long long>(n));
  }

  KOKKOS_INLINE_FUNCTION KmcStateRecord packed_record(std::int32_t k) const {
    return load16(d.state_record.data() + k);
  }
  template <class Slot>
  KOKKOS_INLINE_FUNCTION Slot packed_slot(std::int32_t k) const {
    if constexpr (std::is_same_v<Slot, KmcSlotFixed>) return load16(d.slot_fixed.data() + k);
    else return load16(d.slot_double.data() + k);
  }
  /// A 16-byte record in one load (CUDA: one 128-bit read-only load; member
  /// by member, the compiler issues two).
  template <class T>
  KOKKOS_INLINE_FUNCTION static T load16(const T* p) {
    static_assert(sizeof(T) == 16 && alignof(T) == 16, "a 16-byte, 16-aligned record");
#if defined(__CUDA_ARCH__)
    const uint4 raw = __ldg(reinterpret_cast<const uint4*>(p));
    T out;
    memcpy(&out, &raw, sizeof out);
    return out;
#else
    return *p;
#endif
  }

  /// kmc_random(d.seed, replica, walker, step) (philox.hpp) with the round
  /// keys precomputed: the same numbers (the packed = baseline test checks).
  KOKKOS_INLINE_FUNCTION Philox4x32 keyed_random(std::uint32_t replica, std::uint32_t walker, std::uint64_t step) const {
    Philox4x32 c{{static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(step >> 32), walker, replica}};
    for (int r = 0; r < 10; ++r) {
      std::uint32_t hi0, lo0, hi1, lo1;
      philox_mulhilo(0xD2511F53u, c.v[0], hi0, lo0);
      philox_mulhilo(0xCD9E8D57u, c.v[2], hi1, lo1);
      c = Philox4x32{{hi1 ^ c.v[1] ^ d.round_key[2 * r], lo1, hi0 ^ c.v[3] ^ d.round_key[2 * r + 1], lo0}};
    }
    return c;
  }

  /// Counts state s at grid point g (time grid_t) and moves to the next one.
  KOKKOS_INLINE_FUNCTION void count_grid_point(std::int32_t rl, std::int32_t s, std::int32_t& g, double& grid_t) const {
    compat::atomic_inc(&d.occupancy((static_cast<std::int64_t>(rl) * d.grid_points + g) * d.n + s));
    ++g;
    grid_t = g < d.grid_points ? g * d.grid_dt : kNoGridPoint;
  }

  /// The next edge of the row [first, end) by its alias table, from one
  /// uniform v in [0, 1): slot k = floor(v deg), kept when the rest of v deg
  /// is below the slot's threshold. Two loads instead of a search.
  KOKKOS_INLINE_FUNCTION std::int64_t select_edge(std::int64_t base, std::int64_t first, std::int64_t end,
                                                  double v) const {
    const std::int32_t deg = static_cast<std::int32_t>(end - first);
    const double x = v * deg;
    std::int32_t k = static_cast<std::int32_t>(x);
    if (k >= deg) k = deg - 1;  // v * deg may round up to deg
    const double rest = x - k;
    const std::int64_t slot = base + first + k;
    return first + (rest < d.alias_threshold(slot) ? k : d.alias_index(slot));
  }

  /// Bins a bound dwell by exact comparisons with d.dwell_edges (the edges
  /// the output holds), starting from a single-precision guess: a float log
  /// instead of the double one, which is a long instruction sequence that a
  /// warp runs whenever any of its walkers unbinds.
  KOKKOS_INLINE_FUNCTION void record_dwell(std::int32_t rl, double dwell) const {
    const std::int32_t last = d.dwell_bins - 1;
#if defined(__CUDA_ARCH__)
    const float ln = __logf(static_cast<float>(dwell));  // two instructions; a guess is all it needs to be
#else
    const float ln = compat::log(static_cast<float>(dwell));
#endif
    const float x = (ln * 0.4342944819f - static_cast<float>(d.dwell_log10_min)) * static_cast<float>(d.dwell_bins_per_decade);
    std::int32_t bin = x >= 0.0f ? (x < static_cast<float>(last) ? static_cast<std::int32_t>(x) : last) : 0;  // NaN: 0
    while (bin > 0 && dwell < d.dwell_edges(bin)) --bin;
    while (bin < last && dwell >= d.dwell_edges(bin + 1)) ++bin;
    compat::atomic_inc(&d.dwell_hist(static_cast<std::int64_t>(rl) * d.dwell_bins + bin));
  }

  KOKKOS_INLINE_FUNCTION void record_trajectory(std::int32_t rl, std::int32_t w, double t, std::int32_t s) const {
    const std::int64_t k = static_cast<std::int64_t>(rl) * d.traj_walkers + w;
    const std::int32_t c = d.traj_count(k);
    if (c < d.traj_length) {
      d.traj_time(k * d.traj_length + c) = t;
      d.traj_state(k * d.traj_length + c) = s;
      d.traj_count(k) = c + 1;
    }
  }
};

/// The same with one team per block of walkers of one replica: transitions
/// are counted in team scratch memory (fast atomics) and added to the global
/// counts once per launch, instead of one global atomic per step.
template <class ExecSpace, int Variant = kVariantBaseline>
struct KmcAdvanceTeam {
  using Mem = typename ExecSpace::memory_space;
  using Member = typename Kokkos::TeamPolicy<ExecSpace>::member_type;
  KmcAdvance<Mem, Variant> a;
  std::int32_t walkers_per_team = 0, teams_per_replica = 0;

  KOKKOS_INLINE_FUNCTION void operator()(const Member& m) const {
    const std::int32_t rl = m.league_rank() / teams_per_replica;
    const std::int32_t block = m.league_rank() % teams_per_replica;
    const std::int64_t nnz = a.d.nnz;
    std::int32_t* counts = static_cast<std::int32_t*>(m.team_scratch(0).get_shmem(nnz * sizeof(std::int32_t)));
    Kokkos::parallel_for(Kokkos::TeamThreadRange(m, nnz), [&](const std::int64_t e) { counts[e] = 0; });
    m.team_barrier();
    const std::int32_t first = block * walkers_per_team;
    const std::int32_t count =
        first + walkers_per_team <= a.d.walkers ? walkers_per_team : a.d.walkers - first;
    // Lane k: walker k of the team, and walker k + lanes with two per thread.
    const std::int32_t lanes = static_cast<std::int32_t>(a.lanes(count));
    const std::int64_t team_first = static_cast<std::int64_t>(rl) * a.d.walkers + first;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(m, lanes), [&](const std::int32_t k) {
      std::int64_t c = 0;
      const std::int32_t second = k + lanes;
      const bool pair = kmc_walkers_per_thread(Variant) == 2 && second < count;
      a.walk_in_team(team_first + k, pair ? team_first + second : -1, c, counts);
      if (c) Kokkos::atomic_add(&a.capped_total(0), c);
    });
    m.team_barrier();
    const std::int64_t base = static_cast<std::int64_t>(rl) * nnz;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(m, nnz), [&](const std::int64_t e) {
      if (counts[e] == 0) return;
      if constexpr (Variant == kVariantBaseline) Kokkos::atomic_add(&a.d.transitions(base + e), static_cast<std::int64_t>(counts[e]));
      else a.add_count(base + e, counts[e]);
    });
  }
};

}  // namespace pk::kernels
