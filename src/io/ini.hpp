// INI files for `--config`: `key = value` lines, `#`/`;` comments, optional
// `[section]` headers. Keys outside any section apply to every subcommand;
// keys in `[name]` apply to subcommand `name` only (one file can drive
// the whole pipeline).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace pk::io {

struct IniEntry {
  std::string section;  ///< "" outside any section
  std::string key;
  std::string value;
  long line = 0;
  long section_line = 0;  ///< the line of the [section] header, 0 outside any section
};

/// `s` without leading and trailing blanks (space, tab, carriage return).
std::string trim(const std::string& s);

/// Reads and parses `path`; throws pk::InputError (file, line, problem) for a
/// missing file or a malformed line. A UTF-8 byte-order mark is skipped.
std::vector<IniEntry> read_ini(const std::string& path);

/// Refuses, with pk::InputError naming `path` and the line, a section not in
/// `known_sections` (names are case-sensitive; the message lists them) and a
/// key given twice in one section unless `repeatable(section, key)`: where a
/// later line was silently ignored, the run would not be the one written.
void check_ini(const std::vector<IniEntry>& entries, const std::string& path,
               const std::vector<std::string>& known_sections,
               const std::function<bool(const std::string& section, const std::string& key)>& repeatable);

}  // namespace pk::io
