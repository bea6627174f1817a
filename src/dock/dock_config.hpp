// What a docking or scoring run needs (the `dock` options, validated, as a
// plain struct: app/dock_options.cpp builds it), and where its outputs go.
#pragma once

#include "dock/scoring.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pk::dock {

/// One search box (Å) and where it came from, for messages: "--center/--size",
/// "--box", or "blind" (added by --blind once the receptor is read).
struct DockBox {
  std::array<double, 3> center{0, 0, 0}, size{0, 0, 0};
  std::string origin;
};

/// Everything a docking or scoring run needs, validated.
struct DockConfig {
  std::string receptor;                 ///< rigid receptor PDBQT
  std::vector<std::string> ligands;     ///< ligands docked one by one: one --ligand, or the --batch files
  std::string ligand_directory;         ///< --ligand_directory: every *.pdbqt in it (screened like --batch)
  bool batch_mode = false;              ///< --batch or --ligand_directory: outputs in --dir, MODELs screened one by one
  std::vector<std::string> together;    ///< repeated --ligand: the ligands of one complex, scored together (Vina)
  std::array<double, 3> center{0, 0, 0};  ///< box centre, Å
  std::array<double, 3> size{0, 0, 0};    ///< box size, Å
  bool have_box = false;                ///< all six --center/--size given
  bool autobox = false;                 ///< box = ligand extent + 4 Å (score_only/local_only)
  std::vector<DockBox> boxes;           ///< explicit boxes: Vina's centre/size box first, then each --box
  bool blind = false;                   ///< --blind: add boxes tiling the receptor surface (dock/sites.hpp)
  double blind_box_size = 30.0;         ///< Å, side of a --blind cube
  double blind_overlap = 10.0;          ///< Å, overlap of neighbouring --blind cubes
  double spacing = kGridSpacingAngstrom;  ///< grid spacing, Å
  int exhaustiveness = 8;
  std::uint64_t seed = 0;               ///< 0: Vina picks a random seed; we use 0 as a fixed seed and say so
  bool seed_given = false;
  int num_modes = 9;
  double energy_range = 3.0;            ///< kcal/mol
  double min_rmsd = 1.0;                ///< Å
  int chains = 0;                       ///< Monte Carlo chains (0: one per exhaustiveness unit)
  int steps_per_chain = 0;              ///< 0: Vina's heuristic
  std::string out;                      ///< --out PDBQT (docking) ; default <ligand>_out.pdbqt
  std::string out_dir;                  ///< --dir: output directory for several ligands
  std::string out_h5;                   ///< --out_h5 poses HDF5
  std::string json;                     ///< --json result file
  std::string sdf;                      ///< --out_sdf
  std::string summary;                  ///< --summary table (screening)
  bool score_only = false;
  bool local_only = false;
  bool local_thorough = false;          ///< --local_only: five BFGS runs instead of Vina's stopping rule
  bool grid = false;                    ///< --grid: score_only through the grid maps (Vina's --no_refine)
  bool no_refine = false;               ///< Vina's --no_refine (same as --grid for score_only)
  int cpu = 0;                          ///< accepted for Vina compatibility, ignored
  int verbosity = 1;
  ScoringWeights weights;
  std::vector<std::pair<std::string, std::string>> option_values;  ///< provenance for output files
};

/// Where docking writes one ligand's poses: one rule for the writer (search.cpp)
/// and the output-safety check (app/dock_cmd.cpp). `batch`: several ligands (--dir).
struct LigandFiles {
  std::string pdbqt, sdf;
};
LigandFiles ligand_output_files(const DockConfig& cfg, const std::string& ligand_path, const std::string& name,
                                bool batch);
/// The poses HDF5 and the summary table of a docking run ("": not written).
std::string poses_h5_file(const DockConfig& cfg, bool batch);
std::string summary_file(const DockConfig& cfg, bool batch);

/// The box Vina's --autobox gives a ligand: centre = mean atom position,
/// size = ceil(2 (largest |x - centre| + 4 Å)) per axis.
GridBox autobox_of(const Ligand& lig, double spacing);

}  // namespace pk::dock
