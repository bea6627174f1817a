// The command line and config files: help, bad options, precedence, exit codes.
#include "app/cli.hpp"
#include "core/error.hpp"
#include "io/ini.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

struct CliResult {
  int code = -1;
  std::string out, err;
};

CliResult run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  pk::cli::Context ctx{out, err, 0, 1, ""};
  CliResult r;
  r.code = pk::cli::run_cli(args, ctx);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = "pk_test_cli_" + std::to_string(getpid()) + "_" + name;
  std::ofstream(path) << text;
  return path;
}

const pk::cli::Subcommand& demo() {
  for (const auto& c : pk::cli::subcommands())
    if (c.name == "demo") return c;
  throw std::logic_error("no demo subcommand");
}

pk::cli::po::variables_map parse(const std::vector<std::string>& args) {
  pk::cli::po::options_description desc;
  desc.add_options()("help,h", "")("config", pk::cli::po::value<std::string>(), "");
  demo().add_options(desc);
  return pk::cli::parse_options(demo(), desc, args);
}

}  // namespace

TEST(Cli, GeneralHelpListsEverySubcommandAndExitsZero) {
  const CliResult r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* name : {"dock", "network", "kmc", "solve", "analyze", "run", "bench", "demo"})
    EXPECT_NE(r.out.find(std::string("  ") + name), std::string::npos) << name;
}

TEST(Cli, NoArgumentsIsAUsageError) {
  const CliResult r = run({});
  EXPECT_EQ(r.code, pk::kExitUsage);
  EXPECT_NE(r.err.find("usage:"), std::string::npos);
}

TEST(Cli, SubcommandHelpShowsDefaultsAndUnits) {
  const CliResult r = run({"demo", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--terms"), std::string::npos);
  EXPECT_NE(r.out.find("(=100000000)"), std::string::npos);
  EXPECT_NE(r.out.find("--config"), std::string::npos);
}

TEST(Cli, UnknownSubcommandAndOptionsAreUsageErrors) {
  EXPECT_THROW(run({"frobnicate"}), pk::UsageError);
  EXPECT_THROW(run({"--frobnicate"}), pk::UsageError);
  EXPECT_THROW(run({"demo", "--no-such-option"}), pk::UsageError);
  EXPECT_THROW(run({"demo", "--terms", "twelve"}), pk::UsageError);
  EXPECT_THROW(run({"demo", "--terms"}), pk::UsageError);
  try {
    run({"demo", "--no-such-option"});
  } catch (const pk::UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no-such-option"), std::string::npos);
    EXPECT_EQ(what.find('\n'), std::string::npos) << "one line";
  }
}

TEST(Cli, ConfigFileSuppliesValuesAndCommandLineWins) {
  const std::string ini = write_file("a.ini", "# demo settings\nterms = 5000  # terms\n[demo]\noutput = x.h5\n"
                                              "[kmc]\ntemperature = 310\n");
  auto vm = parse({"--config", ini});
  EXPECT_EQ(vm["terms"].as<long>(), 5000);
  EXPECT_EQ(vm["output"].as<std::string>(), "x.h5");
  vm = parse({"--config", ini, "--terms", "7"});
  EXPECT_EQ(vm["terms"].as<long>(), 7);
  vm = parse({"--terms=9", "--config", ini});
  EXPECT_EQ(vm["terms"].as<long>(), 9);
  vm = parse({});
  EXPECT_EQ(vm["terms"].as<long>(), 100000000L);
  std::remove(ini.c_str());
}

TEST(Cli, ConfigErrorsNameFileAndLine) {
  const std::string unknown = write_file("b.ini", "terms = 10\n\nbogus_key = 1\n");
  try {
    parse({"--config", unknown});
    FAIL() << "no error";
  } catch (const pk::InputError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(std::string(e.what()).find(unknown + ":3:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bogus_key"), std::string::npos);
  }
  const std::string bad_value = write_file("c.ini", "terms = many\n");
  try {
    parse({"--config", bad_value});
    FAIL() << "no error";
  } catch (const pk::InputError& e) {
    EXPECT_EQ(e.line(), 1);
  }
  const std::string no_equals = write_file("d.ini", "[demo]\nterms 10\n");
  try {
    parse({"--config", no_equals});
    FAIL() << "no error";
  } catch (const pk::InputError& e) {
    EXPECT_EQ(e.line(), 2);
  }
  EXPECT_THROW(parse({"--config", "/nonexistent/pk.ini"}), pk::InputError);
  for (const auto& f : {unknown, bad_value, no_equals}) std::remove(f.c_str());
}

TEST(Ini, ParsesSectionsCommentsAndLineNumbers) {
  const std::string f = write_file("e.ini", "; top\na = 1\n[kmc]\n  b=two words  \n# c\nc = 3 ; trailing\n");
  const auto entries = pk::io::read_ini(f);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].key, "a");
  EXPECT_EQ(entries[0].section, "");
  EXPECT_EQ(entries[1].value, "two words");
  EXPECT_EQ(entries[1].section, "kmc");
  EXPECT_EQ(entries[1].line, 4);
  EXPECT_EQ(entries[2].value, "3");
  EXPECT_EQ(entries[2].line, 6);
  std::remove(f.c_str());
}

TEST(Cli, VersionNamesEveryComponent) {
  const CliResult r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  for (const char* part : {"PandaKinetics", "git", "Kokkos", "MPI:", "HDF5:", "CUDA:"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part;
}
