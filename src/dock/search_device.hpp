// The device half of the search, behind a Kokkos-free interface so the host
// driver (search.cpp, Boost and MPI) never includes Kokkos: grid maps for the
// current box (built for the XS types the ligands need, rebuilt with the
// union when a ligand brings a new type), Monte Carlo chains and local
// optimisation with the Vina device energy (kernels/dock_score.hpp).
#pragma once

#include "dock/molecule.hpp"
#include "dock/scoring.hpp"
#include "dock/search_select.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pk::dock {

class DeviceDocking {
 public:
  DeviceDocking(const Receptor& receptor, const ScoringWeights& weights);
  ~DeviceDocking();
  DeviceDocking(const DeviceDocking&) = delete;
  DeviceDocking& operator=(const DeviceDocking&) = delete;

  /// The search box (maps are rebuilt when it changes).
  void set_box(const GridBox& box);
  /// Builds the grid maps `lig` needs for the current box (if not built yet)
  /// and waits for them.
  void prepare(const Ligand& lig);
  /// Every chain's kept minima for `lig` (tree = tree_of(lig)).
  std::vector<Minimum> search(const Ligand& lig, const TreeHost& tree, const SearchSettings& settings,
                              std::vector<std::pair<std::string, double>>* stages = nullptr);
  /// Vina's --local_only: `rounds` BFGS runs of Vina's local step count with
  /// softening `cap`, from `conformation`.
  Minimum local(const Ligand& lig, const TreeHost& tree, const std::vector<double>& conformation, int rounds,
                double cap);

  /// Each of `minima` optimised further in parallel (`rounds` BFGS runs of
  /// Vina's local step count with softening `cap`).
  std::vector<Minimum> polish(const Ligand& lig, const TreeHost& tree, const std::vector<Minimum>& minima, int rounds,
                              double cap);

  /// True when the kernels run in host memory (CPU backends).
  static bool on_host();
  /// Monte Carlo chains the device holds at once with the team kernel
  /// (teams per SM x SMs); 0 on host backends.
  static int resident_chains();
  /// The Kokkos execution space, e.g. "OpenMP" or "Cuda".
  static std::string device_name();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pk::dock
