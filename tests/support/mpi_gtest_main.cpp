// GoogleTest main for every test binary: starts MPI and Kokkos through the
// project's RuntimeGuard, runs the tests on every rank, and has rank 0 report
// the failures of all ranks. The exit code is non-zero on every rank if any
// rank failed.
#include "runtime/guard.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <string>
#include <vector>

namespace {

class FailureCollector : public testing::EmptyTestEventListener {
 public:
  // current_test_info() must not be called from OnTestPartResult (gtest holds
  // its lock there): remember the test's name when it starts.
  void OnTestStart(const testing::TestInfo& info) override {
    current = std::string(info.test_suite_name()) + "." + info.name();
  }
  void OnTestEnd(const testing::TestInfo&) override { current = "(global)"; }
  void OnTestPartResult(const testing::TestPartResult& r) override {
    if (!r.failed()) return;
    failures += current + " at " + (r.file_name() ? r.file_name() : "?") + ":" + std::to_string(r.line_number()) +
                "\n";
  }
  std::string failures;
  std::string current = "(global)";
};

}  // namespace

int main(int argc, char** argv) {
  pk::runtime::RuntimeGuard guard(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  const int rank = guard.world_rank();
  const int size = guard.world_size();
  auto& listeners = testing::UnitTest::GetInstance()->listeners();
  if (rank != 0) delete listeners.Release(listeners.default_result_printer());
  auto* collector = new FailureCollector;
  listeners.Append(collector);

  const int local = RUN_ALL_TESTS();

  // Rank 0 prints what failed on the other ranks.
  const std::string mine = collector->failures;
  int len = static_cast<int>(mine.size());
  std::vector<int> lens(size);
  MPI_Gather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displs(size, 0);
  int total = 0;
  for (int r = 0; r < size; ++r) {
    displs[r] = total;
    total += lens[r];
  }
  std::string all(rank == 0 ? total : 0, '\0');
  MPI_Gatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), displs.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  int global = 0;
  MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (rank == 0) {
    for (int r = 1; r < size; ++r)
      if (lens[r] > 0) std::printf("[rank %d of %d] FAILED:\n%s", r, size, all.substr(displs[r], lens[r]).c_str());
    std::printf("%s on %d rank(s)\n", global ? "SOME TESTS FAILED" : "all tests passed", size);
  }
  return global ? 1 : 0;
}
