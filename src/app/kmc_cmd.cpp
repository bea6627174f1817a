// `pandakinetics kmc`: the driver. Holds setup, the segment loop (progress,
// checkpoints, signals) and output; the science is in engine/estimates.
#include "app/kmc_cmd.hpp"
#include "app/kmc_resources.hpp"

#include "app/path_options.hpp"
#include "comm/agree.hpp"
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"
#include "io/json.hpp"
#include "kmc/output.hpp"
#include "kmc/setup.hpp"
#include "network/network_h5.hpp"
#include "app/network_options.hpp"
#include "network/validate.hpp"
#include "runtime/memory_info.hpp"
#include "runtime/stop_signal.hpp"

#include <chrono>
#include <memory>
#include <sys/stat.h>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <optional>
#include <tuple>
#include <ostream>

namespace pk::kmc {

namespace po = cli::po;

namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Beyond this the segment loop's fixed cost per segment dominates any run.
constexpr long kMaxSegments = 1000000;

/// The superbasin sets by walker phase (Superbasins), as printed and in the output's dataset names.
constexpr const char* kBasinSetName[3] = {"bound", "unbound", "no"};

struct Settings {
  std::int32_t replicas = 64, walkers = 4096, grid_points = 100, traj_walkers = 4, traj_length = 1000;
  std::int64_t max_steps = 0, segments = 100, steps_per_launch = 100000;
  std::uint64_t seed = 1;
  double horizon_s = 1e-6, progress_every_s = 10, checkpoint_wall_s = 0, checkpoint_sim_s = 0;
  bool count_transitions = true, resume = false;
  std::string start, output, summary, checkpoint, restart;
  std::vector<double> temperatures, concentrations;
  SuperbasinOptions basins;
};

Settings read_settings(const po::variables_map& vm) {
  Settings s;
  auto positive = [&](const char* name, auto v) {
    if (!(v > 0)) throw UsageError(std::string("pandakinetics kmc: --") + name + " must be > 0");
    return v;
  };
  s.replicas = positive("replicas", vm["replicas"].as<int>());
  s.walkers = positive("walkers", vm["walkers"].as<int>());
  s.seed = vm["seed"].as<unsigned long>();
  s.horizon_s = vm["time"].as<double>();
  if (!(s.horizon_s > 0) || !std::isfinite(s.horizon_s)) throw UsageError("pandakinetics kmc: --time must be a positive number of seconds");
  s.max_steps = vm["max-steps"].as<long>();
  if (s.max_steps < 0) throw UsageError("pandakinetics kmc: --max-steps must be >= 0 (0: no step budget)");
  s.grid_points = positive("time-grid-points", vm["time-grid-points"].as<int>());
  s.traj_walkers = vm["keep-trajectories"].as<int>();
  s.traj_length = positive("trajectory-length", vm["trajectory-length"].as<int>());
  if (s.traj_walkers < 0) throw UsageError("pandakinetics kmc: --keep-trajectories must be >= 0");
  s.traj_walkers = std::min(s.traj_walkers, s.walkers);
  s.segments = positive("segments", vm["segments"].as<long>());
  if (s.segments > kMaxSegments)
    throw UsageError("pandakinetics kmc: --segments " + std::to_string(s.segments) + " is more than " +
                     std::to_string(kMaxSegments) + " (each segment is at least one kernel launch and one reduction)");
  s.steps_per_launch = positive("steps-per-launch", vm["steps-per-launch"].as<long>());
  s.progress_every_s = vm["progress-every"].as<double>();
  s.count_transitions = !vm["no-transition-counts"].as<bool>();
  const std::string mode = vm["mode"].as<std::string>();
  if (mode != "koff" && mode != "kon") throw UsageError("pandakinetics kmc: --mode must be koff or kon, got '" + mode + "'");
  s.start = vm.count("start") ? vm["start"].as<std::string>() : (mode == "koff" ? "bound" : "unbound");
  s.output = vm["output"].as<std::string>();
  s.summary = vm.count("summary") ? vm["summary"].as<std::string>() : "";
  s.checkpoint = vm.count("checkpoint") ? vm["checkpoint"].as<std::string>() : s.output + ".ckpt.h5";
  s.restart = vm.count("restart") ? vm["restart"].as<std::string>() : "";
  s.resume = vm["resume"].as<bool>();
  if (s.resume && !s.restart.empty()) throw UsageError("pandakinetics kmc: --resume and --restart exclude each other");
  s.basins.mode = vm["superbasins"].as<std::string>();
  s.basins.rate_per_s = vm["superbasin-rate"].as<double>();
  s.basins.separation = vm["superbasin-separation"].as<double>();
  s.basins.max_states = vm["superbasin-max-states"].as<int>();
  s.temperatures = parse_list(vm["replica-temperatures"].as<std::string>(), "--replica-temperatures");
  s.concentrations = parse_list(vm["replica-concentrations"].as<std::string>(), "--replica-concentrations");
  const auto out_of_range = [](const char* option, double v, const char* range) {
    char text[160];
    std::snprintf(text, sizeof text, "pandakinetics kmc: %s: %g is outside %s", option, v, range);
    return UsageError(text);
  };
  for (double t : s.temperatures)
    if (!units::temperature_in_range(t)) throw out_of_range("--replica-temperatures", t, "(0, 1e4] K");
  for (double c : s.concentrations)
    if (!units::concentration_in_range(c)) throw out_of_range("--replica-concentrations", c, "(0, 1e3] M");
  if (vm.count("checkpoint-every")) {
    const std::string every = vm["checkpoint-every"].as<std::string>();
    const bool sim = every.rfind("sim:", 0) == 0;
    char* end = nullptr;
    const std::string number = sim ? every.substr(4) : every;
    const double v = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(v > 0))
      throw UsageError("pandakinetics kmc: --checkpoint-every: expected SECONDS (wall clock) or sim:SECONDS, got '" + every + "'");
    (sim ? s.checkpoint_sim_s : s.checkpoint_wall_s) = v;
  }
  return s;
}

std::vector<std::string> trajectory_settings(const Settings& s, const network::Conditions& c, const std::string& start) {
  auto num = [](double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.17g", v);
    return std::string(b);
  };
  std::vector<std::string> out = {"seed=" + std::to_string(s.seed), "replicas=" + std::to_string(s.replicas),
                                   "walkers=" + std::to_string(s.walkers), "time=" + num(s.horizon_s),
                                   "max_steps=" + std::to_string(s.max_steps), "grid=" + std::to_string(s.grid_points),
                                   "traj=" + std::to_string(s.traj_walkers) + "x" + std::to_string(s.traj_length),
                                   "transitions=" + std::to_string(s.count_transitions), "start=" + start,
                                   "T=" + num(c.temperature_K), "kappa=" + num(c.kappa), "c=" + num(c.concentration_M),
                                   "segments=" + std::to_string(s.segments)};
  if (s.basins.mode != "none")  // without basins: the fingerprint of earlier versions
    out.push_back("superbasins=" + s.basins.mode + "," + num(s.basins.rate_per_s) + "," + num(s.basins.separation) + "," +
                  std::to_string(s.basins.max_states));
  for (double t : s.temperatures) out.push_back("Tr=" + num(t));
  for (double x : s.concentrations) out.push_back("cr=" + num(x));
  return out;
}

void print_estimates(std::ostream& out, const std::vector<ConditionEstimates>& groups) {
  auto show = [&](const char* label, const Estimate& e, const char* unit) {
    out << "    " << std::left << std::setw(26) << label << std::right << std::setprecision(4) << std::scientific
        << e.value << " " << unit << "   95% CI [" << e.ci_low << ", " << e.ci_high << "]\n";
  };
  for (const auto& g : groups) {
    out << "  T = " << std::fixed << std::setprecision(2) << g.temperature_K << " K, [L] = " << std::scientific
        << std::setprecision(3) << g.concentration_M << " M: " << g.replicas << " replicas, "
        << std::setprecision(4) << g.steps << " steps, " << g.unbinding_events << " unbinding and "
        << g.binding_events << " binding events\n";
    show("koff", g.koff_per_s, "1/s");
    show("kon", g.kon_per_M_per_s, "1/(M s)");
    show("residence time 1/koff", g.residence_time_s, "s");
    show("Kd = koff/kon", g.kd_M, "M");
    show("dG = RT ln(Kd/1 M)", g.dg_kcal_per_mol, "kcal/mol");
    show("MFPT bound->unbound", g.mfpt_bound_to_unbound_s, "s");
    show("MFPT unbound->bound", g.mfpt_unbound_to_bound_s, "s");
    if (g.censored_to_unbound > 0 || g.censored_to_bound > 0)
      out << std::defaultfloat << "    censored first passages: " << g.censored_to_unbound << " walkers never reached unbound, "
          << g.censored_to_bound << " never reached bound. They enter as exponential observations: with\n"
          << "    heavy-tailed passage times (slow traps) the MFPTs come out low; compare with `solve` or raise --time.\n";
  }
  out << std::defaultfloat;
}

}  // namespace

void add_kmc_options(po::options_description& desc) {
  network::add_network_options(desc);
  desc.add_options()
      ("replicas", po::value<int>()->default_value(64), "replicas (independent statistical units, spread over the MPI ranks)")
      ("walkers", po::value<int>()->default_value(4096), "walkers per replica")
      ("seed", po::value<unsigned long>()->default_value(1), "random seed (Philox4x32-10: results depend only on seed, replica, walker, step)")
      ("time", po::value<double>()->default_value(1e-6), "simulated-time horizon per walker, s")
      ("max-steps", po::value<long>()->default_value(0), "step budget per walker (0: none); a walker stops at whichever comes first")
      ("mode", po::value<std::string>()->default_value("koff"), "koff: walkers start bound; kon: walkers start unbound")
      ("start", po::value<std::string>()->value_name("bound|unbound|ID"), "start macrostate (Boltzmann-weighted over its states) or one state id; overrides --mode")
      ("replica-temperatures", po::value<std::string>()->default_value(""), "comma-separated temperatures in K cycled over replicas (default: --temperature for all)")
      ("replica-concentrations", po::value<std::string>()->default_value(""), "comma-separated ligand concentrations in M cycled over replicas (default: --concentration)")
      ("time-grid-points", po::value<int>()->default_value(100), "points of the occupancy time grid t_k = k * time / points")
      ("keep-trajectories", po::value<int>()->default_value(4), "walkers per replica whose full trajectory (time, state) is kept")
      ("trajectory-length", po::value<int>()->default_value(1000), "events kept per trajectory")
      ("no-transition-counts", po::bool_switch()->default_value(false), "do not count transitions per edge (saves one atomic per step)")
      ("superbasins", po::value<std::string>()->default_value("auto")->value_name("auto|none|FILE.csv"),
       "superbasins: groups of states that exchange much faster than they are left; a walker leaves one in a single step drawn exactly from its exit law (time and exit edge), whatever the flicker rate. auto: found from the rates (the three options below); none: every flicker is a step; FILE.csv: 'state,basin' rows naming them (docs/superbasins.md)")
      ("superbasin-rate", po::value<double>()->default_value(1.0)->value_name("PER_S"), "auto: states (same macrostate) that exchange at least this fast, 1/s, both ways under every replica's conditions, may share a basin")
      ("superbasin-separation", po::value<double>()->default_value(1e3), "auto: a group becomes a basin when its fastest state's total rate is at least this many times its exact slowest escape rate")
      ("superbasin-max-states", po::value<int>()->default_value(kMaxBasinStates), "auto: largest basin (at most 256); larger groups are cut into connected pieces")
      ("output", po::value<std::string>()->default_value("run.h5"), "HDF5 result file, written by all ranks, replaced atomically")
      ("summary", po::value<std::string>()->value_name("FILE.json"), "also write the estimates as JSON")
      ("checkpoint", po::value<std::string>()->value_name("FILE.h5"), "checkpoint file (default: OUTPUT.ckpt.h5)")
      ("checkpoint-every", po::value<std::string>()->value_name("SECONDS|sim:SECONDS"), "write a checkpoint every SECONDS of wall clock, or every SECONDS of simulated time; SIGUSR1/SIGTERM always checkpoint and exit")
      ("restart", po::value<std::string>()->value_name("FILE.h5"), "continue from a checkpoint (same network and options): results are bitwise those of an uninterrupted run")
      ("resume", po::bool_switch()->default_value(false), "continue from the --checkpoint file when it exists and belongs to this run (same fingerprint); start from the beginning otherwise (what `run` and requeued jobs use)")
      ("segments", po::value<long>()->default_value(100), "the horizon is run in this many simulated-time segments (progress, checkpoints; at most 1e6)")
      ("steps-per-launch", po::value<long>()->default_value(100000), "most steps a walker takes per kernel launch")
      ("progress-every", po::value<double>()->default_value(10.0), "seconds of wall clock between progress lines");
}

namespace {

void check_start_reachable(const network::Network& net, const StartSpec& start, double temperature_K) {
  const std::vector<double> p0 = start_probabilities(net, start, temperature_K);
  std::vector<std::int32_t> starts;
  for (std::size_t i = 0; i < p0.size(); ++i)
    if (p0[i] > 0) starts.push_back(static_cast<std::int32_t>(i));
  if (starts.empty()) throw InputError(net.source, 0, "no state to start from for --start " + start.text);
  network::check_reachable(net, starts);
}

KmcParams make_params(const Settings& s, const network::Network& net, std::int32_t first, std::int32_t count) {
  KmcParams P;
  P.seed = s.seed;
  P.first_replica = first;
  P.replicas = count;
  P.walkers = s.walkers;
  P.horizon_s = s.horizon_s;
  P.lag_s = net.lag_time_s;
  P.max_steps = s.max_steps;
  P.grid_points = s.grid_points;
  P.traj_walkers = s.traj_walkers;
  P.traj_length = s.traj_length;
  P.count_transitions = s.count_transitions;
  return P;
}

RunLayout make_layout(const Settings& s, const KmcParams& P, std::int32_t n, std::int64_t nnz) {
  RunLayout L;
  L.replicas_total = s.replicas;
  L.first_replica = P.first_replica;
  L.replicas_local = P.replicas;
  L.walkers = s.walkers;
  L.n = n;
  L.nnz = nnz;
  L.grid_points = s.grid_points;
  L.traj_walkers = s.traj_walkers;
  L.traj_length = s.traj_length;
  L.horizon_s = s.horizon_s;
  L.count_transitions = s.count_transitions;
  L.dwell_bins = P.dwell_bins;
  L.dwell_log10_min = P.dwell_log10_min;
  L.dwell_bins_per_decade = P.dwell_bins_per_decade;
  return L;
}

/// The segment loop: advances the engine segment by segment, printing
/// progress and writing checkpoints; returns false when a signal stopped it
/// (a checkpoint has then been written).
struct SegmentLoop {
  const Settings& s;
  KmcEngine& engine;
  const comm::Communicator& comm;
  const RunLayout& layout;
  const std::string& fingerprint;
  cli::Context& ctx;
  double wall_start = 0;
  double last_progress = 0, last_checkpoint = 0;

  void checkpoint(std::int64_t completed) {
    write_checkpoint(s.checkpoint, comm.get(), engine.snapshot(), layout, fingerprint,
                     s.horizon_s * static_cast<double>(completed) / s.segments, completed);
    last_checkpoint = wall_seconds();
  }

  bool run(std::int64_t first_segment) {
    runtime::record_stop_signals();  // also from the start of the process (runtime::guarded_main)
    const std::int64_t steps_before = engine.total_steps();
    last_progress = last_checkpoint = wall_seconds();
    for (std::int64_t k = first_segment; k <= s.segments; ++k) {
      const double t_stop = k == s.segments ? s.horizon_s : s.horizon_s * static_cast<double>(k) / s.segments;
      if (!advance_segment(k, t_stop)) return false;
      const double t_prev = s.horizon_s * static_cast<double>(k - 1) / s.segments;
      if (s.checkpoint_sim_s > 0 && k < s.segments &&
          std::floor(t_stop / s.checkpoint_sim_s) > std::floor(t_prev / s.checkpoint_sim_s))
        checkpoint(k);
      if (wall_seconds() - last_progress >= s.progress_every_s || k == s.segments) progress(k, t_stop, steps_before);
    }
    return true;
  }

  bool advance_segment(std::int64_t k, double t_stop) {
    for (;;) {
      std::int64_t flags[3] = {engine.advance(t_stop, s.steps_per_launch), static_cast<std::int64_t>(runtime::stop_signal()),
                               s.checkpoint_wall_s > 0 && wall_seconds() - last_checkpoint > s.checkpoint_wall_s};
      comm::check_mpi(MPI_Allreduce(MPI_IN_PLACE, flags, 3, MPI_INT64_T, MPI_MAX, comm.get()), "MPI_Allreduce");
      if (flags[1] != 0) {
        checkpoint(k - 1);
        ctx.out << "kmc: received signal " << flags[1] << ": checkpoint written to " << s.checkpoint
                << "; continue with --restart " << s.checkpoint << " (or --resume)\n" << std::flush;
        return false;
      }
      if (flags[2] != 0) checkpoint(k - 1);
      if (flags[0] == 0) return true;
    }
  }

  void progress(std::int64_t k, double t_stop, std::int64_t steps_before) {
    std::int64_t steps = engine.total_steps() - steps_before;
    comm::check_mpi(MPI_Allreduce(MPI_IN_PLACE, &steps, 1, MPI_INT64_T, MPI_SUM, comm.get()), "MPI_Allreduce");
    const double elapsed = wall_seconds() - wall_start;
    ctx.out << "kmc: t = " << std::scientific << std::setprecision(3) << t_stop << " s of " << s.horizon_s
            << " s (segment " << k << "/" << s.segments << "), " << static_cast<double>(steps) << " steps, "
            << static_cast<double>(steps) / elapsed << " steps/s, wall " << std::fixed << std::setprecision(1)
            << elapsed << " s\n"
            << std::defaultfloat << std::flush;  // seen as it happens, also in a job's log file
    last_progress = wall_seconds();
  }
};

/// Every replica's totals on every rank, in replica order.
std::vector<ReplicaTotals> gather_totals(const std::vector<ReplicaTotals>& local, std::int32_t replicas,
                                         const comm::Communicator& comm) {
  const int F = ReplicaTotals::kFields;
  std::vector<double> mine(local.size() * F), all(static_cast<std::size_t>(replicas) * F);
  for (std::size_t r = 0; r < local.size(); ++r) local[r].to_array(&mine[r * F]);
  std::vector<int> counts(comm.size()), displs(comm.size());
  for (int p = 0; p < comm.size(); ++p) {
    const auto [first, count] = replica_share(replicas, p, comm.size());
    counts[p] = count * F;
    displs[p] = first * F;
  }
  comm::check_mpi(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), counts.data(),
                                 displs.data(), MPI_DOUBLE, comm.get()), "MPI_Allgatherv");
  std::vector<ReplicaTotals> totals;
  for (std::int32_t r = 0; r < replicas; ++r) totals.push_back(ReplicaTotals::from_array(&all[r * F]));
  return totals;
}

std::string summary_json(const Settings& s, const network::Network& net, double kappa, double steps, double wall,
                         const std::string& fingerprint, const std::vector<ConditionEstimates>& groups) {
  io::JsonWriter j;
  j.begin_object().value("program", "pandakinetics kmc").value("network", net.source);
  j.value("replicas", s.replicas).value("walkers_per_replica", s.walkers).value("seed", static_cast<long long>(s.seed));
  j.value("time_horizon_s", s.horizon_s).value("start", s.start).value("kappa", kappa);
  j.value("steps", steps).value("wall_time_s", wall).value("steps_per_s", steps / wall);
  j.value("output", s.output).value("fingerprint", fingerprint);
  write_estimates_json(j, groups);
  j.end_object();
  return j.str();
}

}  // namespace

namespace {

/// Everything a rank needs before the engine starts, read without any
/// collective operation.
struct Setup {
  Settings s;
  network::Conditions base;
  network::Network net;
  StartSpec start;
  std::vector<double> temps, concs;
  std::int32_t first = 0, count = 0;
  KmcParams P;
  Superbasins basins;
  KmcTables tables;
  RunLayout L;
  std::string print;
};

Setup prepare(const po::variables_map& vm, const comm::Communicator& comm, int ranks_on_node) {
  Setup x;
  Settings& s = x.s;
  s = read_settings(vm);
  // Every rank holds whole replicas; a rank without one would enter the
  // collective reductions and writes with nothing (issue 19: 3 ranks, 2 replicas crashed).
  if (comm.size() > s.replicas)
    throw UsageError("pandakinetics kmc: " + std::to_string(comm.size()) + " MPI ranks for " +
                     std::to_string(s.replicas) + " replicas: every rank needs at least one replica (use --replicas " +
                     std::to_string(comm.size()) + " or more, or at most " + std::to_string(s.replicas) + " ranks)");
  {  // outputs over inputs; the checkpoint may be the --restart file (read whole, then replaced)
    std::vector<io::NamedPath> net_in = cli::input_paths(vm, {"network", "states", "edges", "transition-matrix"});
    if (s.basins.mode != "auto" && s.basins.mode != "none") net_in.push_back({"--superbasins", s.basins.mode});
    std::vector<io::NamedPath> in = net_in, out = cli::paths_of(vm, {"output", "summary"});
    if (!s.restart.empty()) in.push_back({"--restart", s.restart});
    cli::check_paths("kmc", in, out);
    out.push_back({vm.count("checkpoint") ? "--checkpoint" : "--checkpoint (default OUTPUT.ckpt.h5)", s.checkpoint});
    cli::check_paths("kmc", net_in, out);
  }
  x.base = network::conditions_from_options(vm);
  x.net = network::load_network_from_options(vm);
  const std::int64_t n = static_cast<std::int64_t>(x.net.states.size());
  const std::int64_t nnz = 2 * static_cast<std::int64_t>(x.net.edges.size());  // at most: Eyring edges go both ways
  std::tie(x.first, x.count) = replica_share(s.replicas, comm.rank(), comm.size());
  RunSize size;
  size.replicas = s.replicas;
  size.local_replicas = x.count;
  size.walkers = s.walkers;
  size.grid_points = s.grid_points;
  size.traj_walkers = s.traj_walkers;
  size.traj_length = s.traj_length;
  size.count_transitions = s.count_transitions;
  size.states = n;
  size.edges = nnz;
  size.ranks = comm.size();
  size.ranks_on_node = ranks_on_node;
  check_memory(size);
  check_disk(size, {{"--output", s.output}, {"--checkpoint", s.checkpoint}});
  x.start = parse_start(s.start, x.net);
  x.temps = per_replica(s.temperatures, x.base.temperature_K, s.replicas);
  x.concs = per_replica(s.concentrations, x.base.concentration_M, s.replicas);
  check_start_reachable(x.net, x.start, x.temps[0]);
  x.P = make_params(s, x.net, x.first, x.count);
  if (x.net.lag_time_s <= 0)
    x.basins = find_superbasins(x.net, condition_rates(x.net, x.temps, x.concs, x.base.kappa), s.basins);
  x.tables = build_tables(x.net, x.start, x.first, x.count, x.temps, x.concs, x.base.kappa, &x.basins);
  x.L = make_layout(s, x.P, static_cast<std::int32_t>(n), static_cast<std::int64_t>(x.tables.targets.size()));
  x.print = fingerprint(x.net, trajectory_settings(s, x.base, s.start));
  return x;
}

/// Ranks of `comm` on this node (they share its memory).
int ranks_on_this_node(const comm::Communicator& comm) {
  MPI_Comm node = MPI_COMM_NULL;
  comm::check_mpi(MPI_Comm_split_type(comm.get(), MPI_COMM_TYPE_SHARED, comm.rank(), MPI_INFO_NULL, &node),
                  "MPI_Comm_split_type");
  int size = 1;
  MPI_Comm_size(node, &size);
  MPI_Comm_free(&node);
  return size;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

int run_kmc(const po::variables_map& vm, cli::Context& ctx) {
  const double wall_start = wall_seconds();
  runtime::record_stop_signals();
  // Collectives first, on every rank: nothing before them can fail on some ranks only.
  comm::Communicator comm;
  const int ranks_on_node = ranks_on_this_node(comm);
  // Set-up with no collective inside; a failure on any rank stops every rank
  // with one message (issue 19: a rank failing alone left the others waiting).
  const Setup x = comm::agreed(comm.get(), [&] { return prepare(vm, comm, ranks_on_node); });
  const Settings& s = x.s;
  const network::Network& net = x.net;
  const network::Conditions& base = x.base;
  const std::vector<double>& temps = x.temps;
  const std::vector<double>& concs = x.concs;
  const std::int32_t first = x.first, count = x.count;
  const KmcTables& tables = x.tables;
  const RunLayout& L = x.L;
  const std::string& print = x.print;
  // Ranks that read different networks (or options) would sample different
  // chains into one file, or wait for each other in mismatched reductions.
  comm::check_same_on_every_rank(comm.get(),
                                 "the network and the sampling options (" + net.source +
                                     ": states, edges, rates; seed, replicas, walkers, time, conditions)",
                                 print, kExitError);

  std::int64_t segment = 0;
  std::string restart = s.restart, note;
  const std::unique_ptr<KmcEngine> engine_owner = comm::agreed(comm.get(), [&] {
    auto e = std::make_unique<KmcEngine>(tables, x.P);
    if (s.resume && file_exists(s.checkpoint)) {
      const std::string found = checkpoint_fingerprint(s.checkpoint);
      if (found == print) restart = s.checkpoint;
      else note = "kmc: --resume: " + s.checkpoint + " is " + (found.empty() ? "not a KMC checkpoint" : "the checkpoint of a different run (fingerprint " + found + ", this run " + print + ")") + "; starting from the beginning\n";
    }
    if (!restart.empty()) {
      e->restore(read_checkpoint(restart, L, print, segment));
      if (segment > s.segments)
        throw InputError(restart, 0, "tampered or damaged checkpoint: segment " + std::to_string(segment) +
                                         " is beyond the run's " + std::to_string(s.segments) + " segments");
    } else {
      e->initialize();
    }
    return e;
  });
  KmcEngine& engine = *engine_owner;
  engine.enable_device_reduction(comm.get());
  ctx.out << note;
  if (!restart.empty()) ctx.out << "kmc: restarting from " << restart << " at segment " << segment << " of " << s.segments << "\n";
  ctx.out << "kmc: " << net.states.size() << " states, " << L.nnz << " edges from " << net.source << "; "
          << s.replicas << " replicas x " << s.walkers << " walkers on " << comm.size() << " rank(s); horizon "
          << s.horizon_s << " s; reductions via " << engine.reduction_backend() << "\n" << std::flush;
  const Superbasins& basins = x.basins;
  if (basins.count() > 0) {
    ctx.out << "kmc: superbasins (docs/superbasins.md): one step per basin exit, drawn from its exact exit law; "
            << "transitions inside a basin are not counted\n";
    for (int phase = 0; phase < 3; ++phase) {
      std::int32_t count = 0, states = 0, largest = 0;
      for (std::int32_t b = 0; b < basins.count(); ++b)
        if (basins.phase[b] == phase) ++count, states += basins.size(b), largest = std::max(largest, basins.size(b));
      if (count > 0)
        ctx.out << "kmc:   " << kBasinSetName[phase] << "-phase walkers: " << count << " superbasin(s) holding " << states
                << " states (largest " << largest << ")\n";
    }
  }
  SegmentLoop loop{s, engine, comm, L, print, ctx, wall_start};
  if (!loop.run(segment + 1)) return kExitOk;  // interrupted: checkpoint written

  // Results: per-replica totals on every rank (same bits for any rank count).
  const KmcSnapshot snap = engine.snapshot();
  const std::vector<ReplicaTotals> local =
      replica_totals(snap, count, s.walkers, s.horizon_s,
                     std::vector<double>(temps.begin() + first, temps.begin() + first + count),
                     std::vector<double>(concs.begin() + first, concs.begin() + first + count));
  const std::vector<ReplicaTotals> totals = gather_totals(local, s.replicas, comm);
  const std::vector<ConditionEstimates> groups = estimate(totals);
  const std::vector<std::int64_t> occupancy_total = engine.occupancy_total(comm.get());
  double total_steps = 0;
  for (const auto& t : totals) total_steps += t.steps;
  const double wall = wall_seconds() - wall_start;

  io::PendingFile pending(s.output, comm.get());
  {
    io::File f = io::File::create(pending.temporary(), comm.get());
    io::write_h5md_header(f, "pandakinetics kmc");
    for (const auto& [name, value] : cli::option_values(vm)) io::write_attribute(f, "/parameters", name, value);
    io::write_attribute(f, "/parameters", "command_line", ctx.command_line);
    io::write_attribute(f, "/parameters", "fingerprint", print);
    io::write_replicated(f, "/parameters/seed", std::vector<std::uint64_t>{s.seed}, "1");
    network::write_network_h5(f, net, "/network");
    std::vector<std::int32_t> edge_from;
    for (std::int32_t i = 0; i < tables.n; ++i)
      edge_from.insert(edge_from.end(), tables.row_offsets[i + 1] - tables.row_offsets[i], i);
    io::write_replicated(f, "/results/edge_from", edge_from, "state index");
    io::write_replicated(f, "/results/edge_to", tables.targets, "state index");
    write_results(f, snap, L, local, occupancy_total);
    {
      for (int phase = 0; phase < 3; ++phase)
        io::write_replicated(f, std::string("/results/superbasin_of_") + kBasinSetName[phase] + "_phase",
                             basins.basin_of.empty() ? std::vector<std::int32_t>(net.states.size(), -1)
                                                     : std::vector<std::int32_t>(basins.basin_of.begin() + phase * net.states.size(),
                                                                                 basins.basin_of.begin() + (phase + 1) * net.states.size()),
                             "superbasin index per state for walkers of this phase (-1: none)");
    }
    io::write_attribute(f, "/results", "superbasins", static_cast<double>(basins.count()));
    io::write_attribute(f, "/results", "superbasin_note",
                        std::string("a walker leaves a superbasin in one step drawn from its exact exit law: "
                                    "/results/transitions counts the exit edges only, never the transitions inside a basin; "
                                    "occupancy inside a basin is drawn from the exact bridge between entry and exit"));
    write_estimates_h5(f, groups);
    io::write_attribute(f, "/run_info", "ranks", static_cast<double>(comm.size()));
    io::write_attribute(f, "/run_info", "reduction_backend", engine.reduction_backend());
    io::write_attribute(f, "/run_info", "kmc_kernel", engine.variant());
    io::write_attribute(f, "/run_info", "wall_time_s", wall);
    io::write_attribute(f, "/run_info", "steps_per_s", total_steps / wall);
    f.close();  // a failed flush (full disk) throws here, before the commit
  }
  std::optional<io::PendingFile> summary;  // both outputs complete on disk before either replaces a file
  comm::agreed(comm.get(), [&] {  // rank 0 writes it; a failure there stops every rank before the commit
    if (comm.is_root() && !s.summary.empty()) {
      summary.emplace(s.summary);
      summary->write(summary_json(s, net, base.kappa, total_steps, wall, print, groups));
    }
  });
  pending.commit();
  if (summary) summary->commit();

  if (comm.is_root()) {
    ctx.out << "kmc: " << std::setprecision(4) << total_steps << " steps in " << wall << " s wall ("
            << total_steps / wall << " steps/s); wrote " << s.output << "\n";
    print_estimates(ctx.out, groups);
  }
  return kExitOk;
}

}  // namespace pk::kmc
