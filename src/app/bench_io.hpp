#pragma once

#include "app/cli.hpp"

namespace pk::bench {
void add_io_options(cli::po::options_description& desc);
/// `pandakinetics bench io`: collective parallel-HDF5 write bandwidth.
int run_io(const cli::po::variables_map& vm, cli::Context& ctx);
}  // namespace pk::bench
