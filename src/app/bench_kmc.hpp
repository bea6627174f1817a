#pragma once

#include "app/cli.hpp"

namespace pk::kmc {
void add_bench_options(cli::po::options_description& desc);
/// `pandakinetics bench kmc`: KMC steps per second on a random network.
int run_bench(const cli::po::variables_map& vm, cli::Context& ctx);
}  // namespace pk::kmc
