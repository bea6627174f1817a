// Where a stage prints and which rank it is: the one piece of the command
// line's state that domain code may see (it never sees the options).
#pragma once

#include <iosfwd>
#include <string>

namespace pk {

/// Where a subcommand prints: only rank 0 gets the real streams.
struct Context {
  std::ostream& out;
  std::ostream& err;
  int rank = 0;
  int size = 1;
  std::string command_line;  ///< the whole command line, for provenance
};

}  // namespace pk
