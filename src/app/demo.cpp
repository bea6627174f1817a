// `pandakinetics demo`: exercises the three layers every stage relies on, with
// an answer known in closed form. Each rank sums its share of 1/k^2 with a
// Kokkos reduction; MPI adds the shares; all ranks write their shares into one
// HDF5 file collectively; rank 0 reads the file back and checks it. The sum
// S(N) = sum_{k=1}^N 1/k^2 approaches pi^2/6 with tail pi^2/6 - S(N) ~ 1/N - 1/(2N^2).
#include "app/demo.hpp"

#include "app/path_options.hpp"

#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"
#include "runtime/device_info.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <ostream>

namespace pk::cli {

void add_demo_options(po::options_description& desc) {
  desc.add_options()
      ("terms", po::value<long>()->default_value(100000000L)->value_name("N"),
       "number of terms N of the sum over k = 1..N of 1/k^2 (split evenly over the ranks)")
      ("output", po::value<std::string>()->default_value("demo.h5")->value_name("FILE.h5"),
       "HDF5 file written collectively by all ranks (replaced atomically)");
}

int run_demo(const po::variables_map& vm, Context& ctx) {
  const long terms = vm["terms"].as<long>();
  const std::string output = vm["output"].as<std::string>();
  if (terms < 1) throw UsageError("pandakinetics demo: --terms must be >= 1, got " + std::to_string(terms));
  check_paths("demo", input_paths(vm, {}), paths_of(vm, {"output"}));

  comm::Communicator comm;
  const long share = terms / comm.size(), extra = terms % comm.size();
  const long first = 1 + comm.rank() * share + std::min<long>(comm.rank(), extra);
  const long last = first + share + (comm.rank() < extra ? 1 : 0);

  const auto t0 = std::chrono::steady_clock::now();
  const double mine = runtime::basel_partial_sum(first, last);  // returns after the reduction completes
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double total = 0.0;
  comm::check_mpi(MPI_Allreduce(&mine, &total, 1, MPI_DOUBLE, MPI_SUM, comm.get()), "MPI_Allreduce");

  io::PendingFile pending(output, comm.get());
  {
    io::File file = io::File::create(pending.temporary(), comm.get());
    io::write_h5md_header(file, "pandakinetics demo");
    io::write_replicated(file, "/parameters/terms", std::vector<std::int64_t>{terms}, "1");
    io::write_distributed(file, "/demo/partial_sum", std::vector<double>{mine}, "1");
    io::write_distributed(file, "/demo/first_k", std::vector<std::int64_t>{first}, "1");
    io::write_distributed(file, "/demo/last_k_exclusive", std::vector<std::int64_t>{last}, "1");
    io::write_replicated(file, "/demo/total", std::vector<double>{total}, "1");
    file.close();  // a failed flush (full disk) throws here, before the commit
  }
  pending.commit();

  double reread = 0.0;
  std::size_t parts = 0;
  if (comm.is_root()) {
    io::File file = io::File::open_read(output, MPI_COMM_NULL);
    const auto partial = io::read_all<double>(file, "/demo/partial_sum");
    parts = partial.size();
    for (double p : partial) reread += p;
  }
  const double exact = M_PI * M_PI / 6.0;
  const double n = static_cast<double>(terms);
  // pi^2/6 - S(N) = 1/N - 1/(2N^2) + 1/(6N^3) - 1/(30N^5) + ...; the sum of N
  // doubles adds rounding of order N * 1e-16.
  const double tail = 1.0 / n - 0.5 / (n * n) + 1.0 / (6.0 * n * n * n);
  const double tolerance = 1.0 / (20.0 * n * n * n * n * n) + 1e-15 * n + 1e-12;
  ctx.out << std::setprecision(15);
  ctx.out << "demo: " << comm.size() << " MPI rank(s), Kokkos default execution space "
          << runtime::default_execution_space() << "\n"
          << "  S(N) = sum_{k=1}^{N} 1/k^2, N = " << terms << " terms: " << total << "\n"
          << "  pi^2/6 - S(N) = " << std::setprecision(6) << (exact - total)
          << "  (Euler-Maclaurin tail 1/N - 1/(2N^2) + 1/(6N^3) = " << tail << ")\n"
          << "  " << output << ": /demo/partial_sum holds " << parts
          << " value(s), one per rank; their sum differs from the MPI sum by " << std::fabs(reread - total)
          << "\n"
          << "  rank 0 reduction time: " << std::setprecision(3) << seconds << " s for " << (last - first)
          << " terms\n";
  const bool ok = parts == static_cast<std::size_t>(comm.size()) && std::fabs(reread - total) <= 1e-12 &&
                  std::fabs((exact - total) - tail) <= tolerance;
  if (comm.is_root() && !ok) ctx.err << "demo: check FAILED\n";
  int code = ok ? 0 : 1;
  comm::check_mpi(MPI_Bcast(&code, 1, MPI_INT, 0, comm.get()), "MPI_Bcast");
  return code;
}

}  // namespace pk::cli
