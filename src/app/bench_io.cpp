// `pandakinetics bench io`: write bandwidth of parallel HDF5 as the KMC
// output uses it: every rank writes its own contiguous slab of one float64
// dataset with one collective H5Dwrite (MPI-IO). A timed repeat is
// barrier -> create file -> create dataset -> collective write -> close
// (which flushes HDF5's buffers to MPI-IO) -> barrier; bandwidth = bytes of
// all ranks / time, median of the repeats after one warm-up. The data are
// read back and compared after the timing: a wrong file is an error, not a
// figure. Not timed: fsync (the figure is what the file system accepted,
// which may still be in its page cache).
#include "app/bench_io.hpp"

#include "app/path_options.hpp"
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "io/json.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <vector>

namespace pk::bench {

namespace po = cli::po;

void add_io_options(po::options_description& desc) {
  desc.add_options()
      ("mb-per-rank", po::value<double>()->default_value(64.0), "data each rank writes per repeat, MB (10^6 bytes)")
      ("repeats", po::value<int>()->default_value(5), "timed writes after one warm-up; the median is reported")
      ("file", po::value<std::string>()->default_value("pk-bench-io.h5"),
       "file to write (on the file system to measure; removed afterwards unless --keep)")
      ("keep", po::bool_switch()->default_value(false), "keep the file")
      ("json", po::value<std::string>()->value_name("FILE"), "also write the result as JSON to FILE");
}

namespace {

/// The value element i of rank r's slab holds: distinct per rank and element.
double pattern(int rank, std::uint64_t i) { return static_cast<double>(rank) * 1e12 + static_cast<double>(i); }

io::H5Id access_props(MPI_Comm comm) {
  io::H5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "H5Pcreate(file access)");
#ifdef PK_HDF5_PARALLEL
  io::check_h5(H5Pset_fapl_mpio(fapl.get(), comm, MPI_INFO_NULL), "H5Pset_fapl_mpio");
#else
  int size = 1;
  MPI_Comm_size(comm, &size);
  if (size > 1) throw SystemError("bench io: HDF5 was built without MPI-IO; run on one rank");
#endif
  return fapl;
}

io::H5Id collective() {
  io::H5Id dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "H5Pcreate(transfer)");
#ifdef PK_HDF5_PARALLEL
  io::check_h5(H5Pset_dxpl_mpio(dxpl.get(), H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio");
#endif
  return dxpl;
}

/// One collective write of `local` at this rank's offset; returns the time
/// between the two barriers, s.
double timed_write(const std::string& path, const std::vector<double>& local, const comm::Communicator& comm) {
  const hsize_t count = local.size(), total = count * static_cast<hsize_t>(comm.size());
  const hsize_t offset = count * static_cast<hsize_t>(comm.rank());
  comm.barrier();
  const double t0 = MPI_Wtime();
  {
    const io::H5Id fapl = access_props(comm.get());
    const io::H5Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), H5Fclose,
                        "H5Fcreate " + path);
    const io::H5Id space(H5Screate_simple(1, &total, nullptr), H5Sclose, "H5Screate_simple");
    const io::H5Id dset(H5Dcreate2(file.get(), "data", H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                                   H5P_DEFAULT), H5Dclose, "H5Dcreate2 /data");
    const io::H5Id mem(H5Screate_simple(1, &count, nullptr), H5Sclose, "H5Screate_simple");
    io::check_h5(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &offset, nullptr, &count, nullptr),
                 "H5Sselect_hyperslab");
    const io::H5Id dxpl = collective();
    io::check_h5(H5Dwrite(dset.get(), H5T_NATIVE_DOUBLE, mem.get(), space.get(), dxpl.get(), local.data()),
                 "H5Dwrite " + path);
  }  // dataset, spaces and file closed here: the close is part of the write
  comm.barrier();
  return MPI_Wtime() - t0;
}

/// Reads this rank's slab back; the number of elements that differ.
long long verify(const std::string& path, const std::vector<double>& local, const comm::Communicator& comm) {
  const io::File f = io::File::open_read(path, comm.get());
  const std::vector<double> back =
      io::read_range<double>(f, "/data", local.size() * static_cast<std::uint64_t>(comm.rank()), local.size());
  long long bad = 0;
  for (std::size_t i = 0; i < local.size(); ++i) bad += back[i] != local[i];
  comm::check_mpi(MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_LONG_LONG, MPI_SUM, comm.get()), "MPI_Allreduce");
  return bad;
}

}  // namespace

int run_io(const po::variables_map& vm, cli::Context& ctx) {
  const double mb = vm["mb-per-rank"].as<double>();
  const int repeats = vm["repeats"].as<int>();
  const std::string path = vm["file"].as<std::string>();
  if (!(mb > 0) || mb > 1e5 || repeats < 1)
    throw UsageError("pandakinetics bench io: --mb-per-rank must be in (0, 1e5], --repeats >= 1");
  cli::check_paths("bench io", cli::input_paths(vm, {}), cli::paths_of(vm, {"file", "json"}));
  if (io::identify(path).exists)  // the scratch file is truncated and removed: never someone's data
    throw UsageError("pandakinetics bench io: --file '" + path + "' exists; bench io writes and removes a scratch "
                     "file: name one that does not exist");
  comm::Communicator comm;
  const auto count = static_cast<std::uint64_t>(mb * 1e6 / sizeof(double));
  if (count == 0) throw UsageError("pandakinetics bench io: --mb-per-rank is below one double");
  std::vector<double> local(count);
  for (std::uint64_t i = 0; i < count; ++i) local[i] = pattern(comm.rank(), i);
  std::vector<double> seconds;
  for (int r = 0; r <= repeats; ++r) {
    const double s = timed_write(path, local, comm);
    if (r > 0) seconds.push_back(s);  // run 0 is the warm-up
  }
  const long long bad = verify(path, local, comm);
  comm.barrier();
  if (comm.is_root() && !vm["keep"].as<bool>()) std::remove(path.c_str());
  if (bad != 0)
    throw SystemError("bench io: " + std::to_string(bad) + " values read back from " + path + " differ from those written");
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  const double bytes = static_cast<double>(count) * sizeof(double) * comm.size();
  io::JsonWriter j;
  j.begin_object().value("benchmark", "io").value("ranks", comm.size()).value("file", path);
  j.value("bytes_per_rank", static_cast<double>(count) * sizeof(double)).value("bytes_total", bytes);
  j.value("repeats", repeats).value("median_s", median).value("min_s", seconds.front()).value("max_s", seconds.back());
  j.value("write_MB_per_s", bytes / median / 1e6).value("verified", true);
  j.value("method", "collective H5Dwrite of one contiguous float64 dataset, create..close between barriers, no fsync");
  j.end_object();
  ctx.out << "bench io: " << comm.size() << " rank(s) x " << std::setprecision(4) << count * sizeof(double) / 1e6
          << " MB to " << path << ": median " << median << " s of " << repeats << ", " << bytes / median / 1e6
          << " MB/s (read back and verified)\n";
  if (vm.count("json") && comm.is_root()) j.save(vm["json"].as<std::string>());
  return kExitOk;
}

}  // namespace pk::bench
