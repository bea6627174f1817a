// `pandakinetics run`: the whole pipeline from one config into one folder:
// dock once, then per ligand network -> solve -> kmc -> analyze -> report
// (solve before kmc: its timescale sets kmc's default --time). Each stage is the
// subcommand of the same name, run in this process with the config's
// [<stage>] section and the paths of the folder; a stage whose output file
// exists (every stage writes its outputs atomically) and whose record of
// options and inputs (run/stage_record.hpp) matches is skipped, so an
// interrupted run resumes where it stopped and a changed one recomputes.
// SIGTERM/SIGUSR1 stop the run between stages (the KMC stage at its next
// checkpoint) with exit code 0; the same command resumes.
#include "analysis/analyze.hpp"
#include "app/commands.hpp"
#include "app/path_options.hpp"
#include "comm/agree.hpp"
#include "core/error.hpp"
#include "dock/poses_in.hpp"
#include "io/ini.hpp"
#include "network/validate.hpp"
#include "run/report_server.hpp"
#include "run/stage_record.hpp"
#include "runtime/stop_signal.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <sys/stat.h>

#include "core/source_paths.hpp"
#define PK_ANALYSIS_DIR PK_SOURCE_DIR "/analysis"

namespace pk::pipeline {

namespace po = cli::po;

void add_run_options(po::options_description& desc) {
  desc.add_options()
      ("output", po::value<std::string>()->value_name("DIR"),
       "output folder (created): poses.h5, network.h5, states.csv, edges.csv, kmc.h5, kmc.json, solve.h5, "
       "solve.json, analysis.json, report/ (one subfolder per ligand when the poses file holds several)")
      ("poses", po::value<std::string>()->value_name("POSES.h5"),
       "start from these docked poses instead of the dock stage (a poses HDF5 file of pandakinetics dock)")
      ("temperature", po::value<double>()->default_value(300.0), "K, passed to network, kmc, solve")
      ("kappa", po::value<double>()->default_value(1.0), "Eyring transmission coefficient, passed to network, kmc, solve")
      ("concentration", po::value<double>()->default_value(1e-6), "ligand concentration in M, passed to kmc and solve")
      ("temperatures", po::value<std::string>()->value_name("T1,T2,..."),
       "temperature scan (K): the KMC replicas cycle over these temperatures and analyze fits ln(koff/T) against 1/T "
       "(Eyring): activation enthalpy dH (kcal/mol) and entropy dS (cal/(mol K)) of unbinding")
      ("kmc-lifetimes", po::value<double>()->default_value(20.0),
       "when the config's [kmc] section sets no `time`: simulate this many of the slower exact time scale "
       "(residence time or MFPT unbound -> bound, from the solve stage, which runs before kmc)")
      ("kmc-max-steps", po::value<long>()->default_value(10000000),
       "when the config's [kmc] section sets no `max-steps`: the step budget per walker (walkers that reach it "
       "stop and enter the estimates as censored)")
      ("python", po::value<std::string>()->default_value(""),
       "python3 with numpy, h5py and matplotlib for the report (default: $PK_PYTHON, /usr/bin/python3, python3)")
      ("no-report", po::bool_switch(), "skip the plots and report.html");
}

namespace {

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

/// Rank 0 decides, every rank follows.
bool shared_decision(bool mine) {
  int v = mine ? 1 : 0;
  MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return v != 0;
}

std::string join(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// SIGTERM/SIGUSR1 reached a rank: every rank stops the run at the same
/// point (not a std::exception: nothing on the way treats it as an error).
struct StopRequested {
  int signal;
  std::string where;
};

struct Runner {
  cli::Context& ctx;
  std::string config;
  int stage = 0, stages = 0;
  bool recompute = false;  ///< a stage ran: every later stage runs again (its inputs changed)
  std::vector<std::pair<std::string, double>> timings;

  /// Every rank at the same point: throws StopRequested when any rank has
  /// received SIGTERM or SIGUSR1.
  void stop_if_signalled(const std::string& where) const {
    int signal = runtime::stop_signal();
    MPI_Allreduce(MPI_IN_PLACE, &signal, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (signal != 0) throw StopRequested{signal, where};
  }

  /// Runs `args` as a subcommand unless `done_file` exists and was made from
  /// the same options and inputs; returns its exit code.
  int step(const std::string& name, const std::string& done_file, const std::vector<std::string>& args) {
    ++stage;
    stop_if_signalled("before the " + name + " stage");
    std::vector<std::string> full = args;
    if (!config.empty()) full.insert(full.begin() + 1, {"--config", config});
    const std::string record_file = stage_record_path(done_file, name);
    std::string record, why;
    // Rank 0 decides (the file system is shared); a failure reading the inputs stops every rank.
    const bool current = comm::agreed(MPI_COMM_WORLD, [&] {
      if (ctx.rank != 0) return false;
      record = stage_record(name, full, config);
      return !recompute && stage_is_current(done_file, record_file, record, why);
    });
    ctx.out << "run: [" << stage << "/" << stages << "] " << name << ": ";
    if (shared_decision(current)) {
      ctx.out << "skipped, " << done_file << " exists and was made from the same options and inputs (" << record_file
              << "; delete it to recompute)\n";
      timings.emplace_back(name + " (skipped)", 0.0);
      return kExitOk;
    }
    if (!recompute && !why.empty()) ctx.out << why << "\nrun: " << name << ": ";
    ctx.out << "pandakinetics " << join(full) << "\n" << std::flush;
    const std::string before = ctx.rank == 0 ? file_identity(done_file) : "";
    recompute = true;
    cli::Context sub{ctx.out, ctx.err, ctx.rank, ctx.size, "pandakinetics " + join(full) + "  (stage of: " + ctx.command_line + ")"};
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    const int rc = cli::run_cli(full, sub);
    MPI_Barrier(MPI_COMM_WORLD);  // outputs of rank 0 are complete before the next stage reads them
    const double dt = MPI_Wtime() - t0;
    timings.emplace_back(name, dt);
    // The record goes with an output this stage wrote (a stage stopped by a
    // signal leaves the earlier output, or none).
    if (rc == kExitOk && ctx.rank == 0) record_if_written(done_file, before, record_file, record);
    ctx.out << "run: " << name << " finished in " << std::fixed << std::setprecision(2) << dt << " s wall (exit " << rc
            << ")\n" << std::defaultfloat;
    stop_if_signalled("after the " + name + " stage");
    return rc;
  }

  void record_if_written(const std::string& done_file, const std::string& before, const std::string& record_file,
                         const std::string& record) const {
    const std::string after = file_identity(done_file);
    std::string error;
    if (!after.empty() && after != before && !write_stage_record(record_file, record, error))
      ctx.err << "pandakinetics run: warning: " << error << " (the stage will run again next time)\n";
  }
};

/// Whether subcommand `name` declares the long option `option`.
bool has_option(const std::string& name, const std::string& option) {
  for (const auto& c : cli::subcommands())
    if (c.name == name && c.add_options) {
      po::options_description d;
      c.add_options(d);
      return d.find_nothrow(option, false) != nullptr;
    }
  return false;
}

std::string find_python(const std::string& chosen) {
  std::vector<std::string> candidates;
  if (!chosen.empty()) candidates.push_back(chosen);
  if (const char* env = std::getenv("PK_PYTHON")) candidates.emplace_back(env);
  candidates.emplace_back("/usr/bin/python3");
  candidates.emplace_back("python3");
  // Whether the modules are installed, without importing them (an import of
  // matplotlib alone takes about a second).
  const std::string probe =
      " -c 'import importlib.util as u, sys; "
      "sys.exit(0 if all(u.find_spec(m) for m in (\"numpy\", \"h5py\", \"matplotlib\")) else 1)' > /dev/null 2>&1";
  for (const auto& py : candidates)
    if (std::system((quote(py) + probe).c_str()) == 0) return py;
  return "";
}

/// The value the config file gives `key` for subcommand `section` (or for all), or "".
std::string config_value(const std::string& config, const std::string& section, const std::string& key) {
  std::string value;
  if (config.empty()) return value;
  for (const auto& e : io::read_ini(config))
    if (e.key == key && (e.section.empty() || e.section == section)) value = e.value;
  return value;
}

bool config_sets(const std::string& config, const std::string& section, const std::string& key) {
  return !config_value(config, section, key).empty();
}

/// Output safety (io/output_paths.hpp): the run's inputs (config, --poses, the
/// [dock] receptor and ligands of the config) must not be files the stages write
/// into `folder`, nor lie in its report/ folder. Each stage checks its own
/// options again when it starts.
void check_run_inputs(const po::variables_map& vm, const std::string& config, const std::string& folder, bool top) {
  std::vector<io::NamedPath> in = cli::input_paths(vm, {"poses"});
  if (!config.empty())
    for (const auto& e : io::read_ini(config))
      if ((e.section.empty() || e.section == "dock") && (e.key == "receptor" || e.key == "ligand"))
        in.push_back({"[dock] " + e.key + " of " + config, e.value});
  std::vector<io::NamedPath> out;
  for (const char* file : {"poses.pdbqt", "poses.sdf", "dock.json", "network.h5", "states.csv", "edges.csv",
                           "network.json", "network.log", "solve.h5", "solve.json", "kmc.h5", "kmc.json",
                           "kmc.h5.ckpt.h5", "analysis.json"})
    out.push_back({"--output (" + std::string(file) + ")", folder + "/" + file, true});
  if (top && !vm.count("poses")) out.push_back({"--output (poses.h5)", folder + "/poses.h5", true});
  cli::check_paths("run", in, out);
  io::check_inputs_outside("pandakinetics run", in, {"--output (report/)", folder + "/report"});
  io::check_inputs_outside("pandakinetics run", in, {"--output (stages/)", folder + "/stages"});
}

std::string analysis_dir() {
  if (const char* env = std::getenv("PK_ANALYSIS_DIR")) return env;
  return PK_ANALYSIS_DIR;
}

}  // namespace

namespace {

std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

/// The dock stage (or the given poses); returns the poses file, or "" after
/// printing why there is none (exit code in `rc`).
std::string dock_stage(const po::variables_map& vm, Runner& r, const std::string& dir, int& rc) {
  cli::Context& ctx = r.ctx;
  std::string poses = dir + "/poses.h5";
  ++r.stage;
  if (vm.count("poses")) {
    ctx.out << "run: [1/" << r.stages << "] dock: using the poses in " << vm["poses"].as<std::string>() << " (--poses)\n";
    return vm["poses"].as<std::string>();
  }
  --r.stage;
  const cli::Subcommand* dock = nullptr;
  for (const auto& c : cli::subcommands())
    if (c.name == "dock") dock = &c;
  if ((!dock || !dock->implemented) && !shared_decision(ctx.rank == 0 && exists(poses))) {
    ctx.err << "pandakinetics run: the dock stage needs docking, which is not implemented in this build; give "
               "docked poses with --poses POSES.h5 (or place them at " << poses << ")\n";
    rc = kExitUsage;
    return "";
  }
  // Everything docking can write goes into the folder: poses HDF5 (the network's input), PDBQT, SDF, JSON.
  std::vector<std::string> args = {"dock", "--out_h5", poses};
  for (const auto& [option, file] : std::vector<std::pair<std::string, std::string>>{
           {"out", "poses.pdbqt"}, {"out_sdf", "poses.sdf"}, {"json", "dock.json"}})
    if (has_option("dock", option)) args.insert(args.end(), {"--" + option, dir + "/" + file});
  rc = r.step("dock", poses, args);
  return rc == kExitOk ? poses : "";
}

std::vector<std::string> network_args(const po::variables_map& vm, const std::string& poses, const std::string& lig,
                                      const std::string& d) {
  return {"network", "--poses", poses, "--ligand", lig, "--output", d + "/network.h5", "--csv-dir", d, "--summary",
          d + "/network.json", "--temperature", num(vm["temperature"].as<double>()), "--kappa", num(vm["kappa"].as<double>())};
}

/// The network stage's arguments as Runner::step runs them (`--config` second).
std::vector<std::string> network_stage_args(const po::variables_map& vm, const Runner& r, const std::string& poses,
                                            const std::string& lig, const std::string& d) {
  std::vector<std::string> args = network_args(vm, poses, lig, d);
  if (!r.config.empty()) args.insert(args.begin() + 1, {"--config", r.config});
  return args;
}

/// Screening on several ranks: the network of each ligand is built by one rank
/// (round robin, its printout in <folder>/network.log), all at the same time.
int spread_networks(const po::variables_map& vm, Runner& r, const std::string& poses,
                    const std::vector<std::string>& ligands, const std::vector<std::string>& folders) {
  cli::Context& ctx = r.ctx;
  ctx.out << "run: [2/" << r.stages << "] network of " << ligands.size() << " ligands over " << ctx.size << " ranks\n"
          << std::flush;
  const double t0 = MPI_Wtime();
  int rc = kExitOk;
  for (std::size_t i = 0; i < ligands.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(ctx.size)) != ctx.rank) continue;
    const std::vector<std::string> args = network_stage_args(vm, r, poses, ligands[i], folders[i]);
    const std::string done = folders[i] + "/network.h5", record_file = stage_record_path(done, "network");
    const std::string record = stage_record("network", args, r.config);
    std::string why;
    if (!r.recompute && stage_is_current(done, record_file, record, why)) continue;
    std::ofstream log(folders[i] + "/network.log");
    if (!why.empty()) log << "run: network: " << why << "\n";
    cli::Context sub{log, log, 0, 1, "pandakinetics " + join(args) + "  (stage of: " + ctx.command_line + ", rank " +
                                           std::to_string(ctx.rank) + ")"};
    const std::string before = file_identity(done);
    const int code = cli::run_cli(args, sub);
    if (code == kExitOk) r.record_if_written(done, before, record_file, record);
    rc = std::max(rc, code);
  }
  MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  r.stop_if_signalled("after the network stage");
  const double dt = MPI_Wtime() - t0;
  r.timings.emplace_back("network (all ligands)", dt);
  ctx.out << "run: network of every ligand finished in " << std::fixed << std::setprecision(2) << dt
          << " s wall (exit " << rc << "; each ligand's printout in its folder's network.log)\n" << std::defaultfloat;
  return rc;
}

/// network (unless built already), solve, kmc and analyze of one ligand into folder `d`.
int ligand_stages(const po::variables_map& vm, Runner& r, const std::string& poses, const std::string& lig,
                  const std::string& d, bool network_built) {
  const std::vector<std::string> conditions = {"--temperature", num(vm["temperature"].as<double>()), "--kappa",
                                               num(vm["kappa"].as<double>())};
  const std::string conc = num(vm["concentration"].as<double>());
  if (network_built) {
    ++r.stage;
    r.recompute = true;  // the network is new: everything after it runs
  } else if (const int rc = r.step("network", d + "/network.h5", network_args(vm, poses, lig, d)); rc != kExitOk) {
    return rc;
  }
  std::vector<std::string> solve = {"solve", "--network", d + "/network.h5", "--output", d + "/solve.h5", "--summary",
                                    d + "/solve.json", "--concentration", conc};
  solve.insert(solve.end(), conditions.begin(), conditions.end());
  if (const int rc = r.step("solve", d + "/solve.h5", solve); rc != kExitOk) return rc;
  // --resume: a KMC stage stopped by a signal continues from its checkpoint (when it is this run's).
  std::vector<std::string> kmc = {"kmc", "--network", d + "/network.h5", "--output", d + "/kmc.h5", "--summary",
                                  d + "/kmc.json", "--concentration", conc, "--resume"};
  kmc.insert(kmc.end(), conditions.begin(), conditions.end());
  if (vm.count("temperatures")) kmc.insert(kmc.end(), {"--replica-temperatures", vm["temperatures"].as<std::string>()});
  if (!config_sets(r.config, "kmc", "time")) {
    // The horizon from the exact time scales, so that unbinding and rebinding are both sampled.
    const solve::ExactKinetics x = read_exact_h5(d + "/solve.h5");
    const double slow = std::max(x.residence_time_s, x.mfpt_unbound_to_bound_s);
    if (!(slow > 0) || !std::isfinite(slow))
      throw InputError(d + "/solve.h5", 0, "no finite exact time scale to size the KMC horizon; set [kmc] time in the config");
    kmc.insert(kmc.end(), {"--time", num(vm["kmc-lifetimes"].as<double>() * slow)});
  }
  // A network whose fastest rates are far above 1/horizon would keep KMC stepping for hours: without a
  // budget in the config, walkers stop after --kmc-max-steps steps and enter the estimates as censored.
  if (!config_sets(r.config, "kmc", "max-steps"))
    kmc.insert(kmc.end(), {"--max-steps", std::to_string(vm["kmc-max-steps"].as<long>())});
  if (const int rc = r.step("kmc", d + "/kmc.h5", kmc); rc != kExitOk) return rc;
  return r.step("analyze", d + "/analysis.json",
                {"analyze", "--input", d + "/kmc.h5", "--labels", lig, "--output", d + "/analysis.json"});
}

/// The report's Python and script (rank 0, found once per run) and the
/// Python process started with the run that draws the reports.
struct ReportTools {
  std::string python, script;
  std::unique_ptr<ReportServer> server;
  /// Finding the Python (a probe process per candidate) and starting the
  /// server run on a thread beside the first stages; wait() before use.
  /// Declared last: its destructor waits before the server is destroyed.
  std::future<void> starting;
  void wait() {
    if (starting.valid()) starting.get();
  }
};

/// analysis/report.py on rank 0 (through the waiting Python process when it
/// runs); false if the script ran and failed.
bool report_stage(const po::variables_map& vm, Runner& r, const std::string& poses, const std::string& d,
                  ReportTools& tools) {
  cli::Context& ctx = r.ctx;
  ++r.stage;
  ctx.out << "run: [" << r.stage << "/" << r.stages << "] report: ";
  int ok = 1;
  if (vm["no-report"].as<bool>()) {
    ctx.out << "skipped (--no-report)\n";
  } else if (!r.recompute && shared_decision(ctx.rank == 0 && exists(d + "/report/report.html"))) {
    ctx.out << "skipped, " << d << "/report/report.html exists\n";
  } else if (ctx.rank == 0) {
    tools.wait();
    const std::string& py = tools.python;
    const std::string& script = tools.script;
    if (py.empty() || !exists(script)) {
      ctx.out << "skipped: "
              << (py.empty() ? "no python3 with numpy, h5py and matplotlib (--python)" : "no " + script + " (set PK_ANALYSIS_DIR)")
              << "\n";
    } else {
      const std::vector<std::string> args = {"--summary", d + "/analysis.json", "--kmc",     d + "/kmc.h5",
                                             "--exact",   d + "/solve.h5",      "--network", d + "/network.h5",
                                             "--poses",   poses,                "--output-dir", d + "/report"};
      std::string cmd;
      for (const auto& e : report_environment()) cmd += e + " ";
      cmd += quote(py) + " " + quote(script);
      for (const auto& a : args) cmd += " " + quote(a);
      const double t0 = MPI_Wtime();
      std::optional<bool> served;
      if (tools.server && tools.server->running()) {
        ctx.out << cmd << " (by the Python process started with the run)\n" << std::flush;
        served = tools.server->report(args);
        if (!served) ctx.out << "run: the report's Python process has gone; running the script again\n";
      }
      if (!served) {
        ctx.out << cmd << "\n" << std::flush;
        ok = std::system(cmd.c_str()) == 0;
      } else {
        ok = *served;
      }
      const double dt = MPI_Wtime() - t0;
      ctx.out << "run: report finished in " << std::fixed << std::setprecision(2) << dt << " s wall"
              << (ok ? "" : " (FAILED: the report script exited non-zero)") << "\n" << std::defaultfloat;
      r.timings.emplace_back("report", dt);
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return ok != 0;
}

int int_setting(const std::string& text, const std::string& what) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') throw UsageError("pandakinetics run: " + what + " = '" + text + "': expected an integer");
  return static_cast<int>(v);
}

/// Each ligand's estimates, recomputed from its kmc.h5 with the [analyze] bootstrap
/// settings (so the intervals are analysis.json's), and the ranking of a screening.
void print_summary(Runner& r, const std::string& dir, const std::vector<std::string>& kmc_files,
                   const std::vector<std::string>& ligands) {
  AnalyzeSettings a;
  a.inputs = kmc_files;
  a.labels = ligands;
  a.exact = "none";
  if (const std::string b = config_value(r.config, "analyze", "bootstrap"); !b.empty())
    a.bootstrap.resamples = int_setting(b, "[analyze] bootstrap");
  if (const std::string sd = config_value(r.config, "analyze", "seed"); !sd.empty())
    a.bootstrap.seed = static_cast<std::uint64_t>(int_setting(sd, "[analyze] seed"));
  const Analysis res = analyze(a);
  std::ostream& out = r.ctx.out;
  out << "run: summary (" << dir << ")\n  stage wall times:";
  for (const auto& [name, t] : r.timings) out << " " << name << " " << std::fixed << std::setprecision(2) << t << " s;";
  out << std::defaultfloat << "\n";
  std::vector<std::pair<double, std::string>> ranking;
  for (const auto& run : res.runs)
    for (const auto& g : run.groups) {
      char line[400];
      std::snprintf(line, sizeof line,
                    "  %-16s T = %.1f K: koff %.3e 1/s [%.3e, %.3e], kon %.3e 1/(M s) [%.3e, %.3e], residence time "
                    "%.3e s [%.3e, %.3e], Kd %.3e M\n",
                    run.label.c_str(), g.temperature_K, g.koff_per_s.value, g.koff_per_s.ci_low, g.koff_per_s.ci_high,
                    g.kon_per_M_per_s.value, g.kon_per_M_per_s.ci_low, g.kon_per_M_per_s.ci_high,
                    g.residence_time_s.value, g.residence_time_s.ci_low, g.residence_time_s.ci_high, g.kd_M.value);
      out << line;
      if (g.temperature_K == res.runs.front().groups.front().temperature_K)
        ranking.emplace_back(g.residence_time_s.value, run.label);
    }
  for (const auto& e : res.eyring)
    out << "  " << e.label << ": Eyring fit over " << e.temperature_K.size() << " temperatures: dH_act = " << std::fixed
        << std::setprecision(3) << e.dH_kcal_per_mol.value << " kcal/mol [" << e.dH_kcal_per_mol.ci_low << ", "
        << e.dH_kcal_per_mol.ci_high << "], dS_act = " << e.dS_cal_per_mol_K.value << " cal/(mol K) ["
        << e.dS_cal_per_mol_K.ci_low << ", " << e.dS_cal_per_mol_K.ci_high << "]\n" << std::defaultfloat;
  if (ligands.size() > 1) {
    std::sort(ranking.rbegin(), ranking.rend());
    out << "  ranking by residence time (longest first):";
    for (std::size_t i = 0; i < ranking.size(); ++i) out << " " << i + 1 << ". " << ranking[i].second;
    out << "\n";
  }
}

}  // namespace

namespace {
int run_stages(const po::variables_map& vm, cli::Context& ctx) {
  if (!vm.count("output")) throw UsageError("pandakinetics run: no output folder given (--output DIR)");
  const std::string dir = vm["output"].as<std::string>();
  // Checked before any stage, which a resume may skip.
  network::check_conditions({vm["temperature"].as<double>(), vm["kappa"].as<double>(), vm["concentration"].as<double>()});
  Runner r{ctx, vm.count("config") ? vm["config"].as<std::string>() : "", 0, 6, false, {}};
  check_run_inputs(vm, r.config, dir, true);
  comm::agreed(MPI_COMM_WORLD, [&] {
    if (ctx.rank == 0 && !exists(dir) && ::mkdir(dir.c_str(), 0777) != 0)
      throw SystemError("pandakinetics run: cannot create the output folder " + dir);
  });
  // The report's Python starts now and loads its modules while the stages
  // compute (about a second of imports, more where bytecode is not cached).
  ReportTools report;
  if (ctx.rank == 0 && !vm["no-report"].as<bool>())
    report.starting = std::async(std::launch::async, [&report, choice = vm["python"].as<std::string>()] {
      report.python = find_python(choice);
      report.script = analysis_dir() + "/report.py";
      if (!report.python.empty() && exists(report.script))
        report.server = std::make_unique<ReportServer>(report.python, report.script);
    });
  int rc = kExitOk;
  const std::string poses = dock_stage(vm, r, dir, rc);
  if (poses.empty()) return rc;
  // The ligands: one folder each when there are several (screening).
  std::vector<std::string> ligands, kmc_files;
  for (const auto& lig : read_poses_h5(poses).ligands) ligands.push_back(lig.name);
  const bool screening = ligands.size() > 1;
  std::vector<std::string> folders;
  comm::agreed(MPI_COMM_WORLD, [&] {
    for (const auto& lig : ligands) {
      folders.push_back(screening ? dir + "/" + lig : dir);
      if (screening) check_run_inputs(vm, r.config, folders.back(), false);
      if (screening && ctx.rank == 0 && !exists(folders.back()) && ::mkdir(folders.back().c_str(), 0777) != 0)
        throw SystemError("pandakinetics run: cannot create " + folders.back());
    }
  });
  const bool poses_recomputed = r.recompute;
  // Which networks are new this run (rank 0 decides; the file system is shared).
  std::vector<int> fresh(ligands.size(), 0);
  const bool spread = screening && ctx.size > 1;
  if (spread) {
    comm::agreed(MPI_COMM_WORLD, [&] {
      for (std::size_t i = 0; i < ligands.size() && ctx.rank == 0; ++i) {
        const std::string done = folders[i] + "/network.h5";
        const std::string record =
            stage_record("network", network_stage_args(vm, r, poses, ligands[i], folders[i]), r.config);
        std::string why;
        fresh[i] = poses_recomputed || !stage_is_current(done, stage_record_path(done, "network"), record, why);
      }
    });
    MPI_Bcast(fresh.data(), static_cast<int>(fresh.size()), MPI_INT, 0, MPI_COMM_WORLD);
    if ((rc = spread_networks(vm, r, poses, ligands, folders)) != kExitOk) return rc;
  }
  bool reports_ok = true;
  for (std::size_t i = 0; i < ligands.size(); ++i) {
    const std::string& lig = ligands[i];
    const std::string& d = folders[i];
    if (screening) ctx.out << "run: ligand " << lig << " -> " << d << "\n";
    r.stage = 1;
    r.recompute = poses_recomputed;  // this ligand's stages depend on the poses, not on the previous ligand
    if ((rc = ligand_stages(vm, r, poses, lig, d, spread && fresh[i])) != kExitOk) return rc;
    kmc_files.push_back(d + "/kmc.h5");
    reports_ok = report_stage(vm, r, poses, d, report) && reports_ok;
    MPI_Barrier(MPI_COMM_WORLD);
  }
  print_summary(r, dir, kmc_files, ligands);
  if (!reports_ok) ctx.err << "pandakinetics run: the report script failed (see above); the other outputs are complete\n";
  return reports_ok ? kExitOk : kExitError;
}

}  // namespace

int run_pipeline(const po::variables_map& vm, cli::Context& ctx) {
  try {
    return run_stages(vm, ctx);
  } catch (const StopRequested& stop) {
    ctx.out << "run: signal " << stop.signal << " received: stopped " << stop.where
            << "; the finished stages and the KMC stage's checkpoint are kept, and the same command resumes\n"
            << std::flush;
    return kExitOk;
  }
}

}  // namespace pk::pipeline
