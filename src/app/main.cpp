// pandakinetics: one executable, a subcommand per pipeline stage.
#include "app/cli.hpp"
#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "runtime/guard.hpp"

#include <mpi.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <ostream>
#include <streambuf>

namespace {
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};
}  // namespace

int main(int argc, char** argv) {
  return pk::runtime::guarded_main(argc, argv, [](int n, char** args) {
    pk::io::quiet_hdf5_errors();  // HDF5 failures are reported once, by our own messages
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    NullBuffer null_buffer;
    std::ostream null_stream(&null_buffer);
    std::string command_line;
    for (int i = 0; i < n; ++i) command_line += (i ? " " : "") + std::string(args[i]);
    pk::cli::Context ctx{rank == 0 ? std::cout : null_stream, rank == 0 ? std::cerr : null_stream, rank, size,
                         command_line};
    const int rc = pk::cli::run_cli(std::vector<std::string>(args + 1, args + n), ctx);
    // Results printed to a full or closed stdout (`> /dev/full`) are lost: that
    // is a failed run, not a success.
    if (rank == 0) {
      errno = 0;
      const bool flushed = static_cast<bool>(std::cout.flush()) && std::fflush(stdout) == 0;
      const int err = errno;
      if (!flushed || std::ferror(stdout))
        throw pk::SystemError(std::string("cannot write the standard output: ") +
                              (err ? std::strerror(err) : "an earlier write failed"));
    }
    return rc;
  });
}
