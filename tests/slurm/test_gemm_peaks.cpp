// The peak table behind `bench gemm`: lookups by the names the CUDA runtime
// reports, the longest match winning, and the datasheet relations the
// entries must satisfy (dense Tensor Core rates: BF16 = 2 x TF32; peaks above
// the CUDA-core FP32 rate).
#include "bench/gemm_peaks.hpp"

#include <gtest/gtest.h>

namespace {

using pk::bench::gemm_peak;

TEST(GemmPeaks, LooksUpByRuntimeName) {
  const auto h100 = gemm_peak("NVIDIA H100 80GB HBM3");
  ASSERT_TRUE(h100.has_value());
  EXPECT_DOUBLE_EQ(h100->fp32_tflops, 67.0);
  EXPECT_NE(h100->source.find("datasheet"), std::string::npos);
  EXPECT_DOUBLE_EQ(gemm_peak("NVIDIA H100 PCIe")->fp32_tflops, 51.0);
  EXPECT_DOUBLE_EQ(gemm_peak("NVIDIA A100-SXM4-80GB")->tf32_tflops, 156.0);
  EXPECT_DOUBLE_EQ(gemm_peak("NVIDIA RTX A4500")->fp32_tflops, 23.7);
}

TEST(GemmPeaks, LongestNameWins) {
  EXPECT_EQ(gemm_peak("NVIDIA H200")->device, "H200");
  EXPECT_EQ(gemm_peak("NVIDIA H200 NVL")->device, "H200 NVL");
  EXPECT_LT(gemm_peak("NVIDIA H200 NVL")->bf16_tflops, gemm_peak("NVIDIA H200")->bf16_tflops);
}

TEST(GemmPeaks, UnknownDeviceHasNoPeak) {
  EXPECT_FALSE(gemm_peak("NVIDIA GeForce GT 710").has_value());
  EXPECT_FALSE(gemm_peak("").has_value());
}

TEST(GemmPeaks, DenseTensorRatesAreConsistent) {
  for (const char* name : {"NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe", "NVIDIA H100 NVL", "NVIDIA H200",
                           "NVIDIA H200 NVL", "NVIDIA A100-PCIE-40GB"}) {
    const auto p = gemm_peak(name);
    ASSERT_TRUE(p.has_value()) << name;
    EXPECT_NEAR(p->bf16_tflops, 2 * p->tf32_tflops, 1.0) << name;
    EXPECT_GT(p->tf32_tflops, p->fp32_tflops) << name;
  }
}

}  // namespace
