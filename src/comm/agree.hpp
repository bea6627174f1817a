// Agreement across ranks at fixed points of the program (issue 19, class 4):
// a failure on some ranks only must end every rank with one message and one
// exit code, instead of leaving the others waiting in a collective; inputs
// that must be the same on every rank are compared by fingerprint.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace pk::comm {

/// The exit code an exception stands for: UsageError 2, AgreedError its own, others 1.
int exit_code_of(const std::exception& e);

/// Every rank of `comm` calls this at the same point of the program with the
/// exception it caught since the previous agreement point (nullptr: none).
/// When any rank failed, every rank throws AgreedError: the lowest failing
/// rank prints its own message (saying which rank, when not every rank
/// failed) and every rank exits with that rank's code. A communicator of
/// one rank (or MPI_COMM_NULL) rethrows the exception unchanged.
void agree(MPI_Comm comm, std::exception_ptr failure);

/// Runs `step`, then agree()s; returns what `step` returned. `step` must
/// enter no collective operation: a failing rank would leave it.
template <class Step>
auto agreed(MPI_Comm comm, Step&& step) -> decltype(step()) {
  using Result = decltype(step());
  std::exception_ptr failure;
  if constexpr (std::is_void_v<Result>) {
    try {
      step();
    } catch (...) {
      failure = std::current_exception();
    }
    agree(comm, failure);
  } else {
    std::optional<Result> result;
    try {
      result.emplace(step());
    } catch (...) {
      failure = std::current_exception();
    }
    agree(comm, failure);
    return std::move(*result);
  }
}

/// FNV-1a 64-bit hash of `text`.
std::uint64_t fnv1a(const std::string& text, std::uint64_t hash = 14695981039346656037ull);

/// FNV-1a 64-bit hash of a file's bytes; throws InputError if it cannot be read.
std::uint64_t file_hash(const std::string& path);

/// Compares `fingerprint` (any text: a hash, a list of options) across the
/// ranks of `comm`; when they differ, every rank throws AgreedError with
/// `exit_code`, rank 0 printing which ranks differ from it on `what`.
void check_same_on_every_rank(MPI_Comm comm, const std::string& what, const std::string& fingerprint,
                              int exit_code);

}  // namespace pk::comm
