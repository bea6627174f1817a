// Output safety, part 2: every output file is written under a unique
// temporary name in its target folder (<name>.tmp.<pid>.<random>), flushed to
// disk (fsync) and renamed over the target, so that
//  - a reader never sees a half-written file, and an earlier result is either
//    kept whole or replaced whole;
//  - a failed write (full disk, I/O error, an exception while writing) removes
//    the temporary and leaves the earlier file untouched;
//  - an existing output is never opened for writing (the temporary is a fresh
//    name; write() creates it with O_EXCL);
//  - two runs writing the same output do not share a temporary: both succeed,
//    the last rename wins, and the file is always one run's complete output.
// An output that is a symlink is written through to the file it points at
// (the link stays); one that is a character device or a pipe (/dev/stdout, a
// FIFO) is streamed to directly, with every write checked (/dev/full fails).
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>

namespace pk::io {

/// A result file in the making. The constructor picks the temporary name
/// (collective over `comm`: rank 0 picks it and broadcasts it; MPI_COMM_NULL:
/// the calling rank alone). Write the file at temporary() (io::File::create,
/// or write() for bytes), close it, then commit(). Destroyed uncommitted
/// (an exception, an early return), it removes the temporary.
class PendingFile {
 public:
  explicit PendingFile(std::string path, MPI_Comm comm = MPI_COMM_NULL);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  /// Where to write: a fresh name in the target's folder.
  const std::string& temporary() const { return temporary_; }
  /// The output as the user named it.
  const std::string& path() const { return path_; }

  /// Writes `bytes` (calling rank; with a communicator, rank 0 only) to the
  /// temporary, created exclusively, and fsyncs it. Throws pk::SystemError
  /// naming the output and the reason (ENOSPC: "No space left on device").
  void write(const std::string& bytes);

  /// Collective over the communicator: fsync the temporary, rename it over
  /// the target, fsync the folder. Throws pk::SystemError (the temporary
  /// removed, the earlier file untouched) when that fails.
  void commit();

 private:
  std::string path_;       ///< as given
  std::string target_;     ///< the file replaced: `path_`, or what its symlink points at
  std::string temporary_;
  MPI_Comm comm_ = MPI_COMM_NULL;
  bool streamed_ = false;  ///< a character device or pipe: written in place, no temporary
  bool committed_ = false;
  bool owner_ = true;      ///< this rank creates, renames and removes the temporary
};

/// Throws pk::SystemError naming `path` when the file system of its folder
/// has less than `bytes` free for this user (PendingFile::write checks it:
/// there the size is known before writing).
void require_free_space(const std::string& path, std::uint64_t bytes);

/// A unique name for a temporary beside `path`: "<path>.tmp.<pid>.<16 hex digits>".
std::string unique_temporary_name(const std::string& path);

/// Writes `bytes` to `path` through a PendingFile (the calling rank alone).
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace pk::io
