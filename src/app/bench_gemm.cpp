// `pandakinetics bench gemm`: cuBLAS GEMM throughput (fp32, tf32, bf16) on
// this rank's GPU, as TFLOP/s and as a fraction of the device's datasheet
// peak (bench/gemm_peaks.cpp). A figure above the peak is reported as a
// measurement error, never as a result; a product that disagrees with the
// host reference is reported as wrong. CPU builds say that a CUDA build is
// needed and exit 2.
#include "app/bench_gemm.hpp"

#include "bench/gemm_peaks.hpp"
#include "app/path_options.hpp"
#include "core/error.hpp"
#include "io/json.hpp"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

#ifdef PK_BENCH_HAVE_CUBLAS
#include "bench/gemm_cublas.hpp"
#endif

namespace pk::bench {

namespace po = cli::po;

void add_gemm_options(po::options_description& desc) {
  desc.add_options()
      ("size", po::value<int>()->default_value(8192), "n of the square n x n x n product C = A B")
      ("precisions", po::value<std::string>()->default_value("fp32,tf32,bf16"),
       "comma-separated: fp32 (CUDA cores), tf32 (Tensor Cores, fp32 storage), bf16 (bf16 inputs, fp32 accumulation)")
      ("warmup", po::value<int>()->default_value(3), "untimed GEMMs per precision before timing")
      ("repeats", po::value<int>()->default_value(10), "timed GEMMs per precision (CUDA events); the median is reported")
      ("json", po::value<std::string>()->value_name("FILE"), "also write the result as JSON to FILE");
}

#ifndef PK_BENCH_HAVE_CUBLAS

int run_gemm(const po::variables_map&, cli::Context& ctx) {
  ctx.err << "pandakinetics bench gemm: needs a CUDA build (cmake --preset cuda; cuBLAS); this build has no CUDA\n";
  return kExitUsage;
}

#else

namespace {

/// Worst-case rounding bound of the sampled-entry check, relative to
/// sum_k |a_ik b_kj|: n fp32 accumulations (n 2^-24; bf16 products are exact
/// in fp32, the host reference uses the same bf16 inputs), plus for tf32 the
/// rounding of both inputs to 10-bit mantissas (2 * 2^-10, truncation).
/// A wrong product (garbage, transposed) is off by ~1/sqrt(n) on this scale.
double error_bound(const std::string& precision, int n) {
  return n * 0x1.0p-24 + (precision == "tf32" ? 2 * 0x1.0p-10 : 0.0);
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    if (item != "fp32" && item != "tf32" && item != "bf16")
      throw UsageError("pandakinetics bench gemm: --precisions: unknown precision '" + item + "' (fp32, tf32, bf16)");
    out.push_back(item);
  }
  if (out.empty()) throw UsageError("pandakinetics bench gemm: --precisions is empty");
  return out;
}

double peak_of(const GemmPeak& p, const std::string& precision) {
  return precision == "fp32" ? p.fp32_tflops : precision == "tf32" ? p.tf32_tflops : p.bf16_tflops;
}

}  // namespace

int run_gemm(const po::variables_map& vm, cli::Context& ctx) {
  const int n = vm["size"].as<int>(), warmup = vm["warmup"].as<int>(), repeats = vm["repeats"].as<int>();
  if (n < 64 || n > 32768 || warmup < 0 || repeats < 1)
    throw UsageError("pandakinetics bench gemm: --size must be in [64, 32768], --warmup >= 0, --repeats >= 1");
  cli::check_paths("bench gemm", cli::input_paths(vm, {}), cli::paths_of(vm, {"json"}));
  if (ctx.size > 1)
    throw UsageError("pandakinetics bench gemm: run it on one rank (ranks sharing a GPU would time each other)");
  const std::vector<std::string> precisions = split(vm["precisions"].as<std::string>());
  GemmDeviceInfo dev;
  const std::vector<GemmTiming> timings = time_cublas_gemms(n, warmup, repeats, precisions, dev);
  const std::optional<GemmPeak> peak = gemm_peak(dev.name);
  const double flops = 2.0 * n * static_cast<double>(n) * n;

  io::JsonWriter j;
  j.begin_object().value("benchmark", "gemm").value("device", dev.name).value("device_index", dev.device);
  j.value("compute_capability", std::to_string(dev.cc_major) + "." + std::to_string(dev.cc_minor));
  j.value("cuda_runtime", dev.cuda_runtime).value("cublas_version", dev.cublas);
  j.value("m", n).value("n", n).value("k", n).value("warmup", warmup).value("repeats", repeats);
  j.value("timing", "CUDA events around each cublasGemmEx on one stream, median of repeats");
  j.value("peak_source", peak ? peak->source : std::string("device not in the peak table (src/bench/gemm_peaks.cpp)"));
  j.begin_array("results");
  ctx.out << "bench gemm: " << dev.name << " (sm_" << dev.cc_major << dev.cc_minor << "), " << n << " x " << n << " x "
          << n << ", median of " << repeats << " after " << warmup << " warm-up\n";
  int bad = 0;
  for (const GemmTiming& t : timings) {
    std::vector<double> s = t.seconds;
    std::sort(s.begin(), s.end());
    const double median = s[s.size() / 2], tflops = flops / median / 1e12;
    const double p = peak ? peak_of(*peak, t.precision) : 0.0;
    const bool wrong = !(t.max_scaled_error <= error_bound(t.precision, n));
    const bool above = p > 0 && tflops > p;
    j.begin_object().value("precision", t.precision).value("median_s", median).value("min_s", s.front());
    j.value("max_s", s.back()).value("max_scaled_error", t.max_scaled_error);
    j.value("error_bound", error_bound(t.precision, n));
    if (p > 0) j.value("peak_tflops", p);
    ctx.out << "  " << t.precision << ": ";
    if (wrong) {
      j.value("status", "wrong_result");
      ctx.out << "WRONG RESULT: sampled entries differ from the host product by " << t.max_scaled_error
              << " (relative to sum |a b|; bound " << error_bound(t.precision, n) << "); no figure reported\n";
    } else if (above) {
      j.value("status", "measurement_error_above_peak");
      ctx.out << "MEASUREMENT ERROR: the timing implies more than the device's peak of " << p
              << " TFLOP/s (a missing synchronisation?); no figure reported\n";
    } else {
      j.value("status", "ok").value("tflops", tflops);
      if (p > 0) j.value("fraction_of_peak", tflops / p);
      ctx.out << std::fixed << std::setprecision(1) << tflops << " TFLOP/s";
      if (p > 0) ctx.out << " = " << std::setprecision(3) << tflops / p << " of the " << std::setprecision(1) << p << " TFLOP/s peak";
      ctx.out << std::defaultfloat << std::setprecision(3) << " (median " << median * 1e3 << " ms; max sampled error "
              << t.max_scaled_error << ")\n";
    }
    j.end_object();
    bad += wrong || above;
  }
  j.end_array().end_object();
  ctx.out << std::defaultfloat;
  if (!peak) ctx.out << "  (no peak for this device in src/bench/gemm_peaks.cpp: fractions not given)\n";
  if (vm.count("json")) j.save(vm["json"].as<std::string>());
  return bad ? kExitError : kExitOk;
}

#endif

}  // namespace pk::bench
