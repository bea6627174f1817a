// A generated network of 10,000 states and 100,000 Eyring lines loads
// completely and correctly. The load time is printed for information only.
#include "network/load.hpp"
#include "network_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace pk::network {
namespace {

constexpr int kStates = 10000;
constexpr int kNeighbours = 10;  // lines per state: 100,000 in all

// Values with short exact binary forms, so the text round-trips exactly.
std::int64_t id_of(int i) { return 3 * static_cast<std::int64_t>(i) + 7; }
double energy_of(int i) { return -5.0 + (i % 97) * 0.125; }
Macrostate macro_of(int i) {
  return i % 50 == 0 ? Macrostate::Bound : i % 50 == 1 ? Macrostate::Unbound : Macrostate::Other;
}
int partner_of(int i, int k) { return (i + k) % kStates; }
double ts_of(int i, int k) {
  return std::max(energy_of(i), energy_of(partner_of(i, k))) + 1.0 + ((i + k) % 13) * 0.25;
}

TEST(NetworkBig, TenThousandStatesAndHundredThousandEdgesLoadCorrectly) {
  std::string states = "# generated\nid,free_energy_kcal_per_mol,macrostate,name\n";
  std::string edges = "from,to,ts_free_energy_kcal_per_mol\n";
  char line[128];
  for (int i = 0; i < kStates; ++i) {
    std::snprintf(line, sizeof line, "%lld,%.3f,%s,s%d\n", static_cast<long long>(id_of(i)), energy_of(i),
                  to_string(macro_of(i)), i);
    states += line;
  }
  for (int i = 0; i < kStates; ++i)
    for (int k = 1; k <= kNeighbours; ++k) {
      std::snprintf(line, sizeof line, "%lld, %lld, %.3f\n", static_cast<long long>(id_of(i)),
                    static_cast<long long>(id_of(partner_of(i, k))), ts_of(i, k));
      edges += line;
    }
  const std::string states_path = test::scratch_file("big_states.csv", states);
  const std::string edges_path = test::scratch_file("big_edges.csv", edges);

  const auto t0 = std::chrono::steady_clock::now();
  const Network net = load_csv(states_path, edges_path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ info ] loaded " << net.states.size() << " states and " << net.edges.size() << " edges in "
            << seconds * 1e3 << " ms\n";

  ASSERT_EQ(net.states.size(), static_cast<std::size_t>(kStates));
  for (int i = 0; i < kStates; ++i) {
    const State& s = net.states[i];
    ASSERT_EQ(s.id, id_of(i));
    ASSERT_EQ(s.free_energy_kcal_per_mol, energy_of(i));
    ASSERT_EQ(s.macrostate, macro_of(i));
    ASSERT_EQ(s.name, "s" + std::to_string(i));
  }
  ASSERT_EQ(net.edges.size(), static_cast<std::size_t>(2 * kStates * kNeighbours));
  std::size_t e = 0;
  for (int i = 0; i < kStates; ++i)
    for (int k = 1; k <= kNeighbours; ++k, e += 2) {
      const Edge &fwd = net.edges[e], &rev = net.edges[e + 1];
      ASSERT_EQ(fwd.from, i);
      ASSERT_EQ(fwd.to, partner_of(i, k));
      ASSERT_EQ(rev.from, partner_of(i, k));
      ASSERT_EQ(rev.to, i);
      ASSERT_EQ(fwd.kind, EdgeKind::Eyring);
      ASSERT_EQ(rev.kind, EdgeKind::Eyring);
      ASSERT_EQ(fwd.value, ts_of(i, k));
      ASSERT_EQ(rev.value, ts_of(i, k));
    }
}

}  // namespace
}  // namespace pk::network
