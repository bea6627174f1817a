// Output safety, part 1: which file a path names. Before a command computes
// anything it hands its input and output paths to check_output_paths(),
// which refuses an output that names one of the inputs (an overwrite that
// would destroy the input) and two outputs that name the same file (one
// format silently replacing the other), whatever the spelling: symlinks,
// `dir/../file`, relative or absolute paths and hard links all resolve to one
// file. It also refuses, before any work, outputs that cannot be written (a
// missing folder, a folder that is a file, a path that is a folder).
// No Boost.Program_options here: app/path_options.hpp turns options into
// NamedPath lists. Part 2, the atomic writes, is io/atomic_file.hpp.
#pragma once

#include <string>
#include <vector>

namespace pk::io {

/// A path from the command line with the option that named it, as the user
/// wrote it ("--output"), for the messages.
struct NamedPath {
  std::string option;
  std::string path;
  /// The command creates this output's missing folders itself (dock --dir,
  /// run --output): a missing folder is then no error.
  bool creates_folder = false;
};

/// Where a path leads. A file that exists is known by its device and inode
/// (so hard links and every spelling agree); otherwise by `canonical`, the
/// absolute path with symlinks and `..` resolved as far as the path exists.
struct PathIdentity {
  bool exists = false;
  unsigned long long device = 0, inode = 0;
  std::string canonical;
};

PathIdentity identify(const std::string& path);
bool same_file(const PathIdentity& a, const PathIdentity& b);
/// Whether the two paths name the same file (existing or not).
bool same_file(const std::string& a, const std::string& b);
/// Whether `path` lies inside `folder` (at any depth), after resolution.
bool inside_folder(const std::string& path, const std::string& folder);

/// Throws pk::UsageError (exit 2) naming both options and the path when an
/// output names an input or two outputs name one file, and pk::SystemError
/// (exit 1) naming the option and path when an output cannot be written: its
/// folder is missing (unless creates_folder) or not a folder, or not writable,
/// or the output is a folder or a block device. Empty paths are skipped.
/// `command` starts the message ("pandakinetics solve").
void check_output_paths(const std::string& command, const std::vector<NamedPath>& inputs,
                        const std::vector<NamedPath>& outputs);

/// Throws pk::UsageError when an input lies inside `folder`, a folder whose
/// files the command writes or replaces (run's report/).
void check_inputs_outside(const std::string& command, const std::vector<NamedPath>& inputs, const NamedPath& folder);

}  // namespace pk::io
