// cuBLAS GEMMs timed with CUDA events (plain host C++ against the CUDA
// runtime and cuBLAS C APIs; compiled only on CUDA builds). Each timed GEMM
// sits between two events recorded on the same stream, and the host reads the
// elapsed time only after cudaEventSynchronize: the time of the GPU work,
// never of an asynchronous launch.
#include "bench/gemm_cublas.hpp"

#include "core/cuda_raii.hpp"
#include "core/error.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace pk::bench {
namespace {

using cuda::check;
using cuda::Stream;
using Handle = cuda::CublasHandle;

class DeviceBytes {
 public:
  explicit DeviceBytes(std::size_t bytes) { check(cudaMalloc(&data_, bytes), "cudaMalloc"); }
  ~DeviceBytes() { cudaFree(data_); }
  DeviceBytes(const DeviceBytes&) = delete;
  DeviceBytes& operator=(const DeviceBytes&) = delete;
  void* get() const { return data_; }

 private:
  void* data_ = nullptr;
};

class Event {
 public:
  Event() { check(cudaEventCreate(&event_), "cudaEventCreate"); }
  ~Event() { cudaEventDestroy(event_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_ = nullptr;
};

/// Uniform values in [-1, 1) from a 64-bit xorshift (fast for 10^8 values;
/// the statistics do not matter, only that the product is non-trivial).
std::vector<float> random_matrix(std::size_t count, std::uint64_t seed) {
  std::vector<float> m(count);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (float& v : m) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    v = static_cast<float>(static_cast<double>(x >> 11) * 0x1.0p-52 - 1.0);
  }
  return m;
}

/// fp32 -> bf16 bits, round to nearest even (inputs are finite).
std::uint16_t to_bf16(float f) {
  std::uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  u += 0x7FFFu + ((u >> 16) & 1u);
  return static_cast<std::uint16_t>(u >> 16);
}

float from_bf16(std::uint16_t b) {
  const std::uint32_t u = static_cast<std::uint32_t>(b) << 16;
  float f = 0;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

}  // namespace

std::vector<GemmTiming> time_cublas_gemms(int n, int warmup, int repeats, const std::vector<std::string>& precisions,
                                          GemmDeviceInfo& info) {
  int devices = 0;
  check(cudaGetDeviceCount(&devices), "cudaGetDeviceCount");
  if (devices == 0) throw SystemError("bench gemm: no CUDA device");
  check(cudaGetDevice(&info.device), "cudaGetDevice");
  cudaDeviceProp prop{};
  check(cudaGetDeviceProperties(&prop, info.device), "cudaGetDeviceProperties");
  info.name = prop.name;
  info.cc_major = prop.major;
  info.cc_minor = prop.minor;
  int rt = 0;
  check(cudaRuntimeGetVersion(&rt), "cudaRuntimeGetVersion");
  info.cuda_runtime = std::to_string(rt / 1000) + "." + std::to_string(rt % 1000 / 10);

  const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
  // Column-major n x n; A and B as fp32 and as bf16 (and their bf16 values
  // back in fp32 for the host reference).
  std::vector<float> a = random_matrix(count, 1), b = random_matrix(count, 2);
  std::vector<std::uint16_t> a16(count), b16(count);
  for (std::size_t i = 0; i < count; ++i) {
    a16[i] = to_bf16(a[i]);
    b16[i] = to_bf16(b[i]);
  }
  Stream stream;
  Handle handle(stream.get());
  int cublas_version = 0;
  check(cublasGetVersion(handle.get(), &cublas_version), "cublasGetVersion");
  info.cublas = std::to_string(cublas_version);
  DeviceBytes da(count * 4), db(count * 4), dc(count * 4), da16(count * 2), db16(count * 2);
  check(cudaMemcpy(da.get(), a.data(), count * 4, cudaMemcpyHostToDevice), "cudaMemcpy A");
  check(cudaMemcpy(db.get(), b.data(), count * 4, cudaMemcpyHostToDevice), "cudaMemcpy B");
  check(cudaMemcpy(da16.get(), a16.data(), count * 2, cudaMemcpyHostToDevice), "cudaMemcpy A (bf16)");
  check(cudaMemcpy(db16.get(), b16.data(), count * 2, cudaMemcpyHostToDevice), "cudaMemcpy B (bf16)");
  Event start, stop;
  std::vector<GemmTiming> out;
  for (const std::string& p : precisions) {
    const bool bf16 = p == "bf16";
    const cudaDataType_t in_type = bf16 ? CUDA_R_16BF : CUDA_R_32F;
    const cublasComputeType_t compute = p == "tf32" ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
    const void* pa = bf16 ? da16.get() : da.get();
    const void* pb = bf16 ? db16.get() : db.get();
    const float alpha = 1.0f, beta = 0.0f;
    auto gemm = [&] {
      check(cublasGemmEx(handle.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, pa, in_type, n, pb, in_type, n, &beta,
                         dc.get(), CUDA_R_32F, n, compute, CUBLAS_GEMM_DEFAULT),
            "cublasGemmEx");
    };
    for (int w = 0; w < warmup; ++w) gemm();
    check(cudaStreamSynchronize(stream.get()), "cudaStreamSynchronize");
    GemmTiming t;
    t.precision = p;
    for (int r = 0; r < repeats; ++r) {
      check(cudaEventRecord(start.get(), stream.get()), "cudaEventRecord");
      gemm();
      check(cudaEventRecord(stop.get(), stream.get()), "cudaEventRecord");
      check(cudaEventSynchronize(stop.get()), "cudaEventSynchronize");
      float ms = 0;
      check(cudaEventElapsedTime(&ms, start.get(), stop.get()), "cudaEventElapsedTime");
      t.seconds.push_back(ms * 1e-3);
    }
    // The last product against a host double-precision one at 64 sampled
    // entries, the error scaled by sum_k |a_ik b_kj| (the rounding bound's scale).
    std::vector<float> c(count);
    check(cudaMemcpy(c.data(), dc.get(), count * 4, cudaMemcpyDeviceToHost), "cudaMemcpy C");
    std::uint64_t x = 12345;
    for (int s = 0; s < 64; ++s) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      const std::size_t i = (x >> 20) % static_cast<std::size_t>(n), j = (x >> 42) % static_cast<std::size_t>(n);
      double ref = 0, scale = 0;
      for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k) {
        const double av = bf16 ? from_bf16(a16[i + k * n]) : a[i + k * n];
        const double bv = bf16 ? from_bf16(b16[k + j * n]) : b[k + j * n];
        ref += av * bv;
        scale += std::fabs(av * bv);
      }
      const double err = std::fabs(static_cast<double>(c[i + j * n]) - ref) / scale;
      t.max_scaled_error = std::isnan(err) ? HUGE_VAL : std::max(t.max_scaled_error, err);
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace pk::bench
