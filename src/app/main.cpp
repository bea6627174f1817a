// pandakinetics: one executable, a subcommand per pipeline stage.
#include "app/cli.hpp"
#include "io/hdf5.hpp"
#include "runtime/guard.hpp"

#include <mpi.h>

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
    return pk::cli::run_cli(std::vector<std::string>(args + 1, args + n), ctx);
  });
}
