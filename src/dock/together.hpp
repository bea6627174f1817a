// Repeated --ligand, with Vina 1.2's meaning: the ligands of one complex,
// scored (--score_only), optimised (--local_only) and docked together, with
// the ligand-ligand terms (dock/complex.hpp). The ligand-ligand energy is
// printed on Vina's "Ligand - Flex side chains" line, where Vina prints it;
// poses are written as Vina writes them (each MODEL holds every ligand).
#pragma once

#include "core/context.hpp"
#include "dock/dock_config.hpp"

namespace pk::dock {

/// Scores, optimises or docks cfg.together; returns the exit code. Throws
/// pk::InputError for a bad or multi-MODEL ligand file, a heavy atom outside
/// the box in --score_only, or no pose inside the box.
int run_together(const DockConfig& cfg, Context& ctx);

}  // namespace pk::dock
