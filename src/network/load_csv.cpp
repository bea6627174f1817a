// states.csv + edges.csv -> Network. Built for size: one pass over each file
// held in memory, hand-split fields, hash maps for ids and duplicate edges.
#include "core/error.hpp"
#include "network/csv_detail.hpp"
#include "network/load.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace pk::network {

namespace {

using detail::describe_state;
using detail::fmt;

enum class EdgeColumns { Eyring, Rate };

constexpr const char* kEyringHeader = "from,to,ts_free_energy_kcal_per_mol";
constexpr const char* kRateHeader = "from,to,rate_per_s";

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

std::int32_t index_of(const detail::StateTable& table, std::int64_t id, const std::string& path, long line,
                      const char* column, const std::string& states_csv) {
  const auto it = table.index_of_id.find(id);
  if (it == table.index_of_id.end())
    throw InputError(path, line,
                     std::string("column '") + column + "': unknown state id " + std::to_string(id) +
                         ": expected an id listed in " + states_csv);
  return it->second;
}

void check_rate(double rate, std::string_view field, const std::string& path, long line) {
  if (std::isnan(rate)) throw InputError(path, line, "rate_per_s is NaN: expected a finite rate >= 0 (1/s)");
  if (std::isinf(rate))
    throw InputError(path, line, "rate_per_s " + std::string(field) + " is infinite: expected a finite rate >= 0 (1/s)");
  if (rate < 0.0)
    throw InputError(path, line, "rate_per_s " + std::string(field) + " is negative: expected a finite rate >= 0 (1/s)");
}

void check_transition_state(double g_ts, std::string_view field, const State& a, const State& b,
                            const std::string& path, long line) {
  if (!std::isfinite(g_ts))
    throw InputError(path, line,
                     "ts_free_energy_kcal_per_mol " + std::string(field) + ": expected a finite number of kcal/mol");
  for (const State* s : {&a, &b})
    if (g_ts < s->free_energy_kcal_per_mol)
      throw InputError(path, line,
                       "transition-state free energy " + fmt(g_ts) + " kcal/mol is below the free energy of " +
                           describe_state(*s) + " (" + fmt(s->free_energy_kcal_per_mol) +
                           " kcal/mol): expected a transition state at or above both endpoints");
}

EdgeColumns read_edge_header(detail::LineReader& lines, const std::string& path) {
  std::string_view line;
  if (!lines.next(line))
    throw InputError(path, 0, std::string("empty file: expected the header ") + kEyringHeader + " or " + kRateHeader);
  std::vector<std::string_view> f;
  detail::split_fields(line, f);
  if (f.size() == 3 && f[0] == "from" && f[1] == "to" && f[2] == "ts_free_energy_kcal_per_mol")
    return EdgeColumns::Eyring;
  if (f.size() == 3 && f[0] == "from" && f[1] == "to" && f[2] == "rate_per_s") return EdgeColumns::Rate;
  throw InputError(path, lines.line(),
                   "header '" + std::string(line) + "': expected " + kEyringHeader + " or " + kRateHeader);
}

std::string duplicate_message(EdgeColumns columns, const State& a, const State& b, long first_line) {
  const bool eyring = columns == EdgeColumns::Eyring;
  return "duplicate edge " + std::to_string(a.id) + (eyring ? " -- " : " -> ") + std::to_string(b.id) +
         " (first on line " + std::to_string(first_line) + ")" +
         (eyring ? ": expected one line per pair of states (it gives both directions)"
                 : ": expected one line per directed pair");
}

}  // namespace

Network load_csv(const std::string& states_csv, const std::string& edges_csv) {
  Network net;
  detail::StateTable table = detail::read_states_csv(states_csv);
  net.states = std::move(table.states);
  net.source = edges_csv;

  const std::string text =
      detail::read_file(edges_csv, std::string("an edges CSV file with header ") + kEyringHeader + " or " + kRateHeader);
  detail::LineReader lines(text);
  const EdgeColumns columns = read_edge_header(lines, edges_csv);
  const char* value_column = columns == EdgeColumns::Eyring ? "ts_free_energy_kcal_per_mol" : "rate_per_s";

  const std::size_t expected_lines = count_lines(text);
  net.edges.reserve(columns == EdgeColumns::Eyring ? 2 * expected_lines : expected_lines);
  // Key: (from, to) for rates, (min, max) for Eyring pairs -> line first seen.
  std::unordered_map<std::uint64_t, long> seen;
  seen.reserve(expected_lines);
  std::string_view line;
  std::vector<std::string_view> f;
  while (lines.next(line)) {
    const long ln = lines.line();
    detail::split_fields(line, f);
    if (f.size() != 3)
      throw InputError(edges_csv, ln,
                       "found " + std::to_string(f.size()) + " fields, expected 3 (" +
                           (columns == EdgeColumns::Eyring ? kEyringHeader : kRateHeader) + ")");
    const std::int32_t from =
        index_of(table, detail::parse_int64(f[0], edges_csv, ln, "from"), edges_csv, ln, "from", states_csv);
    const std::int32_t to =
        index_of(table, detail::parse_int64(f[1], edges_csv, ln, "to"), edges_csv, ln, "to", states_csv);
    if (from == to)
      throw InputError(edges_csv, ln,
                       "self-edge on " + describe_state(net.states[from]) + ": expected two different states");
    const double value = detail::parse_double(f[2], edges_csv, ln, value_column);
    const State& a = net.states[from];
    const State& b = net.states[to];
    std::uint32_t lo = static_cast<std::uint32_t>(from), hi = static_cast<std::uint32_t>(to);
    if (columns == EdgeColumns::Eyring) {
      check_transition_state(value, f[2], a, b, edges_csv, ln);
      if (lo > hi) std::swap(lo, hi);
    } else {
      check_rate(value, f[2], edges_csv, ln);
    }
    const auto [it, fresh] = seen.emplace((static_cast<std::uint64_t>(lo) << 32) | hi, ln);
    if (!fresh) throw InputError(edges_csv, ln, duplicate_message(columns, a, b, it->second));
    if (columns == EdgeColumns::Eyring) {
      net.edges.push_back(Edge{from, to, EdgeKind::Eyring, value});
      net.edges.push_back(Edge{to, from, EdgeKind::Eyring, value});
    } else {
      net.edges.push_back(Edge{from, to, EdgeKind::Rate, value});
    }
  }
  return net;
}

}  // namespace pk::network
