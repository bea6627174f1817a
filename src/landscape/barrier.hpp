// The energy along a path between two docked poses, for the barriers of
// `pandakinetics network`: evaluated with the docking scoring function so
// that a transition state is on the same scale as the states' scores.
#pragma once

#include "landscape/network_build.hpp"
#include "landscape/path_relax.hpp"

#include <stdexcept>
#include <string>

namespace pk::pipeline {

/// A stage that needs a part of the program this build does not have (exit 2).
class NotAvailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PathEnergyModel {
  PathEnergy energy;
  std::string description;  ///< what is computed, for --help, the output file and the summary
  BatchEnergy batch;        ///< the same energy (and gradient) for any conformations of the ligand
  std::function<Coords(const Conformation&)> coordinates;  ///< every atom of a conformation, Å
  double n_rot = 0;         ///< the ligand's rotatable bonds as Vina counts them
};

/// The path energy this build provides for `lig` docked into `receptor`.
/// Throws NotAvailable when the docking scorer is not part of this build.
/// scorer: "device" (the docking code's batched grid scorer with analytic
/// gradients) or "host" (its direct pairwise reference, numerical gradients).
/// The device scorer's grid covers the search boxes and `extra_boxes` (e.g. the
/// region the channel states reach), grown by the ligand's reach.
PathEnergyModel make_path_energy(const PosesFile& poses, const LigandPoses& lig, const std::string& receptor,
                                 int images, int relax_steps, const std::string& scorer,
                                 const std::vector<SearchBox>& extra_boxes = {});

}  // namespace pk::pipeline
