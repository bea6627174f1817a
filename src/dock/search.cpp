// `pandakinetics dock` (every mode but --score_only): for each ligand, a
// global search (Monte Carlo chains with BFGS on the device) or a local
// optimisation from the input pose (--local_only); final poses re-scored with
// the exact pairwise Vina function, clustered and ranked; ligands spread over
// MPI ranks, results gathered on rank 0, which writes the PDBQT / SDF per
// ligand, the poses HDF5, the JSON and the summary table.
#include "dock/search.hpp"

#include "cli/cli.hpp"
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "dock/dock_cmd.hpp"
#include "dock/screen.hpp"
#include "dock/search_api.hpp"
#include "dock/search_device.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <ostream>

namespace pk::dock {

namespace {

/// Default chain count. Vina runs one chain per exhaustiveness unit; the same
/// total number of Monte Carlo steps spread over more, shorter chains finds
/// the best basin of the test complex far more often (docs/docking.md), so
/// each unit gets 8 chains on CPUs and 128 on a GPU (which needs many more
/// threads), each 1/8 or 1/128 of Vina's chain length; on a GPU rounded up to
/// whole waves of resident chains.
int default_chains(const DockConfig& cfg) {
  if (cfg.chains > 0) return cfg.chains;
  if (DeviceDocking::on_host()) return cfg.exhaustiveness * 8;
  // On a GPU, from half a wave of resident chains up: whole waves (every SM
  // holding as many one-warp chains as fit), so that no SM idles in a tail.
  const int chains = cfg.exhaustiveness * 128, wave = DeviceDocking::resident_chains();
  if (wave <= 0 || 2 * chains < wave) return chains;
  return (chains + wave - 1) / wave * wave;
}

std::vector<int> element_ids(const Ligand& lig, const std::vector<int>& heavy) {
  std::map<std::string, int> ids;
  std::vector<int> out;
  for (int a : heavy) out.push_back(ids.emplace(lig.atoms[a].element, static_cast<int>(ids.size())).first->second);
  return out;
}

}  // namespace

LigandDocker::LigandDocker(const DockConfig& cfg, const Receptor& receptor)
    : cfg_(cfg),
      receptor_(receptor),
      rec_(ReceptorAtoms::of(receptor)),
      table_(cfg.weights),
      box_(cfg.have_box ? GridBox::from_center_size(cfg.center, cfg.size, cfg.spacing) : GridBox{}),
      device_(new DeviceDocking(receptor, cfg.weights)) {}

LigandDocker::~LigandDocker() = default;

int LigandDocker::chains() const { return default_chains(cfg_); }

LigandOutput LigandDocker::dock(const std::string& path, const std::string& name) {
  const DockConfig& cfg = cfg_;
  DeviceDocking& device = *device_;
  const GridBox& fixed_box = box_;
  stages_.clear();
  auto t = std::chrono::steady_clock::now();
  const auto lap = [&](const char* stage) {
    const auto now = std::chrono::steady_clock::now();
    stages_.emplace_back(stage, std::chrono::duration<double>(now - t).count());
    t = now;
  };
  const auto ligs = read_ligands(path);
  const Ligand& lig = ligs.front();
  const GridBox box = cfg.autobox ? autobox_of(lig, cfg.spacing) : fixed_box;
  device.set_box(box);
  const TreeHost tree = tree_of(lig);
  lap("read_ligand");
  device.prepare(lig);
  lap("grid_maps");
  const std::vector<int> heavy = lig.heavy_atoms();
  const double norm = 1 + cfg.weights.rot * lig.n_rot;
  const FinalScorer scorer = [&](const Coords& x) {
    FinalEnergy fe;
    TermSums terms{}, intra_terms{};
    fe.inter = inter_energy(table_, rec_, lig, x, box, kCapFinal, nullptr, &terms);
    fe.intra = intra_energy(table_, lig, x, kCapFinal, &intra_terms);
    for (int k = 0; k < kNumTerms; ++k) {
      fe.terms.emplace_back(term_name(k), terms[k]);
      fe.intra_terms.emplace_back(term_name(k), intra_terms[k]);
    }
    return fe;
  };
  SearchSettings s;
  s.exhaustiveness = cfg.exhaustiveness;
  s.chains = default_chains(cfg);
  s.steps_per_chain = cfg.steps_per_chain;
  s.seed = cfg.seed;
  s.num_modes = cfg.num_modes;
  s.energy_range_kcal = cfg.energy_range;
  s.min_rmsd_angstrom = cfg.min_rmsd;
  for (int d = 0; d < 3; ++d) s.box_lo[d] = box.begin[d], s.box_hi[d] = box.end[d];
  std::vector<Minimum> minima;
  if (cfg.local_only) {
    minima.push_back(device.local(lig, tree, tree.input_conformation(), 5, kCapFinal));
  } else {
    minima = device.search(lig, tree, s, &stages_);
    t = std::chrono::steady_clock::now();
    // Polish the lowest minima further (five BFGS runs with the final
    // softening, as Vina's --local_only) before the final selection.
    std::vector<Minimum> lowest = minima;
    std::stable_sort(lowest.begin(), lowest.end(),
                     [](const Minimum& a, const Minimum& b) { return a.energy < b.energy; });
    if (lowest.size() > 64) lowest.resize(64);
    for (auto& m : device.polish(lig, tree, lowest, 5, kCapFinal)) minima.push_back(std::move(m));
  }
  lap("polish");
  LigandOutput out;
  out.name = name;
  out.source = path;
  out.pdbqt = lig.text;
  out.n_torsions = lig.n_torsions();
  out.torsdof = lig.torsdof;
  out.atom_line = lig.atom_text_line;
  for (const auto& a : lig.atoms) {
    out.element.push_back(a.element);
    out.xs_type.push_back(a.xs);
  }
  for (const auto& b : lig.bonds) out.bonds.push_back({b.a, b.b});
  out.poses = select_poses(tree, minima, heavy, element_ids(lig, heavy), scorer, norm, s);
  // A pose with an atom outside the box carries the out-of-box penalty: not a result.
  std::vector<PoseResult> inside;
  for (auto& p : out.poses) {
    bool ok = true;
    for (int a : heavy) ok = ok && box.contains(p.coords[a]);
    if (ok) inside.push_back(std::move(p));
  }
  out.poses = std::move(inside);
  out.box_center = box.center;
  out.box_size = box.size;
  lap("select");
  if (out.poses.empty())
    throw InputError(path, 0, "no pose found with every heavy atom inside the search box (is the box large enough?)");
  return out;
}

namespace {

void print_modes(std::ostream& os, const LigandOutput& lig) {
  os << "mode |   affinity | dist from best mode\n"
     << "     | (kcal/mol) | rmsd l.b.| rmsd u.b.\n"
     << "-----+------------+----------+----------\n";
  for (std::size_t i = 0; i < lig.poses.size(); ++i) {
    char row[96];
    std::snprintf(row, sizeof row, "%4zu %12.3f %10.3f %10.3f\n", i + 1, lig.poses[i].score, lig.poses[i].rmsd_lb,
                  lig.poses[i].rmsd_ub);
    os << row;
  }
}

std::string with_extension(const std::string& path, const std::string& ext) {
  return std::filesystem::path(path).replace_extension(ext).string();
}

}  // namespace

int run_dock_search(const DockConfig& cfg, cli::Context& ctx) {
  comm::Communicator comm;
  const auto paths = collect_ligands(cfg.ligands, cfg.ligand_directory);
  const auto names = ligand_names(paths);
  const bool batch = paths.size() > 1;
  if (!cfg.have_box && !cfg.autobox)
    throw UsageError("dock: give the search box (--center_x/_y/_z and --size_x/_y/_z, Å) or --autobox");
  const Receptor receptor = read_receptor(cfg.receptor);
  LigandDocker docker(cfg, receptor);
  if (!cfg.seed_given)
    ctx.out << "dock: no --seed given; using seed 0 (runs are reproducible; give --seed to vary them)\n";
  ctx.out << "dock: " << paths.size() << " ligand(s) on " << comm.size() << " rank(s), "
          << (cfg.local_only ? std::string("local optimisation only") :
                               "exhaustiveness " + std::to_string(cfg.exhaustiveness) + ", " +
                                   std::to_string(default_chains(cfg)) + " chains")
          << ", device " << DeviceDocking::device_name() << "\n";

  const auto mine = ligands_of_rank(static_cast<int>(paths.size()), comm.rank(), comm.size());
  std::vector<LigandOutput> outputs;
  std::vector<LigandSummary> summaries;
  for (int i : mine) {
    LigandSummary s;
    s.name = names[i];
    s.path = paths[i];
    const auto t0 = std::chrono::steady_clock::now();
    LigandOutput out;
    try {
      out = docker.dock(paths[i], names[i]);
      s.ok = true;
      s.best_score = out.poses.front().score;
      s.n_poses = static_cast<int>(out.poses.size());
    } catch (const InputError& e) {
      s.ok = false;
      s.message = e.what();
      out.name = names[i];
    }
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    outputs.push_back(std::move(out));
    summaries.push_back(std::move(s));
  }
  gather_results(comm.get(), mine, outputs, summaries);

  int failed = 0;
  if (comm.is_root()) {
    const std::string dir = cfg.out_dir.empty() ? std::string(".") : cfg.out_dir;
    if (batch) std::filesystem::create_directories(dir);
    std::vector<LigandOutput> good;
    std::vector<Box> boxes;  // distinct search boxes; a pose's site indexes this list
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const LigandSummary& s = summaries[i];
      if (!s.ok) {
        ++failed;
        ctx.out << "ligand " << s.name << ": FAILED: " << s.message << "\n";
        continue;
      }
      std::string pdbqt = batch ? dir + "/" + s.name + "_out.pdbqt"
                                : (cfg.out.empty() ? with_extension(s.path, "").append("_out.pdbqt") : cfg.out);
      const std::string sdf = (!batch && !cfg.sdf.empty()) ? cfg.sdf : with_extension(pdbqt, ".sdf");
      int site = 0;
      while (site < static_cast<int>(boxes.size()) &&
             (boxes[site].center != outputs[i].box_center || boxes[site].size != outputs[i].box_size))
        ++site;
      if (site == static_cast<int>(boxes.size())) boxes.push_back(Box{outputs[i].box_center, outputs[i].box_size});
      for (auto& p : outputs[i].poses) p.site = site;
      write_pdbqt_models(outputs[i], pdbqt);
      write_sdf(outputs[i], sdf);
      ctx.out << "ligand " << s.name << " (" << s.path << "): " << outputs[i].poses.size() << " modes in "
              << s.seconds << " s -> " << pdbqt << ", " << sdf << "\n";
      print_modes(ctx.out, outputs[i]);
      good.push_back(std::move(outputs[i]));
    }
    const std::string h5 = !cfg.out_h5.empty() ? cfg.out_h5 : (batch ? dir + "/poses.h5" : "");
    if (!h5.empty()) write_poses_h5(good, boxes, cfg.receptor, h5);
    if (!cfg.json.empty()) write_dock_json(good, cfg.receptor, cfg.json, cfg.option_values);
    const std::string summary = !cfg.summary.empty() ? cfg.summary : (batch ? dir + "/summary.tsv" : "");
    if (!summary.empty()) write_summary(summaries, summary);
    if (batch) ctx.out << "\nsummary (" << (summary.empty() ? "not written" : summary) << "):\n"
                       << summary_table(summaries);
  }
  MPI_Bcast(&failed, 1, MPI_INT, 0, comm.get());
  return failed > 0 ? kExitError : kExitOk;
}

}  // namespace pk::dock
