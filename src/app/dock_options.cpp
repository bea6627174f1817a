// `pandakinetics dock` options (Vina's names and defaults) -> DockConfig.
#include "app/dock_options.hpp"

#include "app/cli.hpp"
#include "core/error.hpp"
#include "io/ini.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace pk::dock {

namespace po = boost::program_options;

void validate(boost::any& v, const std::vector<std::string>& values, BoxOption*, int);

void add_dock_options(po::options_description& desc) {
  po::options_description in("Input (Vina's option names; a Vina config file works with --config)", 100, 50);
  in.add_options()
      ("receptor", po::value<std::string>()->value_name("FILE"), "rigid receptor (PDBQT)")
      ("ligand", po::value<std::vector<std::string>>()->multitoken()->value_name("FILE"),
       "ligand (PDBQT). Repeated (as in Vina): the ligands of one complex, scored, optimised and docked "
       "together with the ligand-ligand terms")
      ("batch", po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("FILE"),
       "ligands docked (or scored) one by one, as Vina's --batch (repeatable; needs --dir); a multi-MODEL file "
       "gives one ligand per MODEL")
      ("ligand_directory", po::value<std::string>()->value_name("DIR"),
       "every *.pdbqt in DIR, one by one as --batch (outputs in --dir, default the working directory)");
  po::options_description box("Search space (Å); relative paths are read from the working directory, as Vina does",
                              100, 50);
  box.add_options()
      ("center_x", po::value<double>(), "x of the box centre (Å)")
      ("center_y", po::value<double>(), "y of the box centre (Å)")
      ("center_z", po::value<double>(), "z of the box centre (Å)")
      ("size_x", po::value<double>(), "box size along x (Å)")
      ("size_y", po::value<double>(), "box size along y (Å)")
      ("size_z", po::value<double>(), "box size along z (Å)")
      ("autobox", po::bool_switch(), "box from the ligand (as Vina: centre = mean atom position, size = "
                                     "ceil(2 (largest distance from it + 4 Å))); --score_only and --local_only")
      ("box", po::value<std::vector<BoxOption>>()->composing()->value_name("CX,CY,CZ,SX,SY,SZ"),
       "a search box: centre and size in Å (repeatable; in a config file one `box = ...` line per box). "
       "Every ligand is searched in each box (and in the --center/--size box if given) with the full "
       "exhaustiveness, box b with seed + b; the poses of all boxes are clustered and ranked together and each "
       "pose's box is its `site` in the poses HDF5")
      ("blind", po::bool_switch(),
       "blind docking: add cubes of --blind_box_size that tile the receptor (its heavy atoms' bounding box grown "
       "by 4 Å), neighbours overlapping by --blind_overlap, keeping those that hold receptor surface "
       "(docs/docking.md); the boxes chosen are printed")
      ("blind_box_size", po::value<double>()->default_value(30.0), "side of a --blind cube (Å)")
      ("blind_overlap", po::value<double>()->default_value(10.0),
       "overlap of neighbouring --blind cubes (Å): a pose no wider than this along each axis lies wholly in one cube")
      ("spacing", po::value<double>()->default_value(kGridSpacingAngstrom), "grid spacing (Å)");
  po::options_description out("Output", 100, 50);
  out.add_options()
      ("out", po::value<std::string>()->value_name("FILE"), "poses as PDBQT models (default <ligand>_out.pdbqt)")
      ("dir", po::value<std::string>()->value_name("DIR"),
       "output folder of --batch / --ligand_directory (created if missing): <name>_out.pdbqt per ligand, as Vina")
      ("out_h5", po::value<std::string>()->value_name("FILE"), "poses HDF5 for the network stage (docs/formats.md)")
      ("out_sdf", po::value<std::string>()->value_name("FILE"), "poses as SDF with score properties")
      ("json", po::value<std::string>()->value_name("FILE"),
       "machine-readable result: per pose total, inter, intra, torsional normalisation and each term")
      ("summary", po::value<std::string>()->value_name("FILE"), "screening summary table (TSV)");
  po::options_description misc("Search and scoring", 100, 50);
  misc.add_options()
      ("score_only", po::bool_switch(), "score the input pose(s) only, direct pairwise form (as vina --score_only)")
      ("grid", po::bool_switch(),
       "with --score_only: score through the interpolated grid maps instead (what vina --score_only --no_refine "
       "prints)")
      ("no_refine", po::bool_switch(),
       "Vina's name for --grid with --score_only; when docking, the final poses are not refined on the exact "
       "pairwise function (they are still scored with it)")
      ("local_only", po::bool_switch(),
       "local optimisation of the input pose only, as vina --local_only: BFGS on the grid maps until a run ends "
       "with the ligand inside the box (one run when it starts inside)")
      ("local_thorough", po::bool_switch(),
       "with --local_only: five BFGS runs in a row, however the first ends (a deeper local minimum than Vina's)")
      ("exhaustiveness", po::value<int>()->default_value(8), "exhaustiveness of the global search (1+)")
      ("seed", po::value<long long>(), "random seed (default 0; results are deterministic for a seed and backend)")
      ("num_modes", po::value<int>()->default_value(9), "maximum number of poses written")
      ("energy_range", po::value<double>()->default_value(3.0), "largest score difference from the best pose (kcal/mol)")
      ("min_rmsd", po::value<double>()->default_value(1.0), "smallest RMSD between written poses (Å)")
      ("chains", po::value<int>()->default_value(0), "Monte Carlo chains (0: 8 per exhaustiveness unit on CPU, 128 on GPU; Vina's total steps are spread over them)")
      ("steps_per_chain", po::value<int>()->default_value(0), "Monte Carlo steps per chain (0: Vina's heuristic)")
      ("cpu", po::value<int>()->default_value(0), "host threads (Kokkos OpenMP threads, as OMP_NUM_THREADS; 0: OMP_NUM_THREADS or all cores)")
      ("verbosity", po::value<int>()->default_value(1), "0 quiet, 1 normal, 2 verbose")
      ("weight_gauss1", po::value<double>()->default_value(ScoringWeights{}.gauss1), "gauss1 weight")
      ("weight_gauss2", po::value<double>()->default_value(ScoringWeights{}.gauss2), "gauss2 weight")
      ("weight_repulsion", po::value<double>()->default_value(ScoringWeights{}.repulsion), "repulsion weight")
      ("weight_hydrophobic", po::value<double>()->default_value(ScoringWeights{}.hydrophobic), "hydrophobic weight")
      ("weight_hydrogen", po::value<double>()->default_value(ScoringWeights{}.hydrogen), "hydrogen-bond weight")
      ("weight_rot", po::value<double>()->default_value(ScoringWeights{}.rot),
       "w in the torsional normalisation 1 + w N_rot (Vina 1.2.3 ignores its own --weight_rot; we apply it)")
      ("scoring", po::value<std::string>()->default_value("vina"),
       "scoring function: vina or vinardo (Vina 1.2.3's; ad4 is not supported)")
      ("weight_vinardo_gauss1", po::value<double>()->default_value(ScoringWeights::vinardo().gauss1),
       "Vinardo gauss weight")
      ("weight_vinardo_repulsion", po::value<double>()->default_value(ScoringWeights::vinardo().repulsion),
       "Vinardo repulsion weight")
      ("weight_vinardo_hydrophobic", po::value<double>()->default_value(ScoringWeights::vinardo().hydrophobic),
       "Vinardo hydrophobic weight")
      ("weight_vinardo_hydrogen", po::value<double>()->default_value(ScoringWeights::vinardo().hydrogen),
       "Vinardo hydrogen-bond weight")
      ("weight_vinardo_rot", po::value<double>()->default_value(ScoringWeights::vinardo().rot),
       "Vinardo w in 1 + w N_rot");
  desc.add(in).add(box).add(out).add(misc);
}

namespace {
template <class T>
T get(const po::variables_map& vm, const char* name) {
  return vm[name].as<T>();
}

/// Reads "cx,cy,cz,sx,sy,sz" into `b`; returns what is wrong with it, or "".
std::string read_box(const std::string& value, DockBox& b) {
  const std::string what = "--box '" + value + "': ";
  std::vector<std::string> fields;
  std::stringstream in(value);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(io::trim(f));
  if (!value.empty() && value.back() == ',') fields.emplace_back();
  if (fields.size() != 6)
    return what + "expected 6 comma-separated numbers cx,cy,cz,sx,sy,sz (centre and size in Å), got " +
           std::to_string(fields.size());
  double v[6];
  for (int k = 0; k < 6; ++k) {
    char* end = nullptr;
    v[k] = std::strtod(fields[k].c_str(), &end);
    if (fields[k].empty() || *end != '\0' || !std::isfinite(v[k]))
      return what + "field " + std::to_string(k + 1) + " '" + fields[k] +
             "' is not a finite number (expected cx,cy,cz,sx,sy,sz in Å)";
  }
  b.origin = "--box";
  for (int d = 0; d < 3; ++d) {
    b.center[d] = v[d];
    b.size[d] = v[3 + d];
    if (!(b.size[d] > 0))
      return what + "the sizes sx,sy,sz must be positive (Å), got " + fields[3 + d] + " for " + "xyz"[d];
  }
  return "";
}

}  // namespace

/// Boost.Program_options reads each --box through this, so that a bad value in a
/// config file is reported with its file and line (cli.cpp) and on the command line
/// as a usage error.
void validate(boost::any& v, const std::vector<std::string>& values, BoxOption*, int) {
  po::validators::check_first_occurrence(v);
  BoxOption b;
  const std::string problem = read_box(po::validators::get_single_string(values), b.box);
  if (!problem.empty()) throw po::error(problem);
  v = b;
}

DockConfig dock_config_from(const po::variables_map& vm) {
  DockConfig c;
  if (vm.count("receptor")) c.receptor = get<std::string>(vm, "receptor");
  if (vm.count("ligand")) c.ligands = get<std::vector<std::string>>(vm, "ligand");
  if (vm.count("ligand_directory")) c.ligand_directory = get<std::string>(vm, "ligand_directory");
  if (c.receptor.empty()) throw UsageError("pandakinetics dock: --receptor is required");
  // Vina 1.2.3's meanings: repeated --ligand = one complex of several ligands;
  // --batch = many ligands one by one (--ligand_directory, ours, the same).
  const std::vector<std::string> batch = vm.count("batch") ? get<std::vector<std::string>>(vm, "batch")
                                                           : std::vector<std::string>{};
  if (!c.ligands.empty() && (!batch.empty() || !c.ligand_directory.empty()))
    throw UsageError("pandakinetics dock: --ligand cannot be combined with --batch or --ligand_directory (as in "
                     "Vina: repeated --ligand gives the ligands of one complex; --batch screens ligands one by one)");
  if (!batch.empty() && !vm.count("dir"))
    throw UsageError("pandakinetics dock: --batch needs --dir DIR, the output folder (as in Vina)");
  c.batch_mode = !batch.empty() || !c.ligand_directory.empty();
  if (c.ligands.size() > 1) c.together = c.ligands;
  if (!batch.empty()) c.ligands = batch;
  if (c.ligands.empty() && c.ligand_directory.empty())
    throw UsageError("pandakinetics dock: give --ligand FILE, --batch FILE (repeatable) or --ligand_directory DIR");
  const char* centre[3] = {"center_x", "center_y", "center_z"};
  const char* size[3] = {"size_x", "size_y", "size_z"};
  int given = 0;
  for (int d = 0; d < 3; ++d) {
    if (vm.count(centre[d])) c.center[d] = get<double>(vm, centre[d]), ++given;
    if (vm.count(size[d])) c.size[d] = get<double>(vm, size[d]), ++given;
  }
  c.autobox = get<bool>(vm, "autobox");
  c.score_only = get<bool>(vm, "score_only");
  c.local_only = get<bool>(vm, "local_only");
  c.local_thorough = get<bool>(vm, "local_thorough");
  if (c.local_thorough && !c.local_only) throw UsageError("pandakinetics dock: --local_thorough needs --local_only");
  c.grid = get<bool>(vm, "grid") || (get<bool>(vm, "no_refine") && c.score_only);
  c.no_refine = get<bool>(vm, "no_refine");
  if (c.autobox && !(c.score_only || c.local_only))
    throw UsageError("pandakinetics dock: --autobox works with --score_only or --local_only (as in Vina)");
  if (given != 0 && given != 6)
    throw UsageError("pandakinetics dock: the box needs all of --center_x/_y/_z and --size_x/_y/_z (Å)");
  c.have_box = given == 6;
  for (int d = 0; d < 3; ++d) {
    if (c.have_box && !std::isfinite(c.center[d]))
      throw UsageError(std::string("pandakinetics dock: --") + centre[d] + " must be a finite number (Å)");
    if (c.have_box && !(c.size[d] > 0 && std::isfinite(c.size[d])))
      throw UsageError(std::string("pandakinetics dock: --") + size[d] + " must be a finite number > 0 (Å)");
  }
  if (c.have_box) c.boxes.push_back(DockBox{c.center, c.size, "--center/--size"});
  if (vm.count("box"))
    for (const auto& b : get<std::vector<BoxOption>>(vm, "box")) c.boxes.push_back(b.box);
  c.blind = get<bool>(vm, "blind");
  c.blind_box_size = get<double>(vm, "blind_box_size");
  c.blind_overlap = get<double>(vm, "blind_overlap");
  if (!(c.blind_box_size > 0) || !std::isfinite(c.blind_box_size))
    throw UsageError("pandakinetics dock: --blind_box_size must be a positive number (Å)");
  if (!(c.blind_overlap >= 0 && c.blind_overlap < c.blind_box_size))
    throw UsageError("pandakinetics dock: --blind_overlap must be >= 0 and smaller than --blind_box_size (Å)");
  if (c.autobox && (c.blind || vm.count("box")))
    throw UsageError("pandakinetics dock: --autobox takes the box from the ligand; it cannot be combined with --box "
                     "or --blind");
  if ((c.score_only || c.local_only) && (c.blind || c.boxes.size() > 1))
    throw UsageError(std::string("pandakinetics dock: --") + (c.score_only ? "score_only" : "local_only") +
                     " works in one box: give one of --center/--size or --box, not " +
                     (c.blind ? "--blind" : std::to_string(c.boxes.size()) + " boxes"));
  if (!c.together.empty()) {  // one complex (together.cpp): one box, one PDBQT
    if (c.blind || c.boxes.size() > 1)
      throw UsageError("pandakinetics dock: several --ligand files (one complex) are searched in one box: give one "
                       "of --center/--size or --box, not " + (c.blind ? std::string("--blind") : "several boxes"));
    for (const char* key : {"out_sdf", "out_h5", "summary", "grid"})
      if (vm.count(key) && !vm[key].defaulted())
        throw UsageError(std::string("pandakinetics dock: --") + key + " is not supported with several --ligand "
                         "files (one complex: --out PDBQT and --json only)");
    if (c.grid) throw UsageError("pandakinetics dock: --no_refine with --score_only (grid scoring) is not supported "
                                 "with several --ligand files (they are scored on the exact pairwise form)");
  }
  // One box given as --box: the single-box modes read it as the centre/size box.
  if (c.boxes.size() == 1 && !c.have_box) c.center = c.boxes[0].center, c.size = c.boxes[0].size, c.have_box = true;
  if (c.boxes.empty() && !c.autobox && !c.blind)
    throw UsageError("pandakinetics dock: give the search box (--center_x/_y/_z, --size_x/_y/_z in Å, or --box "
                     "cx,cy,cz,sx,sy,sz), --blind, or --autobox");
  c.spacing = get<double>(vm, "spacing");
  if (!(c.spacing > 0) || !std::isfinite(c.spacing)) throw UsageError("pandakinetics dock: --spacing must be positive (Å)");
  c.exhaustiveness = get<int>(vm, "exhaustiveness");
  if (c.exhaustiveness < 1) throw UsageError("pandakinetics dock: --exhaustiveness must be at least 1");
  if (vm.count("seed")) c.seed = static_cast<std::uint64_t>(get<long long>(vm, "seed")), c.seed_given = true;
  c.num_modes = get<int>(vm, "num_modes");
  if (c.num_modes < 1) throw UsageError("pandakinetics dock: --num_modes must be at least 1");
  c.energy_range = get<double>(vm, "energy_range");
  if (!(c.energy_range >= 0)) throw UsageError("pandakinetics dock: --energy_range must be >= 0 (kcal/mol)");
  c.min_rmsd = get<double>(vm, "min_rmsd");
  c.chains = get<int>(vm, "chains");
  c.steps_per_chain = get<int>(vm, "steps_per_chain");
  if (c.chains < 0 || c.steps_per_chain < 0)
    throw UsageError("pandakinetics dock: --chains and --steps_per_chain must be >= 0");
  for (auto [key, field] : {std::pair<const char*, std::string*>{"out", &c.out}, {"dir", &c.out_dir},
                            {"out_h5", &c.out_h5}, {"out_sdf", &c.sdf}, {"json", &c.json}, {"summary", &c.summary}})
    if (vm.count(key)) *field = get<std::string>(vm, key);
  c.cpu = get<int>(vm, "cpu");
  c.verbosity = get<int>(vm, "verbosity");
  c.weights.gauss1 = get<double>(vm, "weight_gauss1");
  c.weights.gauss2 = get<double>(vm, "weight_gauss2");
  c.weights.repulsion = get<double>(vm, "weight_repulsion");
  c.weights.hydrophobic = get<double>(vm, "weight_hydrophobic");
  c.weights.hydrogen = get<double>(vm, "weight_hydrogen");
  c.weights.rot = get<double>(vm, "weight_rot");
  const std::string scoring = get<std::string>(vm, "scoring");
  if (scoring == "vinardo") {
    c.weights = ScoringWeights::vinardo();
    c.weights.gauss1 = get<double>(vm, "weight_vinardo_gauss1");
    c.weights.repulsion = get<double>(vm, "weight_vinardo_repulsion");
    c.weights.hydrophobic = get<double>(vm, "weight_vinardo_hydrophobic");
    c.weights.hydrogen = get<double>(vm, "weight_vinardo_hydrogen");
    c.weights.rot = get<double>(vm, "weight_vinardo_rot");
  } else if (scoring == "ad4") {
    throw UsageError("pandakinetics dock: --scoring ad4 (AutoDock 4.2 with --maps) is not supported; use --scoring "
                     "vina (the default) or vinardo");
  } else if (scoring != "vina") {
    throw UsageError("pandakinetics dock: --scoring '" + scoring + "': expected vina or vinardo (ad4 is not "
                     "supported)");
  }
  c.option_values = cli::option_values(vm);
  for (auto& [key, value] : c.option_values)  // the --box values as given, for provenance
    if (key == "box") {
      value.clear();
      for (const auto& b : c.boxes)
        if (b.origin == "--box") {
          std::ostringstream s;
          s.precision(17);
          s << (value.empty() ? "" : "; ") << b.center[0] << "," << b.center[1] << "," << b.center[2] << ","
            << b.size[0] << "," << b.size[1] << "," << b.size[2];
          value += s.str();
        }
    }
  return c;
}

}  // namespace pk::dock
