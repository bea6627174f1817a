// Where a docking run writes, and the --autobox box: shared by the search
// (dock/search.cpp) and the command's checks and --score_only (app/dock_cmd.cpp).
#include "dock/dock_config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace pk::dock {

namespace {
std::string output_folder(const DockConfig& cfg) { return cfg.out_dir.empty() ? std::string(".") : cfg.out_dir; }
}  // namespace

LigandFiles ligand_output_files(const DockConfig& cfg, const std::string& ligand_path, const std::string& name,
                                bool batch) {
  namespace fs = std::filesystem;
  LigandFiles f;
  f.pdbqt = batch ? output_folder(cfg) + "/" + name + "_out.pdbqt"
                  : (cfg.out.empty() ? fs::path(ligand_path).replace_extension("").string() + "_out.pdbqt" : cfg.out);
  f.sdf = (!batch && !cfg.sdf.empty()) ? cfg.sdf : fs::path(f.pdbqt).replace_extension(".sdf").string();
  return f;
}

std::string poses_h5_file(const DockConfig& cfg, bool batch) {
  return !cfg.out_h5.empty() ? cfg.out_h5 : (batch ? output_folder(cfg) + "/poses.h5" : "");
}

std::string summary_file(const DockConfig& cfg, bool batch) {
  return !cfg.summary.empty() ? cfg.summary : (batch ? output_folder(cfg) + "/summary.tsv" : "");
}

GridBox autobox_of(const Ligand& lig, double spacing) {
  std::array<double, 3> c{0, 0, 0}, far{0, 0, 0}, size{};
  for (const auto& a : lig.atoms)
    for (int d = 0; d < 3; ++d) c[d] += a.xyz[d] / lig.n_atoms();
  for (const auto& a : lig.atoms)
    for (int d = 0; d < 3; ++d) far[d] = std::max(far[d], std::fabs(a.xyz[d] - c[d]));
  for (int d = 0; d < 3; ++d) size[d] = std::ceil((far[d] + 4.0) * 2);
  return GridBox::from_center_size(c, size, spacing);
}

}  // namespace pk::dock
