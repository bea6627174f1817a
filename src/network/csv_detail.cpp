#include "network/csv_detail.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace pk::network::detail {

std::string read_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, 0, "is a directory: expected " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open file: expected " + what);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw InputError(path, 0, "cannot read file: expected " + what);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0, std::ios::beg);
  if (size > 0 && !in.read(text.data(), size)) throw InputError(path, 0, "cannot read file: expected " + what);
  return text;
}

LineReader::LineReader(const std::string& text) : pos_(text.data()), end_(text.data() + text.size()) {
  // A UTF-8 byte-order mark, as spreadsheet programs write it.
  if (text.size() >= 3 && std::memcmp(pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
}

bool LineReader::next(std::string_view& line) {
  while (pos_ < end_) {
    const void* nl = std::memchr(pos_, '\n', static_cast<std::size_t>(end_ - pos_));
    const char* stop = nl ? static_cast<const char*>(nl) : end_;
    std::string_view raw(pos_, static_cast<std::size_t>(stop - pos_));
    pos_ = nl ? stop + 1 : end_;
    ++line_;
    raw = trim(raw);
    if (raw.empty() || raw.front() == '#') continue;
    line = raw;
    return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

void split_fields(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(trim(line.substr(start)));
      return;
    }
    out.push_back(trim(line.substr(start, comma - start)));
    start = comma + 1;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

// The fields are views into the file's text, which is NUL-terminated and in
// which a field is followed by a comma, blank or line end: strtod/strtoll stop
// there at the latest, so "consumed exactly the field" is end == field end.
// An empty field is rejected first because strtod would skip the line break.
double parse_double(std::string_view field, const std::string& path, long line, const char* column) {
  if (field.empty()) throw InputError(path, line, std::string("column '") + column + "' is empty: expected a number");
  char* end = nullptr;
  const double v = std::strtod(field.data(), &end);
  if (end != field.data() + field.size())
    throw InputError(path, line,
                     std::string("column '") + column + "': '" + std::string(field) + "' is not a number");
  return v;
}

std::int64_t parse_int64(std::string_view field, const std::string& path, long line, const char* column) {
  if (field.empty()) throw InputError(path, line, std::string("column '") + column + "' is empty: expected an integer");
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(field.data(), &end, 10);
  if (end != field.data() + field.size())
    throw InputError(path, line,
                     std::string("column '") + column + "': '" + std::string(field) + "' is not an integer");
  if (errno == ERANGE)
    throw InputError(path, line,
                     std::string("column '") + column + "': " + std::string(field) + " is out of the 64-bit range");
  return static_cast<std::int64_t>(v);
}

std::string describe_state(const State& s) {
  std::string d = "state id " + std::to_string(s.id);
  if (!s.name.empty()) d += " (" + s.name + ")";
  return d;
}

namespace {

bool parse_macrostate(std::string_view field, Macrostate& m) {
  const std::string v = lower(field);
  if (v == "bound") m = Macrostate::Bound;
  else if (v == "unbound") m = Macrostate::Unbound;
  else if (v == "other") m = Macrostate::Other;
  else return false;
  return true;
}

constexpr const char* kStatesHeader = "id,free_energy_kcal_per_mol,macrostate";

}  // namespace

StateTable read_states_csv(const std::string& path) {
  const std::string text = read_file(path, "a states CSV file with header " + std::string(kStatesHeader));
  LineReader lines(text);
  std::string_view line;
  if (!lines.next(line))
    throw InputError(path, 0, "empty file: expected the header " + std::string(kStatesHeader) + "[,name]");
  std::vector<std::string_view> f;
  split_fields(line, f);
  const bool named = f.size() == 4 && f[3] == "name";
  if (!((f.size() == 3 || named) && f[0] == "id" && f[1] == "free_energy_kcal_per_mol" && f[2] == "macrostate"))
    throw InputError(path, lines.line(),
                     "header '" + std::string(line) + "': expected " + kStatesHeader + " optionally followed by ,name");
  const std::size_t nfields = named ? 4 : 3;

  StateTable table;
  std::vector<long> line_of_state;
  bool any_bound = false, any_unbound = false;
  while (lines.next(line)) {
    const long ln = lines.line();
    split_fields(line, f);
    if (f.size() != nfields)
      throw InputError(path, ln,
                       "found " + std::to_string(f.size()) + " fields, expected " + std::to_string(nfields) + " (" +
                           kStatesHeader + (named ? ",name)" : ")"));
    State s;
    s.id = parse_int64(f[0], path, ln, "id");
    s.free_energy_kcal_per_mol = parse_double(f[1], path, ln, "free_energy_kcal_per_mol");
    if (!std::isfinite(s.free_energy_kcal_per_mol))
      throw InputError(path, ln, "free energy " + std::string(f[1]) + ": expected a finite number of kcal/mol");
    if (!parse_macrostate(f[2], s.macrostate))
      throw InputError(path, ln, "macrostate '" + std::string(f[2]) + "': expected bound, unbound or other");
    if (named) s.name = std::string(f[3]);
    if (table.states.size() >= static_cast<std::size_t>(INT32_MAX))
      throw InputError(path, ln, "too many states: at most 2^31 - 1");
    const auto [it, fresh] = table.index_of_id.emplace(s.id, static_cast<std::int32_t>(table.states.size()));
    if (!fresh)
      throw InputError(path, ln,
                       "duplicate state id " + std::to_string(s.id) + " (first on line " +
                           std::to_string(line_of_state[it->second]) + "): expected unique ids");
    line_of_state.push_back(ln);
    any_bound |= s.macrostate == Macrostate::Bound;
    any_unbound |= s.macrostate == Macrostate::Unbound;
    table.states.push_back(std::move(s));
  }
  if (!any_bound) throw InputError(path, 0, "no bound state: expected at least one state with macrostate 'bound'");
  if (!any_unbound)
    throw InputError(path, 0, "no unbound state: expected at least one state with macrostate 'unbound'");
  return table;
}

}  // namespace pk::network::detail
