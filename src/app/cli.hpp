// The command line: `pandakinetics <subcommand> [options]`, one options table
// per subcommand (Boost.Program_options), `--config FILE.ini` with the same
// keys as the long options (the command line wins), and typed errors.
#pragma once

#include "core/context.hpp"

#include <boost/program_options.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace pk::cli {

namespace po = boost::program_options;

/// The stage context (core/context.hpp), under the name commands use.
using Context = pk::Context;

struct Subcommand {
  std::string name;
  std::string summary;
  bool implemented = false;
  std::function<void(po::options_description&)> add_options;
  std::function<int(const po::variables_map&, Context&)> run;
  /// Name of an option that also takes one positional argument.
  std::string positional;
  /// A subcommand with targets (`bench kmc`, `bench score`): the word after
  /// the subcommand picks one, which has its own options and run function.
  std::vector<Subcommand> targets;
};

/// Every subcommand, in the order `--help` lists them.
const std::vector<Subcommand>& subcommands();

/// Parses `args` (without the program name) and runs the chosen subcommand.
/// Returns the exit code; throws pk::UsageError for a bad command line and
/// pk::InputError for a bad config file.
int run_cli(const std::vector<std::string>& args, Context& ctx);

/// The parsed options of one subcommand (command line, then config file).
po::variables_map parse_options(const Subcommand& cmd, const po::options_description& desc,
                                const std::vector<std::string>& args);

/// Every option's value as text (for provenance in output files), sorted by name.
std::vector<std::pair<std::string, std::string>> option_values(const po::variables_map& vm);

/// The `--version` text: program, git hash, Kokkos, MPI, HDF5, CUDA/NCCL.
std::string version_text();

}  // namespace pk::cli
