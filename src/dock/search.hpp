// The docking search entry point (Monte Carlo + BFGS on the device, final
// re-scoring, clustering, outputs). `dock` calls it for every mode except
// --score_only.
#pragma once

#include "core/context.hpp"
#include "dock/dock_config.hpp"

namespace pk::dock {

/// Docks every ligand of `cfg`; returns the process exit code.
int run_dock_search(const DockConfig& cfg, Context& ctx);

}  // namespace pk::dock
