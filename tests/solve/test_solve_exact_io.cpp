// write_exact_h5 is collective: every rank calls it, rank 0 writes. The file
// is read back on every rank and must hold the summary with its units; the
// JSON summary must round-trip the scalars.
#include "io/hdf5.hpp"
#include "io/json.hpp"
#include "solve/exact.hpp"
#include "solve_test_support.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace pk::solve {
namespace {

ExactKinetics three_state_summary() {
  network::Conditions cond;
  cond.concentration_M = 1.0e-6;
  return exact_kinetics(test::three_state_network(), cond, test::log_grid(1e-9, 1e-1, 9));
}

std::string unit_of(const io::File& file, const std::string& path) {
  io::H5Id dataset(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT), H5Dclose, "open " + path);
  return io::read_string_attribute(dataset.get(), "unit");
}

TEST(SolveExactOutput, Hdf5HoldsEveryQuantityWithItsUnit) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const std::string path = "solve_exact_io_np" + std::to_string(size) + ".h5";
  const ExactKinetics ex = three_state_summary();
  {
    io::File file = io::File::create(path, MPI_COMM_WORLD);
    write_exact_h5(file, ex);
  }
  io::File file = io::File::open_read(path, MPI_COMM_WORLD);
  EXPECT_EQ(io::read_all<double>(file, "/exact/koff_per_s"), std::vector<double>{ex.koff_per_s});
  EXPECT_EQ(unit_of(file, "/exact/koff_per_s"), "1/s");
  EXPECT_EQ(io::read_all<double>(file, "/exact/kon_per_M_per_s"), std::vector<double>{ex.kon_per_M_per_s});
  EXPECT_EQ(unit_of(file, "/exact/kon_per_M_per_s"), "1/(M s)");
  EXPECT_EQ(io::read_all<double>(file, "/exact/dG_kcal_per_mol"), std::vector<double>{ex.dG_kcal_per_mol});
  EXPECT_EQ(unit_of(file, "/exact/dG_kcal_per_mol"), "kcal/mol");
  EXPECT_EQ(io::read_all<double>(file, "/exact/stationary"), ex.stationary);
  EXPECT_EQ(io::read_all<double>(file, "/exact/relaxation_times_s"), ex.relaxation_times_s);
  EXPECT_EQ(unit_of(file, "/exact/relaxation_times_s"), "s");
  EXPECT_EQ(io::read_all<double>(file, "/exact/bound_survival"), ex.bound_survival);
  EXPECT_EQ(io::read_all<double>(file, "/exact/occupancy"), ex.occupancy);
  EXPECT_EQ(unit_of(file, "/exact/occupancy"), "1");
  io::H5Id occupancy(H5Dopen2(file.get(), "/exact/occupancy", H5P_DEFAULT), H5Dclose, "open occupancy");
  io::H5Id shape_attr(H5Aopen(occupancy.get(), "shape", H5P_DEFAULT), H5Aclose, "open shape");
  int shape[2] = {0, 0};
  ASSERT_GE(H5Aread(shape_attr.get(), H5T_NATIVE_INT, shape), 0);
  EXPECT_EQ(shape[0], static_cast<int>(ex.times_s.size()));
  EXPECT_EQ(shape[1], 3);
  shape_attr.reset();
  occupancy.reset();
  file.close();
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) std::remove(path.c_str());
}

TEST(SolveExactOutput, JsonCarriesUnitsInTheKeys) {
  const ExactKinetics ex = three_state_summary();
  io::JsonWriter json;
  json.begin_object();
  write_exact_json(json, ex);
  json.end_object();
  const std::string text = json.str();
  for (const char* key : {"koff_per_s", "kon_per_M_per_s", "kd_M", "dG_kcal_per_mol", "residence_time_s",
                          "mfpt_unbound_to_bound_s", "relaxation_times_s", "bound_survival"})
    EXPECT_NE(text.find("\"" + std::string(key) + "\": "), std::string::npos) << key;
  const auto at = text.find("\"koff_per_s\": ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(std::strtod(text.c_str() + at + 14, nullptr), ex.koff_per_s);  // 17 digits round-trip
}

}  // namespace
}  // namespace pk::solve
