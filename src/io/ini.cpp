#include "io/ini.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <fstream>
#include <map>

namespace pk::io {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::vector<IniEntry> read_ini(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open config file");
  std::vector<IniEntry> entries;
  std::string section;
  long section_line = 0;
  std::string raw;
  long line = 0;
  while (std::getline(in, raw)) {
    ++line;
    // Editors on Windows start UTF-8 files with a byte-order mark.
    if (line == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);
    std::string text = trim(raw);
    if (text.empty() || text[0] == '#' || text[0] == ';') continue;
    if (text[0] == '[') {
      if (text.back() != ']' || text.size() < 3)
        throw InputError(path, line, "malformed section header '" + text + "' (expected [name])");
      section = trim(text.substr(1, text.size() - 2));
      section_line = line;
      continue;
    }
    const auto eq = text.find('=');
    if (eq == std::string::npos)
      throw InputError(path, line, "expected 'key = value', got '" + text + "'");
    IniEntry e{section, trim(text.substr(0, eq)), trim(text.substr(eq + 1)), line, section_line};
    // Trailing comments after whitespace: "temperature = 300  # K".
    for (const char* mark : {" #", "\t#", " ;", "\t;"}) {
      const auto c = e.value.find(mark);
      if (c != std::string::npos) e.value = trim(e.value.substr(0, c));
    }
    if (e.key.empty()) throw InputError(path, line, "missing key before '='");
    if (e.key.find_first_of(" \t") != std::string::npos)
      throw InputError(path, line, "key '" + e.key + "' contains whitespace");
    entries.push_back(std::move(e));
  }
  return entries;
}

void check_ini(const std::vector<IniEntry>& entries, const std::string& path,
               const std::vector<std::string>& known_sections,
               const std::function<bool(const std::string&, const std::string&)>& repeatable) {
  std::map<std::pair<std::string, std::string>, long> first_line;
  for (const auto& e : entries) {
    if (!e.section.empty() &&
        std::find(known_sections.begin(), known_sections.end(), e.section) == known_sections.end()) {
      std::string list;
      for (const auto& k : known_sections) list += (list.empty() ? "[" : ", [") + k + "]";
      throw InputError(path, e.section_line,
                       "unknown section [" + e.section + "]: expected one of " + list + " (case-sensitive)");
    }
    const auto [it, fresh] = first_line.emplace(std::make_pair(e.section, e.key), e.line);
    if (!fresh && !repeatable(e.section, e.key))
      throw InputError(path, e.line,
                       "duplicate key '" + e.key + "'" + (e.section.empty() ? "" : " in [" + e.section + "]") +
                           " (first given on line " + std::to_string(it->second) + "): give each key once");
  }
}

}  // namespace pk::io
