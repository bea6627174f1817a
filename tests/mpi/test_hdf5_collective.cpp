// Collective parallel-HDF5 writes: rank r contributes r+1 values
// 1000*r + i; the file must hold them in rank order, read back identically by
// rank 0 alone and by all ranks together. The file is kept for the h5py and
// h5dump checks (check_hdf5_collective.py).
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace {
std::string file_name(int size) { return "hdf5_collective_np" + std::to_string(size) + ".h5"; }

std::vector<double> expected(int size) {
  std::vector<double> all;
  for (int r = 0; r < size; ++r)
    for (int i = 0; i <= r; ++i) all.push_back(1000.0 * r + i);
  return all;
}
}  // namespace

TEST(Hdf5Collective, RanksWriteTheirPartsInRankOrder) {
  pk::comm::Communicator comm;
  const std::string path = file_name(comm.size());
  pk::io::PendingFile pending(path, comm.get());
  const std::string tmp = pending.temporary();
  {
    pk::io::File file = pk::io::File::create(tmp, comm.get());
    pk::io::write_h5md_header(file, "test");
    std::vector<double> mine;
    for (int i = 0; i <= comm.rank(); ++i) mine.push_back(1000.0 * comm.rank() + i);
    pk::io::write_distributed(file, "/observables/values", mine, "kcal/mol");
    pk::io::write_distributed(file, "/observables/rank", std::vector<std::int32_t>{comm.rank()}, "1");
    pk::io::write_replicated(file, "/parameters/ranks", std::vector<std::int64_t>{comm.size()}, "1");
  }
  pending.commit();
  std::FILE* leftover = std::fopen(tmp.c_str(), "r");
  EXPECT_EQ(leftover, nullptr) << "temporary file left behind";
  if (leftover) std::fclose(leftover);

  if (comm.is_root()) {
    pk::io::File file = pk::io::File::open_read(path, MPI_COMM_NULL);
    EXPECT_EQ(pk::io::read_all<double>(file, "/observables/values"), expected(comm.size()));
    std::vector<std::int32_t> ranks(comm.size());
    for (int r = 0; r < comm.size(); ++r) ranks[r] = r;
    EXPECT_EQ(pk::io::read_all<std::int32_t>(file, "/observables/rank"), ranks);
    EXPECT_EQ(pk::io::read_all<std::int64_t>(file, "/parameters/ranks"), std::vector<std::int64_t>{comm.size()});
    EXPECT_THROW(pk::io::read_all<double>(file, "/no/such"), pk::InputError);
  }
  comm.barrier();
  pk::io::File together = pk::io::File::open_read(path, comm.get());
  EXPECT_EQ(pk::io::read_all<double>(together, "/observables/values"), expected(comm.size()));
}

TEST(Hdf5Collective, MissingFileIsAnInputErrorNamingIt) {
  try {
    pk::io::File::open_read("/nonexistent/file.h5", MPI_COMM_NULL);
    FAIL() << "no error";
  } catch (const pk::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/file.h5"), std::string::npos);
  }
}
