// The RAII guard starts MPI then Kokkos and stops Kokkos before MPI, with
// Views allocated in between released first. Exits non-zero on any breach.
#include "runtime/guard.hpp"

#include <Kokkos_Core.hpp>
#include <mpi.h>

#include <cstdio>

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      std::fprintf(stderr, "test_runtime_guard: FAILED: %s\n", #cond); \
      return 1;                                                      \
    }                                                                \
  } while (0)

int main(int argc, char** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  CHECK(initialized == 0);
  CHECK(!pk::runtime::kokkos_is_initialized());
  {
    pk::runtime::RuntimeGuard guard(argc, argv);
    MPI_Initialized(&initialized);
    CHECK(initialized == 1);
    CHECK(pk::runtime::kokkos_is_initialized());
    int size = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    CHECK(guard.world_size() == size);
    {
      Kokkos::View<int*> v("pk::test::guard", 100);
      int sum = 0;
      Kokkos::parallel_for("pk::test::guard_fill", 100, KOKKOS_LAMBDA(const int i) { v(i) = i; });
      Kokkos::parallel_reduce("pk::test::guard_sum", 100, KOKKOS_LAMBDA(const int i, int& a) { a += v(i); }, sum);
      CHECK(sum == 4950);
      int global = 0;
      MPI_Allreduce(&sum, &global, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
      CHECK(global == 4950 * size);
    }
  }
  CHECK(!pk::runtime::kokkos_is_initialized());
  CHECK(pk::runtime::mpi_is_finalized());
  std::printf("test_runtime_guard: passed\n");
  return 0;
}
