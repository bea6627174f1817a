// The pipeline's subcommands: `analyze` (and, as they land, `network`, `run`).
#pragma once

#include "app/cli.hpp"

namespace pk::pipeline {
void add_analyze_options(cli::po::options_description& desc);
int run_analyze(const cli::po::variables_map& vm, cli::Context& ctx);
void add_network_options(cli::po::options_description& desc);
int run_network(const cli::po::variables_map& vm, cli::Context& ctx);
void add_run_options(cli::po::options_description& desc);
int run_pipeline(const cli::po::variables_map& vm, cli::Context& ctx);
void add_calibrate_options(cli::po::options_description& desc);
int run_calibrate(const cli::po::variables_map& vm, cli::Context& ctx);
}  // namespace pk::pipeline
