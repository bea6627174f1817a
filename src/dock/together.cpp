// Repeated --ligand (Vina 1.2's multi-ligand model): the ligands of one
// complex scored, optimised or docked together, printed and written as Vina
// prints and writes them (see together.hpp).
#include "dock/together.hpp"

#include "core/error.hpp"
#include "dock/cluster.hpp"
#include "dock/complex.hpp"
#include "dock/screen.hpp"
#include "dock/search_select.hpp"
#include "io/atomic_file.hpp"
#include "io/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>

namespace pk::dock {

namespace {

std::string fmt3(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

/// One pose of the complex, scored with the exact pairwise form.
struct ComplexPose {
  ComplexCoords xyz;
  ComplexScore s;
  double score = 0;  ///< Vina's (inter + intra - intra_best) / normalisation
  double rmsd_lb = 0, rmsd_ub = 0;
};

void print_block(std::ostream& o, const ComplexScore& s, double total) {
  const auto line = [&](const char* label, double v) { o << label << fmt3(v) << " (kcal/mol)\n"; };
  o << "Estimated Free Energy of Binding   : " << fmt3(total) << " (kcal/mol) [=(1)+(2)+(3)+(4)]\n";
  line("(1) Final Intermolecular Energy    : ", s.inter);
  line("    Ligand - Receptor              : ", s.ligand_receptor);
  // Vina 1.2.3 prints the ligand-ligand energy on this line.
  line("    Ligand - Flex side chains      : ", s.ligand_ligand);
  line("(2) Final Total Internal Energy    : ", s.intra);
  line("    Ligand                         : ", s.intra);
  line("    Flex   - Receptor              : ", 0.0);
  line("    Flex   - Flex side chains      : ", 0.0);
  line("(3) Torsional Free Energy          : ", total - s.inter);
  line("(4) Unbound System's Energy        : ", s.intra);
}

/// Every pose as one MODEL holding each ligand in turn (Vina's multi-ligand output).
void write_models(const std::vector<Ligand>& ligands, const std::vector<ComplexPose>& poses, const std::string& path) {
  std::ostringstream o;
  for (std::size_t i = 0; i < poses.size(); ++i) {
    const ComplexPose& p = poses[i];
    // Vina's layout: the values right-aligned to column 37.
    const auto remark = [&](const char* label, double v) {
      char b[96];
      std::snprintf(b, sizeof b, "%-21s%16.3f\n", label, v);
      o << b;
    };
    char b[160];
    std::snprintf(b, sizeof b, "REMARK VINA RESULT: %9.3f  %9.3f  %9.3f\n", p.score, p.rmsd_lb, p.rmsd_ub);
    o << "MODEL " << i + 1 << "\n" << b;
    remark("REMARK INTER + INTRA:", p.s.inter + p.s.intra);
    remark("REMARK INTER:", p.s.inter);
    remark("REMARK INTRA:", p.s.intra);
    remark("REMARK UNBOUND:", poses[0].s.intra);
    for (std::size_t l = 0; l < ligands.size(); ++l) {
      std::string text = ligand_pdbqt_with_coords(ligands[l], p.xyz[l]);
      if (!text.empty() && text.back() != '\n') text += '\n';
      o << text;
    }
    o << "ENDMDL\n";
  }
  io::write_file_atomically(path, o.str());
}

void write_json(const DockConfig& cfg, const std::string& mode, const std::vector<ComplexPose>& poses) {
  io::JsonWriter j;
  j.begin_object();
  j.value("program", "pandakinetics dock").value("mode", mode + ", ligands together");
  j.value("scoring_function", scoring_function_name(cfg.weights.function));
  j.value("receptor", cfg.receptor).begin_array("ligands");
  for (const auto& f : cfg.together) j.value("", f);
  j.end_array();
  j.begin_array("poses");
  for (const auto& p : poses) {
    j.begin_object();
    j.value("score", p.score).value("inter_kcal_per_mol", p.s.inter);
    j.value("ligand_receptor_kcal_per_mol", p.s.ligand_receptor).value("ligand_ligand_kcal_per_mol", p.s.ligand_ligand);
    j.value("intra_kcal_per_mol", p.s.intra).value("torsional_normalisation", p.s.torsional_normalisation);
    j.value("out_of_box_penalty_kcal_per_mol", p.s.out_of_box_penalty);
    j.value("rmsd_lb", p.rmsd_lb).value("rmsd_ub", p.rmsd_ub);
    for (const auto& [key, t] : {std::pair<const char*, const TermSums*>{"ligand_receptor_terms_unweighted",
                                                                          &p.s.ligand_receptor_terms},
                                 {"ligand_ligand_terms_unweighted", &p.s.ligand_ligand_terms},
                                 {"intra_terms_unweighted", &p.s.intra_terms}}) {
      j.begin_object(key);
      for (int k = 0; k < kNumTerms; ++k) j.value(term_name(k), (*t)[k]);
      j.end_object();
    }
    j.end_object();
  }
  j.end_array();
  j.begin_object("options");
  for (const auto& [k, v] : cfg.option_values) j.value(k, v);
  j.end_object();
  j.end_object();
  j.save(cfg.json);
}

/// Heavy-atom coordinates of every ligand, one list; `element` gets a type id per atom.
Coords heavy_of(const std::vector<Ligand>& ligands, const ComplexCoords& xyz, std::vector<int>* element = nullptr) {
  Coords h;
  std::map<std::string, int> ids;
  for (std::size_t l = 0; l < ligands.size(); ++l)
    for (int a = 0; a < ligands[l].n_atoms(); ++a) {
      if (ligands[l].atoms[a].xs == kXsNone) continue;
      h.push_back(xyz[l][a]);
      if (element)
        element->push_back(ids.emplace(ligands[l].atoms[a].element, static_cast<int>(ids.size())).first->second);
    }
  return h;
}

/// The complex as read: its ligands (a multi-MODEL file refused), its box and
/// the exact scorer of its poses.
struct Complex {
  Receptor receptor;
  ReceptorAtoms rec;
  std::vector<Ligand> ligands;
  GridBox box;
  std::vector<const Ligand*> ptrs;
  ComplexScore score(const DockConfig& cfg, const ComplexCoords& xyz) const {
    return score_together(PairTable::shared(cfg.weights), cfg.weights, rec, ptrs, xyz, box);
  }
};

void read_complex(const DockConfig& cfg, Complex& c) {
  c.receptor = read_receptor(cfg.receptor);
  c.rec = ReceptorAtoms::of(c.receptor);
  for (const auto& f : cfg.together) {
    std::vector<Ligand> models = read_ligands(f);
    if (models.size() > 1) refuse_multi_model(f);
    c.ligands.push_back(std::move(models.front()));
  }
  Ligand all;  // every atom of the complex: Vina's --autobox covers all the ligands
  for (const auto& l : c.ligands) all.atoms.insert(all.atoms.end(), l.atoms.begin(), l.atoms.end());
  c.box = cfg.autobox ? autobox_of(all, cfg.spacing) : GridBox::from_center_size(cfg.center, cfg.size, cfg.spacing);
  for (const auto& l : c.ligands) c.ptrs.push_back(&l);
}

/// Docking together: the search's minima re-scored exactly, ranked by inter +
/// intra, clustered, scored with Vina's formula against the best pose's intra,
/// RMSD bounds from it, cut to the modes kept; the mode table printed.
std::vector<ComplexPose> dock_complex(const DockConfig& cfg, const Complex& c, Context& ctx) {
  int n_movable = 0, dof = 0;
  for (const auto& l : c.ligands) n_movable += l.n_atoms(), dof += 6 + l.n_torsions();
  ComplexSearchSettings s;
  s.chains = cfg.chains > 0 ? cfg.chains : 8 * cfg.exhaustiveness;
  s.steps_per_chain = cfg.steps_per_chain > 0
                          ? cfg.steps_per_chain
                          : std::max(1, vina_global_steps(n_movable, dof - 6) * cfg.exhaustiveness / s.chains);
  s.seed = cfg.seed;
  s.threads = cfg.cpu;
  if (!cfg.seed_given) ctx.out << "dock: no --seed given; using seed 0\n";
  ctx.out << "dock: " << c.ligands.size() << " ligands together on host threads, " << s.chains << " chains x "
          << s.steps_per_chain << " steps\n";
  std::vector<ComplexPose> scored, poses;
  for (const auto& m : search_together(c.receptor, cfg.weights, c.ligands, c.box, s)) {
    ComplexPose p{m.coords, c.score(cfg, m.coords)};
    if (p.s.out_of_box_penalty == 0) scored.push_back(std::move(p));  // a pose with an atom outside: no result
  }
  std::stable_sort(scored.begin(), scored.end(), [](const ComplexPose& a, const ComplexPose& b) {
    return a.s.inter + a.s.intra < b.s.inter + b.s.intra;
  });
  std::vector<double> energy;
  std::vector<Coords> heavy;
  for (const auto& p : scored) energy.push_back(p.s.inter + p.s.intra), heavy.push_back(heavy_of(c.ligands, p.xyz));
  for (int i : cluster_poses(energy, heavy, cfg.min_rmsd)) poses.push_back(scored[i]);
  if (poses.empty())
    throw InputError(cfg.together.front(), 0, "no pose of the complex found with every heavy atom inside the search box");
  std::vector<int> element;
  const Coords best = heavy_of(c.ligands, poses[0].xyz, &element);
  std::vector<double> scores;
  for (auto& p : poses) {
    p.score = (p.s.inter + p.s.intra - poses[0].s.intra) / p.s.torsional_normalisation;
    const Coords h = heavy_of(c.ligands, p.xyz);
    p.rmsd_ub = rmsd_upper_bound(h, best);
    p.rmsd_lb = rmsd_lower_bound(h, best, element);
    scores.push_back(p.score);
  }
  poses.resize(modes_to_keep(scores, cfg.num_modes, cfg.energy_range));
  ctx.out << "mode |   affinity | dist from best mode\n     | (kcal/mol) | rmsd l.b.| rmsd u.b.\n"
          << "-----+------------+----------+----------\n";
  for (std::size_t i = 0; i < poses.size(); ++i) {
    char row[96];
    std::snprintf(row, sizeof row, "%4zu %12.3f %10.3f %10.3f\n", i + 1, poses[i].score, poses[i].rmsd_lb,
                  poses[i].rmsd_ub);
    ctx.out << row;
  }
  return poses;
}

}  // namespace

int run_together(const DockConfig& cfg, Context& ctx) {
  Complex c;
  read_complex(cfg, c);
  if (cfg.verbosity > 0) {
    ctx.out << "Ligands (one complex, as Vina's repeated --ligand):";
    for (const auto& f : cfg.together) ctx.out << " " << f;
    ctx.out << "\nScoring: " << scoring_function_name(cfg.weights.function)
            << ", direct pairwise form (vina --score_only)\n";
  }
  // Every rank computes the same (deterministic) result; rank 0 writes it.
  const bool writer = ctx.rank == 0;
  std::vector<ComplexPose> poses;
  if (cfg.score_only || cfg.local_only) {
    ComplexPose p;
    if (cfg.score_only) {
      for (const auto& l : c.ligands) {
        for (const auto& a : l.atoms)
          if (!a.hydrogen && !c.box.contains(a.xyz))
            throw InputError(l.file, a.line,
                             "ligand atom " + a.name + " is outside the search box: expected every heavy atom "
                             "inside the box (enlarge --size_x/_y/_z or use --autobox)");
        p.xyz.push_back(input_coordinates(l));
      }
    } else {
      p.xyz = local_optimize_together(c.receptor, cfg.weights, c.ligands, c.box, cfg.local_thorough);
    }
    p.s = c.score(cfg, p.xyz);
    p.score = p.s.total;
    print_block(ctx.out, p.s, p.score);
    poses.push_back(std::move(p));
  } else {
    poses = dock_complex(cfg, c, ctx);
  }
  if (!cfg.score_only && writer) {
    const std::string out =
        cfg.out.empty() ? ligand_output_files(cfg, cfg.together.front(), "", false).pdbqt : cfg.out;
    write_models(c.ligands, poses, out);
    ctx.out << "wrote " << poses.size() << " pose(s) of the " << c.ligands.size() << " ligands to " << out << "\n";
  }
  if (!cfg.json.empty() && writer)
    write_json(cfg, cfg.score_only ? "score_only" : cfg.local_only ? "local_only" : "dock", poses);
  return kExitOk;
}

}  // namespace pk::dock
