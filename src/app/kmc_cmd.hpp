#pragma once

#include "app/cli.hpp"

namespace pk::kmc {
void add_kmc_options(cli::po::options_description& desc);
int run_kmc(const cli::po::variables_map& vm, cli::Context& ctx);
}  // namespace pk::kmc
