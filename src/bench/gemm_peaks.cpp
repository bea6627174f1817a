// The peak table behind `bench gemm`'s fraction-of-peak. Figures are the
// vendors' datasheet numbers at boost clock; NVIDIA quotes Tensor Core rates
// "with sparsity", which are twice the dense rates listed here (a GEMM of
// dense matrices cannot use 2:4 sparsity). Measured GEMMs reach 70-85% of
// these; one above them is a timing error, not a result.
#include "bench/gemm_peaks.hpp"

#include <vector>

namespace pk::bench {

namespace {
const std::vector<GemmPeak>& table() {
  static const std::vector<GemmPeak> t = {
      // H100 SXM5 / H200 SXM: FP32 67, TF32 989 (sparse), BF16 1,979 (sparse).
      {"H100 80GB HBM3", 67.0, 494.5, 989.5, "NVIDIA H100 Tensor Core GPU datasheet (H100 SXM column)"},
      {"H100 SXM", 67.0, 494.5, 989.5, "NVIDIA H100 Tensor Core GPU datasheet (H100 SXM column)"},
      {"H200", 67.0, 494.5, 989.5, "NVIDIA H200 Tensor Core GPU datasheet (H200 SXM column)"},
      // H200 NVL: FP32 60, TF32 835 (sparse), BF16 1,671 (sparse).
      {"H200 NVL", 60.0, 417.5, 835.5, "NVIDIA H200 Tensor Core GPU datasheet (H200 NVL column)"},
      // H100 PCIe: FP32 51, TF32 756 (sparse), BF16 1,513 (sparse).
      {"H100 PCIe", 51.0, 378.0, 756.5, "NVIDIA H100 Tensor Core GPU datasheet (H100 PCIe column)"},
      // H100 NVL: FP32 60, TF32 835 (sparse), BF16 1,671 (sparse).
      {"H100 NVL", 60.0, 417.5, 835.5, "NVIDIA H100 Tensor Core GPU datasheet (H100 NVL column)"},
      // A100 (SXM4 and PCIe, 40 and 80 GB): FP32 19.5, TF32 156, BF16 312 (dense).
      {"A100", 19.5, 156.0, 312.0, "NVIDIA A100 Tensor Core GPU datasheet"},
      // RTX A4500: FP32 23.7 (REFERENCE.md); its Tensor Core dense rates are
      // not in the table, so only the fp32 fraction is given there.
      {"RTX A4500", 23.7, 0.0, 0.0, "NVIDIA RTX A4500 datasheet (single-precision performance)"},
  };
  return t;
}
}  // namespace

std::optional<GemmPeak> gemm_peak(const std::string& device_name) {
  const GemmPeak* best = nullptr;
  for (const GemmPeak& p : table())
    if (device_name.find(p.device) != std::string::npos && (best == nullptr || p.device.size() > best->device.size()))
      best = &p;
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace pk::bench
