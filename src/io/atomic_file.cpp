#include "io/atomic_file.hpp"

#include "comm/communicator.hpp"
#include "core/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

namespace pk::io {

namespace fs = std::filesystem;

namespace {

std::string failure(const std::string& path, const std::string& what, int err) {
  return "cannot write " + path + ": " + what + (err != 0 ? std::string(": ") + std::strerror(err) : std::string());
}

/// Writes all of `bytes` to `fd`; returns 0 or the errno of the failed write.
int write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

/// fsync, where the file system supports it (EINVAL: a pipe or device).
int sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = ::fsync(fd) == 0 || errno == EINVAL || errno == EROFS ? 0 : errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  return err;
}

/// The rename is durable once the folder's entry is on disk.
void sync_folder(const std::string& file) {
  fs::path folder = fs::path(file).parent_path();
  if (folder.empty()) folder = ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);  // best effort: the data itself is already synced
  ::close(fd);
}

}  // namespace

void require_free_space(const std::string& path, std::uint64_t bytes) {
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  struct statvfs vfs {};
  if (::statvfs(folder.c_str(), &vfs) != 0) return;  // unknown: the write itself will tell
  const std::uint64_t free_bytes = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  if (free_bytes < bytes)
    throw SystemError(failure(path, "it needs " + std::to_string(bytes) + " bytes, the file system of " +
                                        folder.string() + " has " + std::to_string(free_bytes) + " bytes free",
                              0));
}

std::string unique_temporary_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  const unsigned long long r = (static_cast<unsigned long long>(rd()) << 32) ^ rd() ^ counter.fetch_add(1);
  char tail[64];
  std::snprintf(tail, sizeof tail, ".tmp.%ld.%016llx", static_cast<long>(::getpid()), r);
  return path + tail;
}

PendingFile::PendingFile(std::string path, MPI_Comm comm) : path_(std::move(path)), target_(path_), comm_(comm) {
  int rank = 0;
  if (comm_ != MPI_COMM_NULL) MPI_Comm_rank(comm_, &rank);
  owner_ = rank == 0;
  if (owner_) {
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0 && S_ISLNK(st.st_mode) && ::stat(path_.c_str(), &st) == 0) {
      std::error_code ec;
      const fs::path real = fs::canonical(path_, ec);  // write through the link; the link stays
      if (!ec) target_ = real.string();
    }
    if (::stat(target_.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
      streamed_ = true;
    temporary_ = streamed_ ? target_ : unique_temporary_name(target_);
  }
  if (comm_ != MPI_COMM_NULL) {  // every rank writes to the name rank 0 picked
    int sizes[2] = {static_cast<int>(temporary_.size()), streamed_ ? 1 : 0};
    comm::check_mpi(MPI_Bcast(sizes, 2, MPI_INT, 0, comm_), "MPI_Bcast");
    temporary_.resize(static_cast<std::size_t>(sizes[0]));
    comm::check_mpi(MPI_Bcast(temporary_.data(), sizes[0], MPI_CHAR, 0, comm_), "MPI_Bcast");
    streamed_ = sizes[1] != 0;
  }
}

PendingFile::~PendingFile() {
  if (!committed_ && owner_ && !streamed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
}

void PendingFile::write(const std::string& bytes) {
  if (!owner_) return;
  if (streamed_) {
    const int fd = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw SystemError(failure(path_, "cannot open it", errno));
    int err = write_all(fd, bytes);
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) throw SystemError(failure(path_, "write failed", err));
    return;
  }
  require_free_space(target_, bytes.size());
  struct stat earlier {};
  const bool replaces = ::stat(target_.c_str(), &earlier) == 0;
  const int fd = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw SystemError(failure(path_, "cannot create the temporary " + temporary_, errno));
  if (replaces) (void)::fchmod(fd, earlier.st_mode & 07777);  // the replacement keeps the earlier permissions
  int err = write_all(fd, bytes);
  if (err == 0 && ::fsync(fd) != 0 && errno != EINVAL) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(temporary_.c_str());
    throw SystemError(failure(path_, "write failed (the earlier file, if any, is unchanged)", err));
  }
}

void PendingFile::commit() {
  if (comm_ != MPI_COMM_NULL) comm::check_mpi(MPI_Barrier(comm_), "MPI_Barrier");  // every rank has closed the file
  int err = 0;
  if (owner_ && !streamed_) {
    err = sync_file(temporary_);
    if (err == 0 && std::rename(temporary_.c_str(), target_.c_str()) != 0) err = errno;
    if (err == 0) sync_folder(target_);
    else ::unlink(temporary_.c_str());
  }
  if (comm_ != MPI_COMM_NULL) comm::check_mpi(MPI_Bcast(&err, 1, MPI_INT, 0, comm_), "MPI_Bcast");
  committed_ = true;  // renamed, or removed after the failure
  if (err != 0)
    throw SystemError(failure(path_, "cannot replace it with " + temporary_ + " (the earlier file is unchanged)", err));
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  PendingFile file(path);
  file.write(bytes);
  file.commit();
}

}  // namespace pk::io
