// `pandakinetics bench dock` (see bench_dock.hpp). Times our docking of the
// Debian test ligand from reading the receptor to the ranked poses (process
// start-up excluded), then runs `vina` with the same box, exhaustiveness and
// seed and times it as a whole process; prints both with their best scores
// and the RMSD between the two best poses. Only measured numbers are printed.
#include "app/bench_dock.hpp"

#include "app/path_options.hpp"
#include "core/error.hpp"
#include "dock/search_api.hpp"
#include "dock/search_device.hpp"
#include "io/json.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "app/bench_inputs.hpp"

namespace pk::dock {

namespace po = cli::po;

namespace {

struct VinaRun {
  bool ran = false;
  std::string status;
  double seconds = 0;
  double best_score = 0;
  Coords heavy;
};

std::string quote(const std::string& s) { return "'" + s + "'"; }

VinaRun run_vina(const std::string& vina, const DockConfig& cfg, int cpu) {
  VinaRun r;
  const auto dir = std::filesystem::temp_directory_path() / ("pk_bench_vina_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "out.pdbqt").string(), log = (dir / "vina.log").string();
  std::ostringstream cmd;
  cmd << quote(vina) << " --receptor " << quote(cfg.receptor) << " --ligand " << quote(cfg.ligands[0]);
  const char* axis = "xyz";
  for (int d = 0; d < 3; ++d) cmd << " --center_" << axis[d] << " " << cfg.center[d];
  for (int d = 0; d < 3; ++d) cmd << " --size_" << axis[d] << " " << cfg.size[d];
  cmd << " --exhaustiveness " << cfg.exhaustiveness << " --seed " << cfg.seed << " --cpu " << cpu << " --out "
      << quote(out) << " > " << quote(log) << " 2>&1";
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = std::system(cmd.str().c_str());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::ifstream in(out);
  std::string line;
  bool first = true;
  while (rc == 0 && std::getline(in, line)) {
    if (line.rfind("REMARK VINA RESULT:", 0) == 0 && first) r.best_score = std::stod(line.substr(19)), r.ran = true;
    if ((line.rfind("ATOM", 0) == 0 || line.rfind("HETATM", 0) == 0) && line.size() >= 78) {
      std::istringstream t(line.substr(77));
      std::string type;
      t >> type;
      if (type != "H" && type != "HD" && type != "HS")
        r.heavy.push_back({std::stod(line.substr(30, 8)), std::stod(line.substr(38, 8)), std::stod(line.substr(46, 8))});
    }
    if (line.rfind("ENDMDL", 0) == 0) first = false;
    if (!first) break;
  }
  r.status = r.ran ? "ok" : "vina failed (exit " + std::to_string(rc) + "), see " + log;
  if (r.ran) std::filesystem::remove_all(dir);
  return r;
}

bool on_path(const std::string& exe) {
  if (exe.find('/') != std::string::npos) return std::filesystem::exists(exe);
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string d;
  while (std::getline(dirs, d, ':'))
    if (!d.empty() && std::filesystem::exists(std::filesystem::path(d) / exe)) return true;
  return false;
}

}  // namespace

void add_bench_dock_options(po::options_description& desc) {
  add_test_complex_options(desc);
  desc.add_options()
      ("exhaustiveness", po::value<int>()->default_value(8), "exhaustiveness, ours and Vina's")
      ("chains", po::value<int>()->default_value(0), "Monte Carlo chains (0: the dock default for this device)")
      ("steps_per_chain", po::value<int>()->default_value(0), "Monte Carlo steps per chain (0: Vina's budget)")
      ("seed", po::value<long long>()->default_value(1), "random seed, ours and Vina's")
      ("vina", po::value<std::string>()->default_value("vina"),
       "AutoDock Vina executable run side by side ('none' skips it)")
      ("vina_cpu", po::value<int>()->default_value(0), "Vina's --cpu (0: this machine's hardware threads)")
      ("json", po::value<std::string>()->value_name("FILE"), "also write the result as JSON to FILE");
}

int run_bench_dock(const po::variables_map& vm, cli::Context& ctx) {
  cli::check_paths("bench dock", cli::input_paths(vm, {"receptor", "ligand"}), cli::paths_of(vm, {"json"}));
  DockConfig cfg;
  cfg.receptor = vm["receptor"].as<std::string>();
  cfg.ligands = {vm["ligand"].as<std::string>()};
  cfg.center = {vm["center_x"].as<double>(), vm["center_y"].as<double>(), vm["center_z"].as<double>()};
  cfg.size = {vm["size_x"].as<double>(), vm["size_y"].as<double>(), vm["size_z"].as<double>()};
  cfg.have_box = true;
  cfg.exhaustiveness = vm["exhaustiveness"].as<int>();
  cfg.chains = vm["chains"].as<int>();
  cfg.steps_per_chain = vm["steps_per_chain"].as<int>();
  cfg.seed = static_cast<std::uint64_t>(vm["seed"].as<long long>());
  cfg.seed_given = true;
  if (cfg.exhaustiveness < 1 || cfg.chains < 0 || cfg.steps_per_chain < 0)
    throw UsageError("pandakinetics bench dock: --exhaustiveness must be >= 1, --chains and --steps_per_chain >= 0");

  const auto t0 = std::chrono::steady_clock::now();
  const Receptor receptor = read_receptor(cfg.receptor);
  LigandDocker docker(cfg, receptor);
  const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const LigandOutput out = docker.dock(cfg.ligands[0], "ligand");
  const double ours = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Coords heavy;
  for (std::size_t a = 0; a < out.element.size(); ++a)
    if (out.element[a] != "H") heavy.push_back(out.poses.front().coords[a]);

  const std::string vina = vm["vina"].as<std::string>();
  int vina_cpu = vm["vina_cpu"].as<int>();
  if (vina_cpu <= 0) vina_cpu = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  VinaRun v;
  if (vina == "none") {
    v.status = "skipped (--vina none)";
  } else if (!on_path(vina)) {
    v.status = "not run: '" + vina + "' not found (Debian: autodock-vina)";
  } else if (ctx.rank == 0) {
    v = run_vina(vina, cfg, vina_cpu);
  }
  io::JsonWriter j;
  j.begin_object().value("benchmark", "dock").value("execution_space", DeviceDocking::device_name());
  j.value("receptor", cfg.receptor).value("ligand", cfg.ligands[0]);
  j.value("exhaustiveness", cfg.exhaustiveness).value("chains", docker.chains()).value("seed", static_cast<long long>(cfg.seed));
  const char* threads = std::getenv("OMP_NUM_THREADS");
  j.value("omp_num_threads", threads ? threads : "unset");
  j.value("hardware_threads", static_cast<int>(std::thread::hardware_concurrency()));
  j.value("what", "wall time from reading the receptor to the ranked poses (grid maps, Monte Carlo + BFGS, final "
                  "re-scoring and clustering); Vina timed as a whole process with the same box, exhaustiveness, seed");
  j.value("dock_s", ours).value("best_score_kcal_per_mol", out.poses.front().score);
  j.value("modes", static_cast<int>(out.poses.size()));
  j.begin_object("stage_s").value("read_receptor_and_tables", setup_s);
  for (const auto& [stage, sec] : docker.stage_seconds()) j.value(stage, sec);
  j.end_object();
  j.value("vina", v.status);
  if (v.ran) {
    j.value("vina_cpu", vina_cpu).value("vina_s", v.seconds).value("vina_best_score_kcal_per_mol", v.best_score);
    j.value("speedup_vs_vina", v.seconds / ours);
    if (v.heavy.size() == heavy.size()) {
      double s = 0;
      for (std::size_t i = 0; i < heavy.size(); ++i)
        for (int d = 0; d < 3; ++d) s += std::pow(heavy[i][d] - v.heavy[i][d], 2);
      j.value("rmsd_best_poses_angstrom", std::sqrt(s / heavy.size()));
    }
  }
  j.end_object();
  ctx.out << j.str() << "\n";
  if (vm.count("json") && ctx.rank == 0) j.save(vm["json"].as<std::string>());
  return kExitOk;
}

}  // namespace pk::dock
