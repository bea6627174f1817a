// INI files for `--config`: `key = value` lines, `#`/`;` comments, optional
// `[section]` headers. Keys outside any section apply to every subcommand;
// keys in `[name]` apply to subcommand `name` only (one file can drive
// the whole pipeline).
#pragma once

#include <string>
#include <vector>

namespace pk::io {

struct IniEntry {
  std::string section;  ///< "" outside any section
  std::string key;
  std::string value;
  long line = 0;
};

/// `s` without leading and trailing blanks (space, tab, carriage return).
std::string trim(const std::string& s);

/// Reads and parses `path`; throws pk::InputError (file, line, problem) for a
/// missing file or a malformed line.
std::vector<IniEntry> read_ini(const std::string& path);

}  // namespace pk::io
