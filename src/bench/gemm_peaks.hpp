// Vendor peak throughput of GPUs for dense GEMM, by the device name the CUDA
// runtime reports. Sources are cited per entry in gemm_peaks.cpp.
#pragma once

#include <optional>
#include <string>

namespace pk::bench {

/// Dense (no structured sparsity) peak TFLOP/s of one device, and where the
/// figures come from. A precision whose peak is not known is 0.
struct GemmPeak {
  std::string device;      ///< the name the table matched
  double fp32_tflops = 0;  ///< CUDA-core FP32 (FMA = 2 flops)
  double tf32_tflops = 0;  ///< Tensor Core TF32, dense
  double bf16_tflops = 0;  ///< Tensor Core BF16 with FP32 accumulation, dense
  std::string source;
};

/// The table's entry whose name is contained in `device_name` (longest match
/// first), or nothing when the device is not in the table.
std::optional<GemmPeak> gemm_peak(const std::string& device_name);

}  // namespace pk::bench
