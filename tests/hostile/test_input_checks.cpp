// Checks at the input boundary (issue 19): the irreducibility check names the
// states the exact solver could not handle, and INI files refuse duplicate
// keys and unknown sections but read a UTF-8 byte-order mark.
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/ini.hpp"
#include "network/validate.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

using pk::network::Edge;
using pk::network::EdgeKind;
using pk::network::Macrostate;
using pk::network::Network;

/// States with ids 10, 20, ... (the first bound, the last unbound) and
/// explicit-rate edges (from index, to index).
Network chain(int n, const std::vector<std::pair<int, int>>& edges) {
  Network net;
  net.source = "net.csv";
  for (int i = 0; i < n; ++i) {
    pk::network::State s;
    s.id = 10 * (i + 1);
    s.macrostate = i == 0 ? Macrostate::Bound : (i == n - 1 ? Macrostate::Unbound : Macrostate::Other);
    net.states.push_back(s);
  }
  for (const auto& [a, b] : edges) {
    Edge e;
    e.from = a;
    e.to = b;
    e.kind = EdgeKind::Rate;
    e.value = 1.0;
    net.edges.push_back(e);
  }
  return net;
}

std::string message_of(const Network& net) {
  try {
    pk::network::check_irreducible(net);
  } catch (const pk::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(InputChecks, IrreducibleNetworkPasses) {
  EXPECT_EQ(message_of(chain(3, {{0, 1}, {1, 0}, {1, 2}, {2, 1}})), "");
}

TEST(InputChecks, StatesThatCannotReachUnboundAreNamed) {
  // 0 <-> 1 <-> 3 (unbound), and 0 -> 2 with no way out of 2 (id 30).
  const std::string m = message_of(chain(4, {{0, 1}, {1, 0}, {1, 3}, {3, 1}, {0, 2}}));
  EXPECT_NE(m.find("net.csv: 1 state(s) cannot reach any unbound state"), std::string::npos) << m;
  EXPECT_NE(m.find("ids: 30;"), std::string::npos) << m;
}

TEST(InputChecks, StatesNotReachableFromUnboundAreNamed) {
  // Every state reaches unbound (index 2, id 30), but nothing leads back to 0 (id 10).
  const std::string m = message_of(chain(3, {{0, 1}, {1, 2}, {2, 1}}));
  EXPECT_NE(m.find("1 state(s) cannot be reached from unbound state id 30"), std::string::npos) << m;
  EXPECT_NE(m.find("ids: 10;"), std::string::npos) << m;
}

TEST(InputChecks, ConditionsInPhysicalRange) {
  EXPECT_NO_THROW(pk::network::check_conditions({300.0, 1.0, 1e-6}));
  EXPECT_NO_THROW(pk::network::check_conditions({pk::units::kMaxTemperature_K, 1.0, pk::units::kMaxConcentration_M}));
  EXPECT_THROW(pk::network::check_conditions({1e300, 1.0, 1e-6}), pk::UsageError);
  EXPECT_THROW(pk::network::check_conditions({300.0, 1.0, 1e300}), pk::UsageError);
  EXPECT_THROW(pk::network::check_conditions({0.0, 1.0, 1e-6}), pk::UsageError);
}

std::string write_file(const std::string& name, const std::string& text) {
  std::ofstream(name, std::ios::binary) << text;
  return name;
}

std::string ini_error(const std::string& file, const std::vector<std::string>& known) {
  try {
    pk::io::check_ini(pk::io::read_ini(file), file, known,
                      [](const std::string&, const std::string& key) { return key == "box"; });
  } catch (const pk::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(InputChecks, IniByteOrderMarkSkipped) {
  const std::string f = write_file("bom.ini", "\xEF\xBB\xBFterms = 5\n");
  const auto entries = pk::io::read_ini(f);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].key, "terms");
  std::remove(f.c_str());
}

TEST(InputChecks, IniDuplicateKeysAndUnknownSections) {
  const std::vector<std::string> known = {"kmc", "dock"};
  EXPECT_EQ(ini_error(write_file("ok.ini", "a = 1\n[kmc]\na = 2\n[dock]\nbox = 1\nbox = 2\n"), known), "");
  EXPECT_EQ(ini_error(write_file("dup.ini", "[kmc]\na = 1\n\na = 2\n"), known),
            "dup.ini:4: duplicate key 'a' in [kmc] (first given on line 2): give each key once");
  EXPECT_EQ(ini_error(write_file("case.ini", "a = 1\n[Kmc]\nb = 2\n"), known),
            "case.ini:2: unknown section [Kmc]: expected one of [kmc], [dock] (case-sensitive)");
  for (const char* f : {"ok.ini", "dup.ini", "case.ini"}) std::remove(f);
}

}  // namespace
