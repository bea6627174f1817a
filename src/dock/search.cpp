// Placeholder until the docking search lands: says so and exits 2.
#include "dock/search.hpp"

#include "cli/cli.hpp"

#include <ostream>

namespace pk::dock {

int run_dock_search(const DockConfig&, cli::Context& ctx) {
  ctx.err << "pandakinetics dock: docking search is not implemented yet (only --score_only works)\n";
  return 2;
}

}  // namespace pk::dock
