#pragma once

#include "app/cli.hpp"

namespace pk::cli {
void add_demo_options(po::options_description& desc);
int run_demo(const po::variables_map& vm, Context& ctx);
}  // namespace pk::cli
