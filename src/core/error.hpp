// Typed errors. Host code throws these; main turns them into a one-line
// message and an exit code (runtime::guarded_main, runtime/guard.hpp).
#pragma once

#include <stdexcept>
#include <string>

namespace pk {

/// Process exit codes, documented in README.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,           ///< bad input, failed computation, I/O error
  kExitUsage = 2,           ///< bad command line or not-implemented subcommand
};

/// Bad input in a file: names the file, the line (0 when not line-based) and
/// what was expected.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, long line, const std::string& what)
      : std::runtime_error(format(file, line, what)), file_(std::move(file)), line_(line) {}
  const std::string& file() const { return file_; }
  long line() const { return line_; }

 private:
  static std::string format(const std::string& file, long line, const std::string& what) {
    return line > 0 ? file + ":" + std::to_string(line) + ": " + what : file + ": " + what;
  }
  std::string file_;
  long line_;
};

/// Bad command line (unknown option, malformed value, impossible parameter).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A library call (MPI, HDF5, CUDA, NCCL) failed.
class SystemError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An error every rank of the run has agreed on at one point of the program
/// (comm/agree.hpp): each rank throws it, the one that `prints` shows the
/// message, and every rank exits with `exit_code`, without MPI_Abort.
class AgreedError : public std::runtime_error {
 public:
  AgreedError(const std::string& what, int exit_code, bool prints)
      : std::runtime_error(what), exit_code_(exit_code), prints_(prints) {}
  int exit_code() const { return exit_code_; }
  bool prints() const { return prints_; }

 private:
  int exit_code_;
  bool prints_;
};

}  // namespace pk
