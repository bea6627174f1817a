// comm/agree.hpp on 1, 2 and 4 ranks: a failure on some ranks only becomes
// an AgreedError on every rank, printed by the lowest failing rank with its
// exit code; fingerprints that differ between ranks are refused on every
// rank. FNV-1a against the published test vectors.
#include "comm/agree.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace {

int rank_of_world() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int size_of_world() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

TEST(Agree, NoFailureReturnsTheValue) {
  const int v = pk::comm::agreed(MPI_COMM_WORLD, [] { return 7 + rank_of_world(); });
  EXPECT_EQ(v, 7 + rank_of_world());
}

TEST(Agree, FailureOnTheLastRankOnlyStopsEveryRank) {
  const int rank = rank_of_world(), size = size_of_world();
  try {
    pk::comm::agreed(MPI_COMM_WORLD, [&] {
      if (rank == size - 1) throw pk::UsageError("bad option on the last rank");
    });
    FAIL() << "no exception on rank " << rank;
  } catch (const pk::AgreedError& e) {
    EXPECT_EQ(e.exit_code(), pk::kExitUsage);
    EXPECT_EQ(e.prints(), rank == size - 1);
    if (rank == size - 1) {
      const std::string expected = size > 1 ? "on rank " + std::to_string(rank) + " of " + std::to_string(size) +
                                                  " (the other ranks stopped): bad option on the last rank"
                                            : "bad option on the last rank";
      EXPECT_EQ(std::string(e.what()), expected);
    }
  } catch (const pk::UsageError& e) {
    EXPECT_EQ(size, 1) << "a UsageError escaped on " << size << " ranks";  // one rank: rethrown unchanged
  }
}

TEST(Agree, FailureEverywhereIsPrintedByRankZeroWithItsCode) {
  const int rank = rank_of_world(), size = size_of_world();
  try {
    pk::comm::agreed(MPI_COMM_WORLD, [&] { throw pk::InputError("net.csv", 3, "rank " + std::to_string(rank)); });
    FAIL();
  } catch (const pk::AgreedError& e) {
    EXPECT_GT(size, 1);
    EXPECT_EQ(e.exit_code(), pk::kExitError);
    EXPECT_EQ(e.prints(), rank == 0);
    if (rank == 0) EXPECT_EQ(std::string(e.what()), "net.csv:3: rank 0");
  } catch (const pk::InputError& e) {
    EXPECT_EQ(size, 1);
    EXPECT_EQ(std::string(e.what()), "net.csv:3: rank 0");
  }
}

TEST(Agree, AFailureOnAMiddleRankCarriesItsCodeToEveryRank) {
  const int rank = rank_of_world(), size = size_of_world();
  if (size < 4) GTEST_SKIP() << "needs 4 ranks";
  try {
    pk::comm::agreed(MPI_COMM_WORLD, [&] {
      if (rank == 2) throw std::runtime_error("rank 2 failed");
      if (rank == 3) throw pk::UsageError("rank 3 failed");
    });
    FAIL();
  } catch (const pk::AgreedError& e) {
    EXPECT_EQ(e.exit_code(), pk::kExitError);  // the lowest failing rank's
    EXPECT_EQ(e.prints(), rank == 2);
  }
}

TEST(Agree, SameFingerprintPasses) {
  EXPECT_NO_THROW(pk::comm::check_same_on_every_rank(MPI_COMM_WORLD, "the network", "abc", pk::kExitError));
}

TEST(Agree, DifferentFingerprintsAreRefusedOnEveryRank) {
  const int rank = rank_of_world(), size = size_of_world();
  if (size < 2) GTEST_SKIP() << "needs 2 ranks";
  const std::string mine = rank == 1 ? "rate 2" : "rate 1";
  try {
    pk::comm::check_same_on_every_rank(MPI_COMM_WORLD, "the network", mine, pk::kExitError);
    FAIL();
  } catch (const pk::AgreedError& e) {
    EXPECT_EQ(e.exit_code(), pk::kExitError);
    EXPECT_EQ(e.prints(), rank == 0);
    EXPECT_NE(std::string(e.what()).find("the ranks do not agree on the network: rank 1 differ"), std::string::npos)
        << e.what();
  }
}

TEST(Agree, Fnv1aTestVectors) {
  // http://www.isthe.com/chongo/tech/comp/fnv/ : FNV-1a 64-bit
  EXPECT_EQ(pk::comm::fnv1a(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(pk::comm::fnv1a("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(pk::comm::fnv1a("foobar"), 0x85944171f73967e8ull);
  const std::string path = "agree_hash_" + std::to_string(rank_of_world()) + ".txt";
  std::ofstream(path) << "foobar";
  EXPECT_EQ(pk::comm::file_hash(path), 0x85944171f73967e8ull);
  std::remove(path.c_str());
  EXPECT_THROW(pk::comm::file_hash("no_such_file_here"), pk::InputError);
}

}  // namespace
