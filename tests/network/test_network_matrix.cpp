// Discrete-time Markov models: the CSV and the NumPy (.npy, written by numpy
// itself) forms of the example matrix load identically, and malformed
// matrices are InputErrors naming file and line (the row's line for CSV).
#include "network/load.hpp"
#include "network_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace pk::network {
namespace {

using test::expect_input_error;
using test::input_path;
using test::scratch_file;

const std::string kStates3 =
    "id,free_energy_kcal_per_mol,macrostate\n"
    "5,0,bound\n"
    "6,0,other\n"
    "7,0,unbound\n";

std::string states3() { return scratch_file("msm_states3.csv", kStates3); }

/// A .npy file as numpy.lib.format describes it (header padded to 64 bytes).
std::string npy(const std::string& descr, const std::string& fortran, const std::string& shape,
                const std::vector<double>& data, int version = 1) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
  const std::size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(version);
  out += '\0';
  const std::size_t len = dict.size();
  for (std::size_t b = 0; b < prefix - 8; ++b) out += static_cast<char>((len >> (8 * b)) & 0xff);
  out += dict;
  std::string bytes(data.size() * 8, '\0');
  std::memcpy(bytes.data(), data.data(), bytes.size());  // x86: little-endian
  return out + bytes;
}

const std::vector<double> kP3 = {0.5, 0.5, 0.0, 0.25, 0.5, 0.25, 0.0, 0.1, 0.9};

TEST(NetworkMatrix, CsvAndNumpyFilesLoadIdentically) {
  const std::string states = input_path("msm_four_state/states.csv");
  const Network csv = load_transition_matrix(states, input_path("msm_four_state/transition.csv"), 1e-9);
  const Network npy_net = load_transition_matrix(states, input_path("msm_four_state/transition.npy"), 1e-9);
  EXPECT_TRUE(csv.discrete_time());
  EXPECT_EQ(csv.lag_time_s, 1e-9);
  EXPECT_EQ(npy_net.lag_time_s, 1e-9);
  ASSERT_EQ(csv.states.size(), 4u);
  // Non-zero entries, self-loops included: 2 + 3 + 3 + 2.
  ASSERT_EQ(csv.edges.size(), 10u);
  ASSERT_EQ(npy_net.edges.size(), csv.edges.size());
  for (std::size_t k = 0; k < csv.edges.size(); ++k) {
    EXPECT_EQ(npy_net.edges[k].from, csv.edges[k].from) << k;
    EXPECT_EQ(npy_net.edges[k].to, csv.edges[k].to) << k;
    EXPECT_EQ(npy_net.edges[k].kind, EdgeKind::Probability) << k;
    EXPECT_EQ(npy_net.edges[k].value, csv.edges[k].value) << k;  // bit for bit
  }
  EXPECT_EQ(csv.edges[0].from, 0);
  EXPECT_EQ(csv.edges[0].to, 0);
  EXPECT_EQ(csv.edges[0].value, 0.97);
  EXPECT_EQ(csv.edges[4].from, 1);
  EXPECT_EQ(csv.edges[4].to, 2);
  EXPECT_EQ(csv.edges[4].value, 0.08);
  EXPECT_EQ(npy_net.source, input_path("msm_four_state/transition.npy"));
}

TEST(NetworkMatrix, NumpyVersionTwoHeaderIsAccepted) {
  const std::string v1 = scratch_file("p3_v1.npy", npy("<f8", "False", "(3, 3)", kP3, 1));
  const std::string v2 = scratch_file("p3_v2.npy", npy("<f8", "False", "(3, 3)", kP3, 2));
  const std::string csv = scratch_file("p3.csv", "0.5,0.5,0\n0.25,0.5,0.25\n0,0.1,0.9\n");
  const Network a = load_transition_matrix(states3(), v1, 2.0);
  const Network b = load_transition_matrix(states3(), v2, 2.0);
  const Network c = load_transition_matrix(states3(), csv, 2.0);
  ASSERT_EQ(a.edges.size(), 7u);
  ASSERT_EQ(b.edges.size(), 7u);
  ASSERT_EQ(c.edges.size(), 7u);
  for (std::size_t k = 0; k < 7; ++k) {
    EXPECT_EQ(a.edges[k].value, c.edges[k].value);
    EXPECT_EQ(b.edges[k].value, c.edges[k].value);
    EXPECT_EQ(a.edges[k].to, c.edges[k].to);
  }
}

struct BadMatrix {
  const char* name;
  std::string content;
  long line;
  const char* fragment;
};

class NetworkMatrixBad : public testing::TestWithParam<BadMatrix> {};

TEST_P(NetworkMatrixBad, NameFileAndLine) {
  const BadMatrix& c = GetParam();
  const bool binary = c.content.rfind("\x93NUMPY", 0) == 0;
  const std::string path = scratch_file(std::string("bad_matrix_") + c.name + (binary ? ".npy" : ".csv"), c.content);
  expect_input_error([&] { load_transition_matrix(states3(), path, 1e-12); }, path, c.line, c.fragment);
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

INSTANTIATE_TEST_SUITE_P(
    Cases, NetworkMatrixBad,
    testing::Values(
        BadMatrix{"empty", "# nothing\n", 0, "empty file"},
        BadMatrix{"ragged", "# P\n0.5,0.5,0\n0.5,0.5\n0,0,1\n", 3, "row 1 has 2 values, expected 3"},
        BadMatrix{"not_square", "0.5,0.5,0\n0.5,0.5,0\n", 0, "matrix is 2 x 3: expected a square matrix"},
        BadMatrix{"size_mismatch", "0.5,0.5\n0.5,0.5\n", 0, "lists 3 states"},
        BadMatrix{"not_a_number", "0.5,0.5,0\n0.5,half,0\n0,0,1\n", 2, "'half' is not a number"},
        BadMatrix{"negative", "0.5,0.5,0\n0.5,0.5,0\n\n# row 2\n-0.1,0.1,1\n", 5,
                  "entry (row 2, column 0) = -0.1: expected a finite probability >= 0"},
        BadMatrix{"nan", "0.5,0.5,0\nnan,0.5,0.5\n0,0,1\n", 2, "entry (row 1, column 0) = nan"},
        BadMatrix{"inf", "inf,0,0\n0.5,0.5,0\n0,0,1\n", 1, "entry (row 0, column 0) = inf"},
        BadMatrix{"row_sum", "0.5,0.5,0\n0.5,0.5,0\n0,0.2,0.7\n", 3,
                  "row 2 (state id 7) sums to 0.9: expected 1 within 1e-6"},
        BadMatrix{"row_sum_just_over", "0.5,0.5,0.000002\n0.5,0.5,0\n0,0,1\n", 1, "row 0 (state id 5) sums to"},
        BadMatrix{"npy_version3", npy("<f8", "False", "(3, 3)", kP3, 3), 0, "version 3 is not supported"},
        BadMatrix{"npy_float32", npy("<f4", "False", "(3, 3)", kP3), 0, "dtype '<f4' is not supported"},
        BadMatrix{"npy_big_endian", npy(">f8", "False", "(3, 3)", kP3), 0, "dtype '>f8' is not supported"},
        BadMatrix{"npy_fortran", npy("<f8", "True", "(3, 3)", kP3), 0, "Fortran order"},
        BadMatrix{"npy_1d", npy("<f8", "False", "(9,)", kP3), 0, "expected a 2-D array"},
        BadMatrix{"npy_3d", npy("<f8", "False", "(1, 3, 3)", kP3), 0, "expected a 2-D array"},
        BadMatrix{"npy_not_square", npy("<f8", "False", "(1, 9)", kP3), 0, "matrix is 1 x 9"},
        BadMatrix{"npy_truncated", npy("<f8", "False", "(3, 3)", {0.5, 0.5}), 0, "too few for shape (3, 3)"},
        BadMatrix{"npy_negative", npy("<f8", "False", "(3, 3)", {1, 0, 0, 0, 1, 0, 0, -1, 2}), 0,
                  "entry (row 2, column 1) = -1"},
        BadMatrix{"npy_nan", npy("<f8", "False", "(3, 3)", {1, 0, 0, kNaN, 1, 0, 0, 0, 1}), 0,
                  "entry (row 1, column 0) = nan"},
        BadMatrix{"npy_row_sum", npy("<f8", "False", "(3, 3)", {1, 0, 0, 0, 1, 0, 0, 0.5, 0.4}), 0,
                  "row 2 (state id 7) sums to 0.9"}),
    [](const testing::TestParamInfo<BadMatrix>& info) { return std::string(info.param.name); });

TEST(NetworkMatrix, LagTimeMustBePositiveAndFinite) {
  const std::string m = scratch_file("p3_lag.csv", "0.5,0.5,0\n0.25,0.5,0.25\n0,0.1,0.9\n");
  for (double lag : {0.0, -1e-9, std::numeric_limits<double>::infinity(), kNaN})
    expect_input_error([&] { load_transition_matrix(states3(), m, lag); }, m, 0, "expected a finite lag time > 0 s");
  EXPECT_EQ(load_transition_matrix(states3(), m, 1e-15).lag_time_s, 1e-15);
}

TEST(NetworkMatrix, StatesFileErrorsNameTheStatesFile) {
  const std::string m = scratch_file("p3_ok.csv", "0.5,0.5,0\n0.25,0.5,0.25\n0,0.1,0.9\n");
  const std::string states = scratch_file("msm_bad_states.csv", kStates3 + "5,0,other\n");
  expect_input_error([&] { load_transition_matrix(states, m, 1.0); }, states, 5, "duplicate state id 5");
  expect_input_error([&] { load_transition_matrix(states3(), "network_scratch/none.npy", 1.0); },
                     "network_scratch/none.npy", 0, "cannot open file");
}

}  // namespace
}  // namespace pk::network
