// `pandakinetics dock`: options -> DockConfig, --score_only printed as Vina
// 1.2.3 prints it (plus --json), every other mode handed to the search.
#include "app/dock_cmd.hpp"

#include "app/molecule_files.hpp"
#include "app/path_options.hpp"
#include "core/error.hpp"
#include "dock/device_api.hpp"
#include "dock/ligand_files.hpp"
#include "dock/screen.hpp"
#include "dock/search.hpp"
#include "dock/together.hpp"
#include "io/json.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace pk::dock {

namespace {

struct Scored {
  const Ligand* lig = nullptr;
  GridBox box;
  PoseScore s;
};

std::string fmt3(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

/// Stops with file:line when a heavy atom lies outside the box (as vina
/// --score_only does; hydrogens may stick out).
void require_inside(const Ligand& lig, const GridBox& box) {
  for (const auto& a : lig.atoms) {
    if (a.hydrogen || box.contains(a.xyz)) continue;
    std::ostringstream m;
    m << std::fixed << std::setprecision(3) << "ligand atom " << a.name << " (serial " << a.serial << ") at ("
      << a.xyz[0] << ", " << a.xyz[1] << ", " << a.xyz[2] << ") Å is outside the search box x [" << box.begin[0]
      << ", " << box.end[0] << "] y [" << box.begin[1] << ", " << box.end[1] << "] z [" << box.begin[2] << ", "
      << box.end[2] << "] Å: expected every heavy atom inside the box (enlarge --size_x/_y/_z or use --autobox)";
    throw InputError(lig.file, a.line, m.str());
  }
}

void print_vina_block(std::ostream& o, const PoseScore& s) {
  const auto line = [&](const char* label, double v) { o << label << fmt3(v) << " (kcal/mol)\n"; };
  o << "Estimated Free Energy of Binding   : " << fmt3(s.total) << " (kcal/mol) [=(1)+(2)+(3)+(4)]\n";
  line("(1) Final Intermolecular Energy    : ", s.inter);
  line("    Ligand - Receptor              : ", s.inter);
  line("    Ligand - Flex side chains      : ", 0.0);
  line("(2) Final Total Internal Energy    : ", s.intra);
  line("    Ligand                         : ", s.intra);
  line("    Flex   - Receptor              : ", 0.0);
  line("    Flex   - Flex side chains      : ", 0.0);
  line("(3) Torsional Free Energy          : ", s.total - s.inter);
  // Vina prints the unbound reference (this pose's own intra) with this sign.
  line("(4) Unbound System's Energy        : ", s.intra);
}

void json_terms(io::JsonWriter& j, const std::string& key, const TermSums& t) {
  j.begin_object(key);
  for (int k = 0; k < kNumTerms; ++k) j.value(term_name(k), t[k]);
  j.end_object();
}

void write_json(const DockConfig& cfg, const std::vector<Scored>& poses,
                const std::vector<std::pair<std::string, std::string>>& failed) {
  io::JsonWriter j;
  j.begin_object();
  j.value("program", "pandakinetics dock");
  j.value("mode", "score_only");
  j.value("scoring", cfg.grid ? "grid (trilinear maps, as vina --score_only --no_refine)"
                              : "pairwise (as vina --score_only)");
  j.value("receptor", cfg.receptor);
  j.value("scoring_function", scoring_function_name(cfg.weights.function));
  j.begin_object("weights");
  j.value("gauss1", cfg.weights.gauss1).value("gauss2", cfg.weights.gauss2).value("repulsion", cfg.weights.repulsion);
  j.value("hydrophobic", cfg.weights.hydrophobic).value("hydrogen", cfg.weights.hydrogen).value("rot", cfg.weights.rot);
  j.end_object();
  j.begin_array("poses");
  for (const auto& p : poses) {
    j.begin_object();
    j.value("ligand", p.lig->file).value("model", p.lig->model + 1);
    j.value("total_kcal_per_mol", p.s.total).value("inter_kcal_per_mol", p.s.inter);
    j.value("intra_kcal_per_mol", p.s.intra).value("unbound_intra_kcal_per_mol", p.s.intra);
    j.value("torsional_kcal_per_mol", p.s.total - p.s.inter);
    j.value("torsional_normalisation", p.s.torsional_normalisation).value("n_rot", p.lig->n_rot);
    j.value("torsdof", p.lig->torsdof).value("out_of_box_penalty_kcal_per_mol", p.s.out_of_box_penalty);
    json_terms(j, "inter_terms_unweighted", p.s.inter_terms);
    json_terms(j, "intra_terms_unweighted", p.s.intra_terms);
    j.value("box_center_angstrom", std::vector<double>(p.box.center.begin(), p.box.center.end()));
    j.value("box_size_angstrom", std::vector<double>(p.box.size.begin(), p.box.size.end()));
    j.end_object();
  }
  j.end_array();
  j.begin_array("failed");
  for (const auto& f : failed) j.begin_object().value("ligand", f.first).value("error", f.second).end_object();
  j.end_array();
  j.begin_object("options");
  for (const auto& [k, v] : cfg.option_values) j.value(k, v);
  j.end_object();
  j.end_object();
  j.save(cfg.json);
}

}  // namespace

int run_score_only(const DockConfig& cfg, cli::Context& ctx) {
  const Receptor receptor = read_receptor(cfg.receptor);
  const ReceptorAtoms rec = ReceptorAtoms::of(receptor);
  const PairTable& table = PairTable::shared(cfg.weights);
  const std::vector<std::string> files = collect_ligands(cfg.ligands, cfg.ligand_directory);
  std::vector<std::vector<Ligand>> models;  // kept alive: Scored points into them
  models.reserve(files.size());
  std::vector<Scored> scored;
  std::vector<std::pair<std::string, std::string>> failed;
  for (const auto& f : files) {
    try {
      std::vector<Ligand> ligs = read_ligands(f);
      if (ligs.size() > 1 && !cfg.batch_mode && !is_molecule_file(f)) refuse_multi_model(f);  // as Vina
      std::vector<GridBox> boxes;
      for (const auto& l : ligs) {
        boxes.push_back(cfg.autobox ? autobox_of(l, cfg.spacing)
                                    : GridBox::from_center_size(cfg.center, cfg.size, cfg.spacing));
        require_inside(l, boxes.back());
      }
      std::vector<double> grid_inter;
      if (cfg.grid && !cfg.autobox) grid_inter = grid_inter_energies(receptor, boxes[0], ligs, cfg.weights, kCapFinal);
      for (std::size_t m = 0; m < ligs.size() && cfg.grid && cfg.autobox; ++m)
        grid_inter.push_back(grid_inter_energies(receptor, boxes[m], {ligs[m]}, cfg.weights, kCapFinal)[0]);
      models.push_back(std::move(ligs));
      for (std::size_t m = 0; m < models.back().size(); ++m) {
        const Ligand& l = models.back()[m];
        Scored s{&l, boxes[m], score_only(table, cfg.weights, rec, l, input_coordinates(l), boxes[m])};
        if (cfg.grid) {
          s.s.inter = grid_inter[m];
          const double x = s.s.inter + s.s.intra - s.s.intra;
          s.s.total = std::fabs(x) < 2.220446049250313e-16 ? 0.0 : x / s.s.torsional_normalisation;
        }
        scored.push_back(s);
      }
    } catch (const InputError& e) {
      if (files.size() == 1) throw;
      ctx.err << "pandakinetics dock: skipping " << f << ": " << e.what() << "\n";
      failed.emplace_back(f, e.what());
    }
  }
  for (const auto& s : scored) {
    if (cfg.verbosity > 0) {
      ctx.out << "Ligand: " << s.lig->file;
      if (scored.size() > 1 || s.lig->model > 0) ctx.out << " (model " << s.lig->model + 1 << ")";
      ctx.out << "\nScoring: " << (cfg.weights.function == ScoringFunction::vinardo ? "vinardo, " : "")
              << (cfg.grid ? "grid maps, spacing " + fmt3(s.box.spacing) + " A (vina --no_refine)"
                           : std::string("direct pairwise form (vina --score_only)"))
              << "; N_rot " << s.lig->n_rot << ", torsional normalisation " << fmt3(s.s.torsional_normalisation)
              << "\n";
    }
    print_vina_block(ctx.out, s.s);
    if (cfg.verbosity > 1) {
      ctx.out << "Unweighted inter terms:";
      for (int k = 0; k < kNumTerms; ++k) ctx.out << " " << term_name(k) << " " << fmt3(s.s.inter_terms[k]);
      ctx.out << "\n";
    }
  }
  if (!cfg.json.empty()) write_json(cfg, scored, failed);
  return failed.empty() ? kExitOk : kExitError;
}

namespace {

/// Output safety (io/output_paths.hpp): no output over the receptor, a ligand
/// or the config, and no two outputs on one file, checked before any work.
void check_dock_paths(const DockConfig& cfg, const cli::po::variables_map& vm) {
  const std::vector<std::string> ligands = collect_ligands(cfg.ligands, cfg.ligand_directory);
  std::vector<io::NamedPath> in = cli::input_paths(vm, {"receptor"}), out;
  for (const auto& l : ligands) in.push_back({cfg.batch_mode ? "--batch/--ligand_directory" : "--ligand", l});
  if (!cfg.json.empty()) out.push_back({"--json", cfg.json});
  if (!cfg.together.empty() && !cfg.score_only)  // one complex: one PDBQT (together.cpp)
    out.push_back({"--out", cfg.out.empty() ? ligand_output_files(cfg, ligands[0], "", false).pdbqt : cfg.out});
  else if (!cfg.score_only) {
    const std::vector<ScreenEntry> entries = screening_entries(ligands, cfg.batch_mode);
    const bool batch = cfg.batch_mode || entries.size() > 1;
    for (const auto& e : entries) {
      const LigandFiles f = ligand_output_files(cfg, e.path, e.name, batch);
      const std::string& name = e.name;
      out.push_back({batch ? "--dir (" + name + "_out.pdbqt)" : cfg.out.empty() ? "--out (default <ligand>_out.pdbqt)" : "--out",
                     f.pdbqt, batch});
      out.push_back({batch || cfg.sdf.empty() ? "--out_sdf (default: the PDBQT name with .sdf)" : "--out_sdf", f.sdf, batch});
    }
    out.push_back({cfg.out_h5.empty() ? "--dir (poses.h5)" : "--out_h5", poses_h5_file(cfg, batch), batch && cfg.out_h5.empty()});
    out.push_back({cfg.summary.empty() ? "--dir (summary.tsv)" : "--summary", summary_file(cfg, batch),
                   batch && cfg.summary.empty()});
  }
  cli::check_paths("dock", in, out);
}

}  // namespace

int run_dock(const cli::po::variables_map& vm, cli::Context& ctx) {
  const DockConfig cfg = dock_config_from(vm);
  cli::install_molecule_files(ctx.err, ctx.rank == 0);  // X.sdf/.mol2/.smi ligands: prepared in-process (RDKit builds)
  check_dock_paths(cfg, vm);
  if (cfg.no_refine && !cfg.score_only && !cfg.local_only && ctx.rank == 0)
    ctx.err << "note: --no_refine: final poses are not refined on the exact pairwise function (they are still "
               "scored with it)\n";
  if (!cfg.together.empty()) return run_together(cfg, ctx);  // repeated --ligand: one complex (Vina)
  if (cfg.score_only) return run_score_only(cfg, ctx);
  if (cfg.grid) throw UsageError("pandakinetics dock: --grid / --no_refine only apply to --score_only");
  return run_dock_search(cfg, ctx);
}

}  // namespace pk::dock
