#include "comm/agree.hpp"

#include "comm/communicator.hpp"
#include "core/error.hpp"

#include <cstdio>
#include <fstream>
#include <vector>

namespace pk::comm {

int exit_code_of(const std::exception& e) {
  if (const auto* agreed = dynamic_cast<const AgreedError*>(&e)) return agreed->exit_code();
  if (dynamic_cast<const UsageError*>(&e)) return kExitUsage;
  return kExitError;
}

namespace {
bool single_rank(MPI_Comm comm) {
  if (comm == MPI_COMM_NULL) return true;
  int size = 1;
  check_mpi(MPI_Comm_size(comm, &size), "MPI_Comm_size");
  return size == 1;
}

/// The failure's message and exit code.
std::pair<std::string, int> describe(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return {e.what(), exit_code_of(e)};
  } catch (...) {
    return {"an unknown exception", kExitError};
  }
}
}  // namespace

void agree(MPI_Comm comm, std::exception_ptr failure) {
  if (single_rank(comm)) {
    if (failure) std::rethrow_exception(failure);
    return;
  }
  int rank = 0, size = 1;
  check_mpi(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
  check_mpi(MPI_Comm_size(comm, &size), "MPI_Comm_size");
  const auto [message, code] = failure ? describe(failure) : std::pair<std::string, int>{"", 0};
  // {the lowest failing rank, -1 when some rank did not fail}
  int mine[2] = {failure ? rank : size, failure ? 0 : -1};
  int all[2] = {};
  check_mpi(MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MIN, comm), "MPI_Allreduce (agreement)");
  const int lowest = all[0];
  if (lowest == size) return;
  // The lowest failing rank's code, known to it alone: it shares it.
  int agreed_code = failure && rank == lowest ? code : 0;
  check_mpi(MPI_Bcast(&agreed_code, 1, MPI_INT, lowest, comm), "MPI_Bcast (agreement)");
  const bool everyone_failed = all[1] == 0;
  std::string text = message;
  if (!everyone_failed && rank == lowest) {
    char where[64];
    std::snprintf(where, sizeof where, "on rank %d of %d (the other ranks stopped): ", rank, size);
    text = where + message;
  }
  throw AgreedError(text, agreed_code, rank == lowest);
}

std::uint64_t fnv1a(const std::string& text, std::uint64_t hash) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::uint64_t file_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open the file to fingerprint it");
  std::uint64_t hash = 14695981039346656037ull;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash = fnv1a(std::string(buffer.data(), static_cast<std::size_t>(in.gcount())), hash);
  }
  if (in.bad()) throw InputError(path, 0, "read error while fingerprinting the file");
  return hash;
}

void check_same_on_every_rank(MPI_Comm comm, const std::string& what, const std::string& fingerprint,
                              int exit_code) {
  if (single_rank(comm)) return;
  int rank = 0, size = 1;
  check_mpi(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
  check_mpi(MPI_Comm_size(comm, &size), "MPI_Comm_size");
  const std::uint64_t mine = fnv1a(fingerprint);
  std::vector<std::uint64_t> all(static_cast<std::size_t>(size));
  check_mpi(MPI_Allgather(&mine, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T, comm), "MPI_Allgather (fingerprints)");
  std::string differ;
  int count = 0;
  for (int r = 1; r < size; ++r)
    if (all[static_cast<std::size_t>(r)] != all[0] && count++ < 8) differ += (differ.empty() ? "" : ", ") + std::to_string(r);
  if (count == 0) return;
  char hex[2][17];
  std::snprintf(hex[0], sizeof hex[0], "%016llx", static_cast<unsigned long long>(all[0]));
  for (int r = 1; r < size; ++r)
    if (all[static_cast<std::size_t>(r)] != all[0]) {
      std::snprintf(hex[1], sizeof hex[1], "%016llx", static_cast<unsigned long long>(all[static_cast<std::size_t>(r)]));
      break;
    }
  throw AgreedError("the ranks do not agree on " + what + ": rank" + (count > 1 ? "s " : " ") + differ +
                        (count > 8 ? " and others" : "") + " differ from rank 0 (fingerprint " + hex[1] + " against " +
                        hex[0] + "); every rank must read the same files with the same options",
                    exit_code, rank == 0);
}

}  // namespace pk::comm
