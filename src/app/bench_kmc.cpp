// `pandakinetics bench kmc`: steps per second of the KMC engine on a random
// network of a given size and out-degree, every walker taking exactly
// --steps steps (a step budget, horizon unbounded), observables on. Timed
// after a warm-up, the engine's launch returning only after Kokkos::fence;
// median of the repeats. Only what was measured is printed.
#include "app/bench_kmc.hpp"

#include "app/path_options.hpp"
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "io/json.hpp"
#include "kmc/engine.hpp"
#include "kmc/setup.hpp"
#include "network/random_network.hpp"
#include "runtime/device_info.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ostream>
#include <random>

namespace pk::kmc {

namespace po = cli::po;

void add_bench_options(po::options_description& desc) {
  desc.add_options()
      ("states", po::value<int>()->default_value(512), "states of the random network")
      ("out-degree", po::value<int>()->default_value(10), "edges leaving each state")
      ("replicas", po::value<int>()->default_value(64), "replicas (over all ranks)")
      ("walkers", po::value<int>()->default_value(4096), "walkers per replica")
      ("steps", po::value<long>()->default_value(2000), "steps every walker takes per timed run")
      ("repeats", po::value<int>()->default_value(5), "timed runs after one warm-up; the median is reported")
      ("no-transition-counts", po::bool_switch()->default_value(false), "leave out the per-edge transition counts")
      ("distinct-conditions", po::bool_switch()->default_value(false),
       "scale every rate of replica r by (1 + 0.001 r), so no two replicas share a rate table (by default all "
       "replicas run under the same conditions and share one, as replicas of one production run do)")
      ("variant", po::value<std::string>()->value_name("NAME"),
       "KMC kernel variant: baseline, packed (one 16-byte record per state and per alias slot; the same walks), "
       "packed-int (the same tables, the same draws decided in exact integer arithmetic), packed2 and "
       "packed2-int (packed and packed-int with two walkers per GPU thread, stepped in turn; the same walks); "
       "default $PK_KMC_VARIANT, else packed-int. The JSON names the variant that ran (a packed variant falls back to "
       "baseline when the network does not fit its 32-bit slot words)")
      ("json", po::value<std::string>()->value_name("FILE"), "also write the result as JSON to FILE");
}

int run_bench(const po::variables_map& vm, cli::Context& ctx) {
  cli::check_paths("bench kmc", cli::input_paths(vm, {}), cli::paths_of(vm, {"json"}));
  const int n = vm["states"].as<int>(), degree = vm["out-degree"].as<int>();
  const int replicas = vm["replicas"].as<int>(), walkers = vm["walkers"].as<int>(), repeats = vm["repeats"].as<int>();
  const long steps = vm["steps"].as<long>();
  if (n < 2 || degree < 1 || replicas < 1 || walkers < 1 || steps < 1 || repeats < 1)
    throw UsageError("pandakinetics bench kmc: sizes, --steps and --repeats must be positive (--states >= 2)");
  comm::Communicator comm;
  const network::Network net = network::random_bench_network(n, degree, 12345);
  const auto [first, count] = replica_share(replicas, comm.rank(), comm.size());
  const StartSpec start = parse_start("bound", net);
  const bool distinct = vm["distinct-conditions"].as<bool>();
  KmcTables tables = build_tables(net, start, first, count, per_replica({}, 300.0, replicas),
                                  per_replica({}, 1.0, replicas), 1.0);
  if (distinct)
    for (int r = 0; r < count; ++r)
      for (int i = 0; i < n; ++i) tables.total_rate[static_cast<std::size_t>(r) * n + i] *= 1.0 + 0.001 * (first + r);
  KmcParams p;
  p.seed = 7;
  p.first_replica = first;
  p.replicas = count;
  p.walkers = walkers;
  p.horizon_s = 1e300;
  p.max_steps = steps;
  p.grid_points = 10;
  p.traj_walkers = 0;
  p.traj_length = 1;
  p.count_transitions = !vm["no-transition-counts"].as<bool>();
  if (vm.count("variant")) p.variant = vm["variant"].as<std::string>();
  KmcEngine engine(tables, p);
  std::vector<double> seconds, own;  // the whole step (slowest rank), and this rank's own advance
  for (int r = 0; r <= repeats; ++r) {
    engine.initialize();
    comm.barrier();
    const auto t0 = std::chrono::steady_clock::now();
    engine.advance(1e300, steps);  // returns after Kokkos::fence
    const double mine = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    comm.barrier();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r > 0) seconds.push_back(s), own.push_back(mine);  // run 0 is the warm-up
  }
  // Per rank: the median of its own advance times; across ranks their
  // fastest, mean and slowest (does one slow rank set the pace, or are all
  // slower?).
  std::sort(own.begin(), own.end());
  const double own_median = own[own.size() / 2];
  double rank_min = own_median, rank_max = own_median, rank_sum = own_median;
  MPI_Allreduce(MPI_IN_PLACE, &rank_min, 1, MPI_DOUBLE, MPI_MIN, comm.get());
  MPI_Allreduce(MPI_IN_PLACE, &rank_max, 1, MPI_DOUBLE, MPI_MAX, comm.get());
  MPI_Allreduce(MPI_IN_PLACE, &rank_sum, 1, MPI_DOUBLE, MPI_SUM, comm.get());
  std::int64_t taken = engine.total_steps();
  MPI_Allreduce(MPI_IN_PLACE, &taken, 1, MPI_INT64_T, MPI_SUM, comm.get());
  const double expected = static_cast<double>(replicas) * walkers * steps;
  if (static_cast<double>(taken) != expected)
    throw SystemError("bench kmc: walkers took " + std::to_string(taken) + " steps, expected " + std::to_string(expected));
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  io::JsonWriter j;
  j.begin_object().value("benchmark", "kmc").value("execution_space", runtime::default_execution_space());
  j.value("ranks", comm.size()).value("states", n).value("out_degree", degree).value("replicas", replicas);
  j.value("walkers_per_replica", walkers).value("steps_per_walker", static_cast<long long>(steps));
  j.value("variant", engine.variant()).value("transition_counts", p.count_transitions).value("distinct_conditions", distinct).value("repeats", repeats);
  j.value("median_s", median).value("min_s", seconds.front()).value("max_s", seconds.back());
  j.value("rank_median_s_fastest", rank_min).value("rank_median_s_mean", rank_sum / comm.size());
  j.value("rank_median_s_slowest", rank_max);
  j.value("steps_per_s", expected / median).end_object();
  ctx.out << j.str();
  if (vm.count("json") && comm.is_root()) j.save(vm["json"].as<std::string>());
  return kExitOk;
}

}  // namespace pk::kmc
