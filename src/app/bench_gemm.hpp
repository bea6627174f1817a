#pragma once

#include "app/cli.hpp"

namespace pk::bench {
void add_gemm_options(cli::po::options_description& desc);
/// `pandakinetics bench gemm`: cuBLAS GEMM TFLOP/s and fraction of the device peak.
int run_gemm(const cli::po::variables_map& vm, cli::Context& ctx);
}  // namespace pk::bench
