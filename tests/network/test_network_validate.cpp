// check_reachable, check_conditions and the shared kmc/solve options.
#include "core/error.hpp"
#include "network/load.hpp"
#include "network/network_h5.hpp"
#include "app/network_options.hpp"
#include "network/validate.hpp"
#include "network_test_support.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

namespace pk::network {
namespace {

namespace po = boost::program_options;
using test::expect_input_error;
using test::input_path;

/// 0 bound, 1 unbound, then `isolated` other states joined to nothing.
Network with_isolated_states(int isolated) {
  Network net;
  net.source = "made-up.csv";
  net.states.push_back(State{100, 0.0, Macrostate::Bound, ""});
  net.states.push_back(State{101, 0.0, Macrostate::Unbound, ""});
  for (int i = 0; i < isolated; ++i) net.states.push_back(State{200 + i, 0.0, Macrostate::Other, ""});
  net.edges = {Edge{0, 1, EdgeKind::Rate, 1.0}, Edge{1, 0, EdgeKind::Rate, 1.0}};
  return net;
}

TEST(NetworkValidate, ConnectedExamplesAreReachable) {
  const Network six = load_csv(input_path("six_state/states.csv"), input_path("six_state/edges.csv"));
  EXPECT_NO_THROW(check_reachable(six, states_in(six, Macrostate::Bound)));
  EXPECT_NO_THROW(check_reachable(six, states_in(six, Macrostate::Unbound)));
  const Network msm = load_transition_matrix(input_path("msm_four_state/states.csv"),
                                             input_path("msm_four_state/transition.npy"), 1e-9);
  EXPECT_NO_THROW(check_reachable(msm, {0}));
  EXPECT_NO_THROW(check_reachable(with_isolated_states(0), {0}));
}

TEST(NetworkValidate, UnreachableStatesAreListedUpToTen) {
  const Network net = with_isolated_states(12);
  try {
    check_reachable(net, {0});
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.file(), "made-up.csv");
    EXPECT_EQ(e.line(), 0);
    EXPECT_NE(what.find("12 state(s) unreachable"), std::string::npos) << what;
    EXPECT_NE(what.find("ids: 200 201 202 203 204 205 206 207 208 209 ..."), std::string::npos) << what;
    EXPECT_EQ(what.find("210"), std::string::npos) << what;
  }
  expect_input_error([&] { check_reachable(with_isolated_states(1), {0, 1}); }, "made-up.csv", 0,
                     "1 state(s) unreachable from the start states along edges with positive rate or probability, "
                     "ids: 200;");
}

TEST(NetworkValidate, ZeroRatesAndProbabilitiesDoNotConnect) {
  Network net = load_csv(input_path("explicit_rates/states.csv"), input_path("explicit_rates/edges.csv"));
  EXPECT_NO_THROW(check_reachable(net, {0}));
  for (Edge& e : net.edges)
    if (e.from == 2 && e.to == 3) e.value = 0.0;  // other -> unbound closed
  expect_input_error([&] { check_reachable(net, {0}); }, net.source, 0,
                     "no unbound state is reachable from the start states");
  EXPECT_NO_THROW(check_reachable(net, {0, 3}));  // reached from both ends
  Network isolated_bound = with_isolated_states(0);
  isolated_bound.edges[1].value = 0.0;  // unbound -> bound closed
  expect_input_error([&] { check_reachable(isolated_bound, {1}); }, "made-up.csv", 0, "no bound state is reachable");
  expect_input_error([&] { check_reachable(isolated_bound, {}); }, "made-up.csv", 0, "no start states");
  expect_input_error([&] { check_reachable(isolated_bound, {2}); }, "made-up.csv", 0, "start state index 2");
}

TEST(NetworkValidate, ConditionsOutsideTheirRangeAreUsageErrors) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  EXPECT_NO_THROW(check_conditions(Conditions{}));
  EXPECT_NO_THROW(check_conditions(Conditions{1e-3, 1.0, 1e-15}));
  const auto expect_usage = [](const Conditions& c, const std::string& option) {
    try {
      check_conditions(c);
      ADD_FAILURE() << "no UsageError for " << option;
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(option, 0), 0u) << e.what();
    }
  };
  for (double t : {0.0, -300.0, inf, nan}) expect_usage(Conditions{t, 1.0, 1e-6}, "--temperature");
  for (double k : {0.0, -0.5, 1.0000001, 2.0, inf, nan}) expect_usage(Conditions{300.0, k, 1e-6}, "--kappa");
  for (double c : {0.0, -1e-6, inf, nan}) expect_usage(Conditions{300.0, 1.0, c}, "--concentration");
}

po::variables_map parse(const std::vector<std::string>& args) {
  po::options_description desc;
  add_network_options(desc);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  po::notify(vm);
  return vm;
}

void expect_usage_error(const std::vector<std::string>& args, const std::string& fragment) {
  try {
    load_network_from_options(parse(args));
    ADD_FAILURE() << "no UsageError; expected '" << fragment << "'";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(NetworkOptions, DescriptionsStateUnitsAndDefaults) {
  po::options_description desc;
  add_network_options(desc);
  std::ostringstream out;
  out << desc;
  // Boost wraps lines: compare with runs of blanks collapsed.
  std::string help;
  for (char c : out.str())
    if (!(std::isspace(static_cast<unsigned char>(c)) && !help.empty() && help.back() == ' '))
      help += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
  for (const char* s : {"--states", "--edges", "--network", "--transition-matrix", "--lag-time", "--temperature",
                        "--kappa", "--concentration", "in K", "default 300 K", "default 1)", "in M",
                        "default 1e-6 M", "in s", "kcal/mol", "1/s"})
    EXPECT_NE(help.find(s), std::string::npos) << s << " missing from\n" << out.str();
}

TEST(NetworkOptions, EachInputFormLoads) {
  const std::string six_states = input_path("six_state/states.csv");
  const Network csv = load_network_from_options(parse({"--states", six_states, "--edges", input_path("six_state/edges.csv")}));
  EXPECT_EQ(csv.edges.size(), 14u);
  const Network msm = load_network_from_options(parse({"--states", input_path("msm_four_state/states.csv"),
                                                       "--transition-matrix", input_path("msm_four_state/transition.npy"),
                                                       "--lag-time", "2e-9"}));
  EXPECT_EQ(msm.lag_time_s, 2e-9);
  EXPECT_EQ(msm.edges.size(), 10u);
  const std::string h5 = "network_scratch/options_network.h5";
  {
    io::File file = io::File::create(h5, MPI_COMM_NULL);
    write_network_h5(file, csv);
  }
  const Network back = load_network_from_options(parse({"--network", h5}));
  EXPECT_EQ(back.edges.size(), 14u);
  EXPECT_EQ(back.source, h5);
}

TEST(NetworkOptions, MissingOrConflictingInputsAreUsageErrors) {
  const std::string s = input_path("six_state/states.csv"), e = input_path("six_state/edges.csv");
  const std::string m = input_path("msm_four_state/transition.csv");
  expect_usage_error({}, "no network given");
  expect_usage_error({"--states", s}, "--states needs --edges");
  expect_usage_error({"--edges", e}, "--edges needs --states");
  expect_usage_error({"--states", s, "--edges", e, "--lag-time", "1"}, "--lag-time applies only to --transition-matrix");
  expect_usage_error({"--network", "x.h5", "--states", s}, "--network conflicts");
  expect_usage_error({"--network", "x.h5", "--lag-time", "1"}, "--network conflicts");
  expect_usage_error({"--states", s, "--edges", e, "--transition-matrix", m, "--lag-time", "1"},
                     "--edges conflicts with --transition-matrix");
  expect_usage_error({"--transition-matrix", m, "--lag-time", "1"}, "--transition-matrix needs --states");
  expect_usage_error({"--states", s, "--transition-matrix", m}, "--transition-matrix needs --lag-time");
  expect_usage_error({"--states", s, "--transition-matrix", m, "--lag-time", "0"}, "--lag-time 0");
  expect_usage_error({"--states", s, "--transition-matrix", m, "--lag-time=-1e-9"}, "expected a finite lag time");
}

TEST(NetworkOptions, ConditionsHaveDefaultsAndAreChecked) {
  const Conditions d = conditions_from_options(parse({}));
  EXPECT_EQ(d.temperature_K, 300.0);
  EXPECT_EQ(d.kappa, 1.0);
  EXPECT_EQ(d.concentration_M, 1e-6);
  const Conditions c = conditions_from_options(parse({"--temperature", "310.5", "--kappa", "0.25", "--concentration", "2e-3"}));
  EXPECT_EQ(c.temperature_K, 310.5);
  EXPECT_EQ(c.kappa, 0.25);
  EXPECT_EQ(c.concentration_M, 2e-3);
  EXPECT_THROW(conditions_from_options(parse({"--kappa", "1.5"})), UsageError);
  EXPECT_THROW(conditions_from_options(parse({"--temperature=-1"})), UsageError);
  EXPECT_THROW(conditions_from_options(parse({"--concentration", "0"})), UsageError);
}

}  // namespace
}  // namespace pk::network
