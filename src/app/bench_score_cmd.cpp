// `pandakinetics bench score`: options, the measurement (bench_score.cpp) and
// its JSON. Defaults: the Debian test complex (inputs/dock) in the box of its
// conf.txt.
#include "app/path_options.hpp"
#include "core/error.hpp"
#include "app/bench_inputs.hpp"
#include "dock/device_api.hpp"
#include "app/dock_cmd.hpp"
#include "io/json.hpp"

#include <ostream>


namespace pk::dock {

namespace po = cli::po;

void add_bench_score_options(po::options_description& desc) {
  add_test_complex_options(desc);
  desc.add_options()
      ("poses", po::value<int>()->default_value(1 << 16), "random rigid poses per launch (one thread each)")
      ("repeats", po::value<int>()->default_value(7), "timed launches after a warm-up; medians are reported")
      ("seed", po::value<long long>()->default_value(1), "seed of the random poses")
      ("near", po::bool_switch(),
       "poses near the ligand's input pose (normal steps of 0.5 Å, 0.1 rad, 0.2 rad per torsion), the access "
       "pattern of a local optimisation, instead of anywhere in the box (give a ligand pose inside the box)")
      ("json", po::value<std::string>()->value_name("FILE"), "also write the result as JSON to FILE");
}

int run_bench_score(const po::variables_map& vm, cli::Context& ctx) {
  cli::check_paths("bench score", cli::input_paths(vm, {"receptor", "ligand"}), cli::paths_of(vm, {"json"}));
  ScoreBenchSettings s;
  s.poses = vm["poses"].as<int>();
  s.repeats = vm["repeats"].as<int>();
  s.seed = static_cast<std::uint64_t>(vm["seed"].as<long long>());
  s.near = vm["near"].as<bool>();
  if (s.poses < 1 || s.repeats < 1) throw UsageError("pandakinetics bench score: --poses and --repeats must be positive");
  const Receptor receptor = read_receptor(vm["receptor"].as<std::string>());
  const Ligand lig = read_ligands(vm["ligand"].as<std::string>())[0];
  const GridBox box = GridBox::from_center_size(
      {vm["center_x"].as<double>(), vm["center_y"].as<double>(), vm["center_z"].as<double>()},
      {vm["size_x"].as<double>(), vm["size_y"].as<double>(), vm["size_z"].as<double>()});
  const ScoreBenchResult r = bench_score(receptor, lig, box, ScoringWeights{}, s);
  io::JsonWriter j;
  j.begin_object().value("benchmark", "score").value("execution_space", r.execution_space);
  j.value("receptor", vm["receptor"].as<std::string>()).value("ligand", vm["ligand"].as<std::string>());
  j.value("ligand_atoms", r.n_atoms).value("ligand_heavy_atoms", r.n_heavy).value("intra_pairs", r.n_pairs);
  j.value("poses", s.poses).value("near_input_pose", s.near).value("repeats", s.repeats).value("softening_cap_kcal_per_mol", s.cap);
  j.value("what", "evals_per_s: energy + per-atom gradient per pose, grid term (trilinear, 0.375 A maps) + "
                  "intramolecular pairs, rigid random poses; with_kinematics_per_s: the same from a random "
                  "conformation through the torsion tree, plus the gradient back to the conformation; "
                  "team_evals_per_s: grid + intra with a team per pose (lanes over atoms, then pairs); "
                  "team_with_kinematics_per_s: the with_kinematics evaluation by a team per conformation, "
                  "as the GPU search runs it (team_form, PK_DOCK_TEAM_FORM); team_with_kinematics_pairs_form_per_s, "
                  "team_with_kinematics_atoms_form_per_s: the same in each form of the team energy (pairs: "
                  "lanes over pairs, forces parked in shared memory; atoms: lanes over atoms, each pair "
                  "computed from both sides, no parked forces); team_with_kinematics_atoms_form_grouped: the atoms form "
                  "with 32 / lanes_per_conformation conformations per team (a warp), each evaluated by its own group "
                  "of lanes, scratch holding only what an evaluation needs (not how the search runs it)");
  j.value("torsions", r.n_torsions);
  j.value("grid_build_s", r.grid_build_seconds);
  j.value("launch_s", r.seconds).value("inter_launch_s", r.inter_seconds).value("intra_launch_s", r.intra_seconds);
  j.value("evals_per_s", r.median_evals_per_second);
  j.value("inter_evals_per_s", r.median_inter_per_second).value("intra_evals_per_s", r.median_intra_per_second);
  j.value("with_kinematics_launch_s", r.full_seconds).value("with_kinematics_per_s", r.median_full_per_second);
  j.value("with_kinematics_launch_cpu_s", r.full_cpu_seconds);
  j.value("team_size", r.team_size).value("team_launch_s", r.team_seconds);
  j.value("team_evals_per_s", r.median_team_per_second);
  j.value("team_vs_thread_max_rel_energy_diff", r.team_max_energy_diff);
  j.value("team_vs_thread_max_rel_grad_diff", r.team_max_grad_diff);
  j.value("with_kinematics_per_cpu_s", r.median_full_per_cpu_second);
  j.value("team_with_kinematics_launch_s", r.team_full_seconds);
  j.value("team_with_kinematics_per_s", r.median_team_full_per_second).value("team_form", r.team_form);
  j.value("team_with_kinematics_pairs_form_launch_s", r.team_full_pairs_seconds);
  j.value("team_with_kinematics_pairs_form_per_s", r.median_team_full_pairs_per_second);
  j.value("team_with_kinematics_atoms_form_launch_s", r.team_full_atoms_seconds);
  j.value("team_with_kinematics_atoms_form_per_s", r.median_team_full_atoms_per_second);
  j.value("team_with_kinematics_vs_thread_max_rel_energy_diff", r.team_full_max_energy_diff);
  j.begin_array("team_with_kinematics_atoms_form_grouped");
  for (const auto& g : r.grouped) {
    j.begin_object().value("lanes_per_conformation", g.lanes).value("conformations_per_team", r.team_size / g.lanes);
    j.value("launch_bounds_teams_per_sm", g.min_blocks);
    j.value("launch_s", g.seconds).value("per_s", g.median_per_second).end_object();
  }
  j.end_array();
  j.value("grouped_vs_thread_max_rel_energy_diff", r.grouped_max_energy_diff);
  j.value("grouped_vs_thread_max_rel_conformation_gradient_diff", r.grouped_max_change_diff);
  j.value("energy_checksum_kcal_per_mol", r.checksum).end_object();
  ctx.out << j.str() << "\n";
  if (vm.count("json") && ctx.rank == 0) j.save(vm["json"].as<std::string>());
  return kExitOk;
}

}  // namespace pk::dock
