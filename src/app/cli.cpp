#include "app/cli.hpp"

#include "comm/agree.hpp"
#include "comm/communicator.hpp"
#include "core/build_info.hpp"
#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "io/ini.hpp"
#include "runtime/device_info.hpp"

#include <optional>
#include <ostream>
#include <sstream>

namespace pk::cli {

namespace {

void add_common_options(po::options_description& desc) {
  desc.add_options()
      ("help,h", "print this help and exit")
      ("config", po::value<std::string>()->value_name("FILE.ini"),
       "read options from an INI file: `key = value` with the long option names; keys under "
       "[<subcommand>] apply to that subcommand only; the command line wins");
}

std::string general_usage() {
  std::ostringstream s;
  s << "PandaKinetics " << PK_VERSION_STRING
    << ": drug-binding kinetics (kon, koff, residence time, Kd) from docking and kinetic Monte Carlo\n\n"
    << "usage: pandakinetics <subcommand> [options]      (mpirun -np N pandakinetics ... for N ranks)\n"
    << "       pandakinetics <subcommand> --help\n"
    << "       pandakinetics --version\n\nsubcommands:\n";
  for (const auto& c : subcommands()) {
    s << "  " << c.name << std::string(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ') << c.summary
      << (c.implemented ? "" : " [not implemented yet]") << "\n";
  }
  s << "\nexit codes: 0 success, 1 bad input or failed run, 2 bad command line or not implemented\n";
  return s.str();
}

const Subcommand& find_subcommand(const std::string& name) {
  for (const auto& c : subcommands())
    if (c.name == name) return c;
  throw UsageError("unknown subcommand '" + name + "' (try: pandakinetics --help)");
}

// One `key = value` line from the config file, stored unless the command
// line already gave that option (po::store never overwrites a stored value).
void store_config_entry(const io::IniEntry& e, const std::string& file, const po::options_description& desc,
                        po::variables_map& vm) {
  const po::option_description* opt = desc.find_nothrow(e.key, false);
  if (!opt || e.key == "config" || e.key == "help")
    throw InputError(file, e.line, "unknown key '" + e.key + "' (keys are the long option names of --help)");
  std::vector<std::string> arg;
  if (opt->semantic()->max_tokens() == 0) {  // a switch: true/false
    if (e.value == "true" || e.value == "1" || e.value == "yes" || e.value == "on") arg.push_back("--" + e.key);
    else if (!(e.value == "false" || e.value == "0" || e.value == "no" || e.value == "off"))
      throw InputError(file, e.line, "'" + e.key + "' is a switch: expected true or false, got '" + e.value + "'");
  } else {
    arg.push_back("--" + e.key + "=" + e.value);
  }
  try {
    po::store(po::command_line_parser(arg).options(desc).run(), vm);
  } catch (const po::error& err) {
    throw InputError(file, e.line, err.what());
  }
}

/// The config file's sections name subcommands ("bench kmc" for a target);
/// a key may repeat only where its option collects values (--box, --input).
void check_config(const std::vector<io::IniEntry>& entries, const std::string& file) {
  std::vector<const Subcommand*> commands;
  for (const auto& c : subcommands()) {
    if (c.targets.empty()) commands.push_back(&c);
    for (const auto& t : c.targets) commands.push_back(&t);
  }
  std::vector<std::string> names;
  for (const auto* c : commands) names.push_back(c->name);
  const auto repeatable = [&](const std::string& section, const std::string& key) {
    for (const auto* c : commands) {
      if (!c->add_options || !(section.empty() || section == c->name)) continue;
      po::options_description d;
      c->add_options(d);
      const po::option_description* opt = d.find_nothrow(key, false);
      if (opt && opt->semantic()->is_composing()) return true;
    }
    return false;
  };
  io::check_ini(entries, file, names, repeatable);
}

}  // namespace

po::variables_map parse_options(const Subcommand& cmd, const po::options_description& desc,
                                const std::vector<std::string>& args) {
  po::variables_map vm;
  try {
    po::positional_options_description pos;
    if (!cmd.positional.empty()) pos.add(cmd.positional.c_str(), 1);
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
  } catch (const po::error& e) {
    throw UsageError("pandakinetics " + cmd.name + ": " + e.what() + " (see pandakinetics " + cmd.name +
                     " --help)");
  }
  if (vm.count("help")) return vm;
  if (vm.count("config")) {
    const std::string file = vm["config"].as<std::string>();
    const std::vector<io::IniEntry> entries = io::read_ini(file);
    check_config(entries, file);
    for (const auto& e : entries)
      if (e.section.empty() || e.section == cmd.name) store_config_entry(e, file, desc, vm);
  }
  try {
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError("pandakinetics " + cmd.name + ": " + e.what());
  }
  return vm;
}

namespace {

/// A parsed command line: the subcommand to run with its options, or the
/// exit code of one that is complete already (help, version, usage).
struct Parsed {
  const Subcommand* cmd = nullptr;
  po::variables_map vm;
  int exit_code = kExitOk;
};

Parsed parse_cli(const std::vector<std::string>& args, Context& ctx) {
  Parsed done;
  if (args.empty()) {
    ctx.err << general_usage();
    done.exit_code = kExitUsage;
    return done;
  }
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    ctx.out << general_usage();
    return done;
  }
  if (first == "--version") {
    ctx.out << version_text();
    return done;
  }
  if (!first.empty() && first[0] == '-')
    throw UsageError("expected a subcommand before '" + first + "' (try: pandakinetics --help)");
  const Subcommand* picked = &find_subcommand(first);
  std::size_t rest = 1;
  if (!picked->targets.empty()) {
    const Subcommand& group = *picked;
    // Targets are named "<group> <target>", so their help and errors read as
    // the command a user types.
    const auto short_name = [&](const Subcommand& t) { return t.name.substr(group.name.size() + 1); };
    std::string list;
    for (const auto& t : group.targets) list += (list.empty() ? "" : ", ") + short_name(t);
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
      std::ostringstream s;
      s << "pandakinetics " << group.name << ": " << group.summary << "\n\nusage: pandakinetics " << group.name
        << " <target> [options]     (pandakinetics " << group.name << " <target> --help)\n\ntargets:\n";
      for (const auto& t : group.targets)
        s << "  " << short_name(t) << std::string(short_name(t).size() < 10 ? 10 - short_name(t).size() : 1, ' ') << t.summary
          << (t.implemented ? "" : " [not implemented yet]") << "\n";
      (args.size() < 2 ? ctx.err : ctx.out) << s.str();
      done.exit_code = args.size() < 2 ? kExitUsage : kExitOk;
      return done;
    }
    picked = nullptr;
    for (const auto& t : group.targets)
      if (short_name(t) == args[1]) picked = &t;
    if (!picked)
      throw UsageError("pandakinetics " + group.name + ": unknown target '" + args[1] + "' (available: " + list + ")");
    rest = 2;
  }
  const Subcommand& cmd = *picked;
  po::options_description desc("pandakinetics " + cmd.name + " options", 100, 50);
  add_common_options(desc);
  if (cmd.add_options) cmd.add_options(desc);
  const po::variables_map vm = parse_options(cmd, desc, std::vector<std::string>(args.begin() + static_cast<long>(rest), args.end()));
  if (vm.count("help")) {
    ctx.out << "pandakinetics " << cmd.name << ": " << cmd.summary << "\n";
    if (!cmd.implemented) ctx.out << "(not implemented yet in this version: running it exits with code 2)\n";
    ctx.out << "\n" << desc << "\n";
    return done;
  }
  if (!cmd.implemented) {
    ctx.err << "pandakinetics " << cmd.name << ": not implemented yet in this version\n";
    done.exit_code = kExitUsage;
    return done;
  }
  Parsed parsed;
  parsed.cmd = &cmd;
  parsed.vm = vm;
  return parsed;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, Context& ctx) {
  // Every rank parses the same command line and config file. A rank that
  // fails here (a config file it reads differently) stops every rank with
  // one message, before any collective (issue 19: the others waited forever);
  // then the ranks compare the options they parsed.
  const MPI_Comm everyone = ctx.size > 1 ? MPI_COMM_WORLD : MPI_COMM_NULL;
  Parsed parsed = comm::agreed(everyone, [&] { return parse_cli(args, ctx); });
  if (!parsed.cmd) return parsed.exit_code;
  std::string options;
  for (const auto& [name, value] : option_values(parsed.vm)) options += name + "=" + value + "\n";
  comm::check_same_on_every_rank(everyone, "the options of pandakinetics " + parsed.cmd->name +
                                               " (command line and --config)", options, kExitUsage);
  return parsed.cmd->run(parsed.vm, ctx);
}

std::string version_text() {
  std::ostringstream s;
  s << "PandaKinetics " << PK_VERSION_STRING << " (git " << PK_GIT_HASH << ", " << PK_BUILD_TYPE << ", "
    << PK_CXX_COMPILER << ")\n"
    << "  " << runtime::kokkos_configuration() << "\n"
    << "  MPI: " << comm::mpi_library_version() << "\n"
    << "  HDF5: " << io::hdf5_library_version() << "\n"
    << "  CUDA: " << runtime::cuda_configuration() << "\n";
  return s.str();
}

}  // namespace pk::cli
