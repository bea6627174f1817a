// cuBLAS GEMM timings for `bench gemm` (CUDA builds only): C = A B with
// square n x n matrices in fp32, tf32 (fp32 storage, Tensor Core TF32 math)
// and bf16 (bf16 inputs, fp32 accumulation and output), timed with CUDA
// events, checked against a host double-precision product at sampled entries.
#pragma once

#include <string>
#include <vector>

namespace pk::bench {

struct GemmTiming {
  std::string precision;           ///< fp32, tf32 or bf16
  std::vector<double> seconds;     ///< every timed repeat, CUDA-event time
  double max_scaled_error = 0;     ///< max |c - c_ref| / sum_k |a_ik b_kj| over the sampled entries
};

struct GemmDeviceInfo {
  int device = 0;
  std::string name;
  int cc_major = 0, cc_minor = 0;
  std::string cuda_runtime, cublas;
};

/// Runs `warmup` untimed and `repeats` timed GEMMs per precision on the
/// current CUDA device. Throws pk::SystemError when a CUDA/cuBLAS call fails
/// or no device is present.
std::vector<GemmTiming> time_cublas_gemms(int n, int warmup, int repeats, const std::vector<std::string>& precisions,
                                          GemmDeviceInfo& info);

}  // namespace pk::bench
