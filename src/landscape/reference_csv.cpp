#include "landscape/reference_csv.hpp"

#include "core/error.hpp"
#include "io/ini.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sys/stat.h>

namespace pk::landscape {

namespace {

/// Splits one CSV line; a quoted field may hold commas and doubled quotes.
std::vector<std::string> split_csv(const std::string& line, const std::string& path, long number) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"' && io::trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (ch == ',') {
      out.push_back(was_quoted ? field : io::trim(field));
      field.clear();
      was_quoted = false;
    } else {
      field += ch;
    }
  }
  if (quoted) throw InputError(path, number, "a quoted field is not closed");
  out.push_back(was_quoted ? field : io::trim(field));
  return out;
}

double positive_rate(const std::string& text, const std::string& column, const std::string& unit,
                     const std::string& path, long line) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == text.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || !(v > 0))
    throw InputError(path, line, column + " must be a finite number > 0 " + unit + ", got '" + text + "'");
  return v;
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::string expand(std::string pattern, const std::string& key, const std::string& value) {
  for (auto at = pattern.find(key); at != std::string::npos; at = pattern.find(key, at + value.size()))
    pattern.replace(at, key.size(), value);
  return pattern;
}

}  // namespace

std::vector<ReferenceComplex> read_reference(const std::string& path, int folds, const std::string& network_pattern) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open the reference CSV");
  std::vector<std::string> header;
  std::map<std::string, std::size_t> column;
  std::vector<ReferenceComplex> rows;
  std::map<std::pair<std::string, std::string>, long> first_line;
  std::string raw;
  long line = 0;
  while (std::getline(in, raw)) {
    ++line;
    if (line == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw = raw.substr(3);
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    const std::string text = io::trim(raw);
    if (text.empty() || text[0] == '#') continue;
    const std::vector<std::string> fields = split_csv(text, path, line);
    if (header.empty()) {
      header = fields;
      for (std::size_t k = 0; k < header.size(); ++k) {
        if (header[k].empty()) throw InputError(path, line, "header: column " + std::to_string(k + 1) + " has no name");
        if (!column.emplace(header[k], k).second) throw InputError(path, line, "header: column '" + header[k] + "' given twice");
      }
      for (const char* need : {"series", "ligand_id", "koff_per_s", "network"})
        if (!column.count(need) && !(network_pattern.size() && std::string(need) == "network"))
          throw InputError(path, line, std::string("header: missing column '") + need +
                                           "' (required: series, ligand_id, koff_per_s, network (or --network-pattern); "
                                           "optional: kon_per_M_per_s)");
      continue;
    }
    if (fields.size() != header.size())
      throw InputError(path, line, "the row has " + std::to_string(fields.size()) + " fields, the header " +
                                       std::to_string(header.size()));
    ReferenceComplex r;
    r.line = line;
    r.series = fields[column["series"]];
    r.ligand_id = fields[column["ligand_id"]];
    const bool from_csv = column.count("network") != 0;
    const std::string network = from_csv ? fields[column["network"]]
                                         : expand(expand(network_pattern, "{series}", r.series), "{ligand_id}", r.ligand_id);
    if (r.series.empty()) throw InputError(path, line, "empty series");
    if (r.ligand_id.empty()) throw InputError(path, line, "empty ligand_id");
    if (network.empty()) throw InputError(path, line, "empty network");
    r.koff_per_s = positive_rate(fields[column["koff_per_s"]], "koff_per_s", "1/s", path, line);
    if (column.count("kon_per_M_per_s") && !fields[column["kon_per_M_per_s"]].empty())
      r.kon_per_M_per_s = positive_rate(fields[column["kon_per_M_per_s"]], "kon_per_M_per_s", "1/(M s)", path, line);
    r.network = network[0] == '/' || !from_csv ? network : folder_of(path) + network;
    struct stat st {};
    if (::stat(r.network.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      throw InputError(path, line, "network file '" + r.network + "' does not exist (or is not a file)");
    const auto [it, fresh] = first_line.emplace(std::make_pair(r.series, r.ligand_id), line);
    if (!fresh)
      throw InputError(path, line, "duplicate ligand_id '" + r.ligand_id + "' in series '" + r.series +
                                       "' (first on line " + std::to_string(it->second) + ")");
    rows.push_back(r);
  }
  if (header.empty()) throw InputError(path, 0, "no header row (series, ligand_id, koff_per_s, network)");
  std::map<std::string, std::vector<long>> lines_of;
  for (const auto& r : rows) lines_of[r.series].push_back(r.line);
  for (const auto& [series, lines] : lines_of)
    if (lines.size() == 1)
      throw InputError(path, lines.front(),
                       "series '" + series + "' has one complex: a series of one complex cannot be cross-validated");
  const std::size_t need = folds > 0 ? 2 * static_cast<std::size_t>(folds) : 3;
  if (rows.size() < need)
    throw InputError(path, 0, std::to_string(rows.size()) + " complexes are too few: " +
                                  (folds > 0 ? std::to_string(folds) + " folds need at least " + std::to_string(need)
                                             : std::string("leave-one-out needs at least 3")));
  return rows;
}

}  // namespace pk::landscape
