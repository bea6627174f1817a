// Error checks and owners for CUDA runtime and cuBLAS objects, for host C++
// compiled on CUDA builds against the runtime and cuBLAS C APIs (the cuBLAS
// matrix exponential and `bench gemm`). Failures throw pk::SystemError naming
// the call; destructors never throw.
#pragma once

#include "core/error.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

namespace pk::cuda {

inline void check(cudaError_t status, const char* call) {
  if (status != cudaSuccess)
    throw SystemError(std::string(call) + " failed: " + cudaGetErrorName(status) + " (" +
                      cudaGetErrorString(status) + ")");
}

inline void check(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw SystemError(std::string(call) + " failed: " + cublasGetStatusName(status) + " (" +
                      cublasGetStatusString(status) + ")");
}

/// A non-blocking stream of the current device.
class Stream {
 public:
  Stream() { check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreateWithFlags"); }
  ~Stream() { cudaStreamDestroy(stream_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

/// A cuBLAS handle bound to one stream (created per use: cheap next to the
/// work, and no static handle outlives the CUDA runtime).
class CublasHandle {
 public:
  explicit CublasHandle(cudaStream_t stream) {
    check(cublasCreate(&handle_), "cublasCreate");
    const cublasStatus_t s = cublasSetStream(handle_, stream);
    if (s != CUBLAS_STATUS_SUCCESS) {
      cublasDestroy(handle_);
      check(s, "cublasSetStream");
    }
  }
  ~CublasHandle() { cublasDestroy(handle_); }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

}  // namespace pk::cuda
