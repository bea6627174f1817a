// The sparse exact solver's benchmark and test driver (benchmarks/sparse_solver.sh,
// tests/solve/check_sparse_scipy.py):
//
//   solve_sparse_tool bench <landscape|random> <n> [repeats]
//       times every first-moment quantity of exact_kinetics (stationary
//       distribution, MFPTs and second moments both ways, committor, renewal
//       rates; no curves) on a random network of about n states; prints one
//       line of key=value pairs (median wall and CPU seconds, peak resident
//       memory).
//   solve_sparse_tool crossover <landscape|random> <n>
//       the same linear solves, LinearAlgebra::Dense against ::Sparse.
//   solve_sparse_tool tpt <landscape|random> <n>
//       times unbinding_paths (transition-path theory, as `solve` runs it).
//   solve_sparse_tool dump <landscape|random> <n> <seed> <dir>
//       writes the rate matrix, start distributions and the solver's results
//       as text for an independent check.
#include "random_networks.hpp"
#include "solve/exact.hpp"
#include "solve/solver.hpp"
#include "solve/tpt.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace pk;

const network::Conditions kConditions{300.0, 1.0, 1e-6};

network::Network make(const std::string& family, int n, unsigned seed) {
  if (family == "landscape") return solve::test::landscape_network(n, seed);
  if (family == "random") return solve::test::random_bench_network(n, 10, seed);
  throw std::runtime_error("unknown network family '" + family + "' (landscape or random)");
}

double seconds(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// CPU seconds of all threads of this process so far (wall time depends on
/// the load of a shared machine; this does much less).
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::size_t edge_count(const network::Network& net) { return net.edges.size(); }

int bench(const std::string& family, int n, int repeats) {
  const network::Network net = make(family, n, 12345);
  std::vector<double> t, cpu;
  solve::ExactKinetics x;
  for (int r = 0; r < repeats; ++r) {
    const double c0 = cpu_seconds();
    t.push_back(seconds([&] { x = solve::exact_kinetics(net, kConditions, {}, 0); }));
    cpu.push_back(cpu_seconds() - c0);
  }
  std::sort(t.begin(), t.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("family=%s states=%zu edges=%zu seconds=%.4g min_seconds=%.4g cpu_seconds=%.4g peak_rss_MB=%.0f "
              "koff_per_s=%.6g kon_per_M_per_s=%.6g kd_M=%.6g koff_renewal_per_s=%.6g\n",
              family.c_str(), net.states.size(), edge_count(net), t[t.size() / 2], t.front(), cpu[cpu.size() / 2],
              peak_rss_mb(),
              x.koff_per_s, x.kon_per_M_per_s, x.kd_M, x.koff_renewal_per_s);
  return 0;
}

int crossover(const std::string& family, int n) {
  const network::Network net = make(family, n, 12345);
  const network::RateMatrix rates = network::build_rates(net, kConditions);
  const solve::StateSet bound = network::states_in(net, network::Macrostate::Bound);
  const solve::StateSet unbound = network::states_in(net, network::Macrostate::Unbound);
  std::printf("family=%s states=%d", family.c_str(), rates.n);
  for (const auto method : {solve::LinearAlgebra::Dense, solve::LinearAlgebra::Sparse}) {
    const double s = seconds([&] {
      solve::stationary_distribution(rates, method);
      solve::mfpt_to_set(rates, unbound, method);
      solve::mfpt_to_set(rates, bound, method);
      solve::committor(rates, unbound, bound, method);
    });
    std::printf(" %s_seconds=%.4g", method == solve::LinearAlgebra::Dense ? "dense" : "sparse", s);
  }
  std::printf("\n");
  return 0;
}

int tpt(const std::string& family, int n) {
  const network::Network net = make(family, n, 12345);
  solve::TransitionPaths tp;
  const double s = seconds([&] { tp = solve::unbinding_paths(net, kConditions); });
  std::printf("family=%s states=%zu tpt_seconds=%.4g rate_per_s=%.6g pathways=%zu\n", family.c_str(),
              net.states.size(), s, tp.rate_per_s, tp.pathways.size());
  return 0;
}

void write(const std::string& path, const std::vector<double>& v) {
  std::ofstream f(path);
  f.precision(17);
  for (double x : v) f << x << '\n';
  if (!f) throw std::runtime_error("cannot write " + path);
}

int dump(const std::string& family, int n, unsigned seed, const std::string& dir) {
  const network::Network net = make(family, n, seed);
  const network::RateMatrix rates = network::build_rates(net, kConditions);
  {
    std::ofstream f(dir + "/rates.txt");
    f.precision(17);
    f << rates.n << '\n';
    for (std::int32_t i = 0; i < rates.n; ++i)
      for (std::int64_t e = rates.row_offsets[i]; e < rates.row_offsets[i + 1]; ++e)
        f << i << ' ' << rates.targets[e] << ' ' << rates.values[e] << '\n';
    if (!f) throw std::runtime_error("cannot write " + dir + "/rates.txt");
  }
  std::vector<double> macro(net.states.size());
  for (std::size_t i = 0; i < macro.size(); ++i) macro[i] = static_cast<double>(net.states[i].macrostate);
  write(dir + "/macrostate.txt", macro);  // Other 0? written as the enum's value
  write(dir + "/start_bound.txt", network::start_distribution(net, network::Macrostate::Bound, 300.0));
  write(dir + "/start_unbound.txt", network::start_distribution(net, network::Macrostate::Unbound, 300.0));
  const solve::ExactKinetics x = solve::exact_kinetics(net, kConditions, {}, 0);
  write(dir + "/stationary.txt", x.stationary);
  write(dir + "/mfpt_to_unbound.txt", x.mfpt_to_unbound_s);
  write(dir + "/mfpt_to_bound.txt", x.mfpt_to_bound_s);
  write(dir + "/committor_to_bound.txt", x.committor_to_bound);
  write(dir + "/scalars.txt", {x.koff_per_s, x.kon_per_M_per_s, x.kd_M, x.residence_time_second_moment_s2,
                               x.mfpt_unbound_to_bound_second_moment_s2, kConditions.concentration_M,
                               static_cast<double>(network::Macrostate::Bound),
                               static_cast<double>(network::Macrostate::Unbound)});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() >= 3 && a[0] == "bench") return bench(a[1], std::stoi(a[2]), a.size() > 3 ? std::stoi(a[3]) : 3);
    if (a.size() == 3 && a[0] == "crossover") return crossover(a[1], std::stoi(a[2]));
    if (a.size() == 3 && a[0] == "tpt") return tpt(a[1], std::stoi(a[2]));
    if (a.size() == 5 && a[0] == "dump")
      return dump(a[1], std::stoi(a[2]), static_cast<unsigned>(std::stoul(a[3])), a[4]);
    std::cerr << "usage: solve_sparse_tool bench|crossover|dump (see the source's header)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "solve_sparse_tool: " << e.what() << '\n';
    return 1;
  }
}
