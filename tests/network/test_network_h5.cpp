// HDF5 round trip: every rank writes the example networks collectively, rank
// 0 reads them back alone and must get them bit for bit; damaged networks
// are InputErrors naming the dataset. The file is kept for the h5py check
// (check_network_h5.py).
#include "comm/communicator.hpp"
#include "io/atomic_file.hpp"
#include "network/load.hpp"
#include "network/network_h5.hpp"
#include "network_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace pk::network {
namespace {

using test::input_path;

Network six_state() { return load_csv(input_path("six_state/states.csv"), input_path("six_state/edges.csv")); }
Network explicit_rates() {
  return load_csv(input_path("explicit_rates/states.csv"), input_path("explicit_rates/edges.csv"));
}
Network msm() {
  return load_transition_matrix(input_path("msm_four_state/states.csv"), input_path("msm_four_state/transition.npy"),
                                1e-9);
}

void expect_same(const Network& a, const Network& b) {
  ASSERT_EQ(a.states.size(), b.states.size());
  for (std::size_t i = 0; i < a.states.size(); ++i) {
    EXPECT_EQ(a.states[i].id, b.states[i].id) << i;
    EXPECT_EQ(a.states[i].free_energy_kcal_per_mol, b.states[i].free_energy_kcal_per_mol) << i;
    EXPECT_EQ(a.states[i].macrostate, b.states[i].macrostate) << i;
    EXPECT_EQ(a.states[i].name, b.states[i].name) << i;
  }
  ASSERT_EQ(a.edges.size(), b.edges.size());
  for (std::size_t k = 0; k < a.edges.size(); ++k) {
    EXPECT_EQ(a.edges[k].from, b.edges[k].from) << k;
    EXPECT_EQ(a.edges[k].to, b.edges[k].to) << k;
    EXPECT_EQ(a.edges[k].kind, b.edges[k].kind) << k;
    EXPECT_EQ(a.edges[k].value, b.edges[k].value) << k;
  }
  EXPECT_EQ(a.lag_time_s, b.lag_time_s);
}

TEST(NetworkH5, CollectiveWriteThenReadIsExact) {
  comm::Communicator comm;
  const std::string path = "network_h5_np" + std::to_string(comm.size()) + ".h5";
  io::PendingFile pending(path, comm.get());
  Network six = six_state();
  six.states[2].name = "a longer name than the others, with spaces";
  six.edges[3].value = 0.1 + 0.2;  // not a short decimal: must survive bit for bit
  six.edges[2].value = 0.1 + 0.2;
  {
    io::File file = io::File::create(pending.temporary(), comm.get());
    write_network_h5(file, six);
    write_network_h5(file, explicit_rates(), "/more/rates");
    write_network_h5(file, msm(), "/msm");
  }
  pending.commit();
  if (comm.is_root()) {
    const Network back = read_network_h5(path);
    expect_same(back, six);
    EXPECT_EQ(back.source, path);
    expect_same(read_network_h5(path, "/more/rates"), explicit_rates());
    const Network m = read_network_h5(path, "/msm");
    expect_same(m, msm());
    EXPECT_TRUE(m.discrete_time());
  }
  comm.barrier();
}

/// Writes `net` (damaged by the caller) on this rank alone and expects the
/// reader to reject it, naming the dataset.
void expect_rejected(const Network& net, const std::string& name, const std::string& fragment) {
  const std::string path = "network_scratch/damaged_" + name + ".h5";
  {
    io::File file = io::File::create(path, MPI_COMM_NULL);
    write_network_h5(file, net);
  }
  test::expect_input_error([&] { read_network_h5(path); }, path, 0, fragment);
}

TEST(NetworkH5, DamagedNetworksAreRejectedNamingTheDataset) {
  comm::Communicator comm;
  if (!comm.is_root()) return;
  std::filesystem::create_directories("network_scratch");
  Network n = six_state();
  n.edges[5].to = 6;
  expect_rejected(n, "index", "/network/edges/to[5] = 6: expected a state index in [0, 6)");
  n = six_state();
  n.states[4].id = 10;
  expect_rejected(n, "duplicate_id", "/network/states/id[4] = 10 repeats id[0]");
  n = six_state();
  n.edges[1].value += 1.0;
  expect_rejected(n, "unpaired", "/network/edges/value[0]: Eyring edge 0 -> 1 has no reverse");
  n = six_state();
  n.edges[2].value = -9.0;
  n.edges[3].value = -9.0;
  expect_rejected(n, "low_ts", "/network/edges/value[2] = -9 kcal/mol is below");
  n = six_state();
  n.edges.push_back(n.edges[0]);
  expect_rejected(n, "duplicate_edge", "/network/edges/from/to[14] repeat edge [0]");
  n = six_state();
  n.lag_time_s = 1.0;
  expect_rejected(n, "kind_vs_lag", "/network/edges/kind[0] = 0: expected 2 (Probability)");
  n = msm();
  n.edges[0].value = 0.5;
  expect_rejected(n, "row_sum", "leaving state index 0 (id 0) sum to 0.53");
  n = explicit_rates();
  n.edges[0].value = -1.0;
  expect_rejected(n, "negative_rate", "/network/edges/value[0] = -1: expected a finite value >= 0");
  n = explicit_rates();
  n.edges[0].to = n.edges[0].from;
  expect_rejected(n, "self_edge", "self-edge");
  n = explicit_rates();
  for (State& s : n.states)
    if (s.macrostate == Macrostate::Unbound) s.macrostate = Macrostate::Other;
  expect_rejected(n, "no_unbound", "/network/states/macrostate: no unbound state");

  test::expect_input_error([] { read_network_h5("network_scratch/damaged_index.h5", "/elsewhere"); },
                           "network_scratch/damaged_index.h5", 0, "/elsewhere: missing group");
  test::expect_input_error([] { read_network_h5("network_scratch/none.h5"); }, "network_scratch/none.h5", 0,
                           "cannot open");
}

TEST(NetworkH5, InconsistentDatasetsAreRejected) {
  comm::Communicator comm;
  if (!comm.is_root()) return;
  const std::string path = "network_scratch/inconsistent.h5";
  {
    io::File file = io::File::create(path, MPI_COMM_NULL);
    write_network_h5(file, six_state(), "/short_energy");
    write_network_h5(file, six_state(), "/bad_macro");
    write_network_h5(file, six_state(), "/bad_kind");
    write_network_h5(file, six_state(), "/no_lag");
    // Datasets written by hand over the good ones' places.
    io::check_h5(H5Ldelete(file.get(), "/short_energy/states/free_energy_kcal_per_mol", H5P_DEFAULT), "delete");
    io::write_replicated(file, "/short_energy/states/free_energy_kcal_per_mol", std::vector<double>{1, 2}, "kcal/mol");
    io::check_h5(H5Ldelete(file.get(), "/bad_macro/states/macrostate", H5P_DEFAULT), "delete");
    io::write_replicated(file, "/bad_macro/states/macrostate", std::vector<std::int32_t>{0, 0, 2, 2, 1, 3}, "");
    io::check_h5(H5Ldelete(file.get(), "/bad_kind/edges/kind", H5P_DEFAULT), "delete");
    io::write_replicated(file, "/bad_kind/edges/kind", std::vector<std::int32_t>(14, 7), "");
    io::H5Id g(H5Oopen(file.get(), "/no_lag", H5P_DEFAULT), H5Oclose, "open /no_lag");
    io::check_h5(H5Adelete(g.get(), "lag_time_s"), "delete attribute");
  }
  test::expect_input_error([&] { read_network_h5(path, "/short_energy"); }, path, 0,
                           "/short_energy/states/free_energy_kcal_per_mol: holds 2 values, expected 6");
  test::expect_input_error([&] { read_network_h5(path, "/bad_macro"); }, path, 0,
                           "/bad_macro/states/macrostate[5] = 3: expected 0 bound, 1 unbound, 2 other");
  test::expect_input_error([&] { read_network_h5(path, "/bad_kind"); }, path, 0, "/bad_kind/edges/kind[0] = 7");
  test::expect_input_error([&] { read_network_h5(path, "/no_lag"); }, path, 0, "/no_lag@lag_time_s: missing");
}

}  // namespace
}  // namespace pk::network
