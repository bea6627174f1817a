#pragma once

#include "app/cli.hpp"

namespace pk::cli {
void add_prepare_options(po::options_description& desc);
int run_prepare(const po::variables_map& vm, Context& ctx);
}  // namespace pk::cli
