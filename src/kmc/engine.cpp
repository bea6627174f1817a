#include "kmc/engine.hpp"

#include "kmc/alias.hpp"

#include "core/error.hpp"
#include "kmc_walkers.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <type_traits>

#ifdef PK_HAVE_NCCL
#include <cuda_runtime.h>
#include <nccl.h>
#endif

namespace pk::kmc {

using Space = Kokkos::DefaultExecutionSpace;
using Mem = Space::memory_space;
using Data = kernels::KmcData<Mem>;

// Team path limits: 48 KiB of scratch is available per team on every backend.
// Large teams with a small shared-memory carveout: few blocks per SM need
// little shared memory, so the rest stays L1 for the network tables (3.9x
// faster on the H100 than 128-walker teams, benchmarks/RESULTS.md, the carveout sweep;
// `benchmarks/gpu_node.sh bench kmc-launch`).
constexpr std::int32_t kWalkersPerTeam = 1024;
constexpr long kDefaultCarveoutPercent = 25;
constexpr std::int64_t kMaxTeamScratchBytes = 40 * 1024;

namespace {

template <class T>
Kokkos::View<T*, Mem> upload(const std::string& label, const std::vector<T>& host) {
  Kokkos::View<T*, Mem> dev(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::kmc::" + label), host.size());
  Kokkos::View<const T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> h(host.data(), host.size());
  Kokkos::deep_copy(dev, h);
  return dev;
}

template <class T>
Kokkos::View<T*, Mem> alloc(const std::string& label, std::int64_t n, bool zero) {
  if (zero) return Kokkos::View<T*, Mem>("pk::kmc::" + label, n);
  return Kokkos::View<T*, Mem>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::kmc::" + label), n);
}

template <class T, class U = T>
std::vector<U> download(const Kokkos::View<T*, Mem>& dev) {
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), dev);
  return std::vector<U>(h.data(), h.data() + h.extent(0));
}

template <class T, class U>
void restore_view(const Kokkos::View<T*, Mem>& dev, const std::vector<U>& host, const char* what) {
  if (host.size() != dev.extent(0))
    throw InputError("checkpoint", 0, std::string(what) + ": size mismatch with this run's setup");
  std::vector<T> converted(host.begin(), host.end());
  Kokkos::deep_copy(dev, Kokkos::View<const T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>(
                             converted.data(), converted.size()));
}

}  // namespace

const std::vector<std::string>& kmc_variants() {
  // In the order of kernels::KmcVariantCode.
  static const std::vector<std::string> names = {"baseline", "packed", "packed-int", "packed2", "packed2-int"};
  return names;
}

namespace {
int variant_code(const std::string& requested) {
  std::string name = requested;
  if (name.empty()) {
    const char* env = std::getenv("PK_KMC_VARIANT");
    // The fastest on an H100 (benchmarks/RESULTS.md); packed gives the
    // baseline's walks bit for bit, packed-int decides the same draws in exact
    // integer arithmetic.
    name = env && *env ? env : "packed-int";
  }
  const auto& names = kmc_variants();
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return static_cast<int>(k);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw UsageError("KMC kernel variant '" + name + "' (PK_KMC_VARIANT or --variant) is not one of: " + list);
}
}  // namespace

struct KmcEngine::Impl {
  Data d;
  KmcParams p;
  std::int64_t n_walkers = 0;
  int variant = kernels::kVariantBaseline;
  Kokkos::View<std::int64_t*, Mem> capped;  ///< one counter for advance()
  // Launch shapes found by team_size_max (an occupancy query that costs
  // milliseconds on CUDA, too much to repeat for every segment), per variant.
  long max_threads[kernels::kVariantCount] = {};
  long team_threads[kernels::kVariantCount] = {};
  template <int Variant>
  std::int64_t advance(double t_stop_s, std::int64_t step_cap);
#ifdef PK_HAVE_NCCL
  ncclComm_t nccl = nullptr;
  ~Impl() {
    if (nccl) ncclCommDestroy(nccl);
  }
#endif
};

KmcEngine::KmcEngine(const KmcTables& t, const KmcParams& p) : impl_(std::make_unique<Impl>()) {
  Data& d = impl_->d;
  impl_->p = p;
  const std::int64_t R = p.replicas, W = p.walkers, n = t.n;
  const std::int64_t nnz = static_cast<std::int64_t>(t.targets.size());
  impl_->n_walkers = R * W;
  d.row_offsets = upload("row_offsets", t.row_offsets);
  d.targets = upload("targets", t.targets);
  d.macro = upload("macro", t.macro);
  std::vector<std::int8_t> target_macro(t.targets.size());
  for (std::size_t e = 0; e < target_macro.size(); ++e) target_macro[e] = t.macro[t.targets[e]];
  d.target_macro = upload("target_macro", target_macro);
  // One table per distinct set of replica tables (replicas under the same
  // conditions have identical ones): bit-for-bit the same numbers, less cache.
  std::vector<double> alias_threshold, inverse, start_cdf, edge_prob;
  std::vector<double> b_lambda, b_sw, b_alpha, b_beta, b_exit, b_vec;
  const auto append = [](std::vector<double>& to, const std::vector<double>& from, std::int64_t len, std::int64_t r) {
    to.insert(to.end(), from.begin() + r * len, from.begin() + (r + 1) * len);
  };
  std::vector<std::int32_t> alias_index;
  std::vector<std::int32_t> table_of(static_cast<std::size_t>(R));
  std::vector<std::int32_t> first_of_table;
  const auto same = [&](const std::vector<double>& v, std::int64_t len, std::int64_t a, std::int64_t b) {
    return std::equal(v.begin() + a * len, v.begin() + (a + 1) * len, v.begin() + b * len);
  };
  for (std::int64_t r = 0; r < R; ++r) {
    std::int32_t found = -1;
    for (std::size_t k = 0; k < first_of_table.size() && found < 0; ++k) {
      const std::int64_t q = first_of_table[k];
      if (same(t.edge_prob, nnz, r, q) && same(t.total_rate, n, r, q) && same(t.start_cdf, n, r, q))
        found = static_cast<std::int32_t>(k);
    }
    if (found < 0) {
      found = static_cast<std::int32_t>(first_of_table.size());
      first_of_table.push_back(static_cast<std::int32_t>(r));
      alias_threshold.resize(alias_threshold.size() + nnz);
      alias_index.resize(alias_index.size() + nnz);
      const std::size_t at = alias_threshold.size() - nnz;
      for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t row = t.row_offsets[i], deg = t.row_offsets[i + 1] - row;
        build_alias_row(&t.edge_prob[r * nnz + row], static_cast<std::int32_t>(deg), &alias_threshold[at + row],
                        &alias_index[at + row]);
      }
      start_cdf.insert(start_cdf.end(), t.start_cdf.begin() + r * n, t.start_cdf.begin() + (r + 1) * n);
      if (t.has_basins()) {
        append(edge_prob, t.edge_prob, nnz, r);
        append(b_lambda, t.basin_lambda, t.basin_member_total, r);
        append(b_sw, t.basin_sw, t.basin_member_total, r);
        append(b_alpha, t.basin_alpha, t.basin_member_total, r);
        append(b_beta, t.basin_beta, t.basin_member_total, r);
        append(b_exit, t.basin_exit, t.basin_member_total, r);
        append(b_vec, t.basin_vec, t.basin_vec_total, r);
      }
      for (std::int64_t i = r * n; i < (r + 1) * n; ++i)
        inverse.push_back(t.total_rate[i] > 0 ? 1.0 / t.total_rate[i] : 0.0);
    }
    table_of[r] = found;
  }
  d.alias_threshold = upload("alias_threshold", alias_threshold);
  d.alias_index = upload("alias_index", alias_index);
  d.inv_total_rate = upload("inv_total_rate", inverse);
  d.start_cdf = upload("start_cdf", start_cdf);
  d.table_of = upload("table_of", table_of);
  // Packed tables (every variant but "baseline"): slot words hold the
  // target, the row-relative edge and the target's macrostate in 32 bits.
  impl_->variant = variant_code(p.variant);
  if (t.has_basins() && p.lag_s <= 0) {
    d.basins = true;
    d.basin_of = upload("basin_of", t.basin_of);
    d.basin_local = upload("basin_local", t.basin_local);
    d.basin_size = upload("basin_size", t.basin_size);
    d.basin_member_first = upload("basin_member_first", t.basin_member_first);
    d.basin_vec_first = upload("basin_vec_first", t.basin_vec_first);
    d.basin_members = upload("basin_members", t.basin_members);
    d.basin_lambda = upload("basin_lambda", b_lambda);
    d.basin_sw = upload("basin_sw", b_sw);
    d.basin_alpha = upload("basin_alpha", b_alpha);
    d.basin_beta = upload("basin_beta", b_beta);
    d.basin_exit = upload("basin_exit", b_exit);
    d.basin_vec = upload("basin_vec", b_vec);
    d.edge_prob = upload("edge_prob", edge_prob);
    d.basin_member_total = t.basin_member_total;
    d.basin_vec_total = t.basin_vec_total;
    impl_->variant = kernels::kVariantBaseline;  // the baseline walk takes the basin steps
  }
  std::int32_t max_degree = 1;
  for (std::int64_t i = 0; i < n; ++i)
    max_degree = std::max<std::int32_t>(max_degree, static_cast<std::int32_t>(t.row_offsets[i + 1] - t.row_offsets[i]));
  std::int32_t rel_bits = 0;
  while ((std::int64_t{1} << rel_bits) < max_degree) ++rel_bits;
  if (impl_->variant != kernels::kVariantBaseline &&
      (rel_bits > 28 || (n - 1) >= (std::int64_t{1} << (30 - rel_bits)) ||
       static_cast<std::int64_t>(first_of_table.size()) * std::max(n, nnz) >= (std::int64_t{1} << 31)))
    impl_->variant = kernels::kVariantBaseline;  // does not fit the slot words or 32-bit table indices
  if (impl_->variant != kernels::kVariantBaseline) {
    const std::size_t tables = first_of_table.size();
    std::vector<kernels::KmcStateRecord> records(tables * n);
    const bool fixed = kernels::kmc_fixed_slots(impl_->variant);
    std::vector<kernels::KmcSlotDouble> slots_d(fixed ? 0 : tables * nnz);
    std::vector<kernels::KmcSlotFixed> slots_f(fixed ? tables * nnz : 0);
    const auto word = [&](std::int64_t first, std::int32_t rel) {
      const std::uint32_t target = static_cast<std::uint32_t>(t.targets[first + rel]);
      return (target << (rel_bits + 2)) | (static_cast<std::uint32_t>(rel) << 2) |
             static_cast<std::uint32_t>(t.macro[target]);
    };
    for (std::size_t tb = 0; tb < tables; ++tb)
      for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t first = t.row_offsets[i], deg = t.row_offsets[i + 1] - first;
        records[tb * n + i] = {inverse[tb * n + i], static_cast<std::int32_t>(first), static_cast<std::int32_t>(deg)};
        for (std::int32_t k = 0; k < deg; ++k) {
          const std::size_t at = tb * nnz + first + k;
          const double thr = alias_threshold[at];
          const std::uint32_t keep = word(first, k), alias = word(first, alias_index[at]);
          if (!slots_d.empty()) slots_d[at] = {thr, keep, alias};
          if (!slots_f.empty()) slots_f[at] = {fixed_threshold(thr), keep, alias};
        }
      }
    d.state_record = upload("state_record", records);
    if (!slots_d.empty()) d.slot_double = upload("slot_double", slots_d);
    if (!slots_f.empty()) d.slot_fixed = upload("slot_fixed", slots_f);
    d.rel_bits = rel_bits;
  }
  const std::int64_t NW = R * W;
  d.state = alloc<std::int32_t>("state", NW, false);
  d.time = alloc<double>("time", NW, false);
  d.steps = alloc<std::int64_t>("steps", NW, false);
  d.phase = alloc<std::int8_t>("phase", NW, false);
  d.done = alloc<std::int8_t>("done", NW, false);
  d.phase_start = alloc<double>("phase_start", NW, false);
  d.next_grid = alloc<std::int32_t>("next_grid", NW, false);
  d.fpt_bound = alloc<double>("fpt_bound", NW, false);
  d.fpt_unbound = alloc<double>("fpt_unbound", NW, false);
  d.first_dwell = alloc<double>("first_dwell", NW, false);
  d.bound_time = alloc<double>("bound_time", NW, false);
  d.unbound_time = alloc<double>("unbound_time", NW, false);
  d.n_bind = alloc<std::int32_t>("n_bind", NW, false);
  d.n_unbind = alloc<std::int32_t>("n_unbind", NW, false);
  d.occupancy = alloc<std::int32_t>("occupancy", R * p.grid_points * n, true);
  d.transitions = alloc<std::int64_t>("transitions", p.count_transitions ? R * nnz : 0, true);
  d.dwell_hist = alloc<std::int32_t>("dwell_hist", R * p.dwell_bins, true);
  d.traj_time = alloc<double>("traj_time", R * p.traj_walkers * p.traj_length, true);
  d.traj_state = alloc<std::int32_t>("traj_state", R * p.traj_walkers * p.traj_length, true);
  d.traj_count = alloc<std::int32_t>("traj_count", R * p.traj_walkers, true);
  d.seed = p.seed;
  d.set_round_keys();
  d.first_replica = p.first_replica;
  d.walkers = p.walkers;
  d.n = t.n;
  d.nnz = nnz;
  d.grid_points = p.grid_points;
  d.grid_dt = p.grid_points > 0 ? p.horizon_s / p.grid_points : 0.0;
  d.horizon = p.horizon_s;
  d.lag = p.lag_s;
  d.max_steps = p.max_steps;
  d.traj_walkers = p.traj_walkers;
  d.traj_length = p.traj_length;
  d.count_transitions = p.count_transitions;
  d.dwell_bins = p.dwell_bins;
  d.dwell_log10_min = p.dwell_log10_min;
  d.dwell_bins_per_decade = p.dwell_bins_per_decade;
  d.dwell_edges = upload("dwell_edges", dwell_bin_edges(p.dwell_log10_min, p.dwell_bins_per_decade, p.dwell_bins));
}

std::vector<double> dwell_bin_edges(double log10_min, double bins_per_decade, int bins) {
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  for (int b = 0; b <= bins; ++b) edges[b] = std::pow(10.0, log10_min + b / bins_per_decade);
  return edges;
}

KmcEngine::~KmcEngine() = default;

void KmcEngine::initialize() {
  kernels::KmcInitialize<Mem> init{impl_->d};
  Kokkos::parallel_for("pk::kmc::initialize", Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, impl_->n_walkers), init);
  Kokkos::fence();
}

namespace {
// Launch-shape tuning knobs (benchmarks/RESULTS.md): they change speed only,
// never results. PK_KMC_TEAM_WALKERS: walkers per team on the team path;
// PK_KMC_TEAM_SIZE: threads per team (0: Kokkos chooses); PK_KMC_LAUNCH_BOUNDS=1:
// cap registers (256 threads, 4 blocks per SM) so more walkers are resident.
long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtol(v, nullptr, 10) : fallback;
}

template <class Policy, class Functor>
std::int64_t launch(const char* label, const Policy& policy, const Functor& f,
                    const Kokkos::View<std::int64_t*, Mem>& capped) {
  Kokkos::deep_copy(capped, 0);
  Kokkos::parallel_for(label, policy, f);
  std::int64_t n = 0;
  Kokkos::deep_copy(n, Kokkos::subview(capped, 0));  // waits for the kernel
  Kokkos::fence();
  return n;
}
}  // namespace

// PK_KMC_CARVEOUT=P (percent, default 25; -1 leaves Kokkos' choice; CUDA
// builds with Kokkos 3.x): the shared-memory carveout of the counted (team)
// kernel. Kokkos launches team kernels
// preferring shared memory, which leaves the network tables little L1
// (benchmarks/RESULTS.md); this sets the kernel's preferred carveout before
// each launch after the first (Kokkos sets its preference once, at the first).
// The preference is a hint: where it cannot be set the kernel runs with
// Kokkos' own choice, so the result of compat::set_parallel_for_carveout is
// not an error.
template <class Functor, class Policy>
void set_team_carveout() {
#if defined(KOKKOS_ENABLE_CUDA) && KOKKOS_VERSION < 40000
  static const long carveout = env_long("PK_KMC_CARVEOUT", kDefaultCarveoutPercent);
  if (carveout < 0 || carveout > 100) return;
  (void)pk::compat::set_parallel_for_carveout<Functor, Policy>(static_cast<int>(carveout));
#endif
}

std::int64_t KmcEngine::advance(double t_stop_s, std::int64_t step_cap) {
  if (impl_->capped.extent(0) == 0) impl_->capped = Kokkos::View<std::int64_t*, Mem>("pk::kmc::capped", 1);
  switch (impl_->variant) {
    case kernels::kVariantPacked: return impl_->advance<kernels::kVariantPacked>(t_stop_s, step_cap);
    case kernels::kVariantPackedInt: return impl_->advance<kernels::kVariantPackedInt>(t_stop_s, step_cap);
    case kernels::kVariantPacked2: return impl_->advance<kernels::kVariantPacked2>(t_stop_s, step_cap);
    case kernels::kVariantPacked2Int: return impl_->advance<kernels::kVariantPacked2Int>(t_stop_s, step_cap);
    default: return impl_->advance<kernels::kVariantBaseline>(t_stop_s, step_cap);
  }
}

std::string KmcEngine::variant() const { return kmc_variants()[static_cast<std::size_t>(impl_->variant)]; }

// The counted (team) launch's policy. The packed2 kernels are built for
// blocks of 512 threads (128 registers at most, a few bytes of spills):
// left alone, ptxas gives them 130-131 registers on sm_90, and the largest
// block that fits (480 threads) would split a replica's 4096 walkers into
// five teams instead of four.
template <int Variant>
using TeamPolicyOf = std::conditional_t<kernels::kmc_walkers_per_thread(Variant) == 2,
                                        Kokkos::TeamPolicy<Space, Kokkos::LaunchBounds<512, 1>>, Kokkos::TeamPolicy<Space>>;

template <int Variant>
std::int64_t KmcEngine::Impl::advance(double t_stop_s, std::int64_t step_cap) {
  // One thread per walker, or per two walkers with the packed2 variants.
  using Advance = kernels::KmcAdvance<Mem, Variant>;
  constexpr long per_thread = Advance::kWalkersPerThread;
  Advance step{d, t_stop_s, step_cap, capped};
  static const long team_walkers = env_long("PK_KMC_TEAM_WALKERS", kWalkersPerTeam);
  static const long team_size = env_long("PK_KMC_TEAM_SIZE", 0);
  static const bool bounded = env_long("PK_KMC_LAUNCH_BOUNDS", 0) != 0;
  using Bounds = Kokkos::LaunchBounds<256, 4>;
  // Team path: transition counts in scratch memory when the replica's edge
  // counters fit (int32 per launch: walkers_per_team * step_cap < 2^31).
  const std::int64_t nnz = d.nnz;
  const std::int64_t scratch = nnz * static_cast<std::int64_t>(sizeof(std::int32_t));
  long walkers_per_team = team_walkers;
#if defined(KOKKOS_ENABLE_CUDA)
  // No more walkers per team than the kernel's registers allow threads in a
  // block, times walkers per thread (a second pass over a team's walkers
  // would leave most threads idle).
  if (max_threads[Variant] == 0) {
    kernels::KmcAdvanceTeam<Space, Variant> probe_functor{step, 1, 1};
    TeamPolicyOf<Variant> probe(1, 1);
    max_threads[Variant] =
        static_cast<long>(probe.set_scratch_size(0, Kokkos::PerTeam(std::min(scratch, kMaxTeamScratchBytes)))
                              .team_size_max(probe_functor, Kokkos::ParallelForTag()));
  }
  if (std::getenv("PK_KMC_TEAM_WALKERS") == nullptr)
    walkers_per_team = std::min(walkers_per_team, per_thread * max_threads[Variant]);
#endif
  const std::int32_t per_team =
      static_cast<std::int32_t>(std::min<long>(p.walkers, std::max(1L, walkers_per_team)));
  if (d.count_transitions && nnz > 0 && scratch <= kMaxTeamScratchBytes &&
      static_cast<double>(per_team) * static_cast<double>(step_cap) < 2147483647.0) {
    const std::int32_t teams_per_replica = (p.walkers + per_team - 1) / per_team;
    const int league = p.replicas * teams_per_replica;
    kernels::KmcAdvanceTeam<Space, Variant> team{step, per_team, teams_per_replica};
    if (bounded) {
      Kokkos::TeamPolicy<Space, Bounds> policy = team_size > 0 ? Kokkos::TeamPolicy<Space, Bounds>(league, team_size)
                                                               : Kokkos::TeamPolicy<Space, Bounds>(league, Kokkos::AUTO);
      return launch("pk::kmc::advance_team", policy.set_scratch_size(0, Kokkos::PerTeam(scratch)), team, capped);
    }
    long threads = team_size;
#if defined(KOKKOS_ENABLE_CUDA)
    // One thread per walker (pair) of the team, as many as the kernel's registers allow.
    if (threads <= 0) {
      if (team_threads[Variant] == 0) {
        TeamPolicyOf<Variant> probe(league, 1);
        team_threads[Variant] = probe.set_scratch_size(0, Kokkos::PerTeam(scratch))
                                    .team_size_max(team, Kokkos::ParallelForTag());
      }
      threads = std::min<long>(Advance::lanes(per_team), team_threads[Variant]);
    }
#endif
    using Policy = TeamPolicyOf<Variant>;
    Policy policy = threads > 0 ? Policy(league, static_cast<int>(threads)) : Policy(league, Kokkos::AUTO);
    set_team_carveout<kernels::KmcAdvanceTeam<Space, Variant>, Policy>();
    return launch("pk::kmc::advance_team", policy.set_scratch_size(0, Kokkos::PerTeam(scratch)), team, capped);
  }
  // Flat launch: one thread per walker (pair), one kernel per way of
  // counting (the baseline kernel decides at run time).
  const std::int64_t lanes = Advance::lanes(n_walkers);
  const auto flat = [&](auto tag) {
    using Tag = decltype(tag);
    using Index = Kokkos::IndexType<std::int64_t>;
    if (bounded)
      return launch("pk::kmc::advance", Kokkos::RangePolicy<Space, Bounds, Tag, Index>(0, lanes), step, capped);
    return launch("pk::kmc::advance", Kokkos::RangePolicy<Space, Tag, Index>(0, lanes), step, capped);
  };
  if constexpr (Variant == kernels::kVariantBaseline) return flat(kernels::KmcCountTag<kernels::kCountGlobal>{});
  else if (d.count_transitions) return flat(kernels::KmcCountTag<kernels::kCountGlobal>{});
  else return flat(kernels::KmcCountTag<kernels::kCountNone>{});
}

std::int64_t KmcEngine::running_walkers() const {
  const auto done = impl_->d.done;
  std::int64_t running = 0;
  Kokkos::parallel_reduce(
      "pk::kmc::running", Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, impl_->n_walkers),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& acc) { acc += done(i) == kernels::kRunning ? 1 : 0; },
      running);
  return running;
}

std::int64_t KmcEngine::total_steps() const {
  const auto steps = impl_->d.steps;
  std::int64_t total = 0;
  Kokkos::parallel_reduce(
      "pk::kmc::total_steps", Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, impl_->n_walkers),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& acc) { acc += steps(i); }, total);
  return total;
}

KmcSnapshot KmcEngine::snapshot() const {
  const Data& d = impl_->d;
  KmcSnapshot s;
  s.state = download(d.state);
  s.phase = download<std::int8_t, std::int32_t>(d.phase);
  s.done = download<std::int8_t, std::int32_t>(d.done);
  s.next_grid = download(d.next_grid);
  s.n_bind = download(d.n_bind);
  s.n_unbind = download(d.n_unbind);
  s.steps = download(d.steps);
  s.time = download(d.time);
  s.phase_start = download(d.phase_start);
  s.fpt_bound = download(d.fpt_bound);
  s.fpt_unbound = download(d.fpt_unbound);
  s.first_dwell = download(d.first_dwell);
  s.bound_time = download(d.bound_time);
  s.unbound_time = download(d.unbound_time);
  s.occupancy = download(d.occupancy);
  s.transitions = download(d.transitions);
  s.dwell_hist = download(d.dwell_hist);
  s.traj_time = download(d.traj_time);
  s.traj_state = download(d.traj_state);
  s.traj_count = download(d.traj_count);
  return s;
}

void KmcEngine::restore(const KmcSnapshot& s) {
  const Data& d = impl_->d;
  restore_view(d.state, s.state, "state");
  restore_view(d.phase, s.phase, "phase");
  restore_view(d.done, s.done, "done");
  restore_view(d.next_grid, s.next_grid, "next_grid");
  restore_view(d.n_bind, s.n_bind, "n_bind");
  restore_view(d.n_unbind, s.n_unbind, "n_unbind");
  restore_view(d.steps, s.steps, "steps");
  restore_view(d.time, s.time, "time");
  restore_view(d.phase_start, s.phase_start, "phase_start");
  restore_view(d.fpt_bound, s.fpt_bound, "fpt_bound");
  restore_view(d.fpt_unbound, s.fpt_unbound, "fpt_unbound");
  restore_view(d.first_dwell, s.first_dwell, "first_dwell");
  restore_view(d.bound_time, s.bound_time, "bound_time");
  restore_view(d.unbound_time, s.unbound_time, "unbound_time");
  restore_view(d.occupancy, s.occupancy, "occupancy");
  restore_view(d.transitions, s.transitions, "transitions");
  restore_view(d.dwell_hist, s.dwell_hist, "dwell_hist");
  restore_view(d.traj_time, s.traj_time, "traj_time");
  restore_view(d.traj_state, s.traj_state, "traj_state");
  restore_view(d.traj_count, s.traj_count, "traj_count");
  Kokkos::fence();
}

void KmcEngine::enable_device_reduction(MPI_Comm comm) {
#ifdef PK_HAVE_NCCL
  // NCCL needs one GPU per rank ("duplicate GPU" otherwise): check first.
  int device = -1;
  cudaGetDevice(&device);
  char host[MPI_MAX_PROCESSOR_NAME] = {};
  int len = 0;
  MPI_Get_processor_name(host, &len);
  int size = 1, rank = 0;
  MPI_Comm_size(comm, &size);
  MPI_Comm_rank(comm, &rank);
  // One rank has nothing to reduce across: skip NCCL's start-up (a tenth of
  // a second or more) unless PK_KMC_NCCL=1 asks for it (to test that path on
  // one GPU).
  if (size == 1 && env_long("PK_KMC_NCCL", 0) == 0) return;
  std::vector<char> hosts(static_cast<std::size_t>(size) * MPI_MAX_PROCESSOR_NAME);
  std::vector<int> devices(size);
  MPI_Allgather(host, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, hosts.data(), MPI_MAX_PROCESSOR_NAME, MPI_CHAR, comm);
  MPI_Allgather(&device, 1, MPI_INT, devices.data(), 1, MPI_INT, comm);
  for (int a = 0; a < size; ++a)
    for (int b = a + 1; b < size; ++b)
      if (devices[a] == devices[b] &&
          std::string(&hosts[a * MPI_MAX_PROCESSOR_NAME]) == std::string(&hosts[b * MPI_MAX_PROCESSOR_NAME]))
        return;  // ranks share a GPU: reduce through MPI
  ncclUniqueId id;
  if (rank == 0 && ncclGetUniqueId(&id) != ncclSuccess) throw SystemError("ncclGetUniqueId failed");
  MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, comm);
  if (ncclCommInitRank(&impl_->nccl, size, id, rank) != ncclSuccess) throw SystemError("ncclCommInitRank failed");
#else
  (void)comm;
#endif
}

std::string KmcEngine::reduction_backend() const {
#ifdef PK_HAVE_NCCL
  if (impl_->nccl) return "NCCL";
#endif
  return "MPI";
}

std::vector<std::int64_t> KmcEngine::occupancy_total(MPI_Comm comm) {
  const Data& d = impl_->d;
  const std::int64_t cells = static_cast<std::int64_t>(impl_->p.grid_points) * d.n;
  const std::int32_t replicas = impl_->p.replicas;
  const auto occ = d.occupancy;
  Kokkos::View<std::int64_t*, Mem> local("pk::kmc::occupancy_local", cells);
  Kokkos::parallel_for(
      "pk::kmc::occupancy_sum", Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, cells),
      KOKKOS_LAMBDA(const std::int64_t c) {
        std::int64_t sum = 0;
        for (std::int32_t r = 0; r < replicas; ++r) sum += occ(r * cells + c);
        local(c) = sum;
      });
  Kokkos::fence();
#ifdef PK_HAVE_NCCL
  if (impl_->nccl) {
    if (ncclAllReduce(local.data(), local.data(), cells, ncclInt64, ncclSum, impl_->nccl, 0) != ncclSuccess)
      throw SystemError("ncclAllReduce failed");
    if (cudaStreamSynchronize(0) != cudaSuccess) throw SystemError("cudaStreamSynchronize failed");
    return download(local);
  }
#endif
  std::vector<std::int64_t> host = download(local);
  std::vector<std::int64_t> total(host.size());
  if (MPI_Allreduce(host.data(), total.data(), static_cast<int>(host.size()), MPI_INT64_T, MPI_SUM, comm) !=
      MPI_SUCCESS)
    throw SystemError("MPI_Allreduce of occupancy failed");
  return total;
}

}  // namespace pk::kmc
