// `pandakinetics network`: options, the build, the printed summary and the
// output files (HDF5 network + CSV + optional JSON).
#include "app/path_options.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/json.hpp"
#include "network/validate.hpp"
#include "landscape/barrier.hpp"
#include "app/commands.hpp"
#include "landscape/network_io.hpp"
#include "landscape/network_lump.hpp"
#include "landscape/receptor.hpp"
#include "solve/exact.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>

namespace pk::pipeline {

namespace po = cli::po;

void add_network_options(po::options_description& desc) {
  const NetworkSettings d;
  desc.add_options()
      ("poses", po::value<std::string>()->value_name("POSES.h5"),
       "docked poses (pandakinetics dock --out_h5); may be given without --poses")
      ("ligand", po::value<std::string>()->default_value(""), "ligand group in the poses file (default: the only one)")
      ("receptor", po::value<std::string>()->value_name("FILE.pdbqt"),
       "receptor for the contact count (default: the poses file's `receptor` attribute)")
      ("output", po::value<std::string>()->default_value("network.h5"),
       "network HDF5 file: /network (read by kmc/solve --network) and /builder (per-state and per-edge details)")
      ("csv-dir", po::value<std::string>()->value_name("DIR"),
       "also write DIR/states.csv and DIR/edges.csv (kmc --states --edges); default: the folder of --output")
      ("summary", po::value<std::string>()->value_name("FILE.json"), "also write a JSON summary")
      ("cluster-rmsd", po::value<double>()->default_value(d.cluster_rmsd_angstrom),
       "poses within this heavy-atom RMSD (Å, no symmetry) of a cluster's best pose form one state")
      ("edge-rmsd", po::value<double>()->default_value(d.edge_rmsd_angstrom),
       "two states are neighbours (an edge) when their best poses are within this RMSD (Å) ...")
      ("edge-centroid", po::value<double>()->default_value(d.edge_centroid_angstrom),
       "... or their heavy-atom centroids are within this distance (Å)")
      ("score-offset", po::value<double>()->default_value(d.model.offset_kcal_per_mol),
       "free-energy model G = offset + scale x score: offset in kcal/mol (unbound: G = 0 at 1 M). Absolute rates "
       "computed from docking scores are estimates: good for ranking, selectivity and orders of magnitude")
      ("score-scale", po::value<double>()->default_value(d.model.scale), "free-energy model: scale (> 0, dimensionless)")
      ("parameters", po::value<std::string>()->value_name("FILE"),
       "the free-energy model's parameter set (pandakinetics calibrate --output; `name = value` lines: scale, "
       "offset_kcal_per_mol, rotor_kcal_per_mol, polar_kcal_per_mol, apolar_kcal_per_mol, log10_kappa). Replaces "
       "--score-offset/--score-scale; docs/landscape.md")
      ("channel-rays", po::value<int>()->default_value(d.channels.rays),
       "landscape mode: push the best pose out of the pocket along this many directions (evenly spread), relaxing it "
       "every --channel-step across the ray; the images become channel and surface states, pocket states are `bound`, "
       "the others `other`, and only surface states exchange with the bulk (0: off, every state is bound)")
      ("channel-step", po::value<double>()->default_value(d.channels.step_angstrom), "landscape mode: Å between channel states along a ray")
      ("channel-length", po::value<double>()->default_value(d.channels.length_angstrom),
       "landscape mode: how far a ray reaches from the pocket at most (Å); a ray ends earlier at its first surface state "
       "(buried less than --exposed-contact-fraction)")
      ("channel-max-energy", po::value<double>()->default_value(d.channels.max_energy_kcal_per_mol),
       "landscape mode: a ray is blocked before an image whose relaxed Vina energy exceeds this (kcal/mol)")
      ("patch-radius", po::value<double>()->default_value(d.patch_radius_angstrom),
       "landscape mode: each surface state is an absorbing patch of this radius (Å) on the encounter sphere "
       "(receptor + ligand radii): association k_D a / (n a + pi R) per patch (Berg & Purcell 1977)")
      ("ligand-orientation", po::value<bool>()->default_value(d.ligand_orientation),
       "landscape mode: the ligand must also turn a contact patch of --patch-radius toward the receptor: every "
       "patch rate times a / (a + pi r_L), r_L the ligand's equivalent-sphere radius (docs/landscape.md; false: any "
       "orientation binds)")
      ("temperature", po::value<double>()->default_value(d.temperature_K),
       "K: the bulk-exchange transition state reproduces k_D at this temperature and kappa")
      ("kappa", po::value<double>()->default_value(d.kappa), "Eyring transmission coefficient in (0, 1]")
      ("diffusion", po::value<double>()->default_value(d.diffusion_m2_per_s),
       "relative diffusion coefficient of ligand and receptor, m^2/s, for k_D = 4 pi D R N_A")
      ("capture-radius", po::value<double>()->default_value(d.capture_radius_angstrom), "encounter radius R, Å")
      ("surface-margin", po::value<double>()->default_value(d.surface_margin_angstrom),
       "a state is solvent-exposed when its centroid is within this distance (Å) of its search box's surface ...")
      ("contact-distance", po::value<double>()->default_value(d.contact_distance_angstrom),
       "... or when fewer than --exposed-contact-fraction of its heavy atoms have a receptor heavy atom within "
       "this distance (Å)")
      ("exposed-contact-fraction", po::value<double>()->default_value(d.exposed_contact_fraction), "see --contact-distance")
      ("images", po::value<int>()->default_value(d.images), "interior images along each path between two states")
      ("path-scorer", po::value<std::string>()->default_value("device"),
       "device: the docking code's grid scorer with analytic gradients, all images in batches (Kokkos: GPU or "
       "OpenMP); host: its direct pairwise reference with numerical gradients (slower)")
      ("max-barrier", po::value<double>()->default_value(d.max_barrier_kcal_per_mol),
       "leave two neighbours unconnected when their barrier, seen from the lower state, exceeds this (kcal/mol; "
       "60 kcal/mol is a rate below 1e-30 1/s at 300 K)")
      ("relax-steps", po::value<int>()->default_value(20),
       "BFGS steps relaxing each image orthogonally to the path (a step moves a coordinate by at most 1 Å or "
       "1 rad); too few leave the clashes of the straight interpolation in the barriers")
      ("lump-barrier", po::value<double>()->default_value(0.0),
       "merge bound states joined by a barrier below this (kcal/mol, seen from the lower state) into one state at "
       "local equilibrium (0: no merging). Pairs that flicker at ~1e12 1/s otherwise cost KMC ~1e12 steps per "
       "simulated second; the exact koff of both networks is printed for comparison")
      ("drop-unconnected", po::bool_switch(),
       "drop states with no path to unbound (listed) instead of stopping with an error");
}

namespace {

NetworkSettings settings_from(const po::variables_map& vm) {
  NetworkSettings s;
  s.ligand = vm["ligand"].as<std::string>();
  s.cluster_rmsd_angstrom = vm["cluster-rmsd"].as<double>();
  s.edge_rmsd_angstrom = vm["edge-rmsd"].as<double>();
  s.edge_centroid_angstrom = vm["edge-centroid"].as<double>();
  if (vm.count("parameters")) {
    if (!vm["score-offset"].defaulted() || !vm["score-scale"].defaulted())
      throw UsageError("pandakinetics network: give either --parameters or --score-offset/--score-scale, not both");
    s.model = landscape::read_parameters(vm["parameters"].as<std::string>());
  } else {
    s.model.offset_kcal_per_mol = vm["score-offset"].as<double>();
    s.model.scale = vm["score-scale"].as<double>();
    s.model.provenance = "--score-offset/--score-scale";
  }
  s.channels.rays = vm["channel-rays"].as<int>();
  s.channels.step_angstrom = vm["channel-step"].as<double>();
  s.channels.length_angstrom = vm["channel-length"].as<double>();
  s.channels.max_energy_kcal_per_mol = vm["channel-max-energy"].as<double>();
  s.channels.relax_steps = vm["relax-steps"].as<int>();
  s.patch_radius_angstrom = vm["patch-radius"].as<double>();
  s.ligand_orientation = vm["ligand-orientation"].as<bool>();
  s.temperature_K = vm["temperature"].as<double>();
  s.kappa = vm["kappa"].as<double>();
  s.diffusion_m2_per_s = vm["diffusion"].as<double>();
  s.capture_radius_angstrom = vm["capture-radius"].as<double>();
  s.surface_margin_angstrom = vm["surface-margin"].as<double>();
  s.contact_distance_angstrom = vm["contact-distance"].as<double>();
  s.exposed_contact_fraction = vm["exposed-contact-fraction"].as<double>();
  s.images = vm["images"].as<int>();
  s.drop_unconnected = vm["drop-unconnected"].as<bool>();
  s.max_barrier_kcal_per_mol = vm["max-barrier"].as<double>();
  s.channels.surface_burial = s.exposed_contact_fraction;
  check_settings(s);
  if (vm["relax-steps"].as<int>() < 0) throw UsageError("pandakinetics network: --relax-steps must be >= 0");
  return s;
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

std::string num(double v, const char* f = "%.3f") {
  char b[48];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

void print(std::ostream& out, const BuiltNetwork& b, const std::string& method, double rt) {
  out << "network: " << b.states.size() << " states + unbound, " << b.exposed << " solvent-exposed, " << b.edges.size()
      << " connections; k_D = " << num(b.k_diffusion_per_M_per_s, "%.4e") << " 1/(M s)";
  if (b.landscape)
    out << " (encounter radius " << num(b.encounter_radius_angstrom, "%.1f") << " Å; ligand orientation factor "
        << num(b.ligand_orientation_factor, "%.4f") << ")";
  out << "\n  barriers: " << method << "\n";
  if (b.landscape) {
    int count[3] = {0, 0, 0};
    double lowest[3] = {INFINITY, INFINITY, INFINITY}, reach[3] = {0, 0, 0};
    for (const auto& s : b.states) {
      const int l = static_cast<int>(s.layer);
      ++count[l];
      lowest[l] = std::min(lowest[l], s.free_energy_kcal_per_mol);
      reach[l] = std::max(reach[l], s.pocket_distance_angstrom);
    }
    out << "  landscape: layer  states  lowest G (kcal/mol)  farthest from the pocket (Å)\n";
    for (int l = 0; l < 3; ++l)
      out << "             " << to_string(static_cast<Layer>(l)) << std::string(8 - std::string(to_string(static_cast<Layer>(l))).size(), ' ')
          << num(count[l], "%6.0f") << (count[l] ? num(lowest[l], "%21.3f") : std::string(21 - 1, ' ') + "-")
          << num(reach[l], "%30.1f") << "\n";
  }
  const bool table = b.states.size() <= 40;
  if (table) out << "  state  G (kcal/mol)  poses  site  exposed  contacts  Kd if alone (M)\n";
  for (const auto& s : b.states) {
    if (!table) break;
    out << "  " << s.name << std::string(s.name.size() < 6 ? 6 - s.name.size() : 1, ' ') << num(s.free_energy_kcal_per_mol, "%12.3f")
        << num(static_cast<double>(s.members.size()), "%7.0f") << num(s.site, "%6.0f") << (s.exposed ? "      yes" : "       no")
        << num(s.contact_fraction, "%10.2f") << "  " << num(std::exp(s.free_energy_kcal_per_mol / rt), "%.3e") << "\n";
  }
  if (!table) out << "  (" << b.states.size() << " states: the per-state table is in --summary and network.h5:/builder/states)\n";
  if (b.edges_over_max_barrier)
    out << "  " << b.edges_over_max_barrier << " neighbour pair(s) left unconnected: barrier above --max-barrier\n";
  int clamped = 0;
  for (const auto& e : b.edges) clamped += e.clamped;
  if (clamped)
    out << "  " << clamped << " bulk connection(s) from states above the bulk transition state: barrierless, association "
        << "slower than k_D there\n";
  for (const auto& d : b.dropped) out << "  dropped (no path to unbound): " << d << "\n";
  out << "  Absolute rates from a docking score are estimates: good for ranking, selectivity and orders of magnitude.\n";
}

}  // namespace

int run_network(const po::variables_map& vm, cli::Context& ctx) {
  using Clock = std::chrono::steady_clock;
  const auto since = [](Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  const Clock::time_point t_start = Clock::now();
  if (!vm.count("poses")) throw UsageError("pandakinetics network: no poses file given (--poses POSES.h5)");
  const NetworkSettings cfg = settings_from(vm);
  const std::string poses_path = vm["poses"].as<std::string>();
  const PosesFile poses = read_poses_h5(poses_path);
  const LigandPoses& lig = poses.ligand(cfg.ligand);
  const std::string receptor = vm.count("receptor") ? vm["receptor"].as<std::string>() : poses.receptor;
  {  // output safety (io/output_paths.hpp): no output over an input, no two outputs on one file
    std::vector<io::NamedPath> in = cli::input_paths(vm, {"poses"}), out = cli::paths_of(vm, {"output", "summary"});
    in.push_back({vm.count("receptor") ? "--receptor" : "the poses file's receptor", receptor});
    const std::string dir = vm.count("csv-dir") ? vm["csv-dir"].as<std::string>() : folder_of(vm["output"].as<std::string>());
    out.insert(out.end(), {{"--csv-dir (states.csv)", dir + "/states.csv"}, {"--csv-dir (edges.csv)", dir + "/edges.csv"}});
    cli::check_paths("network", in, out);
  }
  double t_scorer = 0, t_channels = 0, t_paths = 0;
  const Coords receptor_atoms = read_receptor_heavy_atoms(receptor);
  // The channel states reach `channel-length` from the best pose's root: the scorer's grid covers that too.
  const int best = best_pose(lig);
  std::vector<SearchBox> channel_region;
  if (cfg.channels.rays > 0) {
    const double r = cfg.channels.length_angstrom + cfg.channels.step_angstrom;
    channel_region.push_back({lig.position_angstrom[best], {2 * r, 2 * r, 2 * r}});
  }
  PathEnergyModel model;
  Clock::time_point t0 = Clock::now();
  try {
    model = make_path_energy(poses, lig, receptor, cfg.images, vm["relax-steps"].as<int>(),
                             vm["path-scorer"].as<std::string>(), channel_region);
  } catch (const NotAvailable& e) {
    ctx.err << e.what() << "\n";
    return kExitUsage;
  }
  t_scorer = since(t0);
  t0 = Clock::now();
  LigandPoses landscape_poses;
  if (cfg.channels.rays > 0) {
    const std::vector<int> heavy = heavy_atom_indices(lig);
    const auto burial = [&](const Conformation& c) {
      const Coords all = model.coordinates(c);
      Coords h;
      for (int a : heavy) h.push_back(all[a]);
      return contact_fraction(h, receptor_atoms, cfg.contact_distance_angstrom);
    };
    const auto images = landscape::sample_channels(conformation_of(lig, best), cfg.channels, model.batch, burial);
    landscape_poses = with_channel_poses(lig, images, model.coordinates);
  }
  const LigandPoses& source_poses = cfg.channels.rays > 0 ? landscape_poses : lig;
  t_channels = since(t0);
  t0 = Clock::now();
  const BuiltNetwork full =
      build_network(source_poses, poses.boxes, receptor_atoms, cfg, model.energy, poses_path, model.n_rot);
  t_paths = since(t0);
  const double lump = vm["lump-barrier"].as<double>();
  if (!(lump >= 0) || !std::isfinite(lump)) throw UsageError("pandakinetics network: --lump-barrier must be >= 0 kcal/mol");
  const LumpResult lumped = lump_fast_states(full, lump, cfg.temperature_K);
  const BuiltNetwork& built = lump > 0 ? lumped.lumped : full;
  network::check_network(built.net, poses_path, "/network");
  std::vector<std::int32_t> all(built.net.states.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int32_t>(i);
  network::check_reachable(built.net, all);

  const std::string output = vm["output"].as<std::string>();
  const std::string csv = vm.count("csv-dir") ? vm["csv-dir"].as<std::string>() : folder_of(output);
  if (ctx.rank == 0) {
    write_network_csv(built.net, csv + "/states.csv", csv + "/edges.csv");
    NetworkProvenance prov{poses_path, receptor, lig.name, model.description, ctx.command_line, cli::option_values(vm)};
    write_network_file(output, built, cfg, prov, lump > 0 ? &full.net : nullptr);  // last: marks the stage finished
    if (vm.count("summary")) {
      io::JsonWriter j;
      j.begin_object().value("program", "pandakinetics network").value("poses", poses_path).value("ligand", lig.name);
      j.value("barrier_method", model.description).value("k_diffusion_per_M_per_s", built.k_diffusion_per_M_per_s);
      j.value("states", static_cast<int>(built.states.size())).value("exposed", built.exposed);
      j.value("connections", static_cast<int>(built.edges.size()));
      j.value("neighbours_over_max_barrier", built.edges_over_max_barrier);
      j.begin_array("state_list");
      for (const auto& s : built.states) {
        j.begin_object().value("name", s.name).value("free_energy_kcal_per_mol", s.free_energy_kcal_per_mol);
        j.value("score_kcal_per_mol", s.score_kcal_per_mol).value("representative_pose", s.representative);
        j.value("poses", static_cast<int>(s.members.size())).value("site", s.site).value("exposed", s.exposed);
        j.value("contact_fraction", s.contact_fraction).value("layer", to_string(s.layer));
        j.value("pocket_distance_angstrom", s.pocket_distance_angstrom).end_object();
      }
      j.end_array();
      j.begin_array("dropped");
      for (const auto& d : built.dropped) j.begin_object().value("state", d).end_object();
      j.end_array().end_object();
      j.save(vm["summary"].as<std::string>());
    }
  }
  print(ctx.out, built, model.description, units::rt_kcal_per_mol(cfg.temperature_K));
  if (lump > 0) {
    ctx.out << "  merged " << lumped.merged_states << " of " << full.states.size() << " states (barrier below " << lump
            << " kcal/mol)";
    if (full.net.states.size() <= 3000) {
      const network::Conditions c{cfg.temperature_K, cfg.kappa, 1e-6};
      const double k_full = solve::exact_kinetics(full.net, c, {}).koff_per_s;
      const double k_lumped = solve::exact_kinetics(built.net, c, {}).koff_per_s;
      ctx.out << "; exact koff " << num(k_lumped, "%.4e") << " 1/s merged, " << num(k_full, "%.4e") << " 1/s unmerged ("
              << num(100 * (k_lumped - k_full) / k_full, "%+.3f") << "%)";
    }
    ctx.out << "\n";
  }
  ctx.out << "  wrote " << output << ", " << csv << "/states.csv, " << csv << "/edges.csv\n";
  ctx.out << "  wall times: scorer set-up (receptor, grid maps) " << num(t_scorer, "%.2f") << " s";
  if (cfg.channels.rays > 0) ctx.out << ", channel march " << num(t_channels, "%.2f") << " s";
  ctx.out << ", states and barriers " << num(t_paths, "%.2f") << " s, total " << num(since(t_start), "%.2f") << " s\n";
  return kExitOk;
}

}  // namespace pk::pipeline
