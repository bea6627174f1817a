// RAII MPI communicator: duplicates the one it is given and frees it on
// destruction, so library traffic never mixes with the caller's.
#pragma once

#include <mpi.h>

#include <string>

namespace pk::comm {

/// Throws pk::SystemError naming the call when an MPI call fails.
void check_mpi(int rc, const char* call);

class Communicator {
 public:
  explicit Communicator(MPI_Comm parent = MPI_COMM_WORLD);
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;
  Communicator(Communicator&& other) noexcept;
  Communicator& operator=(Communicator&&) = delete;

  MPI_Comm get() const { return comm_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  void barrier() const;

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
};

/// "Open MPI v4.1.4, ..." (first line of MPI_Get_library_version).
std::string mpi_library_version();

}  // namespace pk::comm
