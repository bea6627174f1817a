// states.csv + edges.csv: the examples load as written, and every malformed
// input is an InputError naming the file and the offending line.
#include "network/load.hpp"
#include "network_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pk::network {
namespace {

using test::expect_input_error;
using test::input_path;
using test::scratch_file;

const std::string kStates =
    "id,free_energy_kcal_per_mol,macrostate\n"
    "1,-5,bound\n"
    "2,-1,other\n"
    "3,0,unbound\n";

std::string states_file() { return scratch_file("good_states.csv", kStates); }

TEST(NetworkCsv, SixStateExampleLoadsAsWritten) {
  const Network net = load_csv(input_path("six_state/states.csv"), input_path("six_state/edges.csv"));
  ASSERT_EQ(net.states.size(), 6u);
  EXPECT_EQ(net.states[1].id, 11);
  EXPECT_EQ(net.states[1].free_energy_kcal_per_mol, -7.2);
  EXPECT_EQ(net.states[1].macrostate, Macrostate::Bound);  // "Bound": case-insensitive
  EXPECT_EQ(net.states[5].macrostate, Macrostate::Unbound);  // "UNBOUND"
  EXPECT_EQ(net.states[2].macrostate, Macrostate::Other);
  EXPECT_EQ(net.states[3].name, "surface");
  EXPECT_FALSE(net.discrete_time());
  EXPECT_EQ(net.source, input_path("six_state/edges.csv"));
  ASSERT_EQ(net.edges.size(), 14u);  // 7 Eyring lines, both directions
  // First line "10, 11, -4.0    " (blanks around fields are allowed).
  EXPECT_EQ(net.edges[0].from, 0);
  EXPECT_EQ(net.edges[0].to, 1);
  EXPECT_EQ(net.edges[1].from, 1);
  EXPECT_EQ(net.edges[1].to, 0);
  for (int k : {0, 1}) {
    EXPECT_EQ(net.edges[k].kind, EdgeKind::Eyring);
    EXPECT_EQ(net.edges[k].value, -4.0);
  }
  // Last line "30, 31, 0.5", after a blank line.
  EXPECT_EQ(net.edges[12].from, 4);
  EXPECT_EQ(net.edges[12].to, 5);
  EXPECT_EQ(net.edges[13].value, 0.5);
}

TEST(NetworkCsv, ExplicitRatesAreDirected) {
  const Network net = load_csv(input_path("explicit_rates/states.csv"), input_path("explicit_rates/edges.csv"));
  ASSERT_EQ(net.states.size(), 4u);
  EXPECT_TRUE(net.states[0].name.empty());
  ASSERT_EQ(net.edges.size(), 8u);
  EXPECT_EQ(net.edges[7].from, 3);
  EXPECT_EQ(net.edges[7].to, 2);
  EXPECT_EQ(net.edges[7].kind, EdgeKind::Rate);
  EXPECT_EQ(net.edges[7].value, 5e8);
}

TEST(NetworkCsv, CrlfCommentsAndEmptyNamesAreAccepted) {
  const std::string states = scratch_file(
      "crlf_states.csv", "\xEF\xBB\xBF# made on Windows\r\nid , free_energy_kcal_per_mol , macrostate , name\r\n"
                         "  7 ,-2.5, bound ,\r\n\r\n   # a comment\r\n8,0,unbound,free ligand\r\n");
  const std::string edges = scratch_file("crlf_edges.csv", "from,to,rate_per_s\r\n7,8,1.5e3\r\n8,7,+2e6");
  const Network net = load_csv(states, edges);
  ASSERT_EQ(net.states.size(), 2u);
  EXPECT_EQ(net.states[0].id, 7);
  EXPECT_EQ(net.states[0].free_energy_kcal_per_mol, -2.5);
  EXPECT_EQ(net.states[0].name, "");
  EXPECT_EQ(net.states[1].name, "free ligand");
  ASSERT_EQ(net.edges.size(), 2u);
  EXPECT_EQ(net.edges[0].value, 1.5e3);
  EXPECT_EQ(net.edges[1].value, 2e6);  // last line without a line break
}

struct BadStates {
  const char* name;
  std::string content;
  long line;
  const char* fragment;
};

class NetworkCsvBadStates : public testing::TestWithParam<BadStates> {};

TEST_P(NetworkCsvBadStates, NameFileAndLine) {
  const BadStates& c = GetParam();
  const std::string states = scratch_file(std::string("bad_states_") + c.name + ".csv", c.content);
  const std::string edges = scratch_file("edges_for_bad_states.csv", "from,to,rate_per_s\n1,3,1\n");
  expect_input_error([&] { load_csv(states, edges); }, states, c.line, c.fragment);
}

const std::string kHeader = "id,free_energy_kcal_per_mol,macrostate\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, NetworkCsvBadStates,
    testing::Values(
        BadStates{"empty", "", 0, "empty file"},
        BadStates{"only_comments", "# nothing\n\n  # here\n", 0, "empty file"},
        BadStates{"wrong_header", "# states\nid,energy,macrostate\n1,0,bound\n", 2, "expected id,free_energy"},
        BadStates{"extra_column", "id,free_energy_kcal_per_mol,macrostate,colour\n", 1, "header"},
        BadStates{"too_few_fields", kHeader + "1,0,bound\n2,0\n", 3, "found 2 fields, expected 3"},
        BadStates{"too_many_fields", kHeader + "1,0,bound,x\n", 2, "found 4 fields, expected 3"},
        BadStates{"id_not_integer", kHeader + "1,0,bound\n2.5,0,unbound\n", 3, "'2.5' is not an integer"},
        BadStates{"id_empty", kHeader + "1,0,bound\n,0,unbound\n", 3, "column 'id' is empty"},
        BadStates{"id_overflow", kHeader + "99999999999999999999,0,bound\n", 2, "out of the 64-bit range"},
        BadStates{"energy_not_number", kHeader + "1,0,bound\n2,1.2.3,unbound\n", 3, "'1.2.3' is not a number"},
        BadStates{"energy_nan", kHeader + "1,nan,bound\n", 2, "expected a finite number"},
        BadStates{"energy_inf", kHeader + "1,0,bound\n2,-inf,unbound\n", 3, "expected a finite number"},
        BadStates{"duplicate_id", kHeader + "1,0,bound\n2,0,other\n\n1,0,unbound\n", 5,
                  "duplicate state id 1 (first on line 2)"},
        BadStates{"unknown_macrostate", kHeader + "1,0,bound\n2,0,bond\n", 3, "macrostate 'bond'"},
        BadStates{"no_bound", kHeader + "1,0,other\n3,0,unbound\n", 0, "no bound state"},
        BadStates{"no_unbound", kHeader + "1,0,bound\n3,0,other\n", 0, "no unbound state"}),
    [](const testing::TestParamInfo<BadStates>& info) { return std::string(info.param.name); });

TEST(NetworkCsv, MissingFilesAreNamed) {
  const std::string edges = scratch_file("edges_ok.csv", "from,to,rate_per_s\n1,3,1\n");
  expect_input_error([&] { load_csv("network_scratch/no_such_states.csv", edges); },
                     "network_scratch/no_such_states.csv", 0, "cannot open file");
  expect_input_error([&] { load_csv(states_file(), "network_scratch/no_such_edges.csv"); },
                     "network_scratch/no_such_edges.csv", 0, "cannot open file");
  // A directory exists but is no file.
  expect_input_error([&] { load_csv(states_file(), "network_scratch"); }, "network_scratch", 0, "is a directory");
}

struct BadEdges {
  const char* name;
  std::string content;
  long line;
  const char* fragment;
};

class NetworkCsvBadEdges : public testing::TestWithParam<BadEdges> {};

TEST_P(NetworkCsvBadEdges, NameFileAndLine) {
  const BadEdges& c = GetParam();
  const std::string edges = scratch_file(std::string("bad_edges_") + c.name + ".csv", c.content);
  expect_input_error([&] { load_csv(states_file(), edges); }, edges, c.line, c.fragment);
}

const std::string kEyring = "from,to,ts_free_energy_kcal_per_mol\n";
const std::string kRate = "from,to,rate_per_s\n";

// States: 1 (G = -5, bound), 2 (G = -1, other), 3 (G = 0, unbound).
INSTANTIATE_TEST_SUITE_P(
    Cases, NetworkCsvBadEdges,
    testing::Values(
        BadEdges{"empty", "\n\n", 0, "empty file"},
        BadEdges{"wrong_header", "# edges\nfrom,to,ts_energy\n", 2, "expected from,to,ts_free_energy"},
        BadEdges{"swapped_header", "to,from,rate_per_s\n", 1, "header 'to,from,rate_per_s'"},
        BadEdges{"too_few_fields", kEyring + "1,2,3\n2,3\n", 3, "found 2 fields, expected 3"},
        BadEdges{"too_many_fields", kRate + "1,2,3,4\n", 2, "found 4 fields, expected 3"},
        BadEdges{"from_not_integer", kRate + "one,2,3\n", 2, "column 'from': 'one' is not an integer"},
        BadEdges{"rate_not_number", kRate + "1,2,3\n2,1,fast\n", 3, "column 'rate_per_s': 'fast' is not a number"},
        BadEdges{"rate_empty", kRate + "1,2,\n3,1,5\n", 2, "column 'rate_per_s' is empty"},
        BadEdges{"ts_with_unit", kEyring + "1,2,3 kcal\n", 2, "'3 kcal' is not a number"},
        BadEdges{"unknown_from", kRate + "1,2,3\n4,2,3\n", 3, "unknown state id 4"},
        BadEdges{"unknown_to", kEyring + "1,2,3\n2,3,3\n1,-3,3\n", 4, "column 'to': unknown state id -3"},
        BadEdges{"self_edge_rate", kRate + "2,2,3\n", 2, "self-edge on state id 2"},
        BadEdges{"self_edge_eyring", kEyring + "1,2,3\n3,3,3\n", 3, "self-edge on state id 3"},
        BadEdges{"duplicate_eyring_pair", kEyring + "1,2,3\n2,3,3\n# same pair\n2,1,4\n", 5,
                 "duplicate edge 2 -- 1 (first on line 2)"},
        BadEdges{"duplicate_rate", kRate + "1,2,3\n2,1,3\n1,2,4\n", 4, "duplicate edge 1 -> 2 (first on line 2)"},
        BadEdges{"negative_rate", kRate + "1,2,3\n2,1,-0.5\n", 3, "rate_per_s -0.5 is negative"},
        BadEdges{"nan_rate", kRate + "1,2,NaN\n", 2, "rate_per_s is NaN"},
        BadEdges{"inf_rate", kRate + "1,2,3\n2,1,inf\n", 3, "rate_per_s inf is infinite"},
        BadEdges{"ts_below_from", kEyring + "2,1,-0.5\n3,1,-0.25\n", 3,
                 "-0.25 kcal/mol is below the free energy of state id 3 (0 kcal/mol)"},
        BadEdges{"ts_below_to", kEyring + "2,3,2\n1,2,-2\n", 3,
                 "-2 kcal/mol is below the free energy of state id 2 (-1 kcal/mol)"},
        BadEdges{"ts_nan", kEyring + "1,3,nan\n", 2, "expected a finite number of kcal/mol"}),
    [](const testing::TestParamInfo<BadEdges>& info) { return std::string(info.param.name); });

TEST(NetworkCsv, ReverseRateIsNoDuplicateAndBarrierlessTransitionStateIsAllowed) {
  const std::string rates = scratch_file("rates_both_ways.csv", kRate + "1,2,3\n2,1,3\n3,2,0\n");
  EXPECT_EQ(load_csv(states_file(), rates).edges.size(), 3u);
  const std::string eyring = scratch_file("barrierless.csv", kEyring + "2,3,0\n1,2,-1\n");
  const Network net = load_csv(states_file(), eyring);
  ASSERT_EQ(net.edges.size(), 4u);
  EXPECT_EQ(net.edges[2].value, -1.0);
  // The header alone: a network without edges is loaded (reachability is checked later).
  EXPECT_TRUE(load_csv(states_file(), scratch_file("no_edges.csv", kRate)).edges.empty());
}

}  // namespace
}  // namespace pk::network
