// `pandakinetics dock` (every mode but --score_only): for each ligand, a
// global search (Monte Carlo chains with BFGS on the device) or a local
// optimisation from the input pose (--local_only); final poses re-scored with
// the exact pairwise Vina function, clustered and ranked; ligands spread over
// MPI ranks, results gathered on rank 0, which writes the PDBQT / SDF per
// ligand, the poses HDF5, the JSON and the summary table.
#include "dock/search.hpp"

#include "comm/communicator.hpp"
#include "core/context.hpp"
#include "core/error.hpp"
#include "dock/dock_config.hpp"
#include "dock/ligand_files.hpp"
#include "dock/refine.hpp"
#include "dock/screen.hpp"
#include "dock/search_api.hpp"
#include "dock/search_device.hpp"
#include "dock/sites.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
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

/// Vina's last step before writing (global_search with refinement on): every
/// final pose minimised on the exact pairwise function, re-scored, and the
/// poses re-ranked (score, intra of the best, RMSD bounds, mode cut). A
/// refined pose is kept only where its exact inter + intra is not above the
/// unrefined one's (the BFGS minimises the interpolated form, which differs
/// from the scored one by ~1e-3 kcal/mol).
void refine_final_poses(std::vector<PoseResult>& poses, const ScoringWeights& w, const ReceptorAtoms& rec,
                        const Ligand& lig, const TreeHost& tree, const GridBox& box, const FinalScorer& scorer,
                        const std::vector<int>& heavy, const std::vector<int>& heavy_element,
                        const SearchSettings& s, int threads) {
  if (poses.empty()) return;
  std::vector<std::vector<double>> start;
  for (const auto& p : poses) start.push_back(p.conformation);
  const std::vector<std::vector<double>> refined = refine_exact(w, rec, lig, tree, box, start, threads);
  host_parallel_for(static_cast<int>(poses.size()), [&](int i) {
    PoseResult& p = poses[i];
    const std::vector<double>& conf = refined[i];
    const Coords xyz = coordinates_of(tree, conf);
    const FinalEnergy fe = scorer(xyz);
    if (!(fe.inter + fe.intra <= p.inter + p.intra)) return;
    p.conformation = conf;
    p.coords = xyz;
    p.inter = fe.inter;
    p.intra = fe.intra;
    p.inter_terms = fe.terms;
    p.intra_terms = fe.intra_terms;
  }, threads);
  std::stable_sort(poses.begin(), poses.end(),
                   [](const PoseResult& a, const PoseResult& b) { return a.inter + a.intra < b.inter + b.intra; });
  const auto heavy_of = [&](const Coords& x) {
    Coords h;
    for (int a : heavy) h.push_back(x[a]);
    return h;
  };
  const Coords best = heavy_of(poses[0].coords);
  std::vector<double> scores;
  for (auto& p : poses) {
    p.intra_best = poses[0].intra;
    p.score = (p.inter + p.intra - p.intra_best) / p.torsional_normalisation;
    const Coords h = heavy_of(p.coords);
    p.rmsd_ub = rmsd_upper_bound(h, best);
    p.rmsd_lb = rmsd_lower_bound(h, best, heavy_element);
    scores.push_back(p.score);
  }
  poses.resize(modes_to_keep(scores, s.num_modes, s.energy_range_kcal));
}

}  // namespace

LigandDocker::LigandDocker(const DockConfig& cfg, const Receptor& receptor)
    : cfg_(cfg),
      receptor_(receptor),
      rec_(ReceptorAtoms::of(receptor)),
      table_(PairTable::shared(cfg.weights)),
      box_(cfg.have_box ? GridBox::from_center_size(cfg.center, cfg.size, cfg.spacing) : GridBox{}),
      device_(new DeviceDocking(receptor, cfg.weights)) {}

LigandDocker::~LigandDocker() = default;

int LigandDocker::chains() const { return default_chains(cfg_); }

LigandOutput LigandDocker::dock(const std::string& path, const std::string& name, int model) {
  return dock_impl(path, name, nullptr, cfg_.seed, 0, model);
}

LigandOutput LigandDocker::dock_in_box(const std::string& path, const std::string& name, const GridBox& box,
                                       std::uint64_t seed, int site, int model) {
  return dock_impl(path, name, &box, seed, site, model);
}

LigandOutput LigandDocker::dock_impl(const std::string& path, const std::string& name, const GridBox* given_box,
                                     std::uint64_t seed, int site, int model) {
  const DockConfig& cfg = cfg_;
  DeviceDocking& device = *device_;
  const GridBox& fixed_box = given_box ? *given_box : box_;
  stages_.clear();
  auto t = std::chrono::steady_clock::now();
  const auto lap = [&](const char* stage) {
    const auto now = std::chrono::steady_clock::now();
    stages_.emplace_back(stage, std::chrono::duration<double>(now - t).count());
    t = now;
  };
  const auto ligs = read_ligands(path);
  // A PDBQT --ligand file with several MODELs is refused as Vina refuses it
  // (--batch reads each MODEL); molecule files' records are the prepare path's.
  if (ligs.size() > 1 && !cfg.batch_mode && !is_molecule_file(path)) refuse_multi_model(path);
  if (model < 0 || model >= static_cast<int>(ligs.size()))
    throw InputError(path, 0, "MODEL " + std::to_string(model + 1) + " expected, the file has " +
                                  std::to_string(ligs.size()));
  const Ligand& lig = ligs[model];
  const GridBox box = cfg.autobox && !given_box ? autobox_of(lig, cfg.spacing) : fixed_box;
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
  s.seed = seed;
  s.site = site;
  s.num_modes = cfg.num_modes;
  s.energy_range_kcal = cfg.energy_range;
  s.min_rmsd_angstrom = cfg.min_rmsd;
  for (int d = 0; d < 3; ++d) s.box_lo[d] = box.begin[d], s.box_hi[d] = box.end[d];
  std::vector<Minimum> minima;
  if (cfg.local_only) {
    // Vina 1.2.3's Vina::optimize: BFGS runs on the grid (v = 1000), stopping
    // after the first that ends with every heavy atom inside the box (at most
    // five); --local_thorough: five runs in a row.
    Minimum m;
    m.conformation = tree.input_conformation();
    for (int run = 0; run < 5; ++run) {
      m = device.local(lig, tree, m.conformation, cfg.local_thorough ? 5 : 1, kCapFinal);
      const Coords xyz = coordinates_of(tree, m.conformation);
      if (cfg.local_thorough || std::all_of(heavy.begin(), heavy.end(), [&](int a) { return box.contains(xyz[a]); }))
        break;
    }
    minima.push_back(std::move(m));
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
  // Vina 1.2.3 refines docked poses (not --local_only's) unless --no_refine.
  if (!cfg.local_only && !cfg.no_refine)
    refine_final_poses(out.poses, cfg.weights, rec_, lig, tree, box, scorer, heavy, element_ids(lig, heavy), s,
                       cfg.cpu);
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

void print_modes(std::ostream& os, const LigandOutput& lig, bool with_site) {
  os << "mode |   affinity | dist from best mode" << (with_site ? " |  box\n" : "\n")
     << "     | (kcal/mol) | rmsd l.b.| rmsd u.b." << (with_site ? " | site\n" : "\n")
     << "-----+------------+----------+----------" << (with_site ? "-+-----\n" : "\n");
  for (std::size_t i = 0; i < lig.poses.size(); ++i) {
    char row[96];
    std::snprintf(row, sizeof row, "%4zu %12.3f %10.3f %10.3f", i + 1, lig.poses[i].score, lig.poses[i].rmsd_lb,
                  lig.poses[i].rmsd_ub);
    os << row;
    if (with_site) os << "   " << std::setw(4) << lig.poses[i].site;
    os << "\n";
  }
}

std::string fixed3(double v) {
  char b[48];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

std::string xyz(const std::array<double, 3>& v) {
  char b[96];
  std::snprintf(b, sizeof b, "(%.3f, %.3f, %.3f)", v[0], v[1], v[2]);
  return b;
}

/// The search boxes of a run: the explicit ones, then --blind's (printed with how they were chosen).
std::vector<DockBox> search_boxes(const DockConfig& cfg, const Receptor& receptor, Context& ctx) {
  std::vector<DockBox> boxes = cfg.boxes;
  if (!cfg.blind) return boxes;
  const BlindTiling t = blind_boxes(receptor, cfg.blind_box_size, cfg.blind_overlap);
  ctx.out << "dock: --blind: receptor heavy atoms grown by " << kBlindMarginAngstrom << " Å span x ["
          << t.region_lo[0] << ", " << t.region_hi[0] << "] y [" << t.region_lo[1] << ", " << t.region_hi[1]
          << "] z [" << t.region_lo[2] << ", " << t.region_hi[2] << "] Å; cubes of " << cfg.blind_box_size
          << " Å, centres " << cfg.blind_box_size - cfg.blind_overlap << " Å apart (overlap " << cfg.blind_overlap
          << " Å): " << t.tiles[0] << " x " << t.tiles[1] << " x " << t.tiles[2] << " = "
          << t.tiles[0] * t.tiles[1] * t.tiles[2] << " on the lattice, " << t.boxes.size()
          << " hold receptor surface (>= " << kBlindMinAtoms << " receptor heavy atoms and >= "
          << kBlindMinContactProbes << " probe points " << kBlindContactLoAngstrom << "-" << kBlindContactHiAngstrom
          << " Å from the nearest one, probes " << kBlindProbeSpacingAngstrom << " Å apart)\n";
  for (std::size_t k = 0; k < t.boxes.size(); ++k) {
    boxes.push_back(t.boxes[k]);
    boxes.back().origin = "blind: " + std::to_string(t.atoms[k]) + " receptor heavy atoms, " +
                          std::to_string(t.contact_probes[k]) + " contact probes";
  }
  if (t.boxes.empty())
    throw InputError(receptor.file, 0, "--blind: no cube of " + std::to_string(cfg.blind_box_size) +
                                           " Å holds receptor surface (is the receptor this small?)");
  return boxes;
}

void print_boxes(const DockConfig& cfg, const std::vector<DockBox>& boxes, Context& ctx) {
  ctx.out << "dock: " << boxes.size() << " search boxes, each ligand searched in every one (box b with seed "
          << cfg.seed << " + b); the poses of all boxes are clustered and ranked together:\n";
  for (std::size_t b = 0; b < boxes.size(); ++b)
    ctx.out << "  box " << b << ": centre " << xyz(boxes[b].center) << " Å, size " << xyz(boxes[b].size)
            << " Å, seed " << cfg.seed + static_cast<std::uint64_t>(b) << " [" << boxes[b].origin << "]\n";
}

/// One ligand's summary from its boxes' (items of one ligand, box order).
LigandSummary merged_summary(const std::vector<LigandSummary>& items, const LigandOutput& merged) {
  LigandSummary s = items.front();
  s.seconds = 0;
  int failed = 0;
  for (const auto& it : items) {
    s.seconds += it.seconds;
    failed += it.ok ? 0 : 1;
  }
  s.ok = !merged.poses.empty();
  s.n_poses = static_cast<int>(merged.poses.size());
  s.best_score = s.ok ? merged.poses.front().score : 0.0;
  if (!s.ok) {
    for (const auto& it : items)
      if (!it.message.empty()) {
        s.message = it.message;
        break;
      }
    if (items.size() > 1) s.message = "no pose in any of the " + std::to_string(items.size()) + " boxes (box 0: " + s.message + ")";
  } else {
    s.message = failed ? std::to_string(failed) + " of " + std::to_string(items.size()) + " boxes gave no pose" : "";
  }
  return s;
}

/// On rank 0: each ligand's outputs of all boxes (item b * n_ligands + i) merged into one.
void merge_boxes(const DockConfig& cfg, const std::vector<std::string>& names, int n_boxes,
                 std::vector<LigandOutput>& outputs, std::vector<LigandSummary>& summaries, Context& ctx) {
  const int n_ligands = static_cast<int>(names.size());
  std::vector<LigandOutput> merged;
  std::vector<LigandSummary> merged_summaries;
  for (int i = 0; i < n_ligands; ++i) {
    std::vector<LigandOutput> per_box;
    std::vector<LigandSummary> items;
    for (int b = 0; b < n_boxes; ++b) {
      per_box.push_back(std::move(outputs[b * n_ligands + i]));
      items.push_back(summaries[b * n_ligands + i]);
      const LigandSummary& it = items.back();
      if (cfg.verbosity > 1 || (cfg.verbosity > 0 && n_boxes <= 8))
        ctx.out << "ligand " << names[i] << ", box " << b << ": "
                << (it.ok ? std::to_string(it.n_poses) + " modes, best (in this box) " + fixed3(it.best_score) +
                                " kcal/mol"
                          : "no pose: " + it.message)
                << ", " << fixed3(it.seconds) << " s\n";
    }
    merged.push_back(merge_sites(per_box, cfg.num_modes, cfg.energy_range, cfg.min_rmsd));
    merged.back().name = names[i];
    merged_summaries.push_back(merged_summary(items, merged.back()));
  }
  outputs = std::move(merged);
  summaries = std::move(merged_summaries);
}

/// On rank 0: each ligand's PDBQT and SDF, the poses HDF5, JSON and summary; returns the failed ligands.
int write_outputs(const DockConfig& cfg, const std::vector<DockBox>& boxes, bool batch, bool several_boxes,
                  std::vector<LigandOutput>& outputs, const std::vector<LigandSummary>& summaries, Context& ctx) {
  int failed = 0;
  const std::string dir = cfg.out_dir.empty() ? std::string(".") : cfg.out_dir;
  if (batch) std::filesystem::create_directories(dir);
  std::vector<LigandOutput> good;
  std::vector<Box> h5_boxes;  // distinct search boxes; a pose's site indexes this list
  for (const auto& b : boxes) h5_boxes.push_back(Box{b.center, b.size});
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const LigandSummary& s = summaries[i];
    if (!s.ok) {
      ++failed;
      ctx.out << "ligand " << s.name << ": FAILED: " << s.message << "\n";
      continue;
    }
    const LigandFiles files = ligand_output_files(cfg, s.path, s.name, batch);  // dock_config.hpp
    const std::string& pdbqt = files.pdbqt;
    const std::string& sdf = files.sdf;
    if (cfg.autobox) {  // each ligand's own box, shared by ligands with the same one
      int site = 0;
      while (site < static_cast<int>(h5_boxes.size()) &&
             (h5_boxes[site].center != outputs[i].box_center || h5_boxes[site].size != outputs[i].box_size))
        ++site;
      if (site == static_cast<int>(h5_boxes.size())) h5_boxes.push_back(Box{outputs[i].box_center, outputs[i].box_size});
      for (auto& p : outputs[i].poses) p.site = site;
    }
    write_pdbqt_models(outputs[i], pdbqt);
    write_sdf(outputs[i], sdf);
    ctx.out << "ligand " << s.name << " (" << s.path << "): " << outputs[i].poses.size() << " modes in "
            << s.seconds << " s" << (several_boxes ? " (sum over its boxes)" : "") << " -> " << pdbqt << ", " << sdf
            << "\n";
    print_modes(ctx.out, outputs[i], several_boxes);
    good.push_back(std::move(outputs[i]));
  }
  const std::string h5 = poses_h5_file(cfg, batch);
  if (!h5.empty()) write_poses_h5(good, h5_boxes, cfg.receptor, h5);
  if (!cfg.json.empty()) write_dock_json(good, cfg.receptor, cfg.json, cfg.option_values);
  const std::string summary = summary_file(cfg, batch);
  if (!summary.empty()) write_summary(summaries, summary);
  if (batch) ctx.out << "\nsummary (" << (summary.empty() ? "not written" : summary) << "):\n"
                     << summary_table(summaries);
  return failed;
}

}  // namespace

int run_dock_search(const DockConfig& cfg, Context& ctx) {
  comm::Communicator comm;
  const auto entries = screening_entries(collect_ligands(cfg.ligands, cfg.ligand_directory), cfg.batch_mode);
  std::vector<std::string> paths, names;
  for (const auto& e : entries) paths.push_back(e.path), names.push_back(e.name);
  const bool batch = cfg.batch_mode || paths.size() > 1;
  if (cfg.boxes.empty() && !cfg.autobox && !cfg.blind)
    throw UsageError("dock: give the search box (--center_x/_y/_z and --size_x/_y/_z, or --box, Å), --blind or "
                     "--autobox");
  const Receptor receptor = read_receptor(cfg.receptor);
  LigandDocker docker(cfg, receptor);
  if (!cfg.seed_given)
    ctx.out << "dock: no --seed given; using seed 0 (runs are reproducible; give --seed to vary them)\n";
  // --autobox: one box per ligand (from the ligand); otherwise every ligand in every box.
  const std::vector<DockBox> boxes = cfg.autobox ? std::vector<DockBox>{} : search_boxes(cfg, receptor, ctx);
  const int n_boxes = cfg.autobox ? 1 : static_cast<int>(boxes.size());
  const int n_ligands = static_cast<int>(paths.size());
  ctx.out << "dock: " << paths.size() << " ligand(s) on " << comm.size() << " rank(s), "
          << (cfg.local_only ? std::string("local optimisation only") :
                               "exhaustiveness " + std::to_string(cfg.exhaustiveness) + ", " +
                                   std::to_string(default_chains(cfg)) + " chains")
          << ", device " << DeviceDocking::device_name() << "\n";
  if (n_boxes > 1 || cfg.blind) print_boxes(cfg, boxes, ctx);

  // Work items (box b, ligand i) -> b * n_ligands + i, dealt round-robin over the ranks: a rank's
  // consecutive items mostly share a box (its grid maps), and each item's result depends only on
  // its box and seed, not on the rank count.
  const auto mine = ligands_of_rank(n_ligands * n_boxes, comm.rank(), comm.size());
  std::vector<LigandOutput> outputs;
  std::vector<LigandSummary> summaries;
  for (int item : mine) {
    const int i = item % n_ligands, b = item / n_ligands;
    const auto t0 = std::chrono::steady_clock::now();
    LigandSummary s;
    s.name = names[i];
    s.path = paths[i];
    LigandOutput out;
    try {
      out = cfg.autobox ? docker.dock(paths[i], names[i], entries[i].model)
                        : docker.dock_in_box(paths[i], names[i],
                                             GridBox::from_center_size(boxes[b].center, boxes[b].size, cfg.spacing),
                                             cfg.seed + static_cast<std::uint64_t>(b), b, entries[i].model);
      s.ok = true;
      s.best_score = out.poses.front().score;
      s.n_poses = static_cast<int>(out.poses.size());
    } catch (const InputError& e) {
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
    if (n_boxes > 1) merge_boxes(cfg, names, n_boxes, outputs, summaries, ctx);  // one output per ligand
    failed = write_outputs(cfg, boxes, batch, n_boxes > 1, outputs, summaries, ctx);
  }
  MPI_Bcast(&failed, 1, MPI_INT, 0, comm.get());
  return failed > 0 ? kExitError : kExitOk;
}

}  // namespace pk::dock
