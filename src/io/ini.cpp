#include "io/ini.hpp"

#include "core/error.hpp"

#include <fstream>

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
  std::string raw;
  long line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string text = trim(raw);
    if (text.empty() || text[0] == '#' || text[0] == ';') continue;
    if (text[0] == '[') {
      if (text.back() != ']' || text.size() < 3)
        throw InputError(path, line, "malformed section header '" + text + "' (expected [name])");
      section = trim(text.substr(1, text.size() - 2));
      continue;
    }
    const auto eq = text.find('=');
    if (eq == std::string::npos)
      throw InputError(path, line, "expected 'key = value', got '" + text + "'");
    IniEntry e{section, trim(text.substr(0, eq)), trim(text.substr(eq + 1)), line};
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

}  // namespace pk::io
