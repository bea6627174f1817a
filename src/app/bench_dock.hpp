// `pandakinetics bench dock`: wall time to dock one ligand (grid maps, search,
// final selection) and, side by side on the same machine, the same docking
// run of AutoDock Vina when `vina` is installed.
#pragma once

#include "app/cli.hpp"

namespace pk::dock {
void add_bench_dock_options(cli::po::options_description& desc);
int run_bench_dock(const cli::po::variables_map& vm, cli::Context& ctx);
}  // namespace pk::dock
