// The docking search entry point (Monte Carlo + BFGS on the device, final
// re-scoring, clustering, outputs). `dock` calls it for every mode except
// --score_only.
#pragma once

#include "dock/dock_options.hpp"

namespace pk::cli {
struct Context;
}

namespace pk::dock {

/// Docks every ligand of `cfg`; returns the process exit code.
int run_dock_search(const DockConfig& cfg, cli::Context& ctx);

}  // namespace pk::dock
