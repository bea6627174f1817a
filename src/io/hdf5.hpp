// Thin RAII layer over the HDF5 C API: files opened collectively over MPI-IO,
// groups, attributes, and 1-D datasets written by all ranks at once, each its
// own hyperslab (offsets from an exclusive scan of the local counts).
#pragma once

#include <hdf5.h>
#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pk::io {

/// Owns one HDF5 identifier and closes it with the matching H5*close.
class H5Id {
 public:
  using Closer = herr_t (*)(hid_t);
  H5Id() = default;
  H5Id(hid_t id, Closer closer, const std::string& what);
  ~H5Id() { reset(); }
  H5Id(H5Id&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = H5I_INVALID_HID; }
  H5Id& operator=(H5Id&& o) noexcept;
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  hid_t get() const { return id_; }
  void reset();
  /// Gives up ownership (the caller closes it).
  hid_t release() {
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Throws pk::SystemError naming `what` when an HDF5 call returned < 0.
herr_t check_h5(herr_t rc, const std::string& what);

/// An HDF5 file. With a communicator it is opened by all its ranks (MPI-IO);
/// without one (MPI_COMM_NULL) by the calling rank alone.
class File {
 public:
  /// Creates (truncates) `path`: results go to a PendingFile's temporary(), a fresh name.
  /// Throws pk::SystemError when `path` exists and is not a regular file (/dev/full).
  static File create(const std::string& path, MPI_Comm comm);
  static File open_read(const std::string& path, MPI_Comm comm);
  hid_t get() const { return id_.get(); }
  MPI_Comm comm() const { return comm_; }
  const std::string& path() const { return path_; }
  /// Flushes and closes; throws pk::SystemError when that fails (a full disk
  /// shows here). Writers call it before PendingFile::commit(): a file closed
  /// by the destructor alone cannot report a failed flush.
  void close();

 private:
  File(H5Id id, MPI_Comm comm, std::string path) : id_(std::move(id)), comm_(comm), path_(std::move(path)) {}
  H5Id id_;
  MPI_Comm comm_ = MPI_COMM_NULL;
  std::string path_;
};

/// Creates every missing group along `path` ("/a/b/c") and returns the last.
H5Id ensure_group(hid_t loc, const std::string& path);

void write_attribute(hid_t obj, const std::string& name, const std::string& value);
void write_attribute(hid_t obj, const std::string& name, const std::vector<int>& values);
void write_attribute(hid_t obj, const std::string& name, double value);
/// Attributes on the object at `path` (created collectively where needed).
void write_attribute(const File& file, const std::string& path, const std::string& name, const std::string& value);
void write_attribute(const File& file, const std::string& path, const std::string& name, double value);
std::string read_string_attribute(const File& file, const std::string& path, const std::string& name);
double read_double_attribute(const File& file, const std::string& path, const std::string& name);
std::string read_string_attribute(hid_t obj, const std::string& name);

/// Collective: every rank of the file's communicator passes its local part;
/// the dataset holds the parts in rank order. Chunked, so tools can extend it.
template <class T>
void write_distributed(const File& file, const std::string& path, const std::vector<T>& local,
                       const std::string& unit);
/// A dataset written by rank 0 alone but created collectively (every rank calls).
template <class T>
void write_replicated(const File& file, const std::string& path, const std::vector<T>& values,
                      const std::string& unit);
/// Reads elements [offset, offset + count) of a 1-D dataset on the calling rank.
template <class T>
std::vector<T> read_range(const File& file, const std::string& path, std::uint64_t offset, std::uint64_t count);
/// Reads a whole 1-D dataset on the calling rank.
template <class T>
std::vector<T> read_all(const File& file, const std::string& path);

/// Writes /h5md (version 1.1, author, creator) as H5MD 1.1 prescribes.
void write_h5md_header(const File& file, const std::string& author);

/// "1.10.8 (parallel)".
std::string hdf5_library_version();

}  // namespace pk::io

namespace pk::io {
/// Results are written through io::PendingFile (io/atomic_file.hpp): a unique
/// temporary name in the target folder (so File::create never opens an
/// earlier result), renamed over the target by PendingFile::commit().

/// Turns HDF5's automatic error-stack printing off (idempotent; File::create
/// and File::open_read call it too): a missing, truncated or non-HDF5 file is
/// reported once, by the project's own message.
void quiet_hdf5_errors();
}  // namespace pk::io
