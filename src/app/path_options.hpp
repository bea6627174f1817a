// The command line's side of output safety (io/output_paths.hpp): the paths
// given to named options, for io::check_output_paths(). Every subcommand that
// reads or writes files calls check_paths() before it computes anything.
#pragma once

#include "app/cli.hpp"
#include "io/output_paths.hpp"

#include <string>
#include <vector>

namespace pk::cli {

/// The paths given to `options` (long names without "--"; absent options are
/// skipped; a repeatable option gives one entry per value), labelled "--name".
std::vector<io::NamedPath> paths_of(const po::variables_map& vm, const std::vector<std::string>& options);

/// paths_of(vm, options) plus the --config file: a command's inputs.
std::vector<io::NamedPath> input_paths(const po::variables_map& vm, const std::vector<std::string>& options);

/// io::check_output_paths for a subcommand: "pandakinetics <command>: ..." in
/// the messages; UsageError (exit 2) for an output over an input or two
/// outputs on one file, SystemError (exit 1) for an output that cannot be written.
void check_paths(const std::string& command, const std::vector<io::NamedPath>& inputs,
                 const std::vector<io::NamedPath>& outputs);

}  // namespace pk::cli
