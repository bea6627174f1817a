// Docking one ligand at a time with a DockConfig's settings (Kokkos-free):
// what `dock` runs per ligand and what `bench dock` times.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "dock/dock_config.hpp"
#include "dock/molecule.hpp"
#include "dock/poses_out.hpp"
#include "dock/scoring.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace pk::dock {

class DeviceDocking;

/// Holds the receptor's device maps between ligands (rebuilt only when the
/// box changes or a ligand brings a new XS type).
class LigandDocker {
 public:
  LigandDocker(const DockConfig& cfg, const Receptor& receptor);
  ~LigandDocker();
  /// Global search (or --local_only) of the ligand file;
  /// final poses re-scored, clustered, ranked. Throws pk::InputError for a
  /// bad file or when no pose lies inside the box.
  /// `model`: the MODEL of a multi-MODEL file in batch mode (without batch
  /// mode such a file is refused, as Vina refuses it).
  LigandOutput dock(const std::string& path, const std::string& name, int model = 0);
  /// The same in `box` with `seed`, every pose's site set to `site` (one
  /// box of a multi-box run; --autobox does not apply).
  LigandOutput dock_in_box(const std::string& path, const std::string& name, const GridBox& box, std::uint64_t seed,
                           int site, int model = 0);
  /// Monte Carlo chains the search launches for this config.
  int chains() const;
  /// Wall seconds of the stages of the last dock() call, in order
  /// (read_ligand, grid_maps, the search's, polish, select).
  const std::vector<std::pair<std::string, double>>& stage_seconds() const { return stages_; }

 private:
  const DockConfig& cfg_;
  const Receptor& receptor_;
  ReceptorAtoms rec_;
  const PairTable& table_;  // PairTable::shared
  GridBox box_;
  LigandOutput dock_impl(const std::string& path, const std::string& name, const GridBox* box, std::uint64_t seed,
                         int site, int model);
  std::unique_ptr<DeviceDocking> device_;
  std::vector<std::pair<std::string, double>> stages_;
};

}  // namespace pk::dock
