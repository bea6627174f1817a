#include "io/hdf5.hpp"

#include "comm/communicator.hpp"
#include "core/build_info.hpp"
#include "core/error.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace pk::io {

namespace {
/// The innermost entry of HDF5's error stack (what actually went wrong), as
/// "(...)" for a message; the stack is cleared. Automatic printing is off.
std::string h5_error_detail() {
  std::string detail;
  auto innermost = [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
    if (n == 0 && e && e->desc) *static_cast<std::string*>(out) = e->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  if (detail.size() > 240) detail = detail.substr(0, 240) + "...";
  return detail.empty() ? std::string() : " (" + detail + ")";
}
}  // namespace

void quiet_hdf5_errors() {
  static bool quiet = false;
  if (!quiet) quiet = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
}

H5Id::H5Id(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id < 0) throw SystemError("HDF5: " + what + " failed" + h5_error_detail());
}

H5Id& H5Id::operator=(H5Id&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    closer_ = o.closer_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void H5Id::reset() {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = H5I_INVALID_HID;
}

herr_t check_h5(herr_t rc, const std::string& what) {
  if (rc < 0) throw SystemError("HDF5: " + what + " failed" + h5_error_detail());
  return rc;
}

namespace {

H5Id file_access(MPI_Comm comm) {
  quiet_hdf5_errors();
  H5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "H5Pcreate(file access)");
  // File format >= 1.10 bounds: SWMR-capable, what H5MD readers expect.
  check_h5(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_LATEST), "H5Pset_libver_bounds");
#ifdef PK_HDF5_PARALLEL
  if (comm != MPI_COMM_NULL) check_h5(H5Pset_fapl_mpio(fapl.get(), comm, MPI_INFO_NULL), "H5Pset_fapl_mpio");
#else
  int size = 1;
  if (comm != MPI_COMM_NULL) MPI_Comm_size(comm, &size);
  if (size > 1) throw SystemError("HDF5 was built without MPI-IO: this build writes from one rank only");
#endif
  return fapl;
}

H5Id transfer_props(MPI_Comm comm) {
  H5Id dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "H5Pcreate(transfer)");
#ifdef PK_HDF5_PARALLEL
  if (comm != MPI_COMM_NULL) check_h5(H5Pset_dxpl_mpio(dxpl.get(), H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio");
#else
  (void)comm;
#endif
  return dxpl;
}

template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  else if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
  else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  else static_assert(sizeof(T) == 0, "unsupported HDF5 element type");
}

struct Placement {
  hsize_t offset = 0;
  hsize_t total = 0;
};

Placement place(MPI_Comm comm, hsize_t local) {
  if (comm == MPI_COMM_NULL) return {0, local};
  unsigned long long mine = local, before = 0, total = 0;
  comm::check_mpi(MPI_Exscan(&mine, &before, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm), "MPI_Exscan");
  comm::check_mpi(MPI_Allreduce(&mine, &total, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm), "MPI_Allreduce");
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return {rank == 0 ? 0 : static_cast<hsize_t>(before), static_cast<hsize_t>(total)};
}

H5Id create_dataset(const File& file, const std::string& path, hid_t type, hsize_t total) {
  const auto slash = path.rfind('/');
  H5Id parent = ensure_group(file.get(), slash == 0 ? "/" : path.substr(0, slash));
  hsize_t dims[1] = {total};
  hsize_t maxdims[1] = {H5S_UNLIMITED};
  H5Id space(H5Screate_simple(1, dims, maxdims), H5Sclose, "H5Screate_simple");
  H5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "H5Pcreate(dataset)");
  hsize_t chunk[1] = {total == 0 ? 1 : (total < 65536 ? total : 65536)};
  check_h5(H5Pset_chunk(dcpl.get(), 1, chunk), "H5Pset_chunk");
  return H5Id(H5Dcreate2(parent.get(), path.substr(slash + 1).c_str(), type, space.get(), H5P_DEFAULT,
                         dcpl.get(), H5P_DEFAULT),
              H5Dclose, "create dataset " + path + " in " + file.path());
}

template <class T>
void write_slab(const File& file, const std::string& path, const T* data, hsize_t count,
                Placement where, const std::string& unit) {
  H5Id dset = create_dataset(file, path, native_type<T>(), where.total);
  H5Id filespace(H5Dget_space(dset.get()), H5Sclose, "H5Dget_space");
  hsize_t start[1] = {where.offset};
  hsize_t cnt[1] = {count};
  if (count > 0) {
    check_h5(H5Sselect_hyperslab(filespace.get(), H5S_SELECT_SET, start, nullptr, cnt, nullptr), "select hyperslab");
  } else {
    check_h5(H5Sselect_none(filespace.get()), "H5Sselect_none");
  }
  H5Id memspace(H5Screate_simple(1, cnt, nullptr), H5Sclose, "H5Screate_simple(memory)");
  if (count == 0) check_h5(H5Sselect_none(memspace.get()), "H5Sselect_none");
  H5Id dxpl = transfer_props(file.comm());
  check_h5(H5Dwrite(dset.get(), native_type<T>(), memspace.get(), filespace.get(), dxpl.get(), data),
           "write " + path + " to " + file.path());
  if (!unit.empty()) write_attribute(dset.get(), "unit", unit);
}

}  // namespace

File File::create(const std::string& path, MPI_Comm comm) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw SystemError("cannot write " + path + ": an HDF5 file must be a regular file, not a device, pipe or folder");
  H5Id fapl = file_access(comm);
  H5Id id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), H5Fclose, "create " + path);
  return File(std::move(id), comm, path);
}

File File::open_read(const std::string& path, MPI_Comm comm) {
  H5Id fapl = file_access(comm);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw InputError(path, 0, "cannot open: it is a folder, expected an HDF5 file");
  hid_t raw = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (raw < 0) {
    H5Eclear2(H5E_DEFAULT);
    throw InputError(path, 0, "cannot open as an HDF5 file: not HDF5, truncated or unreadable (" +
                                  std::to_string(st.st_size) + " bytes)");
  }
  return File(H5Id(raw, H5Fclose, "open " + path), comm, path);
}

void File::close() {
  const hid_t id = id_.release();
  if (id >= 0 && H5Fclose(id) < 0)
    throw SystemError("HDF5: cannot finish writing " + path_ + h5_error_detail() + " (is the disk full?)");
}

H5Id ensure_group(hid_t loc, const std::string& path) {
  H5Id current(H5Oopen(loc, "/", H5P_DEFAULT), H5Oclose, "open /");
  std::string sofar;
  std::size_t pos = 0;
  while (pos < path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    const std::string part = path.substr(pos, next - pos);
    pos = next + 1;
    if (part.empty()) continue;
    sofar += "/" + part;
    const htri_t exists = H5Lexists(current.get(), part.c_str(), H5P_DEFAULT);
    if (exists > 0) {
      current = H5Id(H5Oopen(current.get(), part.c_str(), H5P_DEFAULT), H5Oclose, "open group " + sofar);
    } else {
      current = H5Id(H5Gcreate2(current.get(), part.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Oclose,
                     "create group " + sofar);
    }
  }
  return current;
}

void write_attribute(hid_t obj, const std::string& name, const std::string& value) {
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  check_h5(H5Tset_size(type.get(), value.empty() ? 1 : value.size()), "H5Tset_size");
  check_h5(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "H5Tset_strpad");
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  H5Id attr(H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
            "create attribute " + name);
  check_h5(H5Awrite(attr.get(), type.get(), value.empty() ? "" : value.c_str()), "write attribute " + name);
}

void write_attribute(hid_t obj, const std::string& name, const std::vector<int>& values) {
  hsize_t dims[1] = {values.size()};
  H5Id space(H5Screate_simple(1, dims, nullptr), H5Sclose, "H5Screate_simple");
  H5Id attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_INT, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
            "create attribute " + name);
  check_h5(H5Awrite(attr.get(), H5T_NATIVE_INT, values.data()), "write attribute " + name);
}

void write_attribute(hid_t obj, const std::string& name, double value) {
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  H5Id attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
            "create attribute " + name);
  check_h5(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  H5Id attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  H5Id type(H5Aget_type(attr.get()), H5Tclose, "H5Aget_type");
  const std::size_t size = H5Tget_size(type.get());
  std::string value(size, '\0');
  check_h5(H5Aread(attr.get(), type.get(), value.data()), "read attribute " + name);
  value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
  return value;
}

template <class T>
void write_distributed(const File& file, const std::string& path, const std::vector<T>& local,
                       const std::string& unit) {
  const Placement where = place(file.comm(), local.size());
  write_slab(file, path, local.data(), local.size(), where, unit);
}

template <class T>
void write_replicated(const File& file, const std::string& path, const std::vector<T>& values,
                      const std::string& unit) {
  int rank = 0;
  if (file.comm() != MPI_COMM_NULL) MPI_Comm_rank(file.comm(), &rank);
  const hsize_t count = rank == 0 ? values.size() : 0;
  write_slab(file, path, values.data(), count, Placement{0, values.size()}, unit);
}

template <class T>
std::vector<T> read_all(const File& file, const std::string& path) {
  hid_t raw = H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT);
  if (raw < 0) throw InputError(file.path(), 0, "missing dataset " + path);
  H5Id dset(raw, H5Dclose, "open " + path);
  H5Id space(H5Dget_space(dset.get()), H5Sclose, "H5Dget_space");
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw InputError(file.path(), 0, path + " is not 1-D");
  hsize_t dims[1] = {0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  std::vector<T> out(dims[0]);
  if (dims[0] > 0)
    check_h5(H5Dread(dset.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + path);
  return out;
}

template <class T>
std::vector<T> read_range(const File& file, const std::string& path, std::uint64_t offset, std::uint64_t count) {
  hid_t raw = H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT);
  if (raw < 0) throw InputError(file.path(), 0, "missing dataset " + path);
  H5Id dset(raw, H5Dclose, "open " + path);
  H5Id space(H5Dget_space(dset.get()), H5Sclose, "H5Dget_space");
  hsize_t dims[1] = {0};
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw InputError(file.path(), 0, path + " is not 1-D");
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  if (offset + count > dims[0])
    throw InputError(file.path(), 0, path + " holds " + std::to_string(dims[0]) + " values, needed " +
                                         std::to_string(offset + count));
  std::vector<T> out(count);
  if (count == 0) return out;
  hsize_t start[1] = {offset}, cnt[1] = {count};
  check_h5(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, cnt, nullptr), "select hyperslab");
  H5Id mem(H5Screate_simple(1, cnt, nullptr), H5Sclose, "H5Screate_simple");
  check_h5(H5Dread(dset.get(), native_type<T>(), mem.get(), space.get(), H5P_DEFAULT, out.data()), "read " + path);
  return out;
}

namespace {
H5Id open_object(const File& file, const std::string& path) {
  hid_t raw = H5Oopen(file.get(), path.c_str(), H5P_DEFAULT);
  if (raw < 0) throw InputError(file.path(), 0, "missing object " + path);
  return H5Id(raw, H5Oclose, "open " + path);
}
}  // namespace

void write_attribute(const File& file, const std::string& path, const std::string& name, const std::string& value) {
  H5Id obj = H5Lexists(file.get(), path.c_str(), H5P_DEFAULT) > 0 || path == "/" ? open_object(file, path)
                                                                                  : ensure_group(file.get(), path);
  write_attribute(obj.get(), name, value);
}

void write_attribute(const File& file, const std::string& path, const std::string& name, double value) {
  H5Id obj = H5Lexists(file.get(), path.c_str(), H5P_DEFAULT) > 0 || path == "/" ? open_object(file, path)
                                                                                  : ensure_group(file.get(), path);
  write_attribute(obj.get(), name, value);
}

std::string read_string_attribute(const File& file, const std::string& path, const std::string& name) {
  H5Id obj = open_object(file, path);
  if (H5Aexists(obj.get(), name.c_str()) <= 0) throw InputError(file.path(), 0, "missing attribute " + path + "@" + name);
  return read_string_attribute(obj.get(), name);
}

double read_double_attribute(const File& file, const std::string& path, const std::string& name) {
  H5Id obj = open_object(file, path);
  if (H5Aexists(obj.get(), name.c_str()) <= 0) throw InputError(file.path(), 0, "missing attribute " + path + "@" + name);
  H5Id attr(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  double v = 0.0;
  check_h5(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v), "read attribute " + name);
  return v;
}

void write_h5md_header(const File& file, const std::string& author) {
  H5Id h5md = ensure_group(file.get(), "/h5md");
  write_attribute(h5md.get(), "version", std::vector<int>{1, 1});
  H5Id a = ensure_group(file.get(), "/h5md/author");
  write_attribute(a.get(), "name", author);
  H5Id c = ensure_group(file.get(), "/h5md/creator");
  write_attribute(c.get(), "name", std::string("PandaKinetics"));
  write_attribute(c.get(), "version", std::string(PK_VERSION_STRING "+" PK_GIT_HASH));
}

std::string hdf5_library_version() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  std::string s = std::to_string(maj) + "." + std::to_string(min) + "." + std::to_string(rel);
#ifdef PK_HDF5_PARALLEL
  return s + " (parallel, MPI-IO)";
#else
  return s + " (serial)";
#endif
}

#define PK_INSTANTIATE(T)                                                                              \
  template void write_distributed<T>(const File&, const std::string&, const std::vector<T>&,          \
                                     const std::string&);                                              \
  template void write_replicated<T>(const File&, const std::string&, const std::vector<T>&,           \
                                    const std::string&);                                               \
  template std::vector<T> read_all<T>(const File&, const std::string&);                             \
  template std::vector<T> read_range<T>(const File&, const std::string&, std::uint64_t, std::uint64_t);
PK_INSTANTIATE(double)
PK_INSTANTIATE(float)
PK_INSTANTIATE(std::int64_t)
PK_INSTANTIATE(std::uint64_t)
PK_INSTANTIATE(std::int32_t)
#undef PK_INSTANTIATE


}  // namespace pk::io
