#include "pipeline/barrier.hpp"

namespace pk::pipeline {

PathEnergyModel make_path_energy(const PosesFile&, const LigandPoses&, const std::string&, int, int) {
  throw NotAvailable(
      "pandakinetics network: the barriers are evaluated with the docking scoring function, which is not part of this "
      "build yet (src/dock); no network is built from made-up barriers");
}

}  // namespace pk::pipeline
