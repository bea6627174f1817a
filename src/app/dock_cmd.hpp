// `pandakinetics dock` (scoring here, the search in dock/search.cpp) and
// `pandakinetics bench score`.
#pragma once

#include "app/cli.hpp"
#include "app/dock_options.hpp"

namespace pk::dock {

/// `dock`: --score_only scores the input poses (direct pairwise form, or the
/// grid maps with --grid / --no_refine); every other mode docks.
int run_dock(const cli::po::variables_map& vm, cli::Context& ctx);

/// The --score_only path (also used by tests through the CLI).
int run_score_only(const DockConfig& cfg, cli::Context& ctx);

void add_bench_score_options(cli::po::options_description& desc);
/// `bench score`: energy + gradient evaluations per second (grid + intra).
int run_bench_score(const cli::po::variables_map& vm, cli::Context& ctx);

}  // namespace pk::dock
