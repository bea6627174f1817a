// An exception on one rank while the others wait in a collective must end the
// whole job through MPI_Abort with the failing rank's message, never hang.
#include "runtime/guard.hpp"

#include <mpi.h>

#include <stdexcept>

int main(int argc, char** argv) {
  return pk::runtime::guarded_main(argc, argv, [](int, char**) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 1) throw std::runtime_error("deliberate failure on one rank");
    MPI_Barrier(MPI_COMM_WORLD);  // the other ranks wait here for rank 1
    return 0;
  });
}
