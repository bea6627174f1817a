// Internal to the network loaders: line-oriented reading of small CSV files
// (the whole file in memory, lines numbered from 1, `#` comment lines and
// blank lines skipped, fields split at commas and trimmed) and number parsing
// that must consume the whole field. Every problem is a pk::InputError naming
// the file and line.
#pragma once

#include "network/network.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pk::network::detail {

/// The whole file; InputError(path, 0, ...) saying it should be `what` when it
/// cannot be read.
std::string read_file(const std::string& path, const std::string& what);

/// Walks the lines of `text` (the file's content), skipping blank and `#` lines.
class LineReader {
 public:
  explicit LineReader(const std::string& text);
  /// The next meaningful line, trimmed; false at the end of the text.
  bool next(std::string_view& line);
  /// 1-based number of the line last returned by next().
  long line() const { return line_; }

 private:
  const char* pos_;
  const char* end_;
  long line_ = 0;
};

std::string_view trim(std::string_view s);

/// Splits at commas into trimmed fields, reusing `out`'s storage.
void split_fields(std::string_view line, std::vector<std::string_view>& out);

/// Lowercase copy (ASCII).
std::string lower(std::string_view s);

/// Parses a whole field as a number; `column` names it in the message.
/// Non-finite values (nan, inf) are returned as parsed: callers decide.
double parse_double(std::string_view field, const std::string& path, long line, const char* column);
std::int64_t parse_int64(std::string_view field, const std::string& path, long line, const char* column);

/// The states of a states CSV file, their id -> index map and their lines.
struct StateTable {
  std::vector<State> states;
  std::unordered_map<std::int64_t, std::int32_t> index_of_id;
};

/// Reads and checks a states CSV (header `id,free_energy_kcal_per_mol,macrostate`
/// optionally `,name`); requires at least one bound and one unbound state.
StateTable read_states_csv(const std::string& path);

/// A number for messages (%.10g).
std::string fmt(double x);

/// "state id 7" for messages.
std::string describe_state(const State& s);

}  // namespace pk::network::detail
